package cognitotest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Review 3 items 1-5: a sign-in step that releases e.mu for SRP or
// password work goes on only if nothing ended the user's sign-ins, deleted
// the user or deleted the pool meanwhile. The state changes run between
// the step's two locks (onResume).

// TestResumePasswordFactorAfterPasswordChange: a USER_PASSWORD_AUTH
// sign-in with the old password, checked while an admin sets a new one and
// signs the user out everywhere, gets no tokens.
func TestResumePasswordFactorAfterPasswordChange(t *testing.T) {
	h := newHarness(t, testConfig())
	a := h.admin()
	pool := aws.String(poolPlain)
	h.e.onResume(2, func() { // after CheckPassword
		if _, err := a.AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("alice"), Password: aws.String("Other-Passw0rd!"), Permanent: true}); err != nil {
			t.Error(err)
		}
		if _, err := a.AdminUserGlobalSignOut(h.ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: pool, Username: aws.String("alice")}); err != nil {
			t.Error(err)
		}
	})
	_, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
	h.e.mu.Lock()
	grants := len(h.e.grants)
	h.e.mu.Unlock()
	if grants != 0 {
		t.Fatalf("%d grants kept after the sign-in was refused", grants)
	}
}

// TestResumeDeviceSRPAuthAfterPasswordChange: a DEVICE_SRP_AUTH answer
// (past the old password) in srp.NewServer while the password is changed
// stores no DEVICE_PASSWORD_VERIFIER session.
func TestResumeDeviceSRPAuthAfterPasswordChange(t *testing.T) {
	h := newHarness(t, testConfig())
	a := h.admin()
	d, _ := h.confirm(h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil)))
	next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
	h.e.onResume(1, func() {
		if _, err := a.AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolAlways), Username: aws.String("frank"), Password: aws.String("Other-Passw0rd!"), Permanent: true}); err != nil {
			t.Error(err)
		}
	})
	eph := mustEphemeral(t)
	_, err := h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
	if n := h.e.Stats().Sessions; n != 0 {
		t.Fatalf("%d sign-ins stored, want 0", n)
	}
}

// TestResumeDeviceSRPAuthAfterForgetDevice: the same when the device is
// forgotten meanwhile.
func TestResumeDeviceSRPAuthAfterForgetDevice(t *testing.T) {
	h := newHarness(t, testConfig())
	a := h.admin()
	d, _ := h.confirm(h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil)))
	next := h.challenge("DEVICE_SRP_AUTH")(h.srpLogin(poolAlways, "always", "frank", pw, map[string]string{"DEVICE_KEY": d.key}))
	h.e.onResume(1, func() {
		if _, err := a.AdminForgetDevice(h.ctx, &cip.AdminForgetDeviceInput{UserPoolId: aws.String(poolAlways), Username: aws.String("frank"), DeviceKey: aws.String(d.key)}); err != nil {
			t.Error(err)
		}
	})
	eph := mustEphemeral(t)
	_, err := h.respond("always", "DEVICE_SRP_AUTH", next.Session, map[string]string{"USERNAME": "frank", "DEVICE_KEY": d.key, "SRP_A": eph.SRPA()})
	wantAPIError(t, err, "ResourceNotFoundException", msgDeviceNotFound)
	if n := h.e.Stats().Sessions; n != 0 {
		t.Fatalf("%d sign-ins stored, want 0", n)
	}
}

// newHire creates a user in FORCE_CHANGE_PASSWORD and returns its
// NEW_PASSWORD_REQUIRED challenge.
func newHire(t *testing.T, h *harness, name string) *authOut {
	t.Helper()
	if _, err := h.admin().AdminCreateUser(h.ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String(name), TemporaryPassword: aws.String(pw), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	return h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", name, pw, nil))
}

// TestResumeNewPasswordAfterAdminSetPassword: NEW_PASSWORD_REQUIRED does
// not undo an AdminSetUserPassword that ran while the new verifier was
// computed.
func TestResumeNewPasswordAfterAdminSetPassword(t *testing.T) {
	h := newHarness(t, testConfig())
	ch := newHire(t, h, "hire")
	h.e.onResume(1, func() {
		if _, err := h.admin().AdminSetUserPassword(h.ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(poolPlain), Username: aws.String("hire"), Password: aws.String("Admin-Passw0rd!"), Permanent: true}); err != nil {
			t.Error(err)
		}
	})
	_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, map[string]string{"USERNAME": "hire", "NEW_PASSWORD": "User-Passw0rd!"})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
	h.tokens(h.srpLogin(poolPlain, "plain", "hire", "Admin-Passw0rd!", nil))
}

// TestResumeNewPasswordAfterDeleteUser: NEW_PASSWORD_REQUIRED writes no
// attributes or aliases to a user deleted meanwhile.
func TestResumeNewPasswordAfterDeleteUser(t *testing.T) {
	h := newHarness(t, testConfig())
	ch := newHire(t, h, "hire")
	h.e.onResume(1, func() {
		if _, err := h.admin().AdminDeleteUser(h.ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(poolPlain), Username: aws.String("hire")}); err != nil {
			t.Error(err)
		}
	})
	_, err := h.respond("plain", "NEW_PASSWORD_REQUIRED", ch.Session, map[string]string{"USERNAME": "hire", "NEW_PASSWORD": "User-Passw0rd!", "userAttributes.preferred_username": "ghost"})
	wantAPIError(t, err, "UserNotFoundException", msgUserNotFound)
	h.e.mu.Lock()
	ghost := h.e.pools[poolPlain].aliases["ghost"]
	h.e.mu.Unlock()
	if ghost != nil {
		t.Fatalf("the deleted user holds the alias ghost")
	}
	if _, err := h.admin().AdminUpdateUserAttributes(h.ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(poolPlain), Username: aws.String("carol"), UserAttributes: []types.AttributeType{{Name: aws.String("preferred_username"), Value: aws.String("ghost")}}}); err != nil {
		t.Fatalf("carol taking the alias: %v", err)
	}
}

// TestResumeAfterDeleteUserPool: a USER_PASSWORD_AUTH sign-in checked
// while its pool is deleted sends no code to the deleted pool's outbox,
// keeps no grant and stores no session.
func TestResumeAfterDeleteUserPool(t *testing.T) {
	for _, name := range []string{"erin", "alice"} { // EMAIL_OTP; tokens
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, testConfig())
			h.e.onResume(2, func() {
				if _, err := h.admin().DeleteUserPool(h.ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolPlain)}); err != nil {
					t.Error(err)
				}
			})
			_, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": name, "PASSWORD": pw})
			wantAPIError(t, err, "ResourceNotFoundException", "User pool "+poolPlain+" does not exist.")
			h.e.mu.Lock()
			msgs, grants, sessions := len(h.e.outbox[poolPlain]), len(h.e.grants), len(h.e.sessions)
			h.e.mu.Unlock()
			if msgs+grants+sessions != 0 {
				t.Fatalf("deleted pool keeps %d messages, %d grants, %d sessions", msgs, grants, sessions)
			}
		})
	}
}

// TestGlobalCapEndsOldestUnprovenOfAnyClient (review 3 item 6): at the
// total cap, when the client with the most sign-ins holds only proven
// ones, the oldest unproven sign-in of another client is ended.
func TestGlobalCapEndsOldestUnprovenOfAnyClient(t *testing.T) {
	h := newHarness(t, testConfig(), withLimits(limits{sessions: 5, clientSessions: 3, userSessions: 20}))
	for range 3 {
		h.challenge("EMAIL_OTP")(h.srpLogin(poolPlain, "pwd", "erin", pw, nil))
	}
	first, _ := h.startSRP("plain", "alice", nil)
	h.startSRP("plain", "alice", nil)
	eph := mustEphemeral(t)
	if _, err := h.initiate("secret", types.AuthFlowTypeUserSrpAuth, map[string]string{"USERNAME": "alice", "SRP_A": eph.SRPA(), "SECRET_HASH": secretHashB64(secretValue, "alice", "secret")}); err != nil {
		t.Fatalf("new sign-in refused: %v", err)
	}
	h.e.mu.Lock()
	_, live := h.e.sessions[aws.ToString(first.Session)]
	h.e.mu.Unlock()
	if live {
		t.Fatal("the oldest unproven sign-in was not the one ended")
	}
}
