package e2e_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

const (
	hostilePool     = "us-east-1_Hostile"
	hostileSecret   = "hostile-client-secret-0123456789abcdefghij"
	hostilePassword = "hostile-test password 5"
	target          = "AWSCognitoIdentityProviderService."
	hostileTOTP     = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

// groupN is the 3072-bit MODP prime of RFC 3526 (group 15), Cognito's N.
var groupN, _ = new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"+
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"+
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D"+
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"+
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"+
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510"+
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"+
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"+
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"+
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"+
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"+
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)

// TestGroupN checks groupN against Cognito's k = H(padHex(N) ‖ padHex(g)).
func TestGroupN(t *testing.T) {
	padN := append([]byte{0}, groupN.Bytes()...) // top bit set: a 00 byte first
	k := sha256.Sum256(append(padN, 2))
	if got := hex.EncodeToString(k[:]); got != "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6" {
		t.Fatalf("k = %s: groupN is not Cognito's N", got)
	}
}

func hostileConfig() cognitotest.Config {
	return cognitotest.Config{
		Region: region,
		UserPools: []cognitotest.UserPool{{
			ID:             hostilePool,
			DeviceTracking: "always",
			Clients:        []cognitotest.AppClient{{ID: "hostile"}, {ID: "hostilesecret", Secret: hostileSecret}},
			Users: []cognitotest.User{
				{Username: "alice", Password: hostilePassword, Attributes: map[string]string{"email": "alice@example.com"}},
				{Username: "bob", Password: hostilePassword},
				// carol must change her password: NEW_PASSWORD_REQUIRED.
				{Username: "carol", Password: hostilePassword, Status: "FORCE_CHANGE_PASSWORD", Attributes: map[string]string{"email": "carol@example.com"}},
				// dora has TOTP MFA, eve and frank are victims of guessing
				// and of a flood.
				{Username: "dora", Password: hostilePassword, TOTPSecret: hostileTOTP},
				{Username: "eve", Password: hostilePassword},
				{Username: "frank", Password: hostilePassword, Attributes: map[string]string{"email": "frank@example.com"}},
			},
		}},
	}
}

// wire talks to a server over plain HTTP, as an attacker would.
type wire struct {
	t      *testing.T
	url    string
	client *http.Client
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (w *wire) post(op string, body []byte) answer {
	w.t.Helper()
	req, err := http.NewRequest(http.MethodPost, w.url+"/", bytes.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if op != "" {
		req.Header.Set("X-Amz-Target", op)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatalf("%s: %v", op, err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if a.raw, err = io.ReadAll(resp.Body); err != nil {
		w.t.Fatalf("%s: reading the answer: %v", op, err)
	}
	if err := json.Unmarshal(a.raw, &a.body); err != nil {
		w.t.Fatalf("%s: the answer is not a JSON object: %s", op, quote(string(a.raw)))
	}
	return a
}

// call posts v as JSON to the operation op.
func (w *wire) call(op string, v any) answer {
	w.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.post(target+op, b)
}

// ok fails unless a is a success, and returns its body.
func (w *wire) ok(a answer) map[string]any {
	w.t.Helper()
	if a.status != http.StatusOK {
		w.t.Fatalf("HTTP %d: %s", a.status, quote(string(a.raw)))
	}
	return a.body
}

// challenge is a PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) in progress.
type challenge struct {
	clientID string
	session  string
	params   map[string]string
	eph      *srp.Ephemeral
}

func stringMap(v any) map[string]string {
	m := map[string]string{}
	if mm, ok := v.(map[string]any); ok {
		for k, x := range mm {
			if s, ok := x.(string); ok {
				m[k] = s
			}
		}
	}
	return m
}

// start sends InitiateAuth USER_SRP_AUTH for user with extra parameters.
func (w *wire) start(clientID, user string, extra map[string]string) *challenge {
	w.t.Helper()
	eph, err := srp.NewEphemeral()
	if err != nil {
		w.t.Fatal(err)
	}
	params := map[string]string{"USERNAME": user, "SRP_A": eph.SRPA()}
	if clientID == "hostilesecret" {
		params["SECRET_HASH"] = secrethash.Compute(clientID, hostileSecret, user)
	}
	for k, v := range extra {
		params[k] = v
	}
	out := w.ok(w.call("InitiateAuth", map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": clientID, "AuthParameters": params}))
	if out["ChallengeName"] != "PASSWORD_VERIFIER" {
		w.t.Fatalf("InitiateAuth: %v", out)
	}
	s, _ := out["Session"].(string)
	return &challenge{clientID: clientID, session: s, params: stringMap(out["ChallengeParameters"]), eph: eph}
}

// answer returns the RespondToAuthChallenge request that answers c with a
// claim signed at time at.
func (w *wire) answer(c *challenge, at time.Time) map[string]any {
	w.t.Helper()
	return w.answerWith(c, at, hostilePassword)
}

// answerWith is answer with a claim of password.
func (w *wire) answerWith(c *challenge, at time.Time, password string) map[string]any {
	w.t.Helper()
	ch, err := srp.ParseChallengeParameters(c.params)
	if err != nil {
		w.t.Fatal(err)
	}
	claim, err := c.eph.PasswordClaim(hostilePool, c.params["USER_ID_FOR_SRP"], password, ch, at)
	if err != nil {
		w.t.Fatal(err)
	}
	resp := map[string]string{
		"USERNAME":                    c.params["USERNAME"],
		"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": claim.SecretBlock,
		"TIMESTAMP":                   claim.Timestamp,
	}
	if c.clientID == "hostilesecret" {
		resp["SECRET_HASH"] = secrethash.Compute(c.clientID, hostileSecret, c.params["USERNAME"])
	}
	return map[string]any{"ChallengeName": "PASSWORD_VERIFIER", "ClientId": c.clientID, "Session": c.session, "ChallengeResponses": resp}
}

// responses returns the ChallengeResponses of a request made by answer.
func responses(req map[string]any) map[string]string {
	return req["ChallengeResponses"].(map[string]string)
}

// keysJSON returns n members "k0": "v", ... of a JSON object.
func keysJSON(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"k%d": "v"`, i)
	}
	return b.String()
}

// TestHostileRequests sends requests that no SDK would, straight over HTTP,
// and checks that each is answered with Cognito's error shape (status 400,
// or 413 for an oversized body; the __type member and the x-amzn-ErrorType
// header) and never with a 5xx, and that the server works afterwards.
func TestHostileRequests(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	srv := cognitotest.NewServer(hostileConfig(), cognitotest.WithLogger(slogTo(&logs)))
	t.Cleanup(srv.Close)
	w := &wire{t: t, url: srv.URL, client: &http.Client{Transport: newTransport(t, 4), Timeout: 30 * time.Second}}

	// alice and bob remember a device each.
	store := flows.NewMemoryStore()
	c := newFlows(t, newAPI(t, srv, srv.URL), hostilePool, "hostile", func(o *flows.Options) { o.DeviceStore = store })
	devices := map[string]*flows.Result{}
	for _, u := range []string{"alice", "bob"} {
		res, err := c.Login(context.Background(), u, hostilePassword)
		if err != nil || res.Device == nil {
			t.Fatalf("%s: remembering a device: %v", u, err)
		}
		devices[u] = res
	}
	aliceKey, bobKey := devices["alice"].Device.DeviceKey, devices["bob"].Device.DeviceKey

	srpA := func(a string) func(*wire) (string, []byte) {
		return func(w *wire) (string, []byte) {
			b, _ := json.Marshal(map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile",
				"AuthParameters": map[string]string{"USERNAME": "alice", "SRP_A": a}})
			return target + "InitiateAuth", b
		}
	}
	raw := func(op, body string) func(*wire) (string, []byte) {
		return func(*wire) (string, []byte) { return op, []byte(body) }
	}
	respond := func(req map[string]any) (string, []byte) {
		b, _ := json.Marshal(req)
		return target + "RespondToAuthChallenge", b
	}
	// newPassword answers carol's NEW_PASSWORD_REQUIRED with extra
	// responses.
	newPassword := func(extra map[string]string) func(*wire) (string, []byte) {
		return func(w *wire) (string, []byte) {
			out := w.ok(w.call("RespondToAuthChallenge", w.answer(w.start("hostile", "carol", nil), time.Now())))
			if out["ChallengeName"] != "NEW_PASSWORD_REQUIRED" {
				w.t.Fatalf("carol: %v", out)
			}
			cr := map[string]string{"USERNAME": "carol", "NEW_PASSWORD": "a new password 9"}
			for k, v := range extra {
				cr[k] = v
			}
			return respond(map[string]any{"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": "hostile", "Session": out["Session"], "ChallengeResponses": cr})
		}
	}
	n := groupN
	for _, tc := range []struct {
		name   string
		req    func(w *wire) (op string, body []byte)
		status int
		typ    string
	}{
		{"malformed JSON", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": `), 400, "SerializationException"},
		{"not JSON", raw(target+"InitiateAuth", `AuthFlow=USER_SRP_AUTH`), 400, "SerializationException"},
		{"JSON array", raw(target+"InitiateAuth", `[{"AuthFlow": "USER_SRP_AUTH"}]`), 400, "SerializationException"},
		{"number for a string", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": 42}`), 400, "SerializationException"},
		{"array for a map", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile", "AuthParameters": ["USERNAME", "alice"]}`), 400, "SerializationException"},
		{"number in a map", raw(target+"RespondToAuthChallenge", `{"ChallengeName": "PASSWORD_VERIFIER", "ClientId": "hostile", "ChallengeResponses": {"USERNAME": 7}}`), 400, "SerializationException"},
		{"null for a map", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile", "AuthParameters": null}`), 400, "InvalidParameterException"},
		{"10 MB body", func(*wire) (string, []byte) {
			return target + "InitiateAuth", []byte(`{"AuthFlow": "USER_SRP_AUTH", "ClientId": "` + strings.Repeat("a", 10<<20) + `"}`)
		}, 413, "SerializationException"},
		{"SRP_A = 0", srpA("0"), 400, "InvalidParameterException"},
		{"SRP_A = N", srpA(n.Text(16)), 400, "InvalidParameterException"},
		{"SRP_A = 2N", srpA(new(big.Int).Lsh(n, 1).Text(16)), 400, "InvalidParameterException"},
		{"SRP_A = -N", srpA(new(big.Int).Neg(n).Text(16)), 400, "InvalidParameterException"},
		{"SRP_A = N, padded", srpA("0000" + n.Text(16)), 400, "InvalidParameterException"},
		{"SRP_A not hex", srpA("0x" + strings.Repeat("g", 64)), 400, "InvalidParameterException"},
		{"SRP_A of 10,000 digits", srpA(strings.Repeat("7", 10_000)), 400, "InvalidParameterException"},
		{"SRP_A empty", srpA(""), 400, "InvalidParameterException"},
		{"replayed claim", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "alice", nil), time.Now())
			w.ok(w.call("RespondToAuthChallenge", req))
			return respond(req)
		}, 400, "NotAuthorizedException"},
		{"replayed claim without Session", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "alice", nil), time.Now())
			w.ok(w.call("RespondToAuthChallenge", req))
			delete(req, "Session")
			return respond(req)
		}, 400, "NotAuthorizedException"},
		{"claim replayed on a new challenge", func(w *wire) (string, []byte) {
			old := w.answer(w.start("hostile", "alice", nil), time.Now())
			w.ok(w.call("RespondToAuthChallenge", old))
			req := w.answer(w.start("hostile", "alice", nil), time.Now())
			r := responses(req)
			r["PASSWORD_CLAIM_SIGNATURE"], r["TIMESTAMP"] = responses(old)["PASSWORD_CLAIM_SIGNATURE"], responses(old)["TIMESTAMP"]
			return respond(req)
		}, 400, "NotAuthorizedException"},
		{"timestamp 6 minutes old", func(w *wire) (string, []byte) {
			return respond(w.answer(w.start("hostile", "alice", nil), time.Now().Add(-6*time.Minute)))
		}, 400, "NotAuthorizedException"},
		{"timestamp 6 minutes ahead", func(w *wire) (string, []byte) {
			return respond(w.answer(w.start("hostile", "alice", nil), time.Now().Add(6*time.Minute)))
		}, 400, "NotAuthorizedException"},
		{"timestamp a day old", func(w *wire) (string, []byte) {
			return respond(w.answer(w.start("hostile", "alice", nil), time.Now().Add(-24*time.Hour)))
		}, 400, "NotAuthorizedException"},
		{"timestamp in ISO 8601", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "alice", nil), time.Now())
			responses(req)["TIMESTAMP"] = time.Now().UTC().Format(time.RFC3339)
			return respond(req)
		}, 400, "InvalidParameterException"},
		{"signature not base64", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "alice", nil), time.Now())
			responses(req)["PASSWORD_CLAIM_SIGNATURE"] = "%%%"
			return respond(req)
		}, 400, "NotAuthorizedException"},
		{"forged Session", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "alice", nil), time.Now())
			req["Session"] = strings.Repeat("A", 128)
			return respond(req)
		}, 400, "NotAuthorizedException"},
		{"wrong SECRET_HASH in InitiateAuth", func(w *wire) (string, []byte) {
			b, _ := json.Marshal(map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostilesecret", "AuthParameters": map[string]string{
				"USERNAME": "alice", "SRP_A": "02", "SECRET_HASH": secrethash.Compute("hostilesecret", "not the secret", "alice")}})
			return target + "InitiateAuth", b
		}, 400, "NotAuthorizedException"},
		{"missing SECRET_HASH", func(w *wire) (string, []byte) {
			b, _ := json.Marshal(map[string]any{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostilesecret", "AuthParameters": map[string]string{"USERNAME": "alice", "SRP_A": "02"}})
			return target + "InitiateAuth", b
		}, 400, "NotAuthorizedException"},
		{"SECRET_HASH of another user", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostilesecret", "alice", nil), time.Now())
			responses(req)["SECRET_HASH"] = secrethash.Compute("hostilesecret", hostileSecret, "bob")
			return respond(req)
		}, 400, "NotAuthorizedException"},
		{"another user's device key in InitiateAuth", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "bob", map[string]string{"DEVICE_KEY": aliceKey}), time.Now())
			responses(req)["DEVICE_KEY"] = aliceKey
			return respond(req)
		}, 400, "ResourceNotFoundException"},
		{"another user's device key in DEVICE_SRP_AUTH", func(w *wire) (string, []byte) {
			req := w.answer(w.start("hostile", "alice", map[string]string{"DEVICE_KEY": aliceKey}), time.Now())
			responses(req)["DEVICE_KEY"] = aliceKey
			out := w.ok(w.call("RespondToAuthChallenge", req))
			if out["ChallengeName"] != "DEVICE_SRP_AUTH" {
				w.t.Fatalf("after PASSWORD_VERIFIER with a device: %v", out)
			}
			eph, _ := srp.NewEphemeral()
			return respond(map[string]any{"ChallengeName": "DEVICE_SRP_AUTH", "ClientId": "hostile", "Session": out["Session"],
				"ChallengeResponses": map[string]string{"USERNAME": "alice", "DEVICE_KEY": bobKey, "SRP_A": eph.SRPA()}})
		}, 400, "ResourceNotFoundException"},
		{"another user's device key in ConfirmDevice", func(w *wire) (string, []byte) {
			b, _ := json.Marshal(map[string]any{"AccessToken": aws.ToString(devices["alice"].AuthenticationResult.AccessToken), "DeviceKey": bobKey,
				"DeviceSecretVerifierConfig": map[string]string{"PasswordVerifier": "AA==", "Salt": "AA=="}})
			return target + "ConfirmDevice", b
		}, 400, "ResourceNotFoundException"},
		{"another user's device key in ForgetDevice", func(w *wire) (string, []byte) {
			b, _ := json.Marshal(map[string]any{"AccessToken": aws.ToString(devices["alice"].AuthenticationResult.AccessToken), "DeviceKey": bobKey})
			return target + "ForgetDevice", b
		}, 400, "ResourceNotFoundException"},
		// Request bodies: every limit is enforced on what the handler
		// uses, and repeated or case-variant members are refused.
		{"repeated member", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile"}`), 400, "SerializationException"},
		{"case-variant member", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "authflow": "CUSTOM_AUTH", "ClientId": "hostile"}`), 400, "SerializationException"},
		{"repeated map key", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile", "AuthParameters": {"USERNAME": "alice", "USERNAME": "bob", "SRP_A": "02"}}`), 400, "SerializationException"},
		{"three ChallengeResponses", func(w *wire) (string, []byte) {
			out := w.ok(w.call("RespondToAuthChallenge", w.answer(w.start("hostile", "carol", nil), time.Now())))
			if out["ChallengeName"] != "NEW_PASSWORD_REQUIRED" {
				w.t.Fatalf("carol: %v", out)
			}
			big := strings.Repeat("x", 15<<10)
			return target + "RespondToAuthChallenge", []byte(`{"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": "hostile", "Session": "` + out["Session"].(string) + `", ` +
				`"ChallengeResponses": {"USERNAME": "carol", "NEW_PASSWORD": "a new password 9"}, ` +
				`"challengeresponses": {"userAttributes.name": "` + big + `"}, "CHALLENGERESPONSES": {"userAttributes.nickname": "` + big + `"}}`)
		}, 400, "SerializationException"},
		{"string over 16 KiB", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "`+strings.Repeat("c", 17<<10)+`"}`), 400, "InvalidParameterException"},
		{"string over 16 KiB in an unknown member", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "Unknown": "`+strings.Repeat("c", 17<<10)+`"}`), 400, "InvalidParameterException"},
		{"escaped string over 16 KiB", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "`+strings.Repeat(`\u0063`, 17<<10)+`"}`), 400, "InvalidParameterException"},
		{"key over 16 KiB", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"`+strings.Repeat("k", 17<<10)+`": "v"}}`), 400, "InvalidParameterException"},
		{"map of 101 entries", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile", "AuthParameters": {`+keysJSON(101)+`}}`), 400, "InvalidParameterException"},
		{"array of 101 items", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH", "Unknown": [`+strings.TrimSuffix(strings.Repeat("0,", 101), ",")+`]}`), 400, "InvalidParameterException"},
		{"nested 17 deep", raw(target+"InitiateAuth", `{"Unknown": `+strings.Repeat("[", 17)+strings.Repeat("]", 17)+`}`), 400, "InvalidParameterException"},
		{"invalid escape", raw(target+"InitiateAuth", `{"AuthFlow": "USER_\q"}`), 400, "SerializationException"},
		{"control character in a string", raw(target+"InitiateAuth", "{\"AuthFlow\": \"USER\x01\"}"), 400, "SerializationException"},
		{"trailing comma", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH",}`), 400, "SerializationException"},
		{"two objects", raw(target+"InitiateAuth", `{"AuthFlow": "USER_SRP_AUTH"}{"ClientId": "hostile"}`), 400, "SerializationException"},

		// Attribute writes: only what the app client may write, no alias
		// of another user.
		{"email_verified in NEW_PASSWORD_REQUIRED", newPassword(map[string]string{"userAttributes.email_verified": "true"}), 400, "NotAuthorizedException"},
		{"cognito:groups in NEW_PASSWORD_REQUIRED", newPassword(map[string]string{"userAttributes.cognito:groups": "admin"}), 400, "NotAuthorizedException"},
		{"JWT claim in NEW_PASSWORD_REQUIRED", newPassword(map[string]string{"userAttributes.nbf": "0"}), 400, "NotAuthorizedException"},
		{"sub in NEW_PASSWORD_REQUIRED", newPassword(map[string]string{"userAttributes.sub": "00000000-0000-4000-8000-000000000000"}), 400, "NotAuthorizedException"},
		// An unverified email is no alias (developer guide, "Overview of
		// aliases"), so it is a preferred_username that may not take
		// another user's email, in any case.
		{"another user's email as preferred_username, upper case", newPassword(map[string]string{"userAttributes.preferred_username": "ALICE@EXAMPLE.COM"}), 400, "AliasExistsException"},

		// Guessing and floods: counted per user, across sessions.
		{"passwordless first factor not enabled", func(w *wire) (string, []byte) {
			out := w.ok(w.call("InitiateAuth", map[string]any{"AuthFlow": "USER_AUTH", "ClientId": "hostile",
				"AuthParameters": map[string]string{"USERNAME": "frank", "PREFERRED_CHALLENGE": "EMAIL_OTP"}}))
			if out["ChallengeName"] != "SELECT_CHALLENGE" {
				w.t.Fatalf("USER_AUTH with EMAIL_OTP preferred: %v", out)
			}
			return respond(map[string]any{"ChallengeName": "SELECT_CHALLENGE", "ClientId": "hostile", "Session": out["Session"],
				"ChallengeResponses": map[string]string{"USERNAME": "frank", "ANSWER": "EMAIL_OTP"}})
		}, 400, "InvalidParameterException"},
		{"TOTP guessed across sessions", func(w *wire) (string, []byte) {
			mfa := func() map[string]any {
				out := w.ok(w.call("RespondToAuthChallenge", w.answer(w.start("hostile", "dora", nil), time.Now())))
				if out["ChallengeName"] != "SOFTWARE_TOKEN_MFA" {
					w.t.Fatalf("dora: %v", out)
				}
				return out
			}
			code := func(c string) map[string]any {
				return map[string]any{"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": "hostile", "Session": mfa()["Session"],
					"ChallengeResponses": map[string]string{"USERNAME": "dora", "SOFTWARE_TOKEN_MFA_CODE": c}}
			}
			right := cognitotest.TOTPCode(hostileTOTP, time.Now())
			wrong := "000000"
			if right == wrong {
				wrong = "111111"
			}
			for range 5 {
				if a := w.call("RespondToAuthChallenge", code(wrong)); a.body["__type"] != "CodeMismatchException" {
					w.t.Fatalf("a wrong code: %s", quote(string(a.raw)))
				}
			}
			return respond(code(right)) // refused: the guesser is locked out
		}, 400, "TooManyFailedAttemptsException"},
		{"password guessed across sessions", func(w *wire) (string, []byte) {
			for range 5 {
				if a := w.call("RespondToAuthChallenge", w.answerWith(w.start("hostile", "eve", nil), time.Now(), "a guess")); a.body["__type"] != "NotAuthorizedException" {
					w.t.Fatalf("a wrong password: %s", quote(string(a.raw)))
				}
			}
			return respond(w.answer(w.start("hostile", "eve", nil), time.Now()))
		}, 400, "NotAuthorizedException"},
		{"session flood by one user", func(w *wire) (string, []byte) {
			var first any
			for i := range 30 {
				out := w.ok(w.call("InitiateAuth", map[string]any{"AuthFlow": "USER_AUTH", "ClientId": "hostile", "AuthParameters": map[string]string{"USERNAME": "frank"}}))
				if i == 0 {
					first = out["Session"]
				}
			}
			// The flood ended frank's oldest sign-in, and no one else's.
			return respond(map[string]any{"ChallengeName": "SELECT_CHALLENGE", "ClientId": "hostile", "Session": first,
				"ChallengeResponses": map[string]string{"USERNAME": "frank", "ANSWER": "PASSWORD", "PASSWORD": hostilePassword}})
		}, 400, "NotAuthorizedException"},
		{"unknown X-Amz-Target", raw(target+"AdminNoSuchOperation", `{}`), 400, "UnknownOperationException"},
		{"unsigned admin call", raw(target+"AdminDeleteUser", `{"UserPoolId": "`+hostilePool+`", "Username": "alice"}`), 400, "MissingAuthenticationTokenException"},
		{"sign-up with an attribute the client may not write", raw(target+"SignUp", `{"ClientId": "hostile", "Username": "mallory", "Password": "Passw0rd!", "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}`), 400, "NotAuthorizedException"},
		{"sign-up with a user name of spaces", raw(target+"SignUp", `{"ClientId": "hostile", "Username": "   ", "Password": "Passw0rd!"}`), 400, "InvalidParameterException"},
		{"confirm sign-up of another user", raw(target+"ConfirmSignUp", `{"ClientId": "hostile", "Username": "alice", "ConfirmationCode": "123456"}`), 400, "NotAuthorizedException"},
		{"X-Amz-Target of another service", raw("DynamoDB_20120810.GetItem", `{}`), 400, "UnknownOperationException"},
		{"no X-Amz-Target", raw("", `{"AuthFlow": "USER_SRP_AUTH", "ClientId": "hostile"}`), 400, "UnknownOperationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := &wire{t: t, url: w.url, client: w.client}
			op, body := tc.req(w)
			a := w.post(op, body)
			if a.status >= 500 || a.status != tc.status {
				t.Errorf("HTTP %d, want %d: %s", a.status, tc.status, quote(string(a.raw)))
			}
			if typ := a.body["__type"]; typ != tc.typ || a.header.Get("x-amzn-ErrorType") != tc.typ {
				t.Errorf("__type %v, x-amzn-ErrorType %q, want %s: %s", typ, a.header.Get("x-amzn-ErrorType"), tc.typ, quote(string(a.raw)))
			}
			if msg, _ := a.body["message"].(string); msg == "" {
				t.Errorf("no message: %s", quote(string(a.raw)))
			}
		})
	}

	// The server still works, and never had to recover from a panic.
	res, err := c.Login(context.Background(), "alice", hostilePassword)
	if err != nil || res.Device == nil || res.Device.DeviceKey != aliceKey {
		t.Errorf("sign-in after the hostile requests: %v, %v", res, err)
	}
	if l := logs.String(); strings.Contains(l, "internal error") || strings.Contains(l, "status=5") {
		t.Errorf("the server logged an internal error:\n%s", l)
	}
}
