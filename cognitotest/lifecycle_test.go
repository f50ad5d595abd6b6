package cognitotest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// admin returns a client of h's server that signs its requests with made
// up credentials, as the Admin* operations need.
func (h *harness) admin() *cip.Client {
	return cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(h.srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "not-a-secret"}, nil
		}),
		Retryer: aws.NopRetryer{},
	})
}

// lastMessage returns the newest message to the user, failing if there is
// none or it is not for reason.
func (h *harness) lastMessage(poolID, username, reason string) Message {
	h.t.Helper()
	ms := h.e.Messages()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].UserPoolID == poolID && ms[i].Username == username {
			if ms[i].Reason != reason {
				h.t.Fatalf("last message to %s is for %s, want %s", username, ms[i].Reason, reason)
			}
			return ms[i]
		}
	}
	h.t.Fatalf("no message to %s", username)
	return Message{}
}

func attr(name, value string) types.AttributeType {
	return types.AttributeType{Name: aws.String(name), Value: aws.String(value)}
}

func TestSignUpConfirmSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	c := h.client
	_, err := c.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("nina"), Password: aws.String("short")})
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	_, err = c.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("alice"), Password: aws.String(pw)})
	wantAPIError(t, err, "UsernameExistsException", "User already exists")
	_, err = c.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("secret"), Username: aws.String("nina"), Password: aws.String(pw)})
	wantAPIError(t, err, "NotAuthorizedException", "Client secret is configured with secret but SECRET_HASH was not received")
	out, err := c.SignUp(h.ctx, &cip.SignUpInput{
		ClientId: aws.String("plain"), Username: aws.String("nina"), Password: aws.String(pw),
		UserAttributes: []types.AttributeType{attr("email", "nina@example.com"), attr("name", "Nina")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserConfirmed || aws.ToString(out.UserSub) == "" || out.CodeDeliveryDetails == nil ||
		out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(out.CodeDeliveryDetails.Destination) != "n***@e***" {
		t.Fatalf("SignUp = %+v", out)
	}
	m := h.lastMessage(poolPlain, "nina", ReasonSignUp)
	if m.Destination != "nina@example.com" || len(m.Code) != 6 || m.Medium != "EMAIL" {
		t.Fatalf("message %+v", m)
	}

	// UNCONFIRMED: the right password gets UserNotConfirmedException, a
	// wrong one NotAuthorizedException.
	_, err = h.srpLogin(poolPlain, "plain", "nina", "wrong password", nil)
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	_, err = h.srpLogin(poolPlain, "plain", "nina", pw, nil)
	wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")

	if _, err := c.ResendConfirmationCode(h.ctx, &cip.ResendConfirmationCodeInput{ClientId: aws.String("plain"), Username: aws.String("nina")}); err != nil {
		t.Fatal(err)
	}
	resent := h.lastMessage(poolPlain, "nina", ReasonResendCode)
	wrong := "000000"
	if resent.Code == wrong {
		wrong = "111111"
	}
	_, err = c.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("nina"), ConfirmationCode: aws.String(wrong)})
	wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if m.Code != resent.Code {
		_, err = c.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("nina"), ConfirmationCode: aws.String(m.Code)})
		wantAPIError(t, err, "CodeMismatchException", "")
	}
	_, err = c.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("nobody"), ConfirmationCode: aws.String("123456")})
	wantAPIError(t, err, "UserNotFoundException", "Username/client id combination not found.")
	if _, err := c.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("nina"), ConfirmationCode: aws.String(resent.Code)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("nina"), ConfirmationCode: aws.String(resent.Code)})
	wantAPIError(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")

	res := h.tokens(h.srpLogin(poolPlain, "plain", "nina@example.com", pw, nil))
	claims := parseClaims(t, aws.ToString(res.IdToken))
	if claims["email_verified"] != true || claims["name"] != "Nina" || claims["cognito:username"] != "nina" {
		t.Errorf("id token claims %v", claims)
	}
	// Only a verifier is kept.
	h.e.mu.Lock()
	u := h.e.pools[poolPlain].users["nina"]
	h.e.mu.Unlock()
	if u.verifier == nil || strings.Contains(fmtUser(u), pw) {
		t.Error("the password is kept")
	}
}

func fmtUser(u *user) string {
	b, _ := json.Marshal(u.attrs)
	return string(b) + u.name + u.sub
}

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	pol := PasswordPolicy{MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	for _, tc := range []struct{ pw, why string }{
		{"Aa1!", "Password not long enough"},
		{"AAAAAAAAAA1!", "Password must have lowercase characters"},
		{"aaaaaaaaaa1!", "Password must have uppercase characters"},
		{"aaaaaaaaaaA!", "Password must have numeric characters"},
		{"aaaaaaaaaaA1", "Password must have symbol characters"},
		{"aaaaa aaaaA1", ""},
		{"aaaaaaaaaaA1^", ""},
	} {
		err := asAPIError(checkPassword(pol, tc.pw, styleChange))
		switch {
		case tc.why == "" && err != nil:
			t.Errorf("%q: %v", tc.pw, err)
		case tc.why != "" && (err == nil || err.Type != errInvalidPassword || err.Message != styleChange+": "+tc.why):
			t.Errorf("%q: %v, want %s", tc.pw, err, tc.why)
		}
	}
	for range 20 {
		if err := checkPassword(pol, temporaryPassword(pol), styleTemp); err != nil {
			t.Fatal(err)
		}
	}
	// A pool from the config without passwordPolicy checks the length only,
	// as before; with one, NEW_PASSWORD_REQUIRED follows it.
	cfg := testConfig()
	cfg.UserPools[0].PasswordPolicy = &PasswordPolicy{RequireSymbols: true}
	h := newHarness(t, cfg)
	ch := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "longenough1", "userAttributes.name": "Bob"})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password must have symbol characters")
}

func TestForgotAndChangePassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	c := h.client
	_, err := c.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("carol")})
	wantAPIError(t, err, "InvalidParameterException", msgNoRecovery)
	_, err = c.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("bob")})
	wantAPIError(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")
	out, err := c.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if out.CodeDeliveryDetails == nil || aws.ToString(out.CodeDeliveryDetails.AttributeName) != "email" {
		t.Fatalf("%+v", out.CodeDeliveryDetails)
	}
	m := h.lastMessage(poolPlain, "alice", ReasonForgotPassword)
	_, err = c.ConfirmForgotPassword(h.ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice"), ConfirmationCode: aws.String(m.Code), Password: aws.String("short")})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	h.clock.advance(61 * time.Minute)
	_, err = c.ConfirmForgotPassword(h.ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice"), ConfirmationCode: aws.String(m.Code), Password: aws.String("New passw0rd")})
	wantAPIError(t, err, "ExpiredCodeException", "Invalid code provided, please request a code again.")
	if _, err := c.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	m = h.lastMessage(poolPlain, "alice", ReasonForgotPassword)
	if _, err := c.ConfirmForgotPassword(h.ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice"), ConfirmationCode: aws.String(m.Code), Password: aws.String("New passw0rd")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.srpLogin(poolPlain, "plain", "alice", pw, nil)
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", "New passw0rd", nil))

	_, err = c.ChangePassword(h.ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: aws.String("wrong one"), ProposedPassword: aws.String("Third passw0rd")})
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	_, err = c.ChangePassword(h.ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: aws.String("New passw0rd"), ProposedPassword: aws.String("short")})
	wantAPIError(t, err, "InvalidPasswordException", "Password does not conform to policy: Password not long enough")
	if _, err := c.ChangePassword(h.ctx, &cip.ChangePasswordInput{AccessToken: res.AccessToken, PreviousPassword: aws.String("New passw0rd"), ProposedPassword: aws.String("Third passw0rd")}); err != nil {
		t.Fatal(err)
	}
	h.tokens(h.srpLogin(poolPlain, "plain", "alice", "Third passw0rd", nil))
}

func TestUserAttributes(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.UserPools[0].Clients[0].WriteAttributes = append(slices.Clone(standardAttributes), "custom:team")
	h := newHarness(t, cfg)
	c := h.client
	res := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	at := res.AccessToken
	for _, tc := range []struct {
		a        types.AttributeType
		typ, msg string
	}{
		// The app client's WriteAttributes (by default the standard
		// attributes without the verified flags), as NEW_PASSWORD_REQUIRED.
		{attr("sub", "x"), "NotAuthorizedException", msgUnauthorizedAttribute},
		{attr("email_verified", "true"), "NotAuthorizedException", msgUnauthorizedAttribute},
		{attr("cognito:groups", "x"), "NotAuthorizedException", msgUnauthorizedAttribute},
		{attr("favourite", "x"), "NotAuthorizedException", msgUnauthorizedAttribute},
		{attr("custom:other", "x"), "NotAuthorizedException", msgUnauthorizedAttribute},
		{attr("preferred_username", "bob"), "AliasExistsException", "An account with the given preferred_username already exists."},
		{attr("preferred_username", "ERIN@example.org"), "AliasExistsException", "An account with the given preferred_username already exists."},
	} {
		_, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{tc.a}})
		wantAPIError(t, err, tc.typ, tc.msg)
	}
	// An unverified email is no alias (developer guide, "Overview of
	// aliases": users sign in with a verified email), so another user's
	// address is accepted, and refused only when it would become verified.
	if _, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("email", "erin@example.org")}}); err != nil {
		t.Fatal(err)
	}
	code, _ := h.e.LastCode(poolPlain, "alice")
	_, err := c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("email"), Code: aws.String(code)})
	wantAPIError(t, err, "AliasExistsException", "An account with the given email already exists.")
	out, err := c.UpdateUserAttributes(h.ctx, &cip.UpdateUserAttributesInput{AccessToken: at, UserAttributes: []types.AttributeType{attr("email", "alice@new.example"), attr("custom:team", "blue")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CodeDeliveryDetailsList) != 1 || aws.ToString(out.CodeDeliveryDetailsList[0].AttributeName) != "email" {
		t.Fatalf("%+v", out.CodeDeliveryDetailsList)
	}
	m := h.lastMessage(poolPlain, "alice", ReasonVerifyUserAttribute)
	if m.Destination != "alice@new.example" {
		t.Fatalf("%+v", m)
	}
	get := func() map[string]string {
		t.Helper()
		out, err := c.GetUser(h.ctx, &cip.GetUserInput{AccessToken: at})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, a := range out.UserAttributes {
			m[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		return m
	}
	if a := get(); a["email"] != "alice@new.example" || a["email_verified"] != "" || a["custom:team"] != "blue" {
		t.Fatalf("attributes %v", a)
	}
	// Neither the new address, not verified yet, nor the old one is an
	// alias.
	for _, name := range []string{"alice@new.example", "alice@example.com"} {
		_, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": name, "SRP_A": mustEphemeral(t).SRPA()})
		wantAPIError(t, err, "UserNotFoundException", "")
	}

	_, err = c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("email"), Code: aws.String("x")})
	wantAPIError(t, err, "CodeMismatchException", msgCodeInvalid)
	if _, err := c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("email"), Code: aws.String(m.Code)}); err != nil {
		t.Fatal(err)
	}
	if a := get(); a["email_verified"] != "true" {
		t.Fatalf("attributes %v", a)
	}
	// Verified, the new address is an alias.
	h.tokens(h.srpLogin(poolPlain, "plain", "alice@new.example", pw, nil))
	gv, err := c.GetUserAttributeVerificationCode(h.ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: at, AttributeName: aws.String("phone_number")})
	if err != nil {
		t.Fatal(err)
	}
	if gv.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeSms {
		t.Fatalf("%+v", gv.CodeDeliveryDetails)
	}
	sms := h.lastMessage(poolPlain, "alice", ReasonVerifyUserAttribute)
	if _, err := c.VerifyUserAttribute(h.ctx, &cip.VerifyUserAttributeInput{AccessToken: at, AttributeName: aws.String("phone_number"), Code: aws.String(sms.Code)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteUserAttributes(h.ctx, &cip.DeleteUserAttributesInput{AccessToken: at, UserAttributeNames: []string{"custom:team", "name"}}); err != nil {
		t.Fatal(err)
	}
	if a := get(); a["custom:team"] != "" || a["name"] != "" || a["phone_number_verified"] != "true" {
		t.Fatalf("attributes %v", a)
	}
	// Bounded: a user cannot pile up attributes.
	var many []types.AttributeType
	for i := range 70 {
		many = append(many, attr("custom:a"+strings.Repeat("x", i%20)+string(rune('a'+i%26))+string(rune('a'+i/26)), "v"))
	}
	_, err = h.admin().AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice"), UserAttributes: many})
	wantAPIError(t, err, "InvalidParameterException", "The user's attributes exceed the emulator's limit of 64 attributes or 16384 bytes.")

	if _, err := c.DeleteUser(h.ctx, &cip.DeleteUserInput{AccessToken: at}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetUser(h.ctx, &cip.GetUserInput{AccessToken: at})
	wantAPIError(t, err, "NotAuthorizedException", "")
	_, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, "UserNotFoundException", "")
}

func TestOutboxHTTP(t *testing.T) {
	t.Parallel()
	get := func(t *testing.T, h *harness, query string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(h.srv.URL + "/_cognitosrp/outbox" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%q", b)
		}
		return resp.StatusCode, m
	}
	t.Run("off by default", func(t *testing.T) {
		h := newHarness(t, testConfig())
		if code, _ := get(t, h, "?userPoolId="+poolPlain); code != http.StatusNotFound {
			t.Fatalf("status %d", code)
		}
	})
	t.Run("on", func(t *testing.T) {
		h := newHarness(t, testConfig(), WithOutboxHTTP())
		if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("olga"), Password: aws.String(pw),
			UserAttributes: []types.AttributeType{attr("email", "olga@example.com")}}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.client.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice")}); err != nil {
			t.Fatal(err)
		}
		code, m := get(t, h, "?userPoolId="+poolPlain+"&username=olga")
		msgs, _ := m["messages"].([]any)
		if code != 200 || len(msgs) != 1 {
			t.Fatalf("%d %v", code, m)
		}
		msg := msgs[0].(map[string]any)
		want := h.lastMessage(poolPlain, "olga", ReasonSignUp)
		if msg["code"] != want.Code || msg["reason"] != "SignUp" || msg["deliveryMedium"] != "EMAIL" || msg["destination"] != "olga@example.com" ||
			msg["userPoolId"] != poolPlain || msg["username"] != "olga" {
			t.Fatalf("%v", msg)
		}
		if tm, err := time.Parse(time.RFC3339Nano, msg["time"].(string)); err != nil || !tm.Equal(want.Time) {
			t.Fatalf("time %v: %v", msg["time"], err)
		}
		// The code from HTTP confirms the user.
		if _, err := h.client.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String("plain"), Username: aws.String("olga"), ConfirmationCode: aws.String(msg["code"].(string))}); err != nil {
			t.Fatal(err)
		}
		_, m = get(t, h, "?userPoolId="+poolPlain)
		if msgs := m["messages"].([]any); len(msgs) != 2 || msgs[1].(map[string]any)["reason"] != "ForgotPassword" {
			t.Fatalf("%v", m)
		}
		if code, _ := get(t, h, ""); code != 400 {
			t.Fatalf("no pool: %d", code)
		}
		if code, _ := get(t, h, "?userPoolId=us-east-1_Nope"); code != 404 {
			t.Fatalf("unknown pool: %d", code)
		}
	})
}

// TestEmailAsUsername: in a pool with UsernameAttributes email, users sign
// up with their email address and get a UUID as user name, equal to their
// sub, which SRP uses (USER_ID_FOR_SRP).
func TestEmailAsUsername(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	a := h.admin()
	cp, err := a.CreateUserPool(h.ctx, &cip.CreateUserPoolInput{PoolName: aws.String("emails"),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	pool := aws.ToString(cp.UserPool.Id)
	if !slices.Equal(cp.UserPool.UsernameAttributes, []types.UsernameAttributeType{"email"}) || cp.UserPool.AliasAttributes != nil {
		t.Errorf("%+v %+v", cp.UserPool.UsernameAttributes, cp.UserPool.AliasAttributes)
	}
	cc, err := a.CreateUserPoolClient(h.ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	cid := aws.ToString(cc.UserPoolClient.ClientId)
	_, err = h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String(cid), Username: aws.String("lee"), Password: aws.String("Lee-passw0rd")})
	wantAPIError(t, err, "InvalidParameterException", "Username should be an email.")
	out, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String(cid), Username: aws.String("lee@example.com"), Password: aws.String("Lee-passw0rd")})
	if err != nil {
		t.Fatal(err)
	}
	sub := aws.ToString(out.UserSub)
	m := h.lastMessage(pool, sub, ReasonSignUp)
	if m.Destination != "lee@example.com" {
		t.Fatalf("%+v", m)
	}
	if _, err := h.client.ConfirmSignUp(h.ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(cid), Username: aws.String("lee@example.com"), ConfirmationCode: aws.String(m.Code)}); err != nil {
		t.Fatal(err)
	}
	ch, eph := h.startSRP(cid, "lee@example.com", nil)
	if ch.Params["USER_ID_FOR_SRP"] != sub {
		t.Fatalf("USER_ID_FOR_SRP %q, want the sub %q", ch.Params["USER_ID_FOR_SRP"], sub)
	}
	res := h.tokens(h.respond(cid, "PASSWORD_VERIFIER", ch.Session, h.claim(pool, ch, eph, "Lee-passw0rd", h.clock.now())))
	if c := parseClaims(t, aws.ToString(res.IdToken)); c["cognito:username"] != sub || c["sub"] != sub || c["email"] != "lee@example.com" {
		t.Errorf("claims %v", c)
	}
	// AdminCreateUser likewise.
	u, err := a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("max@example.com"), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	if name := aws.ToString(u.User.Username); name == "max@example.com" || len(name) != 36 {
		t.Errorf("user name %q", name)
	}
	_, err = a.AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("MAX@example.com")})
	wantAPIError(t, err, "UsernameExistsException", "")
}

// TestCodeLog: codes and temporary passwords reach the log only with
// WithCodeLog, and passwords never.
func TestCodeLog(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, opts ...Option) (log string, code, temp string) {
		var buf syncBuffer
		h := newHarness(t, testConfig(), append(opts, WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))...)
		if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("lou"), Password: aws.String("Lou-secret-passw0rd"),
			UserAttributes: []types.AttributeType{attr("email", "lou@example.com")}}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.admin().AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("ann"),
			UserAttributes: []types.AttributeType{attr("email", "ann@example.com")}, DesiredDeliveryMediums: []types.DeliveryMediumType{"EMAIL"}}); err != nil {
			t.Fatal(err)
		}
		return buf.String(), h.lastMessage(poolPlain, "lou", ReasonSignUp).Code, h.lastMessage(poolPlain, "ann", ReasonAdminCreateUser).Code
	}
	log, code, temp := run(t)
	if strings.Contains(log, "code="+code) || strings.Contains(log, temp) || strings.Contains(log, "Lou-secret-passw0rd") || !strings.Contains(log, "op=SignUp") {
		t.Errorf("without WithCodeLog:\n%s", log)
	}
	log, code, temp = run(t, WithCodeLog())
	if !strings.Contains(log, "code="+code) || !strings.Contains(log, "reason=SignUp") || !strings.Contains(log, temp) || strings.Contains(log, "Lou-secret-passw0rd") {
		t.Errorf("with WithCodeLog:\n%s", log)
	}
}
