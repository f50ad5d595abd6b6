package flows_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/secrethash"
)

// The user pools of the integration tests.
const (
	region      = "us-east-1"
	flowsPool   = "us-east-1_Flows"   // no device tracking, optional MFA, custom auth
	setupPool   = "us-east-1_Setup"   // MFA required: users set up TOTP
	devicePool  = "us-east-1_Devices" // device tracking "always"
	optInPool   = "us-east-1_OptIn"   // device tracking "opt-in"
	password    = "correct horse battery staple"
	newPassword = "Tr0ub4dor&3-but-longer"
	totpSecret  = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	customReply = "the answer is 42"
)

// variant is an app client: without and with a client secret.
type variant struct {
	name, clientID, secret string
}

var variants = []variant{
	{name: "public", clientID: "publicclient"},
	{name: "secret", clientID: "secretclient", secret: "1example23456789secretabcdefghijklmnopqrstuvwxyz0"},
}

// bys are the ways a user signs in: with the user name or the email alias.
var bys = []string{"username", "alias"}

// loginName is what a user called user types when signing in by.
func loginName(user, by string) string {
	if by == "alias" {
		return user + "@example.com"
	}
	return user
}

// clientID is the id of the variant's app client in a pool: app client ids
// are unique across pools.
func clientID(pool string, v variant) string {
	return v.clientID + strings.ToLower(strings.TrimPrefix(pool, region+"_"))
}

func appClients(pool string) []cognitotest.AppClient {
	var cs []cognitotest.AppClient
	for _, v := range variants {
		cs = append(cs, cognitotest.AppClient{ID: clientID(pool, v), Secret: v.secret})
	}
	return cs
}

// user returns a user with a password, an email alias and mods applied.
func user(name string, mods ...func(*cognitotest.User)) cognitotest.User {
	u := cognitotest.User{
		Username:   name,
		Password:   password,
		Attributes: map[string]string{"email": name + "@example.com"},
	}
	for _, m := range mods {
		m(&u)
	}
	return u
}

func withTOTP(u *cognitotest.User) {
	u.TOTPSecret = totpSecret
	u.MFA = append(u.MFA, "SOFTWARE_TOKEN_MFA")
}

// withPhone gives the user a phone number derived from the user name.
func withPhone(u *cognitotest.User) {
	h := fnv.New32a()
	h.Write([]byte(u.Username))
	u.Attributes["phone_number"] = fmt.Sprintf("+1555%07d", h.Sum32()%10_000_000)
}

func withMFA(factors ...string) func(*cognitotest.User) {
	return func(u *cognitotest.User) { u.MFA = append(u.MFA, factors...) }
}

// vname is the name of the user prefix-<variant>-<by> of perVariant.
func vname(prefix string, v variant, by string) string {
	return prefix + "-" + v.name + "-" + by
}

// perVariant returns one user per variant and way of signing in, named
// prefix-<variant>-<by>, for tests that change the user.
func perVariant(prefix string, mods ...func(*cognitotest.User)) []cognitotest.User {
	var us []cognitotest.User
	for _, v := range variants {
		for _, by := range bys {
			us = append(us, user(vname(prefix, v, by), mods...))
		}
	}
	return us
}

func testConfig() cognitotest.Config {
	// Users that get codes are per variant, so that parallel tests do not
	// read each other's codes.
	flowsUsers := []cognitotest.User{user("alice")}
	flowsUsers = append(flowsUsers, perVariant("totp", withTOTP)...)
	flowsUsers = append(flowsUsers, perVariant("sms", withPhone, withMFA("SMS_MFA"))...)
	flowsUsers = append(flowsUsers, perVariant("emailmfa", withMFA("EMAIL_OTP"))...)
	flowsUsers = append(flowsUsers, perVariant("multitotp", withTOTP, withPhone, withMFA("SMS_MFA"))...)
	flowsUsers = append(flowsUsers, perVariant("multisms", withTOTP, withPhone, withMFA("SMS_MFA"))...)
	flowsUsers = append(flowsUsers, perVariant("otpemail", withPhone)...)
	flowsUsers = append(flowsUsers, perVariant("otpsms", withPhone)...)
	flowsUsers = append(flowsUsers, perVariant("newpw", func(u *cognitotest.User) {
		u.Status = "FORCE_CHANGE_PASSWORD"
		u.RequiredAttributes = []string{"name"}
	})...)
	// The users of the step API's tests.
	flowsUsers = append(flowsUsers, perVariant("steptotp", withTOTP)...)
	flowsUsers = append(flowsUsers, perVariant("stepmulti", withTOTP, withPhone, withMFA("SMS_MFA"))...)
	flowsUsers = append(flowsUsers, perVariant("stepnewpw", func(u *cognitotest.User) {
		u.Status = "FORCE_CHANGE_PASSWORD"
		u.RequiredAttributes = []string{"name"}
	})...)
	flowsUsers = append(flowsUsers, perVariant("stepotp", withPhone)...)
	flowsUsers = append(flowsUsers, perVariant("stepexp", withTOTP)...)
	var deviceUsers []cognitotest.User
	for _, p := range []string{"dev", "forget", "refresh", "conc", "stepdev"} {
		deviceUsers = append(deviceUsers, perVariant(p, withTOTP)...)
	}
	return cognitotest.Config{
		Region: region,
		UserPools: []cognitotest.UserPool{
			{ID: flowsPool, MFA: "OPTIONAL", SignInPolicy: &cognitotest.SignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}}, CustomChallengeAnswer: customReply, Clients: appClients(flowsPool), Users: flowsUsers},
			{ID: setupPool, MFA: "ON", Clients: appClients(setupPool), Users: append(perVariant("setup"), perVariant("stepsetup")...)},
			{ID: devicePool, DeviceTracking: "always", MFA: "OPTIONAL", Clients: appClients(devicePool), Users: deviceUsers},
			{ID: optInPool, DeviceTracking: "opt-in", MFA: "OPTIONAL", Clients: appClients(optInPool), Users: append(perVariant("optin", withTOTP), perVariant("stepoptin", withTOTP)...)},
		},
	}
}

// signingKey is shared by the test servers: generating an RSA key for each
// would dominate the tests' run time under the race detector.
var signingKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// newServer starts a server with testConfig.
func newServer(t *testing.T, opts ...cognitotest.Option) *cognitotest.Server {
	t.Helper()
	opts = append([]cognitotest.Option{cognitotest.WithSigningKey(signingKey())}, opts...)
	srv := cognitotest.NewServer(testConfig(), opts...)
	t.Cleanup(srv.Close)
	return srv
}

// forEachVariant runs f as parallel subtests for every app client variant
// and way of signing in.
func forEachVariant(t *testing.T, f func(t *testing.T, v variant, by string)) {
	t.Helper()
	for _, v := range variants {
		for _, by := range bys {
			t.Run(v.name+"/"+by, func(t *testing.T) {
				t.Parallel()
				f(t, v, by)
			})
		}
	}
}

// call is one recorded API call.
type call struct {
	op        string                  // "InitiateAuth", "RespondToAuthChallenge", ...
	flow      types.AuthFlowType      // InitiateAuth
	challenge types.ChallengeNameType // RespondToAuthChallenge
	params    map[string]string       // AuthParameters or ChallengeResponses
	session   bool                    // a Session was sent
	err       error
}

// recorder is an API that passes calls to the real SDK client and records
// them. With stripSession it drops the Session that InitiateAuth returns,
// as Cognito may.
type recorder struct {
	api          *cip.Client
	stripSession bool
	clientID     string // set by newClient

	mu    sync.Mutex
	calls []call
}

var _ flows.API = (*recorder)(nil)

func (r *recorder) add(c call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

// ops returns the recorded calls as short strings, such as
// "InitiateAuth USER_SRP_AUTH" or "RespondToAuthChallenge PASSWORD_VERIFIER".
func (r *recorder) ops() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ops []string
	for _, c := range r.calls {
		s := c.op
		if c.flow != "" {
			s += " " + string(c.flow)
		}
		if c.challenge != "" {
			s += " " + string(c.challenge)
		}
		if c.err != nil {
			s += " error"
		}
		ops = append(ops, s)
	}
	return ops
}

func (r *recorder) reset() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.calls
	r.calls = nil
	return c
}

func (r *recorder) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, optFns ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	out, err := r.api.InitiateAuth(ctx, in, optFns...)
	r.add(call{op: "InitiateAuth", flow: in.AuthFlow, params: maps.Clone(in.AuthParameters), session: in.Session != nil, err: err})
	if err == nil && r.stripSession {
		out.Session = nil
	}
	return out, err
}

func (r *recorder) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	out, err := r.api.RespondToAuthChallenge(ctx, in, optFns...)
	r.add(call{op: "RespondToAuthChallenge", challenge: in.ChallengeName, params: maps.Clone(in.ChallengeResponses), session: in.Session != nil, err: err})
	return out, err
}

func (r *recorder) ConfirmDevice(ctx context.Context, in *cip.ConfirmDeviceInput, optFns ...func(*cip.Options)) (*cip.ConfirmDeviceOutput, error) {
	out, err := r.api.ConfirmDevice(ctx, in, optFns...)
	r.add(call{op: "ConfirmDevice", err: err})
	return out, err
}

func (r *recorder) UpdateDeviceStatus(ctx context.Context, in *cip.UpdateDeviceStatusInput, optFns ...func(*cip.Options)) (*cip.UpdateDeviceStatusOutput, error) {
	out, err := r.api.UpdateDeviceStatus(ctx, in, optFns...)
	r.add(call{op: "UpdateDeviceStatus " + string(in.DeviceRememberedStatus), err: err})
	return out, err
}

func (r *recorder) GetTokensFromRefreshToken(ctx context.Context, in *cip.GetTokensFromRefreshTokenInput, optFns ...func(*cip.Options)) (*cip.GetTokensFromRefreshTokenOutput, error) {
	out, err := r.api.GetTokensFromRefreshToken(ctx, in, optFns...)
	params := map[string]string{}
	if in.DeviceKey != nil {
		params["DeviceKey"] = *in.DeviceKey
	}
	if in.ClientSecret != nil {
		params["ClientSecret"] = *in.ClientSecret
	}
	r.add(call{op: "GetTokensFromRefreshToken", params: params, err: err})
	return out, err
}

func (r *recorder) ForgetDevice(ctx context.Context, in *cip.ForgetDeviceInput, optFns ...func(*cip.Options)) (*cip.ForgetDeviceOutput, error) {
	out, err := r.api.ForgetDevice(ctx, in, optFns...)
	r.add(call{op: "ForgetDevice", err: err})
	return out, err
}

func (r *recorder) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	out, err := r.api.AssociateSoftwareToken(ctx, in, optFns...)
	r.add(call{op: "AssociateSoftwareToken", session: in.Session != nil, err: err})
	return out, err
}

func (r *recorder) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	out, err := r.api.VerifySoftwareToken(ctx, in, optFns...)
	r.add(call{op: "VerifySoftwareToken", session: in.Session != nil, err: err})
	return out, err
}

// newClient returns a flows.Client for the variant on the pool, calling the
// server through a recorder.
func newClient(t *testing.T, srv *cognitotest.Server, pool string, v variant, optFns ...func(*flows.Options)) (*flows.Client, *recorder) {
	t.Helper()
	rec := &recorder{api: srv.Client(), clientID: clientID(pool, v)}
	fns := append([]func(*flows.Options){func(o *flows.Options) { o.ClientSecret = v.secret }}, optFns...)
	c, err := flows.New(rec, pool, clientID(pool, v), fns...)
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// handler is a ChallengeHandler that answers like a user who reads codes
// from the server, and records the challenges it saw.
type handler struct {
	srv     *cognitotest.Server
	pool    string
	totp    string            // the user's TOTP secret
	choice  string            // for SELECT_MFA_TYPE and SELECT_CHALLENGE
	newPass string            // for NEW_PASSWORD_REQUIRED
	attrs   map[string]string // for NEW_PASSWORD_REQUIRED
	wrong   int               // how many wrong codes to give first

	mu   sync.Mutex
	seen []*flows.Challenge
}

func (h *handler) HandleChallenge(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
	h.mu.Lock()
	h.seen = append(h.seen, c)
	wrong := h.wrong > 0
	if wrong {
		h.wrong--
	}
	h.mu.Unlock()
	if wrong {
		return flows.Answer{Value: "000000"}, nil
	}
	switch c.Name {
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp, types.ChallengeNameTypeEmailOtp:
		// Before Cognito names the user, Challenge.Username is the name
		// typed, here possibly the email alias.
		code, ok := h.srv.LastCode(h.pool, strings.TrimSuffix(c.Username, "@example.com"))
		if !ok {
			return flows.Answer{}, fmt.Errorf("no code delivered to %s", c.Username)
		}
		return flows.Answer{Value: code}, nil
	case types.ChallengeNameTypeSoftwareTokenMfa:
		return flows.Answer{Value: cognitotest.TOTPCode(h.totp, time.Now())}, nil
	case types.ChallengeNameTypeMfaSetup:
		h.mu.Lock()
		h.totp = c.SecretCode
		h.mu.Unlock()
		return flows.Answer{Value: cognitotest.TOTPCode(c.SecretCode, time.Now())}, nil
	case types.ChallengeNameTypeSelectMfaType, types.ChallengeNameTypeSelectChallenge:
		if !slices.Contains(c.Options, h.choice) {
			return flows.Answer{}, fmt.Errorf("%s not among %q", h.choice, c.Options)
		}
		return flows.Answer{Value: h.choice}, nil
	case types.ChallengeNameTypeNewPasswordRequired:
		return flows.Answer{Value: h.newPass, UserAttributes: h.attrs}, nil
	case types.ChallengeNameTypeCustomChallenge:
		return flows.Answer{Value: customReply}, nil
	}
	return flows.Answer{}, fmt.Errorf("unexpected challenge %s", c.Name)
}

// names returns the names of the challenges the handler saw.
func (h *handler) names() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ns []string
	for _, c := range h.seen {
		ns = append(ns, string(c.Name))
	}
	return ns
}

// checkTokens checks that res holds tokens of the internal user wantUser.
func checkTokens(t *testing.T, res *flows.Result, wantUser string) {
	t.Helper()
	if res == nil || res.AuthenticationResult == nil {
		t.Fatalf("no tokens: %+v", res)
	}
	ar := res.AuthenticationResult
	if ar.AccessToken == nil || ar.IdToken == nil || *ar.AccessToken == "" || *ar.IdToken == "" {
		t.Fatalf("missing tokens in %+v", ar)
	}
	if res.Username != wantUser {
		t.Errorf("Result.Username = %q, want %q", res.Username, wantUser)
	}
}

// checkOps compares recorded calls with want.
func checkOps(t *testing.T, rec *recorder, want ...string) {
	t.Helper()
	if got := rec.ops(); !slices.Equal(got, want) {
		t.Errorf("calls:\n got %s\nwant %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}

// checkSecretHashes checks that every InitiateAuth carried the SECRET_HASH
// of the typed name and every challenge response that of its USERNAME, and
// none when the client has no secret.
func checkSecretHashes(t *testing.T, rec *recorder, v variant, typed string) {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, c := range rec.calls {
		if c.op != "InitiateAuth" && c.op != "RespondToAuthChallenge" {
			continue
		}
		name := c.params["USERNAME"]
		if c.op == "InitiateAuth" && name != typed {
			t.Errorf("InitiateAuth USERNAME = %q, want the typed %q", name, typed)
		}
		got, ok := c.params["SECRET_HASH"]
		if v.secret == "" {
			if ok {
				t.Errorf("%s %s: SECRET_HASH sent without a client secret", c.op, c.challenge)
			}
			continue
		}
		if want := secrethash.Compute(rec.clientID, v.secret, name); got != want {
			t.Errorf("%s %s: SECRET_HASH is not that of USERNAME %q", c.op, c.challenge, name)
		}
	}
}
