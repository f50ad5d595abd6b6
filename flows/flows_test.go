package flows_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/secrethash"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		c, rec := newClient(t, srv, flowsPool, v)
		typed := loginName("alice", by)
		res, err := c.Login(context.Background(), typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, "alice")
		if res.AuthenticationResult.RefreshToken == nil || res.Device != nil {
			t.Errorf("Result = %+v", res)
		}
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER")
		checkSecretHashes(t, rec, v, typed)
		calls := rec.reset()
		if pv := calls[1].params; pv["USERNAME"] != "alice" || pv["TIMESTAMP"] == "" || pv["PASSWORD_CLAIM_SIGNATURE"] == "" {
			t.Errorf("PASSWORD_VERIFIER responses: USERNAME %q, TIMESTAMP %q", pv["USERNAME"], pv["TIMESTAMP"])
		}
		if _, ok := calls[0].params["DEVICE_KEY"]; ok {
			t.Error("DEVICE_KEY sent without a device store")
		}
	})
}

func TestLoginWrongPassword(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		c, _ := newClient(t, srv, flowsPool, v)
		const wrong = "Wrong-Password-123"
		_, err := c.Login(context.Background(), loginName("alice", by), wrong)
		var nae *types.NotAuthorizedException
		if !errors.As(err, &nae) {
			t.Fatalf("error %v, want a *types.NotAuthorizedException", err)
		}
		var oe *smithy.OperationError
		if !errors.As(err, &oe) || oe.Operation() != "RespondToAuthChallenge" {
			t.Errorf("error %v, want a *smithy.OperationError of RespondToAuthChallenge", err)
		}
		var ce *flows.ChallengeError
		if !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypePasswordVerifier {
			t.Errorf("error %v, want a *flows.ChallengeError of PASSWORD_VERIFIER", err)
		}
		if strings.Contains(err.Error(), wrong) {
			t.Errorf("the error quotes the password: %v", err)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		t.Parallel()
		c, _ := newClient(t, srv, flowsPool, variants[0])
		_, err := c.Login(context.Background(), "nobody", password)
		var unf *types.UserNotFoundException
		if !errors.As(err, &unf) {
			t.Fatalf("error %v, want a *types.UserNotFoundException", err)
		}
	})
}

func TestMFA(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		user   string
		choice string
		want   []string // the challenges the handler sees
	}{
		{user: "totp", want: []string{"SOFTWARE_TOKEN_MFA"}},
		{user: "sms", want: []string{"SMS_MFA"}},
		{user: "emailmfa", want: []string{"EMAIL_OTP"}},
		{user: "multitotp", choice: "SOFTWARE_TOKEN_MFA", want: []string{"SELECT_MFA_TYPE", "SOFTWARE_TOKEN_MFA"}},
		{user: "multisms", choice: "SMS_MFA", want: []string{"SELECT_MFA_TYPE", "SMS_MFA"}},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			t.Parallel()
			forEachVariant(t, func(t *testing.T, v variant, by string) {
				h := &handler{srv: srv, pool: flowsPool, totp: totpSecret, choice: tt.choice}
				c, rec := newClient(t, srv, flowsPool, v, func(o *flows.Options) { o.Handler = h })
				name := vname(tt.user, v, by)
				typed := loginName(name, by)
				res, err := c.Login(context.Background(), typed, password)
				if err != nil {
					t.Fatal(err)
				}
				checkTokens(t, res, name)
				if got := h.names(); !slices.Equal(got, tt.want) {
					t.Errorf("handler saw %q, want %q", got, tt.want)
				}
				checkSecretHashes(t, rec, v, typed)
				for _, ch := range h.seen {
					if ch.Username != name {
						t.Errorf("Challenge.Username = %q", ch.Username)
					}
					switch ch.Name {
					case types.ChallengeNameTypeSmsMfa:
						if ch.DeliveryMedium != "SMS" || !strings.HasPrefix(ch.Destination, "+") {
							t.Errorf("SMS_MFA challenge: %q %q", ch.DeliveryMedium, ch.Destination)
						}
					case types.ChallengeNameTypeSelectMfaType:
						if !slices.Equal(ch.Options, []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA"}) && !slices.Equal(ch.Options, []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}) {
							t.Errorf("SELECT_MFA_TYPE options %q", ch.Options)
						}
					}
				}
			})
		})
	}
}

func TestWrongCodeAskedAgain(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, u := range []string{"sms-secret-username", "totp-secret-username"} {
		t.Run(u, func(t *testing.T) {
			t.Parallel()
			h := &handler{srv: srv, pool: flowsPool, totp: totpSecret, wrong: 2}
			c, _ := newClient(t, srv, flowsPool, variants[1], func(o *flows.Options) { o.Handler = h })
			res, err := c.Login(context.Background(), u, password)
			if err != nil {
				t.Fatal(err)
			}
			checkTokens(t, res, u)
			if len(h.seen) != 3 || h.seen[0].Err != nil {
				t.Fatalf("handler saw %q", h.names())
			}
			var cm *types.CodeMismatchException
			if !errors.As(h.seen[1].Err, &cm) || !errors.As(h.seen[2].Err, &cm) {
				t.Errorf("Challenge.Err = %v, %v, want *types.CodeMismatchException", h.seen[1].Err, h.seen[2].Err)
			}
		})
	}
	t.Run("three wrong codes", func(t *testing.T) {
		t.Parallel()
		h := &handler{srv: srv, pool: flowsPool, totp: totpSecret, wrong: 3}
		c, _ := newClient(t, srv, flowsPool, variants[0], func(o *flows.Options) { o.Handler = h })
		_, err := c.Login(context.Background(), "sms-public-username", password)
		var cm *types.CodeMismatchException
		if !errors.As(err, &cm) || len(h.seen) != 3 {
			t.Fatalf("error %v after %d answers, want a *types.CodeMismatchException after 3", err, len(h.seen))
		}
		if strings.Contains(err.Error(), "000000") {
			t.Errorf("the error quotes the code: %v", err)
		}
	})
}

func TestNewPasswordRequired(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := "newpw-" + v.name + "-" + by
		h := &handler{newPass: newPassword, attrs: map[string]string{"name": "New User"}}
		c, rec := newClient(t, srv, flowsPool, v, func(o *flows.Options) { o.Handler = h })
		typed := loginName(name, by)
		res, err := c.Login(context.Background(), typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		checkSecretHashes(t, rec, v, typed)
		if len(h.seen) != 1 {
			t.Fatalf("handler saw %q", h.names())
		}
		ch := h.seen[0]
		if !slices.Equal(ch.RequiredAttributes, []string{"name"}) || ch.UserAttributes["email"] != name+"@example.com" {
			t.Errorf("NEW_PASSWORD_REQUIRED parsed as %q, %q", ch.RequiredAttributes, ch.UserAttributes)
		}
		calls := rec.reset()
		if r := calls[len(calls)-1].params; r["userAttributes.name"] != "New User" || r["NEW_PASSWORD"] != newPassword {
			t.Errorf("NEW_PASSWORD_REQUIRED responses lack the attribute or the password")
		}

		// The new password works, the old one not.
		if res, err := c.Login(context.Background(), typed, newPassword); err != nil {
			t.Fatal(err)
		} else {
			checkTokens(t, res, name)
		}
		var nae *types.NotAuthorizedException
		if _, err := c.Login(context.Background(), typed, password); !errors.As(err, &nae) {
			t.Errorf("old password: %v", err)
		}
	})
}

func TestMFASetup(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := "setup-" + v.name + "-" + by
		h := &handler{srv: srv, pool: setupPool}
		c, rec := newClient(t, srv, setupPool, v, func(o *flows.Options) { o.Handler = h })
		typed := loginName(name, by)
		res, err := c.Login(context.Background(), typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER",
			"AssociateSoftwareToken", "VerifySoftwareToken", "RespondToAuthChallenge MFA_SETUP")
		checkSecretHashes(t, rec, v, typed)
		if len(h.seen) != 1 || h.seen[0].SecretCode == "" || !slices.Contains(h.seen[0].Options, "SOFTWARE_TOKEN_MFA") {
			t.Fatalf("handler saw %+v", h.seen)
		}

		// The next sign-in asks for a code of the secret just set up.
		h2 := &handler{srv: srv, pool: setupPool, totp: h.totp}
		res, err = c.Login(context.Background(), typed, password, func(o *flows.Options) { o.Handler = h2 })
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		if got := h2.names(); !slices.Equal(got, []string{"SOFTWARE_TOKEN_MFA"}) {
			t.Errorf("second sign-in: handler saw %q", got)
		}
	})
}

func TestCustomAuth(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		h := &handler{}
		c, rec := newClient(t, srv, flowsPool, v, func(o *flows.Options) { o.Handler = h })
		typed := loginName("alice", by)

		res, err := c.LoginCustom(context.Background(), typed, password, func(o *flows.Options) { o.ClientMetadata = map[string]string{"k": "v"} })
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, "alice")
		checkOps(t, rec, "InitiateAuth CUSTOM_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge CUSTOM_CHALLENGE")
		checkSecretHashes(t, rec, v, typed)
		if calls := rec.reset(); calls[0].params["CHALLENGE_NAME"] != "SRP_A" || calls[0].params["SRP_A"] == "" {
			t.Errorf("CUSTOM_AUTH with SRP parameters: %q", slices.Sorted(mapKeys(calls[0].params)))
		}

		// Without a password: the custom challenge only.
		res, err = c.LoginCustom(context.Background(), typed, "")
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, "alice")
		checkOps(t, rec, "InitiateAuth CUSTOM_AUTH", "RespondToAuthChallenge CUSTOM_CHALLENGE")
		checkSecretHashes(t, rec, v, typed)
	})
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestUserAuth(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	t.Run("PASSWORD_SRP", func(t *testing.T) {
		t.Parallel()
		forEachVariant(t, func(t *testing.T, v variant, by string) {
			c, rec := newClient(t, srv, flowsPool, v)
			typed := loginName("alice", by)
			res, err := c.LoginUserAuth(context.Background(), typed, password)
			if err != nil {
				t.Fatal(err)
			}
			checkTokens(t, res, "alice")
			checkOps(t, rec, "InitiateAuth USER_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER")
			checkSecretHashes(t, rec, v, typed)
			if p := rec.reset()[0].params; p["PREFERRED_CHALLENGE"] != "PASSWORD_SRP" || p["SRP_A"] == "" {
				t.Errorf("USER_AUTH parameters: %q", slices.Sorted(mapKeys(p)))
			}
		})
	})
	for _, otp := range []string{"EMAIL_OTP", "SMS_OTP"} {
		t.Run(otp, func(t *testing.T) {
			t.Parallel()
			forEachVariant(t, func(t *testing.T, v variant, by string) {
				h := &handler{srv: srv, pool: flowsPool, choice: otp}
				c, rec := newClient(t, srv, flowsPool, v, func(o *flows.Options) { o.Handler = h })
				name := vname("otp"+strings.ToLower(strings.TrimSuffix(otp, "_OTP")), v, by)
				typed := loginName(name, by)
				res, err := c.LoginUserAuth(context.Background(), typed, "")
				if err != nil {
					t.Fatal(err)
				}
				checkTokens(t, res, name)
				checkOps(t, rec, "InitiateAuth USER_AUTH", "RespondToAuthChallenge SELECT_CHALLENGE", "RespondToAuthChallenge "+otp)
				checkSecretHashes(t, rec, v, typed)
				if got := h.names(); !slices.Equal(got, []string{"SELECT_CHALLENGE", otp}) {
					t.Errorf("handler saw %q", got)
				}
				if !slices.Contains(h.seen[0].Options, "PASSWORD_SRP") {
					t.Errorf("SELECT_CHALLENGE options %q", h.seen[0].Options)
				}
			})
		})
	}
	t.Run("select PASSWORD_SRP without password", func(t *testing.T) {
		t.Parallel()
		h := &handler{choice: "PASSWORD_SRP"}
		c, _ := newClient(t, srv, flowsPool, variants[0], func(o *flows.Options) { o.Handler = h })
		_, err := c.LoginUserAuth(context.Background(), "alice", "")
		if !errors.Is(err, flows.ErrNoPassword) {
			t.Fatalf("error %v, want ErrNoPassword", err)
		}
	})
}

// TestDevices signs in three times: the first sign-in asks for MFA and
// remembers the device; the others authenticate the device instead, also
// under the other name of the user.
func TestDevices(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := "dev-" + v.name + "-" + by
		store := flows.NewFileStore(filepath.Join(t.TempDir(), "devices.json"))
		h := &handler{totp: totpSecret}
		c, rec := newClient(t, srv, devicePool, v, func(o *flows.Options) {
			o.Handler = h
			o.DeviceStore = store
			o.DeviceName = "test device"
		})
		ctx := context.Background()
		typed := loginName(name, by)
		other := loginName(name, map[string]string{"alias": "username", "username": "alias"}[by])

		res, err := c.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER",
			"RespondToAuthChallenge SOFTWARE_TOKEN_MFA", "ConfirmDevice")
		checkSecretHashes(t, rec, v, typed)
		rec.reset()
		d := res.Device
		if d == nil || d.Username != name || d.UserPoolID != devicePool || d.DevicePassword == "" {
			t.Fatalf("Result.Device = %v", d)
		}
		if res.DeviceEvent != flows.DeviceConfirmed || res.DeviceForgotten {
			t.Errorf("first sign-in: DeviceEvent %v, DeviceForgotten %v", res.DeviceEvent, res.DeviceForgotten)
		}
		if stored, err := store.Get(ctx, devicePool, typed); err != nil || stored == nil || stored.DeviceKey != d.DeviceKey {
			t.Fatalf("stored device %v, %v", stored, err)
		}
		if n := srv.DeviceCount(devicePool, name); n != 1 {
			t.Errorf("server has %d confirmed devices, want 1", n)
		}
		gd, err := srv.Client().GetDevice(ctx, &cip.GetDeviceInput{AccessToken: res.AuthenticationResult.AccessToken, DeviceKey: aws.String(d.DeviceKey)})
		if err != nil {
			t.Fatal(err)
		}
		attrs := map[string]string{}
		for _, a := range gd.Device.DeviceAttributes {
			attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		if attrs["device_name"] != "test device" || attrs["dev:device_remembered_status"] != "remembered" {
			t.Errorf("device attributes %q", attrs)
		}
		if strings.Contains(d.String(), d.DevicePassword) {
			t.Errorf("Device.String leaks the device password")
		}

		// Same name again: device authentication instead of MFA.
		for i, n := range []string{typed, other, other} {
			res, err = c.Login(ctx, n, password)
			if err != nil {
				t.Fatal(err)
			}
			checkTokens(t, res, name)
			checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER",
				"RespondToAuthChallenge DEVICE_SRP_AUTH", "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER")
			checkSecretHashes(t, rec, v, n)
			calls := rec.reset()
			// The first sign-in under the other name finds the device only
			// once Cognito names the user; the next one by the alias.
			_, initKey := calls[0].params["DEVICE_KEY"]
			if want := i != 1 || by == "alias"; initKey != want {
				t.Errorf("sign-in %d as %q: DEVICE_KEY in InitiateAuth: %v, want %v", i, n, initKey, want)
			}
			for _, c := range calls[1:] {
				if c.params["DEVICE_KEY"] != d.DeviceKey {
					t.Errorf("%s without DEVICE_KEY", c.challenge)
				}
			}
			if calls[2].params["SRP_A"] == calls[0].params["SRP_A"] {
				t.Error("DEVICE_SRP_AUTH reused the password sign-in's SRP_A")
			}
			if res.Device == nil || res.Device.DeviceKey != d.DeviceKey || res.DeviceEvent != flows.DeviceAuthenticated {
				t.Errorf("Result.Device = %v, DeviceEvent %v", res.Device, res.DeviceEvent)
			}
		}
		if len(h.seen) != 1 {
			t.Errorf("handler saw %q, want MFA only on the first sign-in", h.names())
		}
		if n := srv.DeviceCount(devicePool, name); n != 1 {
			t.Errorf("server has %d confirmed devices, want 1", n)
		}
	})
}

func TestDevicesOptIn(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := "optin-" + v.name + "-" + by
		typed := loginName(name, by)
		ctx := context.Background()
		store := flows.NewMemoryStore()
		h := &handler{totp: totpSecret}
		c, rec := newClient(t, srv, optInPool, v, func(o *flows.Options) {
			o.Handler = h
			o.DeviceStore = store
			o.RememberDevices = flows.RememberNever
		})

		// The policy says no: nothing is confirmed or stored.
		res, err := c.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		if d, _ := store.Get(ctx, optInPool, typed); d != nil || res.Device != nil {
			t.Fatalf("device remembered against the policy: %v", d)
		}
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA")
		rec.reset()

		// This sign-in asks to remember the device: it is confirmed and
		// marked remembered, as the pool leaves that to the user.
		res, err = c.Login(ctx, typed, password, func(o *flows.Options) { o.RememberDevices = flows.RememberAlways })
		if err != nil {
			t.Fatal(err)
		}
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
			"ConfirmDevice", "UpdateDeviceStatus remembered")
		rec.reset()
		if res.Device == nil {
			t.Fatal("no device remembered")
		}

		res, err = c.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		if res.DeviceEvent != flows.DeviceAuthenticated {
			t.Errorf("DeviceEvent %v, want Authenticated", res.DeviceEvent)
		}
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER",
			"RespondToAuthChallenge DEVICE_SRP_AUTH", "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER")
		if len(h.seen) != 2 {
			t.Errorf("handler saw %q, want MFA on the first two sign-ins only", h.names())
		}
	})
}

// TestForgottenDevice has Cognito forget a stored device behind the
// client's back: the next sign-in is refused the device, forgets it and
// signs in again without it, remembering a new one.
func TestForgottenDevice(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := "forget-" + v.name + "-" + by
		typed := loginName(name, by)
		ctx := context.Background()
		store := flows.NewMemoryStore()
		h := &handler{totp: totpSecret}
		c, rec := newClient(t, srv, devicePool, v, func(o *flows.Options) {
			o.Handler = h
			o.DeviceStore = store
		})
		res, err := c.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		old := res.Device
		if old == nil {
			t.Fatal("no device")
		}
		if _, err := srv.Client().ForgetDevice(ctx, &cip.ForgetDeviceInput{
			AccessToken: res.AuthenticationResult.AccessToken,
			DeviceKey:   aws.String(old.DeviceKey),
		}); err != nil {
			t.Fatal(err)
		}
		rec.reset()

		res, err = c.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER error",
			"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA", "ConfirmDevice")
		calls := rec.reset()
		var rnf *types.ResourceNotFoundException
		if !errors.As(calls[1].err, &rnf) {
			t.Errorf("first attempt failed with %v, want ResourceNotFoundException", calls[1].err)
		}
		if _, ok := calls[2].params["DEVICE_KEY"]; ok {
			t.Error("the retry offered the forgotten device again")
		}
		if res.Device == nil || res.Device.DeviceKey == old.DeviceKey {
			t.Fatalf("Result.Device = %v, want a new device", res.Device)
		}
		if !res.DeviceForgotten || res.DeviceEvent != flows.DeviceConfirmed {
			t.Errorf("DeviceForgotten %v, DeviceEvent %v, want true and Confirmed", res.DeviceForgotten, res.DeviceEvent)
		}
		if d, _ := store.Get(ctx, devicePool, typed); d == nil || d.DeviceKey != res.Device.DeviceKey {
			t.Errorf("stored device %v, want the new one", d)
		}

		// Client.ForgetDevice forgets it on both sides.
		if err := c.ForgetDevice(ctx, *res.AuthenticationResult.AccessToken, res.Device); err != nil {
			t.Fatal(err)
		}
		if d, _ := store.Get(ctx, devicePool, typed); d != nil {
			t.Errorf("device still stored after ForgetDevice: %v", d)
		}
		if n := srv.DeviceCount(devicePool, name); n != 0 {
			t.Errorf("server still has %d devices", n)
		}
	})
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := "refresh-" + v.name + "-" + by
		typed := loginName(name, by)
		ctx := context.Background()
		store := flows.NewMemoryStore()
		c, rec := newClient(t, srv, devicePool, v, func(o *flows.Options) {
			o.Handler = &handler{totp: totpSecret}
			o.DeviceStore = store
		})
		res, err := c.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		rt := *res.AuthenticationResult.RefreshToken
		for _, n := range []string{res.Username, typed} {
			rec.reset()
			ref, err := c.Refresh(ctx, n, rt)
			if err != nil {
				t.Fatalf("Refresh(%q): %v", n, err)
			}
			checkTokens(t, ref, name)
			if *ref.AuthenticationResult.AccessToken == *res.AuthenticationResult.AccessToken {
				t.Error("Refresh returned the old access token")
			}
			calls := rec.reset()
			if len(calls) != 1 || calls[0].op != "GetTokensFromRefreshToken" || calls[0].params["DeviceKey"] != res.Device.DeviceKey {
				t.Fatalf("refresh calls %+v, want one GetTokensFromRefreshToken with the device key", calls)
			}
			// The secret itself, not a SECRET_HASH.
			if got, ok := calls[0].params["ClientSecret"]; got != v.secret || ok != (v.secret != "") {
				t.Errorf("ClientSecret %q (sent: %v), want %q", got, ok, v.secret)
			}
			if ref.AuthenticationResult.RefreshToken != nil {
				t.Error("a refresh token came back from a client without rotation")
			}
		}

		// REFRESH_TOKEN_AUTH, as an option.
		rec.reset()
		ref, err := c.Refresh(ctx, typed, rt, func(o *flows.Options) { o.RefreshWith = flows.RefreshTokenAuth })
		if err != nil {
			t.Fatalf("Refresh with RefreshTokenAuth: %v", err)
		}
		checkTokens(t, ref, name)
		calls := rec.reset()
		if len(calls) != 1 || calls[0].flow != types.AuthFlowTypeRefreshTokenAuth || calls[0].params["DEVICE_KEY"] != res.Device.DeviceKey {
			t.Errorf("refresh calls %+v, want REFRESH_TOKEN_AUTH with DEVICE_KEY", calls)
		}
		if v.secret != "" && calls[0].params["SECRET_HASH"] != secrethash.Compute(clientID(devicePool, v), v.secret, res.Username) {
			t.Errorf("SECRET_HASH %q", calls[0].params["SECRET_HASH"])
		}

		// Without a device store, by the internal user name.
		c2, _ := newClient(t, srv, flowsPool, v)
		res2, err := c2.Login(ctx, loginName("alice", by), password)
		if err != nil {
			t.Fatal(err)
		}
		ref, err = c2.Refresh(ctx, res2.Username, *res2.AuthenticationResult.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, ref, "alice")

		for _, m := range []flows.RefreshMethod{flows.RefreshGetTokens, flows.RefreshTokenAuth} {
			var nae *types.NotAuthorizedException
			_, err := c2.Refresh(ctx, "alice", "not-a-refresh-token", func(o *flows.Options) { o.RefreshWith = m })
			if !errors.As(err, &nae) || !errors.Is(err, flows.ErrSignInRequired) {
				t.Errorf("%v: bad refresh token: %v, want ErrSignInRequired and the NotAuthorizedException", m, err)
			}
		}
	})
}

func TestSessionOptional(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	rec := &recorder{api: srv.Client(), stripSession: true}
	c, err := flows.New(rec, flowsPool, clientID(flowsPool, variants[1]), func(o *flows.Options) { o.ClientSecret = variants[1].secret })
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Login(context.Background(), "alice@example.com", password)
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, res, "alice")
	if calls := rec.reset(); calls[1].session {
		t.Error("a Session was sent that Cognito did not give")
	}
}

func TestContext(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		c, rec := newClient(t, srv, flowsPool, variants[0])
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := c.Login(ctx, "alice", password)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error %v, want context.DeadlineExceeded", err)
		}
		if calls := rec.reset(); len(calls) > 1 {
			t.Errorf("%d calls after the deadline", len(calls))
		}
	})
	t.Run("during handler", func(t *testing.T) {
		t.Parallel()
		// The deadline passes while the user is being asked for a code.
		ctx := newManualDeadline()
		h := flows.ChallengeHandlerFunc(func(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
			ctx.(*manualDeadline).expire()
			<-ctx.Done()
			return flows.Answer{}, ctx.Err()
		})
		c, rec := newClient(t, srv, flowsPool, variants[0], func(o *flows.Options) { o.Handler = h })
		_, err := c.Login(ctx, "totp-public-username", password)
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER")
		var ce *flows.ChallengeError
		if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypeSoftwareTokenMfa {
			t.Fatalf("error %v, want context.DeadlineExceeded in SOFTWARE_TOKEN_MFA", err)
		}
	})
	t.Run("canceled file store", func(t *testing.T) {
		t.Parallel()
		store := flows.NewFileStore(filepath.Join(t.TempDir(), "d.json"))
		c, _ := newClient(t, srv, flowsPool, variants[0], func(o *flows.Options) { o.DeviceStore = store })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := c.Login(ctx, "alice", password); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
	})
}

// manualDeadline is a context whose deadline passes when expire is
// called, so that a test can make it pass at a chosen step.
type manualDeadline struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newManualDeadline() *manualDeadline {
	return &manualDeadline{Context: context.Background(), done: make(chan struct{})}
}

func (c *manualDeadline) expire()                     { c.once.Do(func() { close(c.done) }) }
func (c *manualDeadline) Done() <-chan struct{}       { return c.done }
func (c *manualDeadline) Deadline() (time.Time, bool) { return time.Now().Add(time.Hour), true }
func (c *manualDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestChallengeLoopLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	h := &handler{totp: totpSecret}
	c, rec := newClient(t, srv, flowsPool, variants[0], func(o *flows.Options) {
		o.Handler = h
		o.MaxChallenges = 1
	})
	_, err := c.Login(context.Background(), "totp-public-username", password)
	if !errors.Is(err, flows.ErrChallengeLoop) {
		t.Fatalf("error %v, want ErrChallengeLoop", err)
	}
	checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER")
}

func TestNoHandler(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, _ := newClient(t, srv, flowsPool, variants[1])
	_, err := c.Login(context.Background(), "sms-secret-username", password)
	var ce *flows.ChallengeError
	if !errors.Is(err, flows.ErrNoHandler) || !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("error %v, want ErrNoHandler in SMS_MFA", err)
	}
}

// TestClock runs the server two hours ahead: only a client whose Clock
// agrees signs in, since Cognito checks the TIMESTAMP.
func TestClock(t *testing.T) {
	t.Parallel()
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	srv := newServer(t, cognitotest.WithClock(later))
	c, _ := newClient(t, srv, flowsPool, variants[0], func(o *flows.Options) { o.Clock = later })
	res, err := c.Login(context.Background(), "alice", password)
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, res, "alice")

	c, _ = newClient(t, srv, flowsPool, variants[0])
	var nae *types.NotAuthorizedException
	if _, err := c.Login(context.Background(), "alice", password); !errors.As(err, &nae) {
		t.Fatalf("TIMESTAMP two hours off: %v, want NotAuthorizedException", err)
	}
}

// TestUserAgent checks, in front of the server, that every call carries
// our user agent key and the caller's own options.
func TestUserAgent(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	var mu sync.Mutex
	var agents []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		mu.Unlock()
		srv.Handler().ServeHTTP(w, r)
	}))
	defer front.Close()
	api := srv.Client(func(o *cip.Options) { o.BaseEndpoint = aws.String(front.URL) })
	appID := func(o *cip.Options) { o.AppID = "flowstest" }
	c, err := flows.New(api, devicePool, clientID(devicePool, variants[0]), func(o *flows.Options) {
		o.ClientOptions = []func(*cip.Options){appID}
		o.Handler = &handler{totp: totpSecret}
		o.DeviceStore = flows.NewMemoryStore()
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), "conc-public-username", password); err != nil {
		t.Fatal(err)
	}
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		a := agents
		agents = nil
		return a
	}
	first := got()
	if len(first) != 4 { // InitiateAuth, PASSWORD_VERIFIER, SOFTWARE_TOKEN_MFA, ConfirmDevice
		t.Errorf("%d requests, want 4", len(first))
	}
	for _, ua := range first {
		if !strings.Contains(ua, "cognitosrp/") || !strings.Contains(ua, "app/flowstest") {
			t.Errorf("User-Agent %q lacks cognitosrp/ or app/flowstest", ua)
		}
	}

	// A sign-in's own client options come last.
	perLogin := func(o *flows.Options) {
		o.ClientOptions = append(o.ClientOptions, func(o *cip.Options) { o.AppID = "perlogin" })
	}
	if _, err := c.Login(context.Background(), "conc-public-username", password, perLogin); err != nil {
		t.Fatal(err)
	}
	for _, ua := range got() {
		if !strings.Contains(ua, "cognitosrp/") || !strings.Contains(ua, "app/perlogin") {
			t.Errorf("User-Agent %q lacks cognitosrp/ or app/perlogin", ua)
		}
	}
}

// TestConcurrentLogins shares one Client and one FileStore among
// goroutines, for the race detector.
func TestConcurrentLogins(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	store := flows.NewFileStore(filepath.Join(t.TempDir(), "devices.json"))
	c, _ := newClient(t, srv, devicePool, variants[1], func(o *flows.Options) {
		o.Handler = &handler{totp: totpSecret}
		o.DeviceStore = store
	})
	var wg sync.WaitGroup
	for _, u := range perVariant("conc") {
		for _, by := range bys {
			wg.Go(func() {
				for range 2 {
					res, err := c.Login(context.Background(), loginName(u.Username, by), password)
					if err != nil {
						t.Error(err)
						return
					}
					if res.Username != u.Username {
						t.Errorf("Username %q, want %q", res.Username, u.Username)
					}
				}
			})
		}
	}
	wg.Wait()
	for _, u := range perVariant("conc") {
		if d, err := store.Get(context.Background(), devicePool, u.Username); err != nil || d == nil {
			t.Errorf("no device stored for %s: %v", u.Username, err)
		}
	}
}

// failingConfirm makes ConfirmDevice or UpdateDeviceStatus fail.
type failingConfirm struct {
	*recorder
	op string
}

var errInjected = errors.New("injected failure")

func (f *failingConfirm) ConfirmDevice(ctx context.Context, in *cip.ConfirmDeviceInput, optFns ...func(*cip.Options)) (*cip.ConfirmDeviceOutput, error) {
	if f.op == "ConfirmDevice" {
		return nil, errInjected
	}
	return f.recorder.ConfirmDevice(ctx, in, optFns...)
}

func (f *failingConfirm) UpdateDeviceStatus(ctx context.Context, in *cip.UpdateDeviceStatusInput, optFns ...func(*cip.Options)) (*cip.UpdateDeviceStatusOutput, error) {
	if f.op == "UpdateDeviceStatus" {
		return nil, errInjected
	}
	return f.recorder.UpdateDeviceStatus(ctx, in, optFns...)
}

// TestDeviceNotConfirmed checks that a device is stored only once Cognito
// confirmed and remembered it, and that the tokens still come back.
func TestDeviceNotConfirmed(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	for _, op := range []string{"ConfirmDevice", "UpdateDeviceStatus"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			store := flows.NewMemoryStore()
			v := variants[0]
			api := &failingConfirm{recorder: &recorder{api: srv.Client()}, op: op}
			c, err := flows.New(api, optInPool, clientID(optInPool, v), func(o *flows.Options) {
				o.Handler = &handler{totp: totpSecret}
				o.DeviceStore = store
			})
			if err != nil {
				t.Fatal(err)
			}
			name := "optin-public-username"
			if op == "UpdateDeviceStatus" {
				name = "optin-public-alias"
			}
			res, err := c.Login(context.Background(), name, password)
			var de *flows.DeviceError
			if !errors.As(err, &de) || de.Op != op || !errors.Is(err, errInjected) {
				t.Fatalf("error %v, want a *DeviceError of %s", err, op)
			}
			checkTokens(t, res, name)
			if res.Device != nil {
				t.Errorf("Result.Device = %v", res.Device)
			}
			if d, _ := store.Get(context.Background(), optInPool, name); d != nil {
				t.Errorf("half-confirmed device stored: %v", d)
			}
		})
	}
}

// TestMovedAlias stores a device under an alias that, on the server,
// belongs to another user: the sign-in by that alias notices, once Cognito
// names the user, and takes the alias off the other user's record, which it
// keeps.
func TestMovedAlias(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := context.Background()
	store := flows.NewMemoryStore()
	other := &flows.Device{
		UserPoolID: devicePool, Username: "someone-else", Aliases: []string{"dev-public-username@example.com", "keep@example.com"},
		DeviceKey: "us-east-1_00000000-0000-0000-0000-000000000000", DeviceGroupKey: "g", DevicePassword: "p",
	}
	if err := store.Put(ctx, other); err != nil {
		t.Fatal(err)
	}
	c, rec := newClient(t, srv, devicePool, variants[0], func(o *flows.Options) {
		o.Handler = &handler{totp: totpSecret}
		o.DeviceStore = store
	})
	res, err := c.Login(ctx, "dev-public-username@example.com", password)
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, res, "dev-public-username")
	// The stale device went out with InitiateAuth, but not with
	// PASSWORD_VERIFIER, which named another user. The emulator, like
	// Cognito may, holds the session to the first DEVICE_KEY and refuses
	// it, so the sign-in is retried without a device.
	checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER error",
		"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA", "ConfirmDevice")
	calls := rec.reset()
	if calls[0].params["DEVICE_KEY"] != other.DeviceKey {
		t.Errorf("InitiateAuth DEVICE_KEY %q", calls[0].params["DEVICE_KEY"])
	}
	if _, ok := calls[1].params["DEVICE_KEY"]; ok {
		t.Error("PASSWORD_VERIFIER offered another user's device")
	}
	d, _ := store.Get(ctx, devicePool, "dev-public-username@example.com")
	if d == nil || d.Username != "dev-public-username" || d.DeviceKey != res.Device.DeviceKey {
		t.Errorf("the alias finds %v, want the new device", d)
	}
	d, _ = store.Get(ctx, devicePool, "someone-else")
	if d == nil || !slices.Equal(d.Aliases, []string{"keep@example.com"}) {
		t.Errorf("stale record %v, want it kept without the moved alias", d)
	}
}
