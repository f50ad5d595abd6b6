package cognitotest

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Regression tests for review item 1 (/work/wt/issues/review.md): the
// user's state is checked after every first factor.

// customFirstFactor signs in with CUSTOM_AUTH (no SRP) and answers the
// custom challenge.
func (h *harness) customFirstFactor(name string) (*authOut, error) {
	out, err := h.initiate("plain", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": name})
	if err != nil {
		return nil, err
	}
	return h.respond("plain", "CUSTOM_CHALLENGE", out.Session, map[string]string{"USERNAME": out.Params["USERNAME"], "ANSWER": customAns})
}

// otpFirstFactor signs in with USER_AUTH's EMAIL_OTP and answers the code.
func (h *harness) otpFirstFactor(poolID, name string) (*authOut, error) {
	out, err := h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": name, "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	if err != nil {
		return nil, err
	}
	if out.ChallengeName != "EMAIL_OTP" {
		h.t.Fatalf("USER_AUTH for %s: challenge %s, want EMAIL_OTP", name, out.ChallengeName)
	}
	code, _ := h.e.LastCode(poolID, out.Params["USERNAME"])
	return h.respond("plain", "EMAIL_OTP", out.Session, map[string]string{"USERNAME": out.Params["USERNAME"], "EMAIL_OTP_CODE": code})
}

// TestStateCheckedAfterEveryFirstFactor: an UNCONFIRMED user, a
// RESET_REQUIRED user and a disabled one get no tokens through a first
// factor that is not the password (review item 1).
func TestStateCheckedAfterEveryFirstFactor(t *testing.T) {
	h := newHarness(t, testConfig())
	adm := h.admin()
	if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String("uncle"), Password: aws.String(pw),
		UserAttributes: []types.AttributeType{attr("email", "uncle@example.com")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := adm.AdminResetUserPassword(h.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, typ, msg string }{
		{"uncle", errUserNotConfirmed, msgUserNotConfirmed},
		{"alice", errPasswordResetRequired, msgResetRequired},
	} {
		_, err := h.customFirstFactor(tc.name)
		wantAPIError(t, err, tc.typ, tc.msg)
		_, err = h.otpFirstFactor(poolPlain, tc.name)
		wantAPIError(t, err, tc.typ, tc.msg)
	}
	// Disabled between the challenge and its answer.
	out, err := h.initiate("plain", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "erin"})
	if err != nil {
		t.Fatal(err)
	}
	h.e.mu.Lock()
	h.e.pools[poolPlain].users["erin"].disabled = true
	h.e.mu.Unlock()
	_, err = h.respond("plain", "CUSTOM_CHALLENGE", out.Session, map[string]string{"USERNAME": "erin", "ANSWER": customAns})
	wantAPIError(t, err, "NotAuthorizedException", msgUserDisabled)
}

// TestForceChangeAfterCustomFirstFactor: bob, in FORCE_CHANGE_PASSWORD,
// gets NEW_PASSWORD_REQUIRED after a custom first factor, and his expired
// temporary password is refused after every first factor (review item 1).
func TestForceChangeAfterCustomFirstFactor(t *testing.T) {
	h := newHarness(t, testConfig())
	out, err := h.customFirstFactor("bob")
	if err != nil {
		t.Fatal(err)
	}
	if out.Result != nil || out.ChallengeName != chNewPasswordRequired {
		t.Fatalf("bob (FORCE_CHANGE_PASSWORD) after CUSTOM_CHALLENGE: challenge %q, tokens %v; want NEW_PASSWORD_REQUIRED", out.ChallengeName, out.Result != nil)
	}
	// Past the temporary password's validity (7 days by default).
	h.clock.advance(8 * 24 * time.Hour)
	_, err = h.customFirstFactor("bob")
	wantAPIError(t, err, "NotAuthorizedException", msgTempExpired)
	_, err = h.otpFirstFactor(poolPlain, "bob")
	wantAPIError(t, err, "NotAuthorizedException", msgTempExpired)
}

// TestRefreshOfDisabledUser: a disabled user's refresh token gets
// "User is disabled.", as a sign-in does.
func TestRefreshOfDisabledUser(t *testing.T) {
	h := newHarness(t, testConfig())
	res := h.tokens(h.srpLogin(poolPlain, "pwd", "alice", pw, nil))
	if _, err := h.admin().AdminDisableUser(h.ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	_, err := h.initiate("pwd", types.AuthFlowTypeRefreshTokenAuth, map[string]string{"REFRESH_TOKEN": aws.ToString(res.RefreshToken)})
	wantAPIError(t, err, "NotAuthorizedException", msgUserDisabled)
}
