package cognitotest

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/srp"
)

const target = "AWSCognitoIdentityProviderService."

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	big := `{"ClientId": "` + strings.Repeat("a", maxBodySize) + `"}`
	for _, tc := range []struct {
		name, target, body string
		status             int
		typ, msg           string
	}{
		{"unknown operation", target + "DoSomething", `{}`, 400, "UnknownOperationException", ""},
		{"no target", "", `{}`, 400, "UnknownOperationException", ""},
		{"other service", "AmazonS3.ListBuckets", `{}`, 400, "UnknownOperationException", ""},
		{"malformed JSON", target + "InitiateAuth", `{"AuthFlow":`, 400, "SerializationException", ""},
		{"not an object", target + "InitiateAuth", `[1,2]`, 400, "SerializationException", ""},
		{"trailing data", target + "InitiateAuth", `{} {}`, 400, "SerializationException", ""},
		{"wrong type", target + "InitiateAuth", `{"AuthFlow": 1, "ClientId": "plain"}`, 400, "SerializationException", ""},
		{"wrong map value type", target + "InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "plain", "AuthParameters": {"USERNAME": 1}}`, 400, "SerializationException", ""},
		{"missing ClientId", target + "InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH"}`, 400, "InvalidParameterException", "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"},
		{"bad AuthFlow", target + "InitiateAuth", `{"AuthFlow": "MAGIC", "ClientId": "plain"}`, 400, "InvalidParameterException", ""},
		{"bad ChallengeName", target + "RespondToAuthChallenge", `{"ChallengeName": "MAGIC", "ClientId": "plain"}`, 400, "InvalidParameterException", ""},
		{"empty body", target + "InitiateAuth", ``, 400, "InvalidParameterException", ""},
		{"huge map", target + "InitiateAuth", `{"ClientId": "plain", "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {` + manyKeys(200) + `}}`, 400, "InvalidParameterException", ""},
		{"deep nesting", target + "InitiateAuth", strings.Repeat(`{"a":`, 50) + `1` + strings.Repeat(`}`, 50), 400, "InvalidParameterException", ""},
		{"too large", target + "InitiateAuth", big, 413, "SerializationException", ""},
		{"unknown user", target + "InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "plain", "AuthParameters": {"USERNAME": "x", "SRP_A": "02"}}`, 400, "UserNotFoundException", "User does not exist."},
		{"bad access token", target + "GetUser", `{"AccessToken": "x"}`, 400, "NotAuthorizedException", "Invalid Access Token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := h.with(t)
			status, hdr, body := h.raw(tc.target, tc.body)
			if status != tc.status {
				t.Errorf("status %d, want %d (%v)", status, tc.status, body)
			}
			if body["__type"] != tc.typ || hdr.Get("x-amzn-ErrorType") != tc.typ {
				t.Errorf("__type %v, x-amzn-ErrorType %q, want %s", body["__type"], hdr.Get("x-amzn-ErrorType"), tc.typ)
			}
			if msg, ok := body["message"].(string); !ok || msg == "" || (tc.msg != "" && msg != tc.msg) {
				t.Errorf("message %v, want %q", body["message"], tc.msg)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}

	t.Run("success", func(t *testing.T) {
		h := h.with(t)
		status, hdr, body := h.raw(target+"InitiateAuth", jsonBody(t, map[string]any{
			"AuthFlow": "USER_SRP_AUTH", "ClientId": "plain",
			"AuthParameters": map[string]string{"USERNAME": "alice", "SRP_A": mustEphemeral(t).SRPA()},
		}))
		if status != 200 || body["ChallengeName"] != "PASSWORD_VERIFIER" || hdr.Get("x-amzn-RequestId") == "" || hdr.Get("x-amzn-ErrorType") != "" {
			t.Errorf("%d %v %v", status, hdr, body)
		}
	})
	t.Run("GET /", func(t *testing.T) {
		resp, err := http.Get(h.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("x-amzn-ErrorType") == "" {
			t.Errorf("GET /: %s", resp.Status)
		}
	})
	t.Run("CORS preflight", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodOptions, h.srv.URL+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "x-amz-target") {
			t.Errorf("preflight: %s %v", resp.Status, resp.Header)
		}
	})
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k`)
		b.WriteString(strings.Repeat("x", i))
		b.WriteString(`": "v"`)
	}
	return b.String()
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogging(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	h := newHarness(t, testConfig(), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	sh := map[string]string{"SECRET_HASH": secretHashB64(secretValue, "alice", "secret")}
	ch, eph := h.startSRP("secret", "alice", sh)
	resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
	resp["SECRET_HASH"] = sh["SECRET_HASH"]
	res := h.tokens(h.respond("secret", "PASSWORD_VERIFIER", ch.Session, resp))
	_, err := h.srpLogin(poolPlain, "plain", "alice", "wrong-password", nil)
	wantAPIError(t, err, "NotAuthorizedException", "")
	if _, err := h.client.GetUser(h.ctx, &cip.GetUserInput{AccessToken: res.AccessToken}); err != nil {
		t.Fatal(err)
	}
	mfa := h.challenge("SMS_MFA")(h.respond("plain", "SELECT_MFA_TYPE", h.challenge("SELECT_MFA_TYPE")(h.srpLogin(poolPlain, "plain", "dave", pw, nil)).Session, map[string]string{"USERNAME": "dave", "ANSWER": "SMS_MFA"}))
	code, _ := h.e.LastCode(poolPlain, "dave")
	h.tokens(h.respond("plain", "SMS_MFA", mfa.Session, map[string]string{"USERNAME": "dave", "SMS_MFA_CODE": code}))

	logs := buf.String()
	for _, want := range []string{"op=InitiateAuth", "op=RespondToAuthChallenge", "status=200", "status=400", "error=NotAuthorizedException", "op=GetUser", "duration="} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	for name, secret := range map[string]string{
		"password": pw, "wrong password": "wrong-password", "SRP_A": eph.SRPA()[:32], "SRP_B": ch.Params["SRP_B"][:32],
		"signature": resp["PASSWORD_CLAIM_SIGNATURE"], "secret block": ch.Params["SECRET_BLOCK"][:32],
		"secret hash": sh["SECRET_HASH"], "session": aws.ToString(ch.Session)[:32], "code": "=" + code,
		"access token": aws.ToString(res.AccessToken)[:40], "refresh token": aws.ToString(res.RefreshToken)[:32],
	} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains the %s", name)
		}
	}
	if n := strings.Count(logs, "\n"); n < 8 {
		t.Errorf("%d log lines", n)
	}
}

func TestConcurrentSignIns(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Go(func() {
			user := []string{"alice", "uuid@example.com"}[i%2]
			eph, err := srp.NewEphemeral()
			if err != nil {
				errs <- err
				return
			}
			out, err := h.client.InitiateAuth(h.ctx, &cip.InitiateAuthInput{
				AuthFlow: types.AuthFlowTypeUserSrpAuth, ClientId: aws.String("plain"),
				AuthParameters: map[string]string{"USERNAME": user, "SRP_A": eph.SRPA()},
			})
			if err != nil {
				errs <- err
				return
			}
			ch, err := srp.ParseChallengeParameters(out.ChallengeParameters)
			if err != nil {
				errs <- err
				return
			}
			cl, err := eph.PasswordClaim(poolPlain, out.ChallengeParameters["USER_ID_FOR_SRP"], pw, ch, h.clock.now())
			if err != nil {
				errs <- err
				return
			}
			_, err = h.client.RespondToAuthChallenge(h.ctx, &cip.RespondToAuthChallengeInput{
				ChallengeName: types.ChallengeNameTypePasswordVerifier, ClientId: aws.String("plain"), Session: out.Session,
				ChallengeResponses: map[string]string{
					"USERNAME": out.ChallengeParameters["USERNAME"], "PASSWORD_CLAIM_SIGNATURE": cl.Signature,
					"PASSWORD_CLAIM_SECRET_BLOCK": cl.SecretBlock, "TIMESTAMP": cl.Timestamp,
				},
			})
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	for range 5 {
		h.startSRP("plain", "alice", nil)
	}
	count := func() (int, int) {
		h.e.mu.Lock()
		defer h.e.mu.Unlock()
		return len(h.e.sessions), len(h.e.secretBlocks)
	}
	if s, b := count(); s != 5 || b != 5 {
		t.Fatalf("%d sessions, %d secret blocks", s, b)
	}
	h.clock.advance(4 * time.Minute)
	h.raw(target+"GetUser", `{}`) // any request purges
	if s, b := count(); s != 0 || b != 0 {
		t.Errorf("after expiry: %d sessions, %d secret blocks", s, b)
	}
	h.clock.advance(time.Hour)
	h.raw(target+"GetUser", `{}`)
	h.e.mu.Lock()
	used := len(h.e.used)
	h.e.mu.Unlock()
	if used != 0 {
		t.Errorf("%d used session tokens kept", used)
	}
}

func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	e, err := NewHandler(testConfig(), WithSigningKey(testKey()), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	// A handler that panics stands in for a bug; no known input reaches one.
	boom := func(*Handler, *reqCtx, []byte) (any, error) { panic("secret-in-panic") }
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", target+"InitiateAuth")
	e.serve(rec, req, func(string) handler { return boom })
	if rec.Code != 500 || rec.Header().Get("x-amzn-ErrorType") != "InternalErrorException" {
		t.Errorf("panic answered %d %q", rec.Code, rec.Header().Get("x-amzn-ErrorType"))
	}
	if strings.Contains(buf.String(), "secret-in-panic") {
		t.Error("the panic value was logged")
	}
}
