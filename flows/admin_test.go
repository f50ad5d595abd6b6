package flows_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/secrethash"
)

// adminPool has device tracking "always", optional MFA, and app clients
// that allow ADMIN_USER_PASSWORD_AUTH besides SRP and refresh.
const adminPool = "us-east-1_Admin"

// adminAccessKey is the made-up access key of the admin tests' SDK client.
const adminAccessKey = "AKIDFLOWSADMINTEST"

var adminCredentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: adminAccessKey, SecretAccessKey: "flows-admin-test-made-up-secret", Source: "flows test"}, nil
})

func newPasswordUser(u *cognitotest.User) {
	u.Status = "FORCE_CHANGE_PASSWORD"
	u.RequiredAttributes = []string{"name"}
}

// newAdminServer starts a server with testConfig and adminPool.
func newAdminServer(t *testing.T) *cognitotest.Server {
	t.Helper()
	cfg := testConfig()
	var clients []cognitotest.AppClient
	for _, v := range variants {
		clients = append(clients, cognitotest.AppClient{
			ID: clientID(adminPool, v), Secret: v.secret,
			ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		})
	}
	var users []cognitotest.User
	for _, p := range []string{"adev", "apwdev", "areq"} {
		users = append(users, perVariant(p, withTOTP)...)
	}
	users = append(users, perVariant("arefresh")...)
	users = append(users, perVariant("awrong")...)
	users = append(users, perVariant("anewpw", newPasswordUser)...)
	users = append(users, perVariant("anewpwpw", newPasswordUser)...)
	cfg.UserPools = append(cfg.UserPools, cognitotest.UserPool{
		ID: adminPool, DeviceTracking: "always", MFA: "OPTIONAL", Clients: clients, Users: users,
	})
	srv := cognitotest.NewServer(cfg, cognitotest.WithSigningKey(signingKey()))
	t.Cleanup(srv.Close)
	return srv
}

// wireCall is one request that the SDK client sent, as seen on the wire.
type wireCall struct {
	op        string // from X-Amz-Target, such as "AdminInitiateAuth"
	auth      string // the Authorization header
	poolID    string // UserPoolId
	clientID  string // ClientId
	flow      string // AuthFlow
	challenge string // ChallengeName
	params    map[string]string
	status    int
}

// signed reports whether the call carried a SigV4 signature with the test's
// access key, for Cognito in the test region.
func (c wireCall) signed() bool {
	return strings.HasPrefix(c.auth, "AWS4-HMAC-SHA256 Credential="+adminAccessKey+"/") &&
		strings.Contains(c.auth, "/"+region+"/cognito-idp/aws4_request") &&
		strings.Contains(c.auth, "Signature=")
}

// wire is an http.RoundTripper that records the requests of an SDK client.
type wire struct {
	mu    sync.Mutex
	calls []wireCall
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	var in struct {
		UserPoolId, ClientId, AuthFlow, ChallengeName string
		AuthParameters, ChallengeResponses            map[string]string
	}
	_ = json.Unmarshal(body, &in) // not every operation has these fields
	c := wireCall{
		op:   strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService."),
		auth: req.Header.Get("Authorization"), poolID: in.UserPoolId, clientID: in.ClientId,
		flow: in.AuthFlow, challenge: in.ChallengeName, params: in.AuthParameters,
	}
	if c.params == nil {
		c.params = in.ChallengeResponses
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if resp != nil {
		c.status = resp.StatusCode
	}
	w.mu.Lock()
	w.calls = append(w.calls, c)
	w.mu.Unlock()
	return resp, err
}

// take returns the calls so far and forgets them.
func (w *wire) take() []wireCall {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := w.calls
	w.calls = nil
	return c
}

// ops describes calls like recorder.ops: "AdminInitiateAuth USER_SRP_AUTH",
// "AdminRespondToAuthChallenge PASSWORD_VERIFIER error".
func ops(calls []wireCall) []string {
	var s []string
	for _, c := range calls {
		o := c.op
		if c.flow != "" {
			o += " " + c.flow
		}
		if c.challenge != "" {
			o += " " + c.challenge
		}
		if c.status != http.StatusOK {
			o += " error"
		}
		s = append(s, o)
	}
	return s
}

// checkAdminCalls checks that the calls were want, that every admin call
// was signed and named the pool and the app client, and that the sign-in
// calls carried the SECRET_HASH of their USERNAME (none without a secret).
func checkAdminCalls(t *testing.T, calls []wireCall, pool string, v variant, want ...string) {
	t.Helper()
	if got := ops(calls); !slices.Equal(got, want) {
		t.Errorf("calls:\n got %s\nwant %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	for _, c := range calls {
		if !strings.HasPrefix(c.op, "Admin") {
			continue
		}
		if !c.signed() {
			t.Errorf("%s %s%s: not signed with the SDK client's credentials (Authorization %q)", c.op, c.flow, c.challenge, c.auth)
		}
		if c.poolID != pool || c.clientID != clientID(pool, v) {
			t.Errorf("%s: UserPoolId %q, ClientId %q", c.op, c.poolID, c.clientID)
		}
		if c.flow == "REFRESH_TOKEN_AUTH" {
			continue
		}
		got, ok := c.params["SECRET_HASH"]
		if v.secret == "" {
			if ok {
				t.Errorf("%s: SECRET_HASH without a client secret", c.op)
			}
		} else if want := secrethash.Compute(clientID(pool, v), v.secret, c.params["USERNAME"]); got != want {
			t.Errorf("%s %s%s: SECRET_HASH is not that of USERNAME %q", c.op, c.flow, c.challenge, c.params["USERNAME"])
		}
	}
}

// newAdminClient returns a Client from NewAdmin over an SDK client with
// made-up credentials, whose requests w records.
func newAdminClient(t *testing.T, srv *cognitotest.Server, pool string, v variant, optFns ...func(*flows.Options)) (*flows.Client, *wire) {
	t.Helper()
	w := &wire{}
	api := srv.Client(func(o *cip.Options) {
		o.Credentials = adminCredentials
		o.HTTPClient = &http.Client{Transport: w, Timeout: 30 * time.Second}
	})
	fns := append([]func(*flows.Options){func(o *flows.Options) { o.ClientSecret = v.secret }}, optFns...)
	c, err := flows.NewAdmin(api, pool, clientID(pool, v), fns...)
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

// TestAdminDeviceAndMFAAcrossClients: an admin SRP sign-in stops at TOTP
// MFA; another Client, over another SDK client, resumes it from the
// serialized Pending and confirms the new device; a third signs in again
// through the remembered device, without MFA. Every sign-in call is an
// admin one, signed.
func TestAdminDeviceAndMFAAcrossClients(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := vname("adev", v, by)
		typed := loginName(name, by)
		ctx := context.Background()
		store := flows.NewMemoryStore()
		opts := func(o *flows.Options) { o.DeviceStore = store }

		c1, w1 := newAdminClient(t, srv, adminPool, v, opts)
		step, err := c1.Start(ctx, flows.UserSRP{Username: typed, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		if step.Done() || step.Pending.Challenge.Name != types.ChallengeNameTypeSoftwareTokenMfa {
			t.Fatalf("step %+v, want SOFTWARE_TOKEN_MFA pending", step)
		}
		checkAdminCalls(t, w1.take(), adminPool, v, "AdminInitiateAuth USER_SRP_AUTH", "AdminRespondToAuthChallenge PASSWORD_VERIFIER")
		state, err := step.Pending.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(state, []byte(`"admin":true`)) {
			t.Errorf("the serialized Pending does not record the admin sign-in: %s", state)
		}

		c2, w2 := newAdminClient(t, srv, adminPool, v, opts)
		var p flows.Pending
		if err := p.UnmarshalBinary(state); err != nil {
			t.Fatal(err)
		}
		step, err = c2.Resume(ctx, &p, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
		if err != nil {
			t.Fatal(err)
		}
		if !step.Done() {
			t.Fatalf("Resume: %+v, want tokens", step.Pending)
		}
		checkTokens(t, step.Result, name)
		if step.Result.DeviceEvent != flows.DeviceConfirmed || step.Result.Device == nil {
			t.Fatalf("DeviceEvent %v, Device %v: want a confirmed device", step.Result.DeviceEvent, step.Result.Device)
		}
		d := step.Result.Device
		checkAdminCalls(t, w2.take(), adminPool, v, "AdminRespondToAuthChallenge SOFTWARE_TOKEN_MFA", "ConfirmDevice")
		if n := srv.DeviceCount(adminPool, name); n != 1 {
			t.Errorf("server has %d confirmed devices, want 1", n)
		}

		// No Handler: MFA would fail the sign-in with ErrNoHandler.
		c3, w3 := newAdminClient(t, srv, adminPool, v, opts)
		res, err := c3.Login(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		if res.DeviceEvent != flows.DeviceAuthenticated || res.Device == nil || res.Device.DeviceKey != d.DeviceKey {
			t.Errorf("DeviceEvent %v, Device %v: want the remembered device authenticated", res.DeviceEvent, res.Device)
		}
		calls := w3.take()
		checkAdminCalls(t, calls, adminPool, v, "AdminInitiateAuth USER_SRP_AUTH", "AdminRespondToAuthChallenge PASSWORD_VERIFIER",
			"AdminRespondToAuthChallenge DEVICE_SRP_AUTH", "AdminRespondToAuthChallenge DEVICE_PASSWORD_VERIFIER")
		for _, c := range calls {
			if c.params["DEVICE_KEY"] != d.DeviceKey {
				t.Errorf("%s %s%s without DEVICE_KEY", c.op, c.flow, c.challenge)
			}
		}
	})
}

// TestAdminChallenges runs the challenges of the other tests' pools
// through a Client from NewAdmin, with Login and its kin.
func TestAdminChallenges(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	const (
		init    = "AdminInitiateAuth "
		respond = "AdminRespondToAuthChallenge "
	)
	tests := []struct {
		name, prefix, pool string
		user               string // instead of prefix-secret-alias
		choice             string
		login              func(c *flows.Client, ctx context.Context, user string) (*flows.Result, error)
		seen               []string
		calls              []string
	}{
		{name: "totp", prefix: "totp", pool: flowsPool,
			seen:  []string{"SOFTWARE_TOKEN_MFA"},
			calls: []string{init + "USER_SRP_AUTH", respond + "PASSWORD_VERIFIER", respond + "SOFTWARE_TOKEN_MFA"}},
		{name: "sms", prefix: "sms", pool: flowsPool,
			seen:  []string{"SMS_MFA"},
			calls: []string{init + "USER_SRP_AUTH", respond + "PASSWORD_VERIFIER", respond + "SMS_MFA"}},
		{name: "email", prefix: "emailmfa", pool: flowsPool,
			seen:  []string{"EMAIL_OTP"},
			calls: []string{init + "USER_SRP_AUTH", respond + "PASSWORD_VERIFIER", respond + "EMAIL_OTP"}},
		{name: "select", prefix: "multitotp", pool: flowsPool, choice: "SOFTWARE_TOKEN_MFA",
			seen:  []string{"SELECT_MFA_TYPE", "SOFTWARE_TOKEN_MFA"},
			calls: []string{init + "USER_SRP_AUTH", respond + "PASSWORD_VERIFIER", respond + "SELECT_MFA_TYPE", respond + "SOFTWARE_TOKEN_MFA"}},
		{name: "setup", prefix: "setup", pool: setupPool,
			seen:  []string{"MFA_SETUP"},
			calls: []string{init + "USER_SRP_AUTH", respond + "PASSWORD_VERIFIER", "AssociateSoftwareToken", "VerifySoftwareToken", respond + "MFA_SETUP"}},
		{name: "newpassword", prefix: "newpw", pool: flowsPool,
			seen:  []string{"NEW_PASSWORD_REQUIRED"},
			calls: []string{init + "USER_SRP_AUTH", respond + "PASSWORD_VERIFIER", respond + "NEW_PASSWORD_REQUIRED"}},
		{name: "custom", user: "alice", pool: flowsPool,
			login: func(c *flows.Client, ctx context.Context, user string) (*flows.Result, error) {
				return c.LoginCustom(ctx, user, password)
			},
			seen:  []string{"CUSTOM_CHALLENGE"},
			calls: []string{init + "CUSTOM_AUTH", respond + "PASSWORD_VERIFIER", respond + "CUSTOM_CHALLENGE"}},
		{name: "passwordless", prefix: "otpemail", pool: flowsPool, choice: "EMAIL_OTP",
			login: func(c *flows.Client, ctx context.Context, user string) (*flows.Result, error) {
				return c.LoginUserAuth(ctx, user, "")
			},
			seen:  []string{"SELECT_CHALLENGE", "EMAIL_OTP"},
			calls: []string{init + "USER_AUTH", respond + "SELECT_CHALLENGE", respond + "EMAIL_OTP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// One variant and way of signing in each: the users of the
			// others are left to the tests of the plain Client.
			v, by := variants[1], "alias"
			name, typed := vname(tt.prefix, v, by), loginName(vname(tt.prefix, v, by), by)
			if tt.user != "" {
				name, typed = tt.user, tt.user
			}
			ctx := context.Background()
			h := &handler{srv: srv, pool: tt.pool, totp: totpSecret, choice: tt.choice, newPass: newPassword, attrs: map[string]string{"name": "N. Ame"}}
			c, w := newAdminClient(t, srv, tt.pool, v, func(o *flows.Options) { o.Handler = h })
			login := tt.login
			if login == nil {
				login = func(c *flows.Client, ctx context.Context, user string) (*flows.Result, error) {
					return c.Login(ctx, user, password)
				}
			}
			res, err := login(c, ctx, typed)
			if err != nil {
				t.Fatal(err)
			}
			checkTokens(t, res, name)
			if got := h.names(); !slices.Equal(got, tt.seen) {
				t.Errorf("handler saw %q, want %q", got, tt.seen)
			}
			checkAdminCalls(t, w.take(), tt.pool, v, tt.calls...)
		})
	}
}

// TestAdminNewPasswordRequired answers NEW_PASSWORD_REQUIRED of an admin
// sign-in, with SRP through Start and Resume and with
// ADMIN_USER_PASSWORD_AUTH through LoginAdminPassword; the user then signs
// in with the new password, and not with the old.
func TestAdminNewPasswordRequired(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		ctx := context.Background()
		attrs := map[string]string{"name": "N. Ame"}

		// SRP, answered by another Client from the serialized Pending.
		name := vname("anewpw", v, by)
		c, w := newAdminClient(t, srv, adminPool, v)
		step, err := c.Start(ctx, flows.UserSRP{Username: loginName(name, by), Password: password})
		if err != nil {
			t.Fatal(err)
		}
		if step.Done() || step.Pending.Challenge.Name != types.ChallengeNameTypeNewPasswordRequired ||
			!slices.Equal(step.Pending.Challenge.RequiredAttributes, []string{"name"}) {
			t.Fatalf("step %+v, want NEW_PASSWORD_REQUIRED with name required", step)
		}
		state, err := json.Marshal(step.Pending)
		if err != nil {
			t.Fatal(err)
		}
		c2, w2 := newAdminClient(t, srv, adminPool, v)
		var p flows.Pending
		if err := json.Unmarshal(state, &p); err != nil {
			t.Fatal(err)
		}
		step, err = c2.Resume(ctx, &p, flows.Answer{Value: newPassword, UserAttributes: attrs})
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, step.Result, name)
		checkAdminCalls(t, w.take(), adminPool, v, "AdminInitiateAuth USER_SRP_AUTH", "AdminRespondToAuthChallenge PASSWORD_VERIFIER")
		// DEVICE_KEY: the pool tracks devices; no store, so none confirmed.
		checkAdminCalls(t, w2.take(), adminPool, v, "AdminRespondToAuthChallenge NEW_PASSWORD_REQUIRED")

		// ADMIN_USER_PASSWORD_AUTH with a ChallengeHandler.
		name = vname("anewpwpw", v, by)
		h := &handler{newPass: newPassword, attrs: attrs}
		c3, w3 := newAdminClient(t, srv, adminPool, v, func(o *flows.Options) { o.Handler = h })
		res, err := c3.LoginAdminPassword(ctx, loginName(name, by), password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		calls := w3.take()
		checkAdminCalls(t, calls, adminPool, v, "AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH", "AdminRespondToAuthChallenge NEW_PASSWORD_REQUIRED")
		if calls[0].params["PASSWORD"] != password {
			t.Error("ADMIN_USER_PASSWORD_AUTH did not send PASSWORD")
		}

		for _, n := range []string{vname("anewpw", v, by), name} {
			if _, err := c3.LoginAdminPassword(ctx, loginName(n, by), password); !isNotAuthorized(err) {
				t.Errorf("%s with the old password: %v, want NotAuthorizedException", n, err)
			}
			res, err := c3.Login(ctx, loginName(n, by), newPassword)
			if err != nil {
				t.Fatalf("%s with the new password: %v", n, err)
			}
			checkTokens(t, res, n)
		}
		if len(h.seen) != 1 {
			t.Errorf("handler saw %q, want NEW_PASSWORD_REQUIRED once", h.names())
		}
		w3.take()
	})
}

func isNotAuthorized(err error) bool {
	var nae *types.NotAuthorizedException
	return errors.As(err, &nae)
}

// TestAdminPasswordFlowDevice: ADMIN_USER_PASSWORD_AUTH remembers a device
// and then authenticates it (DEVICE_SRP_AUTH through
// AdminRespondToAuthChallenge) instead of MFA.
func TestAdminPasswordFlowDevice(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := vname("apwdev", v, by)
		typed := loginName(name, by)
		ctx := context.Background()
		h := &handler{totp: totpSecret}
		c, w := newAdminClient(t, srv, adminPool, v, func(o *flows.Options) {
			o.DeviceStore = flows.NewMemoryStore()
			o.Handler = h
		})
		res, err := c.LoginAdminPassword(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		if res.DeviceEvent != flows.DeviceConfirmed {
			t.Fatalf("DeviceEvent %v, want Confirmed", res.DeviceEvent)
		}
		checkAdminCalls(t, w.take(), adminPool, v, "AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH", "AdminRespondToAuthChallenge SOFTWARE_TOKEN_MFA", "ConfirmDevice")

		res, err = c.LoginAdminPassword(ctx, typed, password)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, res, name)
		if res.DeviceEvent != flows.DeviceAuthenticated {
			t.Errorf("DeviceEvent %v, want Authenticated", res.DeviceEvent)
		}
		calls := w.take()
		checkAdminCalls(t, calls, adminPool, v, "AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH",
			"AdminRespondToAuthChallenge DEVICE_SRP_AUTH", "AdminRespondToAuthChallenge DEVICE_PASSWORD_VERIFIER")
		if len(calls) > 0 && calls[0].params["DEVICE_KEY"] != res.Device.DeviceKey {
			t.Error("AdminInitiateAuth without the remembered DEVICE_KEY")
		}
		for _, c := range calls[1:] {
			if _, ok := c.params["PASSWORD"]; ok {
				t.Errorf("%s carries the password", c.challenge)
			}
		}
		if len(h.seen) != 1 {
			t.Errorf("handler saw %q, want MFA on the first sign-in only", h.names())
		}
	})
}

// TestAdminRefresh: a Client from NewAdmin refreshes with AdminInitiateAuth
// REFRESH_TOKEN_AUTH (RefreshTokenAuth), with the remembered device's key,
// and Cognito's refusal of a bad refresh token reaches the caller; with the
// default, GetTokensFromRefreshToken, as a Client from New does.
func TestAdminRefresh(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := vname("arefresh", v, by)
		ctx := context.Background()
		c, w := newAdminClient(t, srv, adminPool, v, func(o *flows.Options) {
			o.DeviceStore = flows.NewMemoryStore()
			o.RefreshWith = flows.RefreshTokenAuth
		})
		res, err := c.Login(ctx, loginName(name, by), password)
		if err != nil {
			t.Fatal(err)
		}
		if res.Device == nil {
			t.Fatal("no device remembered")
		}
		w.take()

		got, err := c.Refresh(ctx, res.Username, *res.AuthenticationResult.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, got, name)
		if *got.AuthenticationResult.AccessToken == *res.AuthenticationResult.AccessToken {
			t.Error("the refresh returned the same access token")
		}
		calls := w.take()
		checkAdminCalls(t, calls, adminPool, v, "AdminInitiateAuth REFRESH_TOKEN_AUTH")
		if len(calls) == 1 {
			p := calls[0].params
			if p["DEVICE_KEY"] != res.Device.DeviceKey || p["REFRESH_TOKEN"] != *res.AuthenticationResult.RefreshToken {
				t.Error("REFRESH_TOKEN_AUTH without the device key or the refresh token")
			}
			want := ""
			if v.secret != "" {
				want = secrethash.Compute(clientID(adminPool, v), v.secret, name)
			}
			if p["SECRET_HASH"] != want {
				t.Error("REFRESH_TOKEN_AUTH: SECRET_HASH is not that of the internal user name")
			}
		}

		_, err = c.Refresh(ctx, res.Username, "not-a-refresh-token")
		if !isNotAuthorized(err) || !errors.Is(err, flows.ErrSignInRequired) {
			t.Errorf("Refresh with a bad token: %v, want NotAuthorizedException and ErrSignInRequired", err)
		}
		checkAdminCalls(t, w.take(), adminPool, v, "AdminInitiateAuth REFRESH_TOKEN_AUTH error")

		got, err = c.Refresh(ctx, res.Username, *res.AuthenticationResult.RefreshToken, func(o *flows.Options) { o.RefreshWith = flows.RefreshGetTokens })
		if err != nil {
			t.Fatal(err)
		}
		checkTokens(t, got, name)
		checkAdminCalls(t, w.take(), adminPool, v, "GetTokensFromRefreshToken")
	})
}

// TestAdminWrongPassword: Cognito's NotAuthorizedException for a wrong
// password reaches the caller of both admin flows, and no error shows the
// password.
func TestAdminWrongPassword(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := vname("awrong", v, by)
		ctx := context.Background()
		const wrong = "not the password at all"
		c, w := newAdminClient(t, srv, adminPool, v)

		_, err := c.Login(ctx, loginName(name, by), wrong)
		if !isNotAuthorized(err) {
			t.Errorf("Login: %v, want NotAuthorizedException", err)
		}
		var ce *flows.ChallengeError
		if !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypePasswordVerifier {
			t.Errorf("Login: %v, want a ChallengeError for PASSWORD_VERIFIER", err)
		}
		if err != nil && strings.Contains(err.Error(), wrong) {
			t.Error("the error shows the password")
		}
		checkAdminCalls(t, w.take(), adminPool, v, "AdminInitiateAuth USER_SRP_AUTH", "AdminRespondToAuthChallenge PASSWORD_VERIFIER error")

		_, err = c.LoginAdminPassword(ctx, loginName(name, by), wrong)
		if !isNotAuthorized(err) {
			t.Errorf("LoginAdminPassword: %v, want NotAuthorizedException", err)
		}
		if err != nil && strings.Contains(err.Error(), wrong) {
			t.Error("the error shows the password")
		}
		checkAdminCalls(t, w.take(), adminPool, v, "AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH error")

		if _, err := c.LoginAdminPassword(ctx, loginName(name, by), ""); !errors.Is(err, flows.ErrNoPassword) {
			t.Errorf("LoginAdminPassword without a password: %v, want ErrNoPassword", err)
		}
		checkAdminCalls(t, w.take(), adminPool, v)
	})
}

// TestAdminUnsigned: NewAdmin refuses an SDK client without credentials;
// past that check (through a wrapper), it sends the admin operations
// unsigned, which the server refuses as Cognito does, and the recorder of
// the other tests sees the difference.
func TestAdminUnsigned(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	w := &wire{}
	v := variants[0]
	for _, creds := range []aws.CredentialsProvider{nil, aws.AnonymousCredentials{}, aws.NewCredentialsCache(aws.AnonymousCredentials{})} {
		api := srv.Client(func(o *cip.Options) { o.Credentials = creds })
		if _, err := flows.NewAdmin(api, adminPool, clientID(adminPool, v)); err == nil || !strings.Contains(err.Error(), "no AWS credentials") {
			t.Errorf("NewAdmin with credentials %T: %v, want a refusal", creds, err)
		}
	}
	if _, err := flows.NewAdmin(srv.Client(), adminPool, clientID(adminPool, v)); err != nil {
		t.Errorf("NewAdmin with credentials: %v", err)
	}

	api := srv.Client(func(o *cip.Options) {
		o.Credentials = aws.AnonymousCredentials{}
		o.HTTPClient = &http.Client{Transport: w, Timeout: 30 * time.Second}
	})
	c, err := flows.NewAdmin(struct{ *cip.Client }{api}, adminPool, clientID(adminPool, v))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(context.Background(), vname("awrong", v, "username"), password)
	if err == nil || !strings.Contains(err.Error(), "MissingAuthenticationToken") {
		t.Errorf("unsigned admin sign-in: %v, want MissingAuthenticationToken", err)
	}
	calls := w.take()
	if len(calls) != 1 || calls[0].op != "AdminInitiateAuth" || calls[0].signed() || calls[0].auth != "" {
		t.Errorf("calls %+v, want one unsigned AdminInitiateAuth", calls)
	}
}

// TestAdminRequired: the admin flow and admin Pendings need a Client from
// NewAdmin, and a Client from New refuses them before any call; a Pending
// of a plain sign-in resumes with RespondToAuthChallenge on an admin Client.
func TestAdminRequired(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	ctx := context.Background()
	v := variants[1]
	plain, rec := newClient(t, srv, adminPool, v)

	if _, err := plain.LoginAdminPassword(ctx, vname("areq", v, "username"), password); !errors.Is(err, flows.ErrAdminRequired) {
		t.Errorf("LoginAdminPassword on a Client from New: %v, want ErrAdminRequired", err)
	}
	if _, err := plain.Start(ctx, flows.AdminUserPassword{Username: vname("areq", v, "username"), Password: password}); !errors.Is(err, flows.ErrAdminRequired) {
		t.Errorf("Start(AdminUserPassword) on a Client from New: %v, want ErrAdminRequired", err)
	}
	checkOps(t, rec)

	admin, w := newAdminClient(t, srv, adminPool, v)
	step, err := admin.Start(ctx, flows.UserSRP{Username: vname("areq", v, "username"), Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if step.Done() {
		t.Fatal("no MFA challenge")
	}
	w.take()
	_, err = plain.Resume(ctx, step.Pending, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	if !errors.Is(err, flows.ErrAdminRequired) || !errors.Is(err, flows.ErrWrongClient) {
		t.Errorf("admin Pending on a Client from New: %v, want ErrAdminRequired and ErrWrongClient", err)
	}
	checkOps(t, rec)
	// The Pending is still good for an admin Client.
	step, err = admin.Resume(ctx, step.Pending, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	if err != nil || !step.Done() {
		t.Fatalf("Resume on the admin Client: %v", err)
	}
	checkAdminCalls(t, w.take(), adminPool, v, "AdminRespondToAuthChallenge SOFTWARE_TOKEN_MFA")

	// A plain Pending on an admin Client: answered as it was started.
	step, err = plain.Start(ctx, flows.UserSRP{Username: vname("areq", v, "alias"), Password: password})
	if err != nil {
		t.Fatal(err)
	}
	rec.reset()
	step, err = admin.Resume(ctx, step.Pending, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	if err != nil || !step.Done() {
		t.Fatalf("plain Pending on the admin Client: %v", err)
	}
	checkAdminCalls(t, w.take(), adminPool, v, "RespondToAuthChallenge SOFTWARE_TOKEN_MFA")
}

func TestNewAdminErrors(t *testing.T) {
	srv := newAdminServer(t)
	if _, err := flows.NewAdmin(nil, adminPool, "x"); err == nil {
		t.Error("NewAdmin(nil): no error")
	}
	if _, err := flows.NewAdmin(srv.Client(), "nopool", "x"); err == nil || !strings.Contains(err.Error(), "NewAdmin") {
		t.Errorf("NewAdmin with a bad pool id: %v", err)
	}
	if _, err := flows.NewAdmin(srv.Client(), adminPool, ""); err == nil || !strings.Contains(err.Error(), "NewAdmin") {
		t.Errorf("NewAdmin without a client id: %v", err)
	}
}

// TestPendingAdminFlowStrict: a serialized Pending of ADMIN_USER_PASSWORD_AUTH
// that does not say it is an admin sign-in is refused.
func TestPendingAdminFlowStrict(t *testing.T) {
	const base = `{"v":1,"userPoolId":"us-east-1_Admin","clientId":"c","flow":"ADMIN_USER_PASSWORD_AUTH",%s"challenge":"SOFTWARE_TOKEN_MFA","typed":"u","expires":"2030-01-01T00:00:00Z"}`
	var p flows.Pending
	if err := p.UnmarshalBinary([]byte(strings.Replace(base, "%s", "", 1))); !errors.Is(err, flows.ErrInvalidPending) {
		t.Errorf("admin flow without admin: %v, want ErrInvalidPending", err)
	}
	if err := p.UnmarshalBinary([]byte(strings.Replace(base, "%s", `"admin":true,`, 1))); err != nil {
		t.Errorf("admin flow with admin: %v", err)
	}
	b, err := p.MarshalBinary()
	if err != nil || !bytes.Contains(b, []byte(`"admin":true`)) {
		t.Errorf("MarshalBinary: %s, %v", b, err)
	}
}

// TestAdminSDKRetries: with the SDK's standard retryer, AdminInitiateAuth
// is retried after an HTTP 500 and AdminRespondToAuthChallenge is not, as
// for their plain forms (TestSDKRetries).
func TestAdminSDKRetries(t *testing.T) {
	t.Parallel()
	srv := newAdminServer(t)
	for _, tc := range []struct {
		op    string
		calls int
		ok    bool
	}{
		{"AdminInitiateAuth", 2, true},
		{"AdminRespondToAuthChallenge", 1, false},
	} {
		t.Run(tc.op, func(t *testing.T) {
			flaky := &flakyHTTP{op: tc.op, calls: map[string]int{}}
			api := srv.Client(func(o *cip.Options) {
				o.Credentials = adminCredentials
				o.HTTPClient = flaky
				o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
					so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
				})
			})
			c, err := flows.NewAdmin(api, flowsPool, clientID(flowsPool, variants[0]))
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Login(context.Background(), "alice", password)
			if n := flaky.calls[tc.op]; n != tc.calls {
				t.Errorf("%d calls of %s, want %d", n, tc.op, tc.calls)
			}
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				checkTokens(t, res, "alice")
				return
			}
			var ie *types.InternalErrorException
			if res != nil || !errors.As(err, &ie) {
				t.Errorf("got %v, %v; want the InternalErrorException", res, err)
			}
		})
	}
}
