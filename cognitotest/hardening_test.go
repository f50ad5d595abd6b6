package cognitotest

// Regression tests of issue 10: the attacks a review reproduced against the
// local server, each closed at the depth of its class.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// defaultPolicyConfig is testConfig with the pools' default sign-in policy
// (PASSWORD only), as a configuration without signInPolicy has.
func defaultPolicyConfig() Config {
	cfg := testConfig()
	for i := range cfg.UserPools {
		cfg.UserPools[i].SignInPolicy = nil
	}
	return cfg
}

// wrongCode returns a 6-digit code other than code.
func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// TestPasswordlessFirstFactorNeedsSignInPolicy: without a sign-in policy
// that lists them, USER_AUTH offers no EMAIL_OTP or SMS_OTP first factor,
// neither as PREFERRED_CHALLENGE nor in SELECT_CHALLENGE.
func TestPasswordlessFirstFactorNeedsSignInPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, defaultPolicyConfig())
	out := h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice"}))
	if want := []types.ChallengeNameType{"PASSWORD_SRP", "PASSWORD"}; !slices.Equal(out.Available, want) {
		t.Errorf("AvailableChallenges %v, want %v", out.Available, want)
	}
	_, err := h.respond("plain", "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "alice", "ANSWER": "EMAIL_OTP"})
	wantAPIError(t, err, "InvalidParameterException", "Invalid ANSWER: EMAIL_OTP is not an available challenge.")
	for _, pref := range []string{"EMAIL_OTP", "SMS_OTP"} {
		h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": pref}))
	}
	if n := len(h.e.Messages()); n != 0 {
		t.Errorf("%d codes were sent", n)
	}

	// Listing one factor enables that one only.
	cfg := defaultPolicyConfig()
	cfg.UserPools[0].SignInPolicy = &SignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "SMS_OTP"}}
	h = newHarness(t, cfg)
	out = h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice"}))
	if want := []types.ChallengeNameType{"PASSWORD_SRP", "PASSWORD", "SMS_OTP"}; !slices.Equal(out.Available, want) {
		t.Errorf("with SMS_OTP allowed: AvailableChallenges %v, want %v", out.Available, want)
	}
}

// TestPasswordlessKeepsOtherChallenges: a passwordless first factor is not
// offered to users whose MFA applies, and a temporary password must still
// be changed after one.
func TestPasswordlessKeepsOtherChallenges(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig()) // Plain allows EMAIL_OTP and SMS_OTP

	// erin has EMAIL_OTP MFA, dave SMS_MFA: no passwordless first factor.
	for _, u := range []string{"erin", "dave"} {
		out := h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": u}))
		if want := []types.ChallengeNameType{"PASSWORD_SRP", "PASSWORD"}; !slices.Equal(out.Available, want) {
			t.Errorf("%s: AvailableChallenges %v, want %v", u, out.Available, want)
		}
		h.challenge("SELECT_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": u, "PREFERRED_CHALLENGE": "EMAIL_OTP"}))
	}

	// bob must change his temporary password after EMAIL_OTP too.
	ch := h.challenge("EMAIL_OTP")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "bob", "PREFERRED_CHALLENGE": "EMAIL_OTP"}))
	code, _ := h.e.LastCode(poolPlain, "bob")
	np := h.challenge("NEW_PASSWORD_REQUIRED")(h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "bob", "EMAIL_OTP_CODE": code}))
	h.tokens(h.respond("plain", "NEW_PASSWORD_REQUIRED", np.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd", "userAttributes.name": "Bob"}))
}

// TestCodeGuessingLockedOutAcrossSessions: wrong codes are counted per user
// across sessions, for passwordless first factors and every MFA code, so a
// guessing loop that starts a fresh session for each guess is stopped.
func TestCodeGuessingLockedOutAcrossSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())

	t.Run("EMAIL_OTP first factor", func(t *testing.T) {
		h := h.with(t)
		start := func() (*authOut, string) {
			ch := h.challenge("EMAIL_OTP")(h.initiate("plain", types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}))
			code, _ := h.e.LastCode(poolPlain, "alice")
			return ch, code
		}
		for range lockoutAfter {
			ch, code := start()
			_, err := h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": wrongCode(code)})
			wantAPIError(t, err, "CodeMismatchException", "")
		}
		// The right code of a fresh session is refused during the lockout.
		ch, code := start()
		_, err := h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": code})
		wantAPIError(t, err, "TooManyFailedAttemptsException", "")
		// Passwords are counted apart.
		h.tokens(h.srpLogin(poolPlain, "plain", "alice", pw, nil))
		// After the lockout (1 s after 5 failures), the right code works.
		h.clock.advance(2 * time.Second)
		h.tokens(h.respond("plain", "EMAIL_OTP", ch.Session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": code}))
	})

	t.Run("SOFTWARE_TOKEN_MFA", func(t *testing.T) {
		h := h.with(t)
		for range lockoutAfter {
			mfa := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))
			_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", mfa.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": wrongCode(totpNow(t, h, totpSecret, 0))})
			wantAPIError(t, err, "CodeMismatchException", "")
		}
		mfa := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))
		_, err := h.respond("plain", "SOFTWARE_TOKEN_MFA", mfa.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": totpNow(t, h, totpSecret, 0)})
		wantAPIError(t, err, "TooManyFailedAttemptsException", "")
	})

	t.Run("SMS_MFA", func(t *testing.T) {
		h := h.with(t)
		sms := func() (*authOut, string) {
			sel := h.challenge("SELECT_MFA_TYPE")(h.srpLogin(poolPlain, "plain", "dave", pw, nil))
			ch := h.challenge("SMS_MFA")(h.respond("plain", "SELECT_MFA_TYPE", sel.Session, map[string]string{"USERNAME": "dave", "ANSWER": "SMS_MFA"}))
			code, _ := h.e.LastCode(poolPlain, "dave")
			return ch, code
		}
		for range lockoutAfter {
			ch, code := sms()
			_, err := h.respond("plain", "SMS_MFA", ch.Session, map[string]string{"USERNAME": "dave", "SMS_MFA_CODE": wrongCode(code)})
			wantAPIError(t, err, "CodeMismatchException", "")
		}
		ch, code := sms()
		_, err := h.respond("plain", "SMS_MFA", ch.Session, map[string]string{"USERNAME": "dave", "SMS_MFA_CODE": code})
		wantAPIError(t, err, "TooManyFailedAttemptsException", "")
	})

	t.Run("CUSTOM_CHALLENGE", func(t *testing.T) {
		h := h.with(t)
		start := func() *authOut {
			return h.challenge("CUSTOM_CHALLENGE")(h.initiate("plain", types.AuthFlowTypeCustomAuth, map[string]string{"USERNAME": "erin"}))
		}
		for range lockoutAfter {
			_, err := h.respond("plain", "CUSTOM_CHALLENGE", start().Session, map[string]string{"USERNAME": "erin", "ANSWER": "a guess"})
			wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
		}
		_, err := h.respond("plain", "CUSTOM_CHALLENGE", start().Session, map[string]string{"USERNAME": "erin", "ANSWER": customAns})
		wantAPIError(t, err, "TooManyFailedAttemptsException", "")
	})

	t.Run("MFA_SETUP", func(t *testing.T) {
		h := h.with(t)
		assoc := func() (*string, string) {
			ch := h.challenge("MFA_SETUP")(h.srpLogin(poolMFAOn, "mfaon", "ivan", pw, nil))
			a, err := h.client.AssociateSoftwareToken(h.ctx, &cip.AssociateSoftwareTokenInput{Session: ch.Session})
			if err != nil {
				t.Fatal(err)
			}
			return a.Session, aws.ToString(a.SecretCode)
		}
		for range lockoutAfter {
			s, secret := assoc()
			_, err := h.client.VerifySoftwareToken(h.ctx, &cip.VerifySoftwareTokenInput{Session: s, UserCode: aws.String(wrongCode(totpNow(t, h, secret, 0)))})
			wantAPIError(t, err, "EnableSoftwareTokenMFAException", "")
		}
		s, secret := assoc()
		_, err := h.client.VerifySoftwareToken(h.ctx, &cip.VerifySoftwareTokenInput{Session: s, UserCode: aws.String(totpNow(t, h, secret, 0))})
		wantAPIError(t, err, "TooManyFailedAttemptsException", "")
	})
}

// TestPasswordLockoutAcrossSessions: five wrong passwords, SRP or plain, lock
// the user out with Cognito's "Password attempts exceeded", for a second,
// then for twice as long after each further failure.
func TestPasswordLockoutAcrossSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	for range lockoutAfter {
		_, err := h.srpLogin(poolPlain, "plain", "alice", "not the password", nil)
		wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	}
	_, err := h.srpLogin(poolPlain, "plain", "alice", pw, nil)
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	_, err = h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw})
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	// Other users are not affected.
	h.challenge("EMAIL_OTP")(h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "erin", "PASSWORD": pw}))

	h.clock.advance(1100 * time.Millisecond)
	_, err = h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": "wrong again"})
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	h.clock.advance(1100 * time.Millisecond) // the lockout is now 2 s
	_, err = h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw})
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	h.clock.advance(time.Second)
	h.tokens(h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": pw}))
}

// TestSessionFloodSparesOtherUsers: one user starting sign-ins in a loop
// ends only that user's older unproven ones; a client's flood ends the
// client's oldest unproven sign-in rather than refusing its other users,
// and never one past a first factor; a full table makes room from the
// largest client, so another user or pool is never refused.
func TestSessionFloodSparesOtherUsers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig(), withLimits(limits{userSessions: 5, clientSessions: 12, sessions: 20}))
	userAuth := func(client, user string) (*authOut, error) {
		return h.initiate(client, types.AuthFlowTypeUserAuth, map[string]string{"USERNAME": user})
	}
	var first *authOut
	for i := range 30 {
		out := h.challenge("SELECT_CHALLENGE")(userAuth("plain", "alice"))
		if i == 0 {
			first = out
		}
	}
	if n := h.e.Stats().Sessions; n != 5 {
		t.Errorf("alice holds %d sessions, want the per-user cap 5", n)
	}
	_, err := h.respond("plain", "SELECT_CHALLENGE", first.Session, map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": pw})
	wantAPIError(t, err, "NotAuthorizedException", msgSessionExpired)
	carol := h.challenge("SOFTWARE_TOKEN_MFA")(h.srpLogin(poolPlain, "plain", "carol", pw, nil))

	// Fill the client: alice 5, bob 5, carol 2 (with her MFA challenge).
	for range 5 {
		h.challenge("SELECT_CHALLENGE")(userAuth("plain", "bob"))
	}
	h.challenge("SELECT_CHALLENGE")(userAuth("plain", "carol"))
	// One more ends the client's oldest unproven sign-in, alice's.
	h.challenge("SELECT_CHALLENGE")(userAuth("plain", "carol"))
	if n := h.e.Stats().Sessions; n != 12 {
		t.Errorf("%d sessions, want the per-client cap 12", n)
	}
	h.e.mu.Lock()
	_, live := h.e.sessions[*carol.Session]
	h.e.mu.Unlock()
	if !live {
		t.Error("carol's sign-in past her password was ended")
	}
	// Another client of the pool, and another pool, are not refused.
	h.startSRP("pwd", "erin", nil)
	h.tokens(h.srpLogin(poolAlways, "always", "frank", pw, nil))

	// Fill the table (20): the largest client gives way.
	for _, u := range []string{"frank", "grace"} {
		for range 3 {
			h.startSRP("always", u, nil)
		}
	}
	if n := h.e.Stats().Sessions; n != 19 {
		t.Fatalf("%d sessions, want 19", n)
	}
	h.startSRP("optin", "heidi", nil)
	h.startSRP("optin", "heidi", nil)
	if n := h.e.Stats().Sessions; n != 20 {
		t.Errorf("%d sessions, want the cap 20", n)
	}
	h.e.mu.Lock()
	plain, always := h.e.clients["plain"].sessions.Len(), h.e.clients["always"].sessions.Len()
	h.e.mu.Unlock()
	if plain != 11 || always != 6 {
		t.Errorf("plain holds %d sessions, always %d; want 11 and 6", plain, always)
	}
}

// TestThreeChallengeResponses replays the attack of issue 10: repeated and
// case-variant ChallengeResponses, which encoding/json merges into one map
// after the limits were checked on another parse.
func TestThreeChallengeResponses(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	np := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	head := `{"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": "plain", "Session": "` + aws.ToString(np.Session) + `", `
	good := `"ChallengeResponses": {"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd", "userAttributes.name": "Bob"}`
	big := strings.Repeat("x", 15<<10)
	var extra []string
	for i := range 30 {
		extra = append(extra, fmt.Sprintf(`"userAttributes.custom:a%d": "%s"`, i, big))
	}
	more := "{" + strings.Join(extra, ", ") + "}"
	for _, tc := range []struct{ name, body string }{
		{"repeated", head + good + `, "ChallengeResponses": ` + more + `, "ChallengeResponses": ` + more + `}`},
		{"case variants", head + good + `, "challengeresponses": ` + more + `, "CHALLENGERESPONSES": ` + more + `}`},
		{"repeated key in the map", head + `"ChallengeResponses": {"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd", "userAttributes.name": "Bob", "userAttributes.name": "` + big + `"}}`},
		{"case-variant member names", head + good + `, "SESSION": "x"}`},
	} {
		status, _, body := h.raw(target+"RespondToAuthChallenge", tc.body)
		if status != 400 || body["__type"] != "SerializationException" {
			t.Errorf("%s: HTTP %d %v, want SerializationException", tc.name, status, body)
		}
	}
	// A lone case variant is an unknown member: ignored, never merged.
	status, _, body := h.raw(target+"RespondToAuthChallenge", head+`"challengeResponses": {"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd"}}`)
	if status != 400 || body["message"] != "Missing required parameter USERNAME" {
		t.Errorf("lone case variant: HTTP %d %v", status, body)
	}
	h.e.mu.Lock()
	attrs := len(h.e.pools[poolPlain].users["bob"].attrs)
	h.e.mu.Unlock()
	if attrs != 1 {
		t.Errorf("bob has %d attributes after the attack, want 1", attrs)
	}
	res := h.tokens(h.respond("plain", "NEW_PASSWORD_REQUIRED", np.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd", "userAttributes.name": "Bob"}))
	if n := len(aws.ToString(res.IdToken)); n > 4096 {
		t.Errorf("ID token of %d bytes", n)
	}
}

// TestNewPasswordWriteAttributes: NEW_PASSWORD_REQUIRED writes only the
// attributes the app client may write (Cognito's WriteAttributes), never
// sub, the verified flags, cognito:* or JWT claim names, and no alias that
// another user holds.
func TestNewPasswordWriteAttributes(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.UserPools[0].Clients = append(cfg.UserPools[0].Clients, AppClient{ID: "narrow", WriteAttributes: []string{"name", "custom:team"}})
	h := newHarness(t, cfg)
	answer := func(client string, attrs map[string]string) (*authOut, error) {
		t.Helper()
		np := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, client, "bob", pw, nil))
		cr := map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd", "userAttributes.name": "Bob"}
		for k, v := range attrs {
			cr["userAttributes."+k] = v
		}
		return h.respond(client, "NEW_PASSWORD_REQUIRED", np.Session, cr)
	}
	for _, attr := range []string{"email_verified", "phone_number_verified", "cognito:groups", "cognito:username", "nbf", "exp", "iss", "aud", "token_use", "sub", "custom:team", "made_up"} {
		_, err := answer("plain", map[string]string{attr: "true"})
		wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	}
	_, err := answer("narrow", map[string]string{"email": "bob2@example.com"})
	wantAPIError(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	_, err = answer("plain", map[string]string{"nickname": strings.Repeat("n", 2049)})
	wantAPIError(t, err, "InvalidParameterException", "")

	// Another user's alias, in any case, or user name, is refused as a
	// preferred_username. (A new email or phone number is not verified and
	// so no alias: taking another's is TestUnverifiedEmailIsNoAlias.)
	for _, attrs := range []map[string]string{{"preferred_username": "ALICE@example.com"}, {"preferred_username": "alice@example.com"}, {"preferred_username": "ally"}, {"preferred_username": "carol"}, {"preferred_username": "+15555550100"}} {
		_, err := answer("plain", attrs)
		wantAPIError(t, err, "AliasExistsException", "An account with the given ...")
	}
	h.e.mu.Lock()
	bob := h.e.pools[poolPlain].users["bob"]
	if bob.status != statusForceChange || len(bob.attrs) != 1 {
		t.Errorf("bob changed: %s %v", bob.status, bob.attrs)
	}
	h.e.mu.Unlock()

	res := h.tokens(answer("narrow", map[string]string{"custom:team": "blue"}))
	claims := idClaims(t, aws.ToString(res.IdToken))
	if claims["custom:team"] != "blue" || claims["name"] != "Bob" || claims["email"] != "bob@example.com" {
		t.Errorf("ID token claims %v", claims)
	}
	// Sign-in by email still finds alice, and only her.
	for range 20 {
		if u := h.e.pools[poolPlain].lookupUserLocked("Alice@Example.COM"); u == nil || u.name != "alice" {
			t.Fatalf("lookup by email: %v", u)
		}
	}
}

// TestNewEmailIsNotVerified: changing the email clears email_verified.
func TestNewEmailIsNotVerified(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.UserPools[0].Users[1].Attributes["email_verified"] = "true"
	h := newHarness(t, cfg)
	np := h.challenge("NEW_PASSWORD_REQUIRED")(h.srpLogin(poolPlain, "plain", "bob", pw, nil))
	res := h.tokens(h.respond("plain", "NEW_PASSWORD_REQUIRED", np.Session, map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "a new passw0rd",
		"userAttributes.name": "Bob", "userAttributes.email": "Bob.New@example.com"}))
	claims := idClaims(t, aws.ToString(res.IdToken))
	if claims["email"] != "Bob.New@example.com" || claims["email_verified"] != nil {
		t.Errorf("claims %v", claims)
	}
	// Not verified, the new email is no alias (developer guide, "Overview
	// of aliases": users sign in with a verified email address).
	if u := h.e.pools[poolPlain].lookupUserLocked("bob.new@EXAMPLE.com"); u != nil {
		t.Errorf("lookup by the new, unverified email: %v", u.name)
	}
	if u := h.e.pools[poolPlain].lookupUserLocked("bob@example.com"); u != nil {
		t.Errorf("the old email still finds %s", u.name)
	}
}

func idClaims(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", token)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestConfigAliasCase: two users whose emails differ only in case are a
// configuration error, as they could not both be signed in by email.
func TestConfigAliasCase(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.UserPools[0].Users[1].Attributes["email"] = "Alice@Example.com"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "users[1].attributes.email") {
		t.Errorf("Validate: %v", err)
	}
	cfg = testConfig()
	cfg.UserPools[0].Clients[0].WriteAttributes = []string{"email_verified"}
	cfg.UserPools[0].SignInPolicy = &SignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "MAGIC_LINK"}}
	err := cfg.Validate()
	for _, want := range []string{"clients[0].writeAttributes[0]", "signInPolicy.allowedFirstAuthFactors[1]"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v, want an error about %s", err, want)
		}
	}
}

// TestLogLineFields: the one log line per request names the flow, the
// challenge, the client, the user and the error, and nothing secret;
// unknown operations are named, bounded and escaped.
func TestLogLineFields(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	h := newHarness(t, testConfig(), WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	_, err := h.initiate("pwd", types.AuthFlowTypeUserPasswordAuth, map[string]string{"USERNAME": "alice", "PASSWORD": "hunter2-secret"})
	wantAPIError(t, err, "NotAuthorizedException", msgIncorrect)
	ch, eph := h.startSRP("plain", "carol", nil)
	mfa := h.challenge("SOFTWARE_TOKEN_MFA")(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, h.claim(poolPlain, ch, eph, pw, h.clock.now())))
	h.respond("plain", "SOFTWARE_TOKEN_MFA", mfa.Session, map[string]string{"USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": "123456"})
	h.raw(target+"Evil\u009b2J"+strings.Repeat("x", 300), `{}`)

	logs := buf.String()
	for _, want := range []string{
		`op=InitiateAuth status=400`, `flow=USER_PASSWORD_AUTH client=pwd user=alice error=NotAuthorizedException message="Incorrect username or password."`,
		`op=RespondToAuthChallenge status=400`, `challenge=SOFTWARE_TOKEN_MFA client=plain user=carol error=CodeMismatchException`,
		`op=AWSCognitoIdentityProviderService.Evil\u009b2Jxxx`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"hunter2-secret", "123456", aws.ToString(ch.Session), "\u009b", strings.Repeat("x", 101)} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
}
