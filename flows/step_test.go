package flows_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/srp"
)

// webApp is a web back-end that signs users in over two or more requests:
// POST /login with the password answers with the pending challenge and an
// id under which it keeps the step as JSON; POST /answer with the id and
// the user's answer resumes it. Every request makes its own flows.Client,
// as another process would.
type webApp struct {
	t        *testing.T
	newFlows func() *flows.Client

	mu    sync.Mutex
	steps map[string][]byte // id → Pending as JSON, as a session store keeps it
}

// appReply is what the web app answers.
type appReply struct {
	ID        string   `json:"id,omitempty"`
	Challenge string   `json:"challenge,omitempty"`
	Options   []string `json:"options,omitempty"`
	Required  []string `json:"required,omitempty"`
	Username  string   `json:"username,omitempty"`
	Error     string   `json:"error,omitempty"`
}

func (a *webApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c := a.newFlows()
	var step *flows.Step
	var err error
	switch r.URL.Path {
	case "/login":
		step, err = c.Start(ctx, flows.UserSRP{Username: r.FormValue("username"), Password: r.FormValue("password")})
	case "/answer":
		a.mu.Lock()
		b, ok := a.steps[r.FormValue("id")]
		delete(a.steps, r.FormValue("id"))
		a.mu.Unlock()
		if !ok {
			http.Error(w, "no such sign-in", http.StatusNotFound)
			return
		}
		var p flows.Pending
		if err := json.Unmarshal(b, &p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		attrs := map[string]string{}
		if n := r.FormValue("name"); n != "" {
			attrs["name"] = n
		}
		step, err = c.Resume(ctx, &p, flows.Answer{Value: r.FormValue("answer"), UserAttributes: attrs})
	default:
		http.NotFound(w, r)
		return
	}
	var reply appReply
	switch {
	case err != nil:
		reply.Error = err.Error()
	case step.Done():
		reply.Username = step.Result.Username
	default:
		b, err := json.Marshal(step.Pending)
		if err != nil {
			a.t.Errorf("marshaling the pending step: %v", err)
		}
		id := make([]byte, 16)
		rand.Read(id)
		reply.ID = hex.EncodeToString(id)
		a.mu.Lock()
		a.steps[reply.ID] = b
		a.mu.Unlock()
		ch := step.Pending.Challenge
		reply.Challenge, reply.Options, reply.Required = string(ch.Name), ch.Options, ch.RequiredAttributes
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(reply)
}

// post sends form values to the app and decodes its reply.
func post(t *testing.T, app *httptest.Server, path string, form url.Values) appReply {
	t.Helper()
	resp, err := app.Client().PostForm(app.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s: %s", path, resp.Status, body)
	}
	var r appReply
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("%s: %v: %s", path, err, body)
	}
	return r
}

// TestStepWebApp signs in through a web app that takes the password in one
// request and the answers in the next ones, each served by a new Client.
func TestStepWebApp(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	tests := []struct {
		user string
		// answers returns the answer to each challenge, in order.
		answers []func(name string) url.Values
		want    []string // the challenges, in order
	}{
		{
			user: "steptotp",
			answers: []func(string) url.Values{
				func(string) url.Values { return url.Values{"answer": {cognitotest.TOTPCode(totpSecret, time.Now())}} },
			},
			want: []string{"SOFTWARE_TOKEN_MFA"},
		},
		{
			user: "stepnewpw",
			answers: []func(string) url.Values{
				func(string) url.Values { return url.Values{"answer": {newPassword}, "name": {"Someone"}} },
			},
			want: []string{"NEW_PASSWORD_REQUIRED"},
		},
		{
			user: "stepmulti",
			answers: []func(string) url.Values{
				func(string) url.Values { return url.Values{"answer": {"SMS_MFA"}} },
				func(name string) url.Values {
					code, ok := srv.LastCode(flowsPool, name)
					if !ok {
						t.Errorf("no SMS code for %s", name)
					}
					return url.Values{"answer": {code}}
				},
			},
			want: []string{"SELECT_MFA_TYPE", "SMS_MFA"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			t.Parallel()
			forEachVariant(t, func(t *testing.T, v variant, by string) {
				a := &webApp{t: t, steps: map[string][]byte{}, newFlows: func() *flows.Client {
					c, _ := newClient(t, srv, flowsPool, v)
					return c
				}}
				app := httptest.NewServer(a)
				defer app.Close()
				name := vname(tt.user, v, by)
				r := post(t, app, "/login", url.Values{"username": {loginName(name, by)}, "password": {password}})
				for i, answer := range tt.answers {
					if r.Error != "" || r.Challenge != tt.want[i] {
						t.Fatalf("step %d: %+v, want challenge %s", i, r, tt.want[i])
					}
					if r.Challenge == "NEW_PASSWORD_REQUIRED" && (len(r.Required) != 1 || r.Required[0] != "name") {
						t.Errorf("required attributes %q", r.Required)
					}
					a.mu.Lock()
					stored := string(a.steps[r.ID])
					a.mu.Unlock()
					if strings.Contains(stored, password) {
						t.Errorf("the stored step holds the password: %s", stored)
					}
					r = post(t, app, "/answer", mergeValues(url.Values{"id": {r.ID}}, answer(name)))
				}
				if r.Error != "" || r.Username != name {
					t.Fatalf("last reply %+v, want tokens of %s", r, name)
				}
			})
		})
	}
}

func mergeValues(a, b url.Values) url.Values {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// roundTrip marshals and unmarshals p, as a process that stores it would.
func roundTrip(t *testing.T, p *flows.Pending) *flows.Pending {
	t.Helper()
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var q flows.Pending
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatalf("UnmarshalBinary(%s): %v", b, err)
	}
	return &q
}

// start begins a sign-in that must stop at the challenge want.
func start(t *testing.T, c *flows.Client, f flows.Flow, want types.ChallengeNameType) *flows.Pending {
	t.Helper()
	step, err := c.Start(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if step.Done() || step.Pending == nil || step.Pending.Challenge.Name != want {
		t.Fatalf("step %+v, want pending %s", step, want)
	}
	return step.Pending
}

func wantDone(t *testing.T, step *flows.Step, err error, user string) *flows.Result {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if !step.Done() {
		t.Fatalf("pending %v, want tokens", step.Pending)
	}
	checkTokens(t, step.Result, user)
	return step.Result
}

func TestStepMFASetup(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		c, rec := newClient(t, srv, setupPool, v)
		name := vname("stepsetup", v, by)
		p := start(t, c, flows.UserSRP{Username: loginName(name, by), Password: password}, types.ChallengeNameTypeMfaSetup)
		secret := p.Challenge.SecretCode
		if secret == "" {
			t.Fatal("no TOTP secret")
		}
		uri, err := url.Parse(p.Challenge.OTPAuthURI("Example Corp"))
		if err != nil || uri.Scheme != "otpauth" || uri.Host != "totp" || uri.Query().Get("secret") != secret ||
			uri.Query().Get("issuer") != "Example Corp" || uri.Path != "/Example Corp:"+name {
			t.Errorf("OTPAuthURI = %v (%v)", uri, err)
		}
		q := roundTrip(t, p)
		if q.Challenge.SecretCode != "" {
			t.Error("the serialized step holds the TOTP secret")
		}
		c2, _ := newClient(t, srv, setupPool, v)
		step, err := c2.Resume(context.Background(), q, flows.Answer{Value: cognitotest.TOTPCode(secret, time.Now())})
		wantDone(t, step, err, name)
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "AssociateSoftwareToken")
	})
}

// TestStepDevice: the new device is confirmed inside Resume by another
// Client sharing the store, and the next sign-in proves it without a
// pending step.
func TestStepDevice(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		store := flows.NewMemoryStore()
		withStore := func(o *flows.Options) { o.DeviceStore = store }
		c, _ := newClient(t, srv, devicePool, v, withStore)
		name := vname("stepdev", v, by)
		typed := loginName(name, by)
		p := start(t, c, flows.UserSRP{Username: typed, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
		c2, rec := newClient(t, srv, devicePool, v, withStore)
		step, err := c2.Resume(context.Background(), roundTrip(t, p), flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
		res := wantDone(t, step, err, name)
		if res.DeviceEvent != flows.DeviceConfirmed || res.Device == nil || res.DeviceForgotten {
			t.Fatalf("Result: event %v, device %v, forgotten %v", res.DeviceEvent, res.Device, res.DeviceForgotten)
		}
		checkOps(t, rec, "RespondToAuthChallenge SOFTWARE_TOKEN_MFA", "ConfirmDevice")

		rec.reset()
		step, err = c2.Start(context.Background(), flows.UserSRP{Username: typed, Password: password})
		res = wantDone(t, step, err, name)
		if res.DeviceEvent != flows.DeviceAuthenticated || res.Device == nil || res.Device.DeviceKey != step.Result.Device.DeviceKey {
			t.Fatalf("second sign-in: event %v, device %v", res.DeviceEvent, res.Device)
		}
		checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER",
			"RespondToAuthChallenge DEVICE_SRP_AUTH", "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER")
	})
}

// TestStepDeviceNoPasswordInPending: a device that Cognito knows but does
// not trust (opt-in pool, not remembered) is offered, so MFA follows: the
// pending step carries the device's key, not its password, and Resume by
// another Client sends DEVICE_KEY.
func TestStepDeviceNoPasswordInPending(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := context.Background()
	v := variants[1]
	name := vname("stepoptin", v, "username")
	store := flows.NewMemoryStore()
	c, _ := newClient(t, srv, optInPool, v, func(o *flows.Options) { o.DeviceStore = store })
	d := untrustedDevice(t, srv, c, store, name)

	p := start(t, c, flows.UserSRP{Username: name, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(d.DeviceKey)) || bytes.Contains(b, []byte(d.DevicePassword)) || bytes.Contains(b, []byte(password)) {
		t.Errorf("pending step: device key missing, or a password present: %s", b)
	}
	c2, rec := newClient(t, srv, optInPool, v, func(o *flows.Options) { o.DeviceStore = store })
	step, err := c2.Resume(ctx, roundTrip(t, p), flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	res := wantDone(t, step, err, name)
	if res.DeviceEvent != flows.DeviceNone || res.DeviceForgotten {
		t.Errorf("Result: %v, forgotten %v", res.DeviceEvent, res.DeviceForgotten)
	}
	if calls := rec.reset(); len(calls) == 0 || calls[0].params["DEVICE_KEY"] != d.DeviceKey {
		t.Errorf("Resume did not send the DEVICE_KEY")
	}
}

// untrustedDevice signs the user name in with c, confirms the new device
// without remembering it, and stores it in store: a device that Cognito
// knows, but which does not stand in for MFA.
func untrustedDevice(t *testing.T, srv *cognitotest.Server, c *flows.Client, store flows.DeviceStore, name string) *flows.Device {
	t.Helper()
	ctx := context.Background()
	res, err := c.Login(ctx, name, password, func(o *flows.Options) {
		o.Handler = &handler{totp: totpSecret}
		o.RememberDevices = flows.RememberNever
	})
	if err != nil || res.DeviceEvent != flows.DeviceNone {
		t.Fatalf("Login: %v, %+v", err, res)
	}
	md := res.AuthenticationResult.NewDeviceMetadata
	if md == nil {
		t.Fatal("no NewDeviceMetadata")
	}
	dv, err := srp.NewDeviceVerifier(*md.DeviceGroupKey, *md.DeviceKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Client().ConfirmDevice(ctx, &cip.ConfirmDeviceInput{
		AccessToken: res.AuthenticationResult.AccessToken, DeviceKey: md.DeviceKey,
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{PasswordVerifier: &dv.PasswordVerifier, Salt: &dv.Salt},
	}); err != nil {
		t.Fatal(err)
	}
	d := &flows.Device{UserPoolID: c.UserPoolID(), Username: name, DeviceKey: *md.DeviceKey, DeviceGroupKey: *md.DeviceGroupKey, DevicePassword: dv.DevicePassword}
	if err := store.Put(ctx, d); err != nil {
		t.Fatal(err)
	}
	return d
}

// staleOnMFA is an API that answers the first SOFTWARE_TOKEN_MFA response
// carrying a DEVICE_KEY with ResourceNotFoundException, as Cognito does for
// a device it forgot after the sign-in began.
type staleOnMFA struct {
	*recorder
	mu   sync.Mutex
	done bool
}

func (a *staleOnMFA) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	a.mu.Lock()
	inject := !a.done && in.ChallengeName == types.ChallengeNameTypeSoftwareTokenMfa && in.ChallengeResponses["DEVICE_KEY"] != ""
	if inject {
		a.done = true
	}
	a.mu.Unlock()
	if inject {
		msg := "Device does not exist."
		err := &types.ResourceNotFoundException{Message: &msg}
		a.add(call{op: "RespondToAuthChallenge", challenge: in.ChallengeName, err: err})
		return nil, err
	}
	return a.recorder.RespondToAuthChallenge(ctx, in, optFns...)
}

// TestLoginDeviceStaleAfterChallenge: when Cognito refuses the device only
// in answer to a user's challenge, Resume forgets it and Login signs in
// again without it.
func TestLoginDeviceStaleAfterChallenge(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := context.Background()
	v := variants[0]
	name := vname("stepoptin", v, "username")
	store := flows.NewMemoryStore()
	c0, _ := newClient(t, srv, optInPool, v, func(o *flows.Options) { o.DeviceStore = store })
	untrustedDevice(t, srv, c0, store, name)

	api := &staleOnMFA{recorder: &recorder{api: srv.Client(), clientID: clientID(optInPool, v)}}
	h := &handler{totp: totpSecret}
	c, err := flows.New(api, optInPool, clientID(optInPool, v), func(o *flows.Options) {
		o.ClientSecret = v.secret
		o.DeviceStore = store
		o.RememberDevices = flows.RememberNever
		o.Handler = h
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Login(ctx, name, password)
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, res, name)
	if !res.DeviceForgotten || res.DeviceEvent != flows.DeviceNone {
		t.Errorf("DeviceForgotten %v, DeviceEvent %v", res.DeviceForgotten, res.DeviceEvent)
	}
	if d, _ := store.Get(ctx, optInPool, name); d != nil {
		t.Errorf("stale device still stored: %v", d)
	}
	checkOps(t, api.recorder, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA error",
		"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA")
}

// TestStepForgottenDevice: a stored device that Cognito does not know is
// dropped, and the sign-in started again without it, before the pending
// step; the Result says so.
func TestStepForgottenDevice(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := context.Background()
	v := variants[0]
	name := vname("stepoptin", v, "alias")
	store := flows.NewMemoryStore()
	stale := &flows.Device{UserPoolID: optInPool, Username: name, DeviceKey: optInPool + "_stale", DeviceGroupKey: "-g", DevicePassword: "pw"}
	if err := store.Put(ctx, stale); err != nil {
		t.Fatal(err)
	}
	c, rec := newClient(t, srv, optInPool, v, func(o *flows.Options) {
		o.DeviceStore = store
		o.RememberDevices = flows.RememberNever
	})
	p := start(t, c, flows.UserSRP{Username: name, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
	if d, _ := store.Get(ctx, optInPool, name); d != nil {
		t.Errorf("stale device still stored: %v", d)
	}
	step, err := c.Resume(ctx, roundTrip(t, p), flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	res := wantDone(t, step, err, name)
	if !res.DeviceForgotten || res.DeviceEvent != flows.DeviceNone {
		t.Errorf("Result: forgotten %v, event %v", res.DeviceForgotten, res.DeviceEvent)
	}
	checkOps(t, rec, "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER error",
		"InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA")
}

func TestStepPasswordless(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	forEachVariant(t, func(t *testing.T, v variant, by string) {
		name := vname("stepotp", v, by)
		typed := loginName(name, by)
		c, rec := newClient(t, srv, flowsPool, v)
		p := start(t, c, flows.UserAuth{Username: typed}, types.ChallengeNameTypeSelectChallenge)
		if !containsString(p.Challenge.Options, "EMAIL_OTP") {
			t.Fatalf("SELECT_CHALLENGE options %q", p.Challenge.Options)
		}
		step, err := c.Resume(context.Background(), roundTrip(t, p), flows.Answer{Value: "EMAIL_OTP"})
		if err != nil || step.Done() || step.Pending.Challenge.Name != types.ChallengeNameTypeEmailOtp {
			t.Fatalf("after SELECT_CHALLENGE: %+v, %v", step, err)
		}
		if ch := step.Pending.Challenge; ch.DeliveryMedium != "EMAIL" || ch.Destination == "" {
			t.Errorf("EMAIL_OTP: medium %q, destination %q", ch.DeliveryMedium, ch.Destination)
		}
		code, _ := srv.LastCode(flowsPool, name)
		step, err = c.Resume(context.Background(), roundTrip(t, step.Pending), flows.Answer{Value: code})
		wantDone(t, step, err, name)
		checkSecretHashes(t, rec, v, typed)

		// A preferred first factor skips SELECT_CHALLENGE.
		p = start(t, c, flows.UserAuth{Username: typed, PreferredChallenge: types.ChallengeNameTypeEmailOtp}, types.ChallengeNameTypeEmailOtp)
		code, _ = srv.LastCode(flowsPool, name)
		step, err = c.Resume(context.Background(), p, flows.Answer{Value: code})
		wantDone(t, step, err, name)
	})
}

func containsString(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestStepWrongCode: a rejected code leaves the pending step valid.
func TestStepWrongCode(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	v := variants[1]
	c, _ := newClient(t, srv, flowsPool, v)
	name := vname("steptotp", v, "alias")
	p := start(t, c, flows.UserSRP{Username: name, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
	_, err := c.Resume(context.Background(), p, flows.Answer{Value: "000000"})
	var mismatch *types.CodeMismatchException
	var ce *flows.ChallengeError
	if !errors.As(err, &mismatch) || !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("wrong code: %v", err)
	}
	step, err := c.Resume(context.Background(), p, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	wantDone(t, step, err, name)
}

// testClock is a clock that tests move.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestStepExpired(t *testing.T) {
	t.Parallel()
	clock := &testClock{t: time.Now()}
	srv := newServer(t, cognitotest.WithClock(clock.now))
	v := variants[0]
	name := vname("stepexp", v, "username")
	code := func() string { return cognitotest.TOTPCode(totpSecret, clock.now()) }

	t.Run("local", func(t *testing.T) {
		c, rec := newClient(t, srv, flowsPool, v, func(o *flows.Options) { o.Clock = clock.now })
		p := start(t, c, flows.UserSRP{Username: name, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
		if d := p.Expires.Sub(clock.now()); d < 2*time.Minute || d > flows.DefaultSessionValidity {
			t.Errorf("expires in %v", d)
		}
		rec.reset()
		clock.advance(flows.DefaultSessionValidity + time.Second)
		_, err := c.Resume(context.Background(), roundTrip(t, p), flows.Answer{Value: code()})
		var ce *flows.ChallengeError
		if !errors.Is(err, flows.ErrStepExpired) || !errors.As(err, &ce) || ce.Name != types.ChallengeNameTypeSoftwareTokenMfa {
			t.Fatalf("error %v, want ErrStepExpired", err)
		}
		checkOps(t, rec) // refused before calling Cognito
	})
	t.Run("Cognito", func(t *testing.T) {
		// The Client thinks the session lasts an hour; Cognito ends it
		// after three minutes.
		c, _ := newClient(t, srv, flowsPool, v, func(o *flows.Options) {
			o.Clock = clock.now
			o.SessionValidity = time.Hour
		})
		p := start(t, c, flows.UserSRP{Username: name, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
		clock.advance(3*time.Minute + time.Second)
		_, err := c.Resume(context.Background(), p, flows.Answer{Value: code()})
		var nae *types.NotAuthorizedException
		if !errors.Is(err, flows.ErrStepExpired) || !errors.As(err, &nae) {
			t.Fatalf("error %v, want ErrStepExpired and a NotAuthorizedException", err)
		}
	})
}

func TestStepTampered(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	v := variants[1]
	c, _ := newClient(t, srv, flowsPool, v)
	name := vname("steptotp", v, "username")
	p := start(t, c, flows.UserSRP{Username: name, Password: password}, types.ChallengeNameTypeSoftwareTokenMfa)
	good, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(good, &fields); err != nil {
		t.Fatal(err)
	}
	with := func(k string, val any) []byte {
		m := map[string]any{}
		for kk, vv := range fields {
			m[kk] = vv
		}
		if val == nil {
			delete(m, k)
		} else {
			m[k] = val
		}
		b, _ := json.Marshal(m)
		return b
	}
	for name, b := range map[string][]byte{
		"empty":             {},
		"garbage":           []byte("\x00\xff garbage"),
		"null":              []byte("null"),
		"array":             []byte("[1,2]"),
		"truncated":         good[:len(good)/2],
		"trailing data":     append(append([]byte{}, good...), []byte(`{"v":1}`)...),
		"version 2":         with("v", 2),
		"unknown field":     with("password", "x"),
		"no pool":           with("userPoolId", nil),
		"SRP challenge":     with("challenge", "PASSWORD_VERIFIER"),
		"unknown challenge": with("challenge", "WEB_AUTHN"),
		"refresh flow":      with("flow", "REFRESH_TOKEN_AUTH"),
		"no expiry":         with("expires", nil),
		"bad expiry":        with("expires", "tomorrow"),
		"half a device":     with("deviceKey", "us-east-1_x"),
		"params not map":    with("params", []int{1}),
		"huge":              bytes.Repeat([]byte(" "), 1<<20),
	} {
		var q flows.Pending
		if err := q.UnmarshalBinary(b); !errors.Is(err, flows.ErrInvalidPending) {
			t.Errorf("%s: UnmarshalBinary = %v, want ErrInvalidPending", name, err)
		}
	}
	var zero flows.Pending
	if _, err := zero.MarshalBinary(); !errors.Is(err, flows.ErrInvalidPending) {
		t.Errorf("zero Pending: MarshalBinary = %v", err)
	}
	if _, err := c.Resume(context.Background(), &zero, flows.Answer{}); !errors.Is(err, flows.ErrInvalidPending) {
		t.Errorf("zero Pending: Resume = %v", err)
	}
	if _, err := c.Resume(context.Background(), nil, flows.Answer{}); !errors.Is(err, flows.ErrInvalidPending) {
		t.Errorf("nil Pending: Resume = %v", err)
	}

	// Well formed but changed: Cognito refuses the session, with a typed
	// error.
	var q flows.Pending
	if err := q.UnmarshalBinary(with("session", "AYABeTampered")); err != nil {
		t.Fatal(err)
	}
	_, err = c.Resume(context.Background(), &q, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	var nae *types.NotAuthorizedException
	var ce *flows.ChallengeError
	if !errors.As(err, &nae) || !errors.As(err, &ce) {
		t.Errorf("tampered session: %v", err)
	}

	// Another pool or app client.
	for _, other := range []*flows.Client{
		func() *flows.Client { c, _ := newClient(t, srv, flowsPool, variants[0]); return c }(),
		func() *flows.Client { c, _ := newClient(t, srv, devicePool, v); return c }(),
	} {
		if _, err := other.Resume(context.Background(), p, flows.Answer{Value: "123456"}); !errors.Is(err, flows.ErrWrongClient) {
			t.Errorf("%s/%s: %v, want ErrWrongClient", other.UserPoolID(), other.ClientID(), err)
		}
	}
	// The real step still works.
	step, err := c.Resume(context.Background(), p, flows.Answer{Value: cognitotest.TOTPCode(totpSecret, time.Now())})
	wantDone(t, step, err, name)
}

// pendingSeed is a serialized Pending for the fuzz target.
const pendingSeed = `{"v":1,"userPoolId":"us-east-1_Fuzz","clientId":"c","flow":"USER_SRP_AUTH","session":"s","challenge":"NEW_PASSWORD_REQUIRED",` +
	`"params":{"requiredAttributes":"[\"userAttributes.name\"]","userAttributes":"{\"email\":\"a@example.com\"}","USERNAME":"u"},` +
	`"typed":"a@example.com","username":"u","deviceKey":"k","deviceGroupKey":"g","answered":2,"expires":"2026-01-01T00:00:00Z"}`

// FuzzPendingUnmarshal: no panic; an error matches ErrInvalidPending; what
// parses marshals back to something that parses to the same.
func FuzzPendingUnmarshal(f *testing.F) {
	f.Add([]byte(pendingSeed))
	f.Add([]byte(strings.Replace(pendingSeed, "NEW_PASSWORD_REQUIRED", "SELECT_CHALLENGE", 1)))
	f.Add([]byte(strings.Replace(pendingSeed, `"params":{`, `"params":{"MFAS_CAN_CHOOSE":"[\"SMS_MFA\"]",`, 1)))
	f.Add([]byte(`{"v":1}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p flows.Pending
		if err := p.UnmarshalBinary(b); err != nil {
			if !errors.Is(err, flows.ErrInvalidPending) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if p.Challenge == nil || p.Expires.IsZero() {
			t.Fatal("parsed without a challenge or expiry")
		}
		out, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var q flows.Pending
		if err := q.UnmarshalBinary(out); err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		again, _ := q.MarshalBinary()
		if !bytes.Equal(out, again) {
			t.Fatalf("not stable:\n%s\n%s", out, again)
		}
		_ = fmt.Sprint(p, &p)
	})
}
