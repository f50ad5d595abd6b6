package cognitotest

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/cognitosrp/cognitosrp/srp"
)

// strangerSignIns starts n USER_SRP_AUTH sign-ins naming username, as
// anyone who knows the name can (no password needed), and returns the
// first one's challenge and ephemeral.
func strangerSignIns(h *harness, username string, n int) (*authOut, *srp.Ephemeral) {
	h.t.Helper()
	var first *authOut
	var firstEph *srp.Ephemeral
	for i := range n {
		ch, eph := h.startSRP("plain", username, nil)
		if i == 0 {
			first, firstEph = ch, eph
		}
	}
	return first, firstEph
}

// TestUserSessionFloodEndsOnlyUnproven: a flood of sign-ins naming a user
// ends only the user's sign-ins that have proven nothing (which cannot be
// told from the stranger's), oldest first; the ended Session answers
// Cognito's expired-session message, not "used once" (review 2, item 2).
// The user's own new sign-in is not refused.
func TestUserSessionFloodEndsOnlyUnproven(t *testing.T) {
	h := newHarness(t, testConfig())
	past := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	first, firstEph := strangerSignIns(h, "erin", 2*maxUserSessions)
	if n := h.e.Stats().Sessions; n != maxUserSessions {
		t.Fatalf("%d sessions, want the per-user cap %d", n, maxUserSessions)
	}
	eph := mustEphemeral(t)
	if _, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "erin", "SRP_A": eph.SRPA()}); err != nil {
		t.Fatalf("erin's own sign-in refused after the flood: %v", err)
	}
	_, err := h.respond("plain", "PASSWORD_VERIFIER", first.Session, h.claim(poolPlain, first, firstEph, pw, h.clock.now()))
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
	code, _ := h.e.LastCode(poolPlain, "erin")
	h.tokens(h.respond("plain", "EMAIL_OTP", past.Session, map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": code}))
}

// TestUserSessionsAllProvenRefused: only when all of a user's sign-ins are
// past a first factor is a new one refused.
func TestUserSessionsAllProvenRefused(t *testing.T) {
	h := newHarness(t, testConfig(), withLimits(limits{userSessions: 2}))
	h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	eph := mustEphemeral(t)
	_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "erin", "SRP_A": eph.SRPA()})
	wantAPIError(t, err, "TooManyRequestsException", "")
}

// TestSessionPastPasswordNotEndedByStrangers: the same for a sign-in past
// the password, waiting for the emailed code (review 2, item 2).
func TestSessionPastPasswordNotEndedByStrangers(t *testing.T) {
	h := newHarness(t, testConfig())
	ch := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	strangerSignIns(h, "erin", 2*maxUserSessions)
	code, _ := h.e.LastCode(poolPlain, "erin")
	h.tokens(h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": code}))
}

// TestClientSessionsFilledByStrangers: strangers who fill an app client's
// sign-ins (users of their own from SignUp) do not lock out its other
// users: the oldest unproven sign-in is ended instead, and its Session
// answers Cognito's expired-session message (review 2, item 3).
func TestClientSessionsFilledByStrangers(t *testing.T) {
	h := newHarness(t, testConfig(), withLimits(limits{userSessions: 20, clientSessions: 40}))
	var first *authOut
	var firstEph = mustEphemeral(t)
	for i := range 2 {
		name := fmt.Sprintf("mallory%d", i)
		if _, err := h.client.SignUp(h.ctx, &cip.SignUpInput{ClientId: aws.String("plain"), Username: aws.String(name), Password: aws.String(pw)}); err != nil {
			t.Fatal(err)
		}
		for j := range 20 {
			if i == 0 && j == 0 {
				var err error
				first, err = h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": name, "SRP_A": firstEph.SRPA()})
				if err != nil {
					t.Fatal(err)
				}
				continue
			}
			h.startSRP("plain", name, nil)
		}
	}
	// erin, past her password, is not ended; alice is not refused.
	ch := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	ch2, eph := h.startSRP("plain", "alice", nil)
	resp := h.claim(poolPlain, ch2, eph, pw, h.clock.now())
	h.tokens(h.respond("plain", "PASSWORD_VERIFIER", ch2.Session, resp))
	code, _ := h.e.LastCode(poolPlain, "erin")
	h.tokens(h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": code}))

	resp = h.claim(poolPlain, first, firstEph, pw, h.clock.now())
	_, err := h.respond("plain", "PASSWORD_VERIFIER", first.Session, resp)
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
}

// TestClientSessionsAllProvenRefused: only when every sign-in of the
// client is past a first factor is a new one refused.
func TestClientSessionsAllProvenRefused(t *testing.T) {
	h := newHarness(t, testConfig(), withLimits(limits{clientSessions: 2}))
	a := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	b := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
	eph := mustEphemeral(t)
	_, err := h.initiate("plain", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": eph.SRPA()})
	wantAPIError(t, err, "TooManyRequestsException", "")
	for _, ch := range []*authOut{a, b} {
		if _, err := h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": "000000"}); err != nil {
			wantAPIError(t, err, "CodeMismatchException", "")
		}
	}
}

// oldPasswordAfter starts a USER_SRP_AUTH sign-in of alice, runs change
// (which replaces or resets her password) and answers the challenge with
// the old password: the change must have ended the sign-in (review 2,
// item 1: the session kept the old verifier and gave tokens).
func oldPasswordAfter(t *testing.T, h *harness, change func()) {
	t.Helper()
	ch, eph := h.startSRP("plain", "alice", nil)
	change()
	resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
	out, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
	if err == nil && out.Result != nil {
		t.Fatal("old password got tokens through a sign-in started before the change")
	}
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
}

func TestOldPasswordAfterConfirmForgotPassword(t *testing.T) {
	h := newHarness(t, testConfig())
	oldPasswordAfter(t, h, func() {
		if _, err := h.client.ForgotPassword(h.ctx, &cip.ForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice")}); err != nil {
			t.Fatal(err)
		}
		code, _ := h.e.LastCode(poolPlain, "alice")
		if _, err := h.client.ConfirmForgotPassword(h.ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String("plain"), Username: aws.String("alice"),
			ConfirmationCode: aws.String(code), Password: aws.String("N3w-Passw0rd!")}); err != nil {
			t.Fatal(err)
		}
	})
	if _, err := h.srpLogin(poolPlain, "plain", "alice", pw, nil); err == nil {
		t.Fatal("old password accepted by a new sign-in")
	}
	h.tokens(h.srpLogin(poolPlain, "plain", "alice", "N3w-Passw0rd!", nil))
}

func TestOldPasswordAfterAdminSetUserPassword(t *testing.T) {
	for _, permanent := range []bool{true, false} {
		t.Run(fmt.Sprint("permanent=", permanent), func(t *testing.T) {
			h := newHarness(t, testConfig())
			oldPasswordAfter(t, h, func() {
				if _, err := h.admin().AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolPlain), Username: aws.String("alice"),
					Password: aws.String("N3w-Passw0rd!"), Permanent: permanent}); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

func TestOldPasswordAfterChangePassword(t *testing.T) {
	h := newHarness(t, testConfig())
	owner := h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
	oldPasswordAfter(t, h, func() {
		if _, err := h.client.ChangePassword(h.ctx, &cip.ChangePasswordInput{AccessToken: owner.AccessToken,
			PreviousPassword: aws.String(pw), ProposedPassword: aws.String("N3w-Passw0rd!")}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSignInsEndedByStateChanges: resetting, disabling, deleting and
// signing out the user everywhere end the user's sign-ins in progress,
// also those past the password.
func TestSignInsEndedByStateChanges(t *testing.T) {
	user := func(h *harness) *cip.AdminGetUserInput {
		return &cip.AdminGetUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("erin")}
	}
	for name, change := range map[string]func(h *harness) error{
		"AdminResetUserPassword": func(h *harness) error {
			_, err := h.admin().AdminResetUserPassword(h.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: user(h).UserPoolId, Username: user(h).Username})
			return err
		},
		"AdminDisableUser": func(h *harness) error {
			_, err := h.admin().AdminDisableUser(h.ctx, &cip.AdminDisableUserInput{UserPoolId: user(h).UserPoolId, Username: user(h).Username})
			return err
		},
		"AdminDeleteUser": func(h *harness) error {
			_, err := h.admin().AdminDeleteUser(h.ctx, &cip.AdminDeleteUserInput{UserPoolId: user(h).UserPoolId, Username: user(h).Username})
			return err
		},
		"AdminUserGlobalSignOut": func(h *harness) error {
			_, err := h.admin().AdminUserGlobalSignOut(h.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: user(h).UserPoolId, Username: user(h).Username})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, testConfig())
			ch := h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "plain", "erin", pw, nil))
			code, _ := h.e.LastCode(poolPlain, "erin")
			if err := change(h); err != nil {
				t.Fatal(err)
			}
			_, err := h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "erin", "EMAIL_OTP_CODE": code})
			wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
			if st := h.e.Stats(); st.Sessions != 0 {
				t.Fatalf("%d sessions left", st.Sessions)
			}
		})
	}
}

// TestStaleVerifierRefused: the verifier step itself refuses a claim made
// against a verifier that is no longer the user's, should a change ever
// miss ending the sign-in (defence in depth).
func TestStaleVerifierRefused(t *testing.T) {
	h := newHarness(t, testConfig())
	ch, eph := h.startSRP("plain", "alice", nil)
	// Replace the verifier without ending the sign-in.
	h.e.mu.Lock()
	p := h.e.pools[poolPlain]
	u := p.users["alice"]
	v := *u.verifier
	u.verifier = &v
	h.e.mu.Unlock()
	resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
	_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
}

// TestForgottenDeviceEndsItsSignIns: forgetting a device ends the sign-ins
// that go on with it, at DEVICE_SRP_AUTH and at DEVICE_PASSWORD_VERIFIER.
func TestForgottenDeviceEndsItsSignIns(t *testing.T) {
	h := newHarness(t, testConfig())
	d, _ := h.confirm(h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil)))
	atSRP := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
	next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
	eph := mustEphemeral(t)
	ch := h.challenge("DEVICE_PASSWORD_VERIFIER")(h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()}))
	if _, err := h.admin().AdminForgetDevice(h.ctx, &cip.AdminForgetDeviceInput{UserPoolId: aws.String(poolAlways), Username: aws.String("frank"), DeviceKey: aws.String(d.key)}); err != nil {
		t.Fatal(err)
	}
	_, err := h.respond("always", "DEVICE_SRP_AUTH", atSRP.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": mustEphemeral(t).SRPA()})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
	c, _ := srp.ParseChallengeParameters(ch.Params)
	cl, _ := eph.DeviceClaim(d.group, d.key, d.password, c, h.clock.now())
	_, err = h.respond("always", "DEVICE_PASSWORD_VERIFIER", ch.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key,
		"PASSWORD_CLAIM_SIGNATURE": cl.Signature, "PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
}

// TestNewPasswordEndsOtherSignIns: a user who answers NEW_PASSWORD_REQUIRED
// in one sign-in has set a new password, so another sign-in started with the
// temporary one cannot finish with it: its Session is ended, as by every
// other change of a password (setPasswordLocked).
func TestNewPasswordEndsOtherSignIns(t *testing.T) {
	h := newHarness(t, testConfig())
	first := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	second := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	h.tokens(h.respond("plain", "NEW_PASSWORD_REQUIRED", first.Session,
		map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd", "userAttributes.name": "Bob"}))
	_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", second.Session,
		map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "another passw0rd", "userAttributes.name": "Bob"})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
}
