package cognitotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

// testKey and testAccessKey are the RSA keys of all tests (they sign ID
// and access tokens): generating them per emulator is slow.
var (
	testKey       = sync.OnceValue(newTestKey)
	testAccessKey = sync.OnceValue(newTestKey)
)

func newTestKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

const (
	poolPlain   = "us-east-1_Plain"
	poolAlways  = "us-east-1_Always"
	poolOptIn   = "us-east-1_OptIn"
	poolMFAOn   = "us-east-1_MFAOn"
	secretValue = "client-secret-value"
	totpSecret  = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	customAns   = "forty-two"
	pw          = "Passw0rd!"
)

// testConfig is the configuration most tests use.
func testConfig() Config {
	return Config{
		Region: "us-east-1",
		UserPools: []UserPool{
			{
				ID:                    poolPlain,
				CustomChallengeAnswer: customAns,
				SignInPolicy:          &SignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}},
				Clients: []AppClient{
					{ID: "plain"},
					{ID: "secret", Secret: secretValue},
					{ID: "pwd", ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}},
					{ID: "nosrp", ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH"}},
				},
				Users: []User{
					{Username: "alice", Password: pw, Attributes: map[string]string{
						"email": "alice@example.com", "email_verified": "true",
						"phone_number": "+15555550100", "preferred_username": "ally", "name": "Alice",
					}},
					{Username: "bob", Password: pw, Status: "FORCE_CHANGE_PASSWORD", RequiredAttributes: []string{"name"},
						Attributes: map[string]string{"email": "bob@example.com"}},
					{Username: "carol", Password: pw, TOTPSecret: totpSecret},
					{Username: "dave", Password: pw, TOTPSecret: totpSecret, MFA: []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"},
						Attributes: map[string]string{"phone_number": "+15555550123"}},
					{Username: "erin", Password: pw, MFA: []string{"EMAIL_OTP"}, Attributes: map[string]string{"email": "erin@example.org"}},
					{Username: "0f1e2d3c-uuid-user", Password: pw, Attributes: map[string]string{"email": "uuid@example.com", "sub": "11111111-2222-4333-8444-555555555555"}},
				},
			},
			{
				ID:             poolAlways,
				DeviceTracking: "always",
				Clients:        []AppClient{{ID: "always"}, {ID: "always-secret", Secret: secretValue}},
				Users: []User{
					{Username: "frank", Password: pw},
					{Username: "grace", Password: pw},
				},
			},
			{
				ID:             poolOptIn,
				DeviceTracking: "opt-in",
				Clients:        []AppClient{{ID: "optin"}},
				Users:          []User{{Username: "heidi", Password: pw}},
			},
			{
				ID:      poolMFAOn,
				MFA:     "ON",
				Clients: []AppClient{{ID: "mfaon"}},
				Users:   []User{{Username: "ivan", Password: pw}},
			},
		},
	}
}

// fakeClock is a settable clock.
type fakeClock struct{ t atomic.Pointer[time.Time] }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.set(time.Now().Truncate(time.Second))
	return c
}

func (c *fakeClock) now() time.Time          { return *c.t.Load() }
func (c *fakeClock) set(t time.Time)         { c.t.Store(&t) }
func (c *fakeClock) advance(d time.Duration) { c.set(c.now().Add(d)) }

type harness struct {
	t      *testing.T
	e      *Handler
	srv    *httptest.Server
	client *cip.Client
	clock  *fakeClock
	ctx    context.Context
}

func newHarness(t *testing.T, cfg Config, opts ...Option) *harness {
	t.Helper()
	clock := newFakeClock()
	opts = append([]Option{WithClock(clock.now), WithSigningKeys(testKey(), testAccessKey())}, opts...)
	e, err := NewHandler(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &harness{
		t: t, e: e, srv: srv, clock: clock, ctx: context.Background(),
		client: cip.New(cip.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(srv.URL),
			Credentials:  aws.AnonymousCredentials{},
			Retryer:      aws.NopRetryer{},
		}),
	}
}

// authOut is what InitiateAuth and RespondToAuthChallenge return.
type authOut struct {
	ChallengeName string
	Params        map[string]string
	Session       *string
	Result        *types.AuthenticationResultType
	Available     []types.ChallengeNameType
}

func (h *harness) initiate(clientID string, flow types.AuthFlowType, params map[string]string) (*authOut, error) {
	out, err := h.client.InitiateAuth(h.ctx, &cip.InitiateAuthInput{
		AuthFlow: flow, ClientId: aws.String(clientID), AuthParameters: params,
	})
	if err != nil {
		return nil, err
	}
	return &authOut{string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, out.AvailableChallenges}, nil
}

func (h *harness) respond(clientID, challenge string, session *string, responses map[string]string) (*authOut, error) {
	out, err := h.client.RespondToAuthChallenge(h.ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName: types.ChallengeNameType(challenge), ClientId: aws.String(clientID),
		Session: session, ChallengeResponses: responses,
	})
	if err != nil {
		return nil, err
	}
	return &authOut{string(out.ChallengeName), out.ChallengeParameters, out.Session, out.AuthenticationResult, nil}, nil
}

// startSRP sends InitiateAuth USER_SRP_AUTH and expects PASSWORD_VERIFIER.
func (h *harness) startSRP(clientID, username string, extra map[string]string) (*authOut, *srp.Ephemeral) {
	h.t.Helper()
	eph := mustEphemeral(h.t)
	params := map[string]string{"USERNAME": username, "SRP_A": eph.SRPA()}
	for k, v := range extra {
		params[k] = v
	}
	out, err := h.initiate(clientID, types.AuthFlowTypeUserSrpAuth, params)
	if err != nil {
		h.t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	if out.ChallengeName != "PASSWORD_VERIFIER" {
		h.t.Fatalf("InitiateAuth(%s): challenge %q, want PASSWORD_VERIFIER", username, out.ChallengeName)
	}
	return out, eph
}

// claim computes the PASSWORD_VERIFIER responses for a challenge.
func (h *harness) claim(poolID string, ch *authOut, eph *srp.Ephemeral, password string, at time.Time) map[string]string {
	h.t.Helper()
	c, err := srp.ParseChallengeParameters(ch.Params)
	if err != nil {
		h.t.Fatal(err)
	}
	cl, err := eph.PasswordClaim(poolID, ch.Params["USER_ID_FOR_SRP"], password, c, at)
	if err != nil {
		h.t.Fatal(err)
	}
	return map[string]string{
		"USERNAME":                    ch.Params["USERNAME"],
		"PASSWORD_CLAIM_SIGNATURE":    cl.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock,
		"TIMESTAMP":                   cl.Timestamp,
	}
}

// srpLogin runs USER_SRP_AUTH through PASSWORD_VERIFIER and returns what
// follows (tokens or the next challenge).
func (h *harness) srpLogin(poolID, clientID, username, password string, extra map[string]string) (*authOut, error) {
	h.t.Helper()
	ch, eph := h.startSRP(clientID, username, extra)
	resp := h.claim(poolID, ch, eph, password, h.clock.now())
	if s := extra["SECRET_HASH"]; s != "" {
		resp["SECRET_HASH"] = secretHashB64(secretValue, ch.Params["USERNAME"], clientID)
	}
	if dk := extra["DEVICE_KEY"]; dk != "" {
		resp["DEVICE_KEY"] = dk
	}
	return h.respond(clientID, "PASSWORD_VERIFIER", ch.Session, resp)
}

// with returns h for use in the (sub)test t.
func (h *harness) with(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

// tokens fails unless out carries tokens.
func (h *harness) tokens(out *authOut, err error) *types.AuthenticationResultType {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	if out.Result == nil || aws.ToString(out.Result.AccessToken) == "" {
		h.t.Fatalf("no tokens; challenge %q params %v", out.ChallengeName, out.Params)
	}
	return out.Result
}

// challenge returns a function that fails unless its arguments are the
// challenge name (without tokens), and returns the challenge.
func (h *harness) challenge(name string) func(*authOut, error) *authOut {
	return func(out *authOut, err error) *authOut {
		h.t.Helper()
		if err != nil {
			h.t.Fatalf("want challenge %s, got error %v", name, err)
		}
		if out.ChallengeName != name {
			h.t.Fatalf("challenge %q, want %q (params %v)", out.ChallengeName, name, out.Params)
		}
		if out.Result != nil {
			h.t.Fatalf("challenge %s came with tokens", name)
		}
		return out
	}
}

// wantAPIError checks that err is the Cognito error code with the message
// (a prefix match when msg ends in "...").
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s %q", err, code, msg)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("got %s %q, want %s %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
	if p, ok := strings.CutSuffix(msg, "..."); ok {
		if !strings.HasPrefix(ae.ErrorMessage(), p) {
			t.Fatalf("got message %q, want prefix %q", ae.ErrorMessage(), p)
		}
	} else if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("got message %q, want %q", ae.ErrorMessage(), msg)
	}
}

func mustEphemeral(t testing.TB) *srp.Ephemeral {
	t.Helper()
	eph, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	return eph
}

// raw sends a raw request and decodes the JSON answer.
func (h *harness) raw(target, body string) (int, http.Header, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		h.t.Fatalf("answer is not a JSON object: %q", b)
	}
	return resp.StatusCode, resp.Header, m
}

func jsonBody(t testing.TB, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func secretHashB64(secret, username, clientID string) string {
	return secrethash.Compute(clientID, secret, username)
}
