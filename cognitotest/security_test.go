package cognitotest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Regression tests for review items 1, 2, 3 and 8 (/work/wt/issues/review.md):
// user states checked after every first factor, codes bound to what they
// prove, one alias key space, and only verified addresses as aliases.

// TestAliasKeySpace: another user's email in another case cannot be taken
// as a preferred_username, and sign-in by that name finds the email's
// owner (review item 3).
func TestAliasKeySpace(t *testing.T) {
	cfg := testConfig()
	cfg.UserPools[0].Users[4].Attributes["email_verified"] = "true" // erin
	h := newHarness(t, cfg)
	c := h.client
	at := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil)).AccessToken
	_, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("preferred_username", "Erin@Example.org")}})
	wantAPIError(t, err, errAliasExists, "An account with the given preferred_username already exists.")
	out, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "Erin@Example.org", "SRP_A": mustEphemeral(t).SRPA()})
	if err != nil {
		t.Fatal(err)
	}
	if out.Params["USERNAME"] != "erin" {
		t.Errorf("Erin@Example.org resolves to %s, not erin", out.Params["USERNAME"])
	}
	// A preferred_username in email form held first keeps out the same
	// address, in any case, as another user's verified email.
	if _, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("preferred_username", "Zed@Example.net")}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.admin().AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("carol"),
		UserAttributes: []types.AttributeType{attr("email", "zed@example.NET"), attr("email_verified", "true")}})
	wantAPIError(t, err, errAliasExists, "An account with the given email already exists.")
}

// TestUnverifiedEmailIsNoAlias: an unverified email set through the API is
// no sign-in alias and blocks no one; once verified it is (review item 8).
func TestUnverifiedEmailIsNoAlias(t *testing.T) {
	h := newHarness(t, testConfig())
	c := h.client
	at := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil)).AccessToken
	if _, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("email", "victim@corp.example")}}); err != nil {
		t.Fatal(err)
	}
	_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "victim@corp.example", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, errUserNotFound, msgUserNotFound)
	if _, err := c.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("victim"), Password: aws.String(pw),
		UserAttributes: []types.AttributeType{attr("email", "victim@corp.example")}}); err != nil {
		t.Fatalf("victim's SignUp with her own address, held unverified by alice: %v", err)
	}
	// alice's old address, verified, is no longer hers.
	_, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice@example.com", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, errUserNotFound, msgUserNotFound)
	// Verified by alice's code, the address becomes her alias.
	if _, err := c.GetUserAttributeVerificationCode(h.ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: at, AttributeName: aws.String("email")}); err != nil {
		t.Fatal(err)
	}
	code, _ := h.e.LastCode(poolPlain, "alice")
	if _, err := c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("email"), Code: aws.String(code)}); err != nil {
		t.Fatal(err)
	}
	out, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "Victim@corp.example", "SRP_A": mustEphemeral(t).SRPA()})
	if err != nil {
		t.Fatal(err)
	}
	if out.Params["USERNAME"] != "alice" {
		t.Errorf("verified victim@corp.example resolves to %q, want alice", out.Params["USERNAME"])
	}
}

// TestConfigAliases: a config user's email is an alias, verified or not,
// as it always was, unless the config says email_verified "false"; a value
// changed through the API is an alias only once verified (review item 8).
func TestConfigAliases(t *testing.T) {
	cfg := testConfig()
	cfg.UserPools[0].Users[5].Attributes["email_verified"] = "false" // 0f1e2d3c-uuid-user
	h := newHarness(t, cfg)
	out, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "Erin@example.org", "SRP_A": mustEphemeral(t).SRPA()})
	if err != nil || out.Params["USERNAME"] != "erin" {
		t.Fatalf("erin's config email (no email_verified): %v %v", out, err)
	}
	_, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "uuid@example.com", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, errUserNotFound, msgUserNotFound)
	adm := h.admin()
	// Changed and back: the config's value no longer counts unverified.
	for _, v := range []string{"erin2@example.org", "erin@example.org"} {
		if _, err := adm.AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("erin"),
			UserAttributes: []types.AttributeType{attr("email", v)}}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "erin@example.org", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, errUserNotFound, msgUserNotFound)
}

// TestConfirmSignUpForceAlias: confirming a sign-up verifies its address;
// if another user has it as an alias, that is AliasExistsException without
// using up the code, and ForceAliasCreation moves the alias (review item 8).
func TestConfirmSignUpForceAlias(t *testing.T) {
	h := newHarness(t, testConfig())
	if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("newalice"), Password: aws.String(pw),
		UserAttributes: []types.AttributeType{attr("email", "ALICE@example.com")}}); err != nil {
		t.Fatalf("SignUp with another user's verified email, not verified yet: %v", err)
	}
	code, _ := h.e.LastCode(poolPlain, "newalice")
	confirm := func(force bool) error {
		_, err := h.client.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("newalice"),
			ConfirmationCode: aws.String(code), ForceAliasCreation: force})
		return err
	}
	wantAPIError(t, confirm(false), errAliasExists, "An account with the given email already exists.")
	if err := confirm(true); err != nil {
		t.Fatal(err)
	}
	out, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice@example.com", "SRP_A": mustEphemeral(t).SRPA()})
	if err != nil || out.Params["USERNAME"] != "newalice" {
		t.Fatalf("alice@example.com after ForceAliasCreation: %v %v", out, err)
	}
	g, err := h.admin().AdminGetUser(h.ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range g.UserAttributes {
		if aws.ToString(a.Name) == "email_verified" && aws.ToString(a.Value) != "false" {
			t.Errorf("alice's email_verified=%s after the alias moved", aws.ToString(a.Value))
		}
	}
}
