package cognitotest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Regression tests for review item 2 (/work/wt/issues/review.md): codes
// bound to what they prove.

// TestVerifyCodeBoundToValue: a code sent to one phone number does not
// verify another (review item 2).
func TestVerifyCodeBoundToValue(t *testing.T) {
	h := newHarness(t, testConfig())
	c := h.client
	at := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil)).AccessToken
	if _, err := c.GetUserAttributeVerificationCode(h.ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: at, AttributeName: aws.String("phone_number")}); err != nil {
		t.Fatal(err)
	}
	m := h.lastMessage(poolPlain, "alice", ReasonVerifyUserAttribute)
	if m.Destination != "+15555550100" {
		t.Fatalf("code sent to %s", m.Destination)
	}
	if _, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("phone_number", "+19999999999")}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("phone_number"), Code: aws.String(m.Code)})
	wantAPIError(t, err, errCodeMismatch, msgCodeInvalid)
	// Changing the value back does not revive the code either.
	if _, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("phone_number", "+15555550100")}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("phone_number"), Code: aws.String(m.Code)})
	wantAPIError(t, err, errCodeMismatch, msgCodeInvalid)
	out, err := c.GetUser(h.ctx, &cip.GetUserInput{AccessToken: at})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range out.UserAttributes {
		if aws.ToString(a.Name) == "phone_number_verified" && aws.ToString(a.Value) == "true" {
			t.Errorf("phone_number_verified=true for a number no code was sent to")
		}
	}
}

// TestSignUpCodeBoundToValue: a sign-up code sent to one address does not
// confirm, and verify, another (review item 2).
func TestSignUpCodeBoundToValue(t *testing.T) {
	cfg := testConfig()
	cfg.UserPools[0].AutoVerifiedAttributes = []string{"email"}
	h := newHarness(t, cfg)
	if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("sam"), Password: aws.String(pw),
		UserAttributes: []types.AttributeType{attr("email", "sam@example.com")}}); err != nil {
		t.Fatal(err)
	}
	code, _ := h.e.LastCode(poolPlain, "sam")
	// An administrator changes the address before the code is used.
	if _, err := h.admin().AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("sam"),
		UserAttributes: []types.AttributeType{attr("email", "other@example.com")}}); err != nil {
		t.Fatal(err)
	}
	_, err := h.client.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("sam"), ConfirmationCode: aws.String(code)})
	wantAPIError(t, err, errCodeMismatch, msgCodeInvalid)
}

// TestResetCodeBoundToAddress: a password reset code sent to an address
// that has changed since resets nothing (review item 2).
func TestResetCodeBoundToAddress(t *testing.T) {
	h := newHarness(t, testConfig())
	fp, err := h.client.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(fp.CodeDeliveryDetails.AttributeName); got != "email" {
		t.Fatalf("reset code sent to %s, want email", got)
	}
	code, _ := h.e.LastCode(poolPlain, "alice")
	if _, err := h.admin().AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice"),
		UserAttributes: []types.AttributeType{attr("email", "new@example.com"), attr("email_verified", "true")}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.ConfirmForgotPassword(h.ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice"),
		ConfirmationCode: aws.String(code), Password: aws.String("N3w-Passw0rd!")})
	wantAPIError(t, err, errCodeMismatch, msgCodeInvalid)
}
