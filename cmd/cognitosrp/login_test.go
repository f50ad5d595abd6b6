package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cognitosrp/cognitosrp/cognitotest"
)

const (
	testPool       = "us-east-1_Login01"
	testSetupPool  = "us-east-1_Setup01"
	testSecret     = "the-client-secret-of-confidential"
	alicePassword  = "Alice-Pass-1"
	tinaTOTP       = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	samTOTP        = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
	nancyPassword  = "Nancy-Temp-1"
	oliviaPassword = "Olivia-Pass-1"
)

// newServer starts a local Cognito with the users the login tests need.
func newServer(t *testing.T) *cognitotest.Server {
	t.Helper()
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:             testPool,
			DeviceTracking: "opt-in",
			Clients: []cognitotest.AppClient{
				{ID: "public"},
				{ID: "confidential", Secret: testSecret},
				{ID: "passwordonly", ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH"}},
				{ID: "rotating", RefreshTokenRotation: &cognitotest.RefreshTokenRotation{Feature: "ENABLED"}},
			},
			Users: []cognitotest.User{
				{Username: "alice", Password: alicePassword, Attributes: map[string]string{"email": "alice@example.com", "email_verified": "true"}},
				{Username: "tina", Password: "Tina-Pass-1", TOTPSecret: tinaTOTP, MFA: []string{"SOFTWARE_TOKEN_MFA"}},
				{Username: "nancy", Password: nancyPassword, Status: "FORCE_CHANGE_PASSWORD", RequiredAttributes: []string{"name"}},
				{Username: "sam", Password: "Sam-Pass-1", TOTPSecret: samTOTP, MFA: []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA"},
					Attributes: map[string]string{"phone_number": "+15555550123", "phone_number_verified": "true"}},
			},
		}, {
			ID:      testSetupPool,
			MFA:     "ON",
			Clients: []cognitotest.AppClient{{ID: "setupclient"}},
			Users:   []cognitotest.User{{Username: "olivia", Password: oliviaPassword}},
		}},
	})
	t.Cleanup(srv.Close)
	return srv
}

// loginArgs returns the arguments of a login to the public client of the
// test pool on srv, followed by more.
func loginArgs(srv *cognitotest.Server, username string, more ...string) []string {
	return append([]string{"login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
		"--client-id", "public", "--username", username}, more...)
}

func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	c, err := decodeClaims(jwt)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoginJSON(t *testing.T) {
	srv := newServer(t)
	r := runCLI(t, strings.NewReader(alicePassword+"\n"), loginArgs(srv, "alice", "--password-stdin")...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%v", r)
	}
	out := decodeJSON(t, r.stdout)
	if out.AccessToken == "" || out.IdToken == "" || out.RefreshToken == "" || out.ExpiresIn != 3600 || out.TokenType != "Bearer" {
		t.Errorf("AuthenticationResult %+v", out)
	}
	// The pool tracks devices, so Cognito announces one, which is not
	// remembered without --remember-device or --device-store.
	if out.NewDeviceMetadata == nil || out.NewDeviceMetadata.DeviceKey == "" || out.NewDeviceMetadata.DeviceGroupKey == "" {
		t.Errorf("NewDeviceMetadata %+v", out.NewDeviceMetadata)
	}
	if n := srv.DeviceCount(testPool, "alice"); n != 0 {
		t.Errorf("%d devices confirmed without --remember-device", n)
	}
	if _, err := os.Stat(filepath.Join(testOnlyConfigDir, "cognitosrp", "devices.json")); err == nil {
		t.Errorf("the default device store was written without --remember-device")
	}
	// The AWS CLI's shape and field order, indented by four spaces.
	want := regexp.MustCompile(`(?s)^\{\n    "AuthenticationResult": \{\n        "AccessToken": "[^"]+",\n        "ExpiresIn": 3600,\n        "TokenType": "Bearer",\n        "RefreshToken": "[^"]+",\n        "IdToken": "[^"]+",\n        "NewDeviceMetadata": \{\n            "DeviceKey": "[^"]+",\n            "DeviceGroupKey": "[^"]+"\n        \}\n    \}\n\}\n$`)
	if !want.MatchString(r.stdout) {
		t.Errorf("output not in the AWS CLI's shape:\n%s", r.stdout)
	}
	if c := claims(t, out.IdToken); c["cognito:username"] != "alice" || c["token_use"] != "id" {
		t.Errorf("ID token claims %v", c)
	}
}

func TestLoginText(t *testing.T) {
	srv := newServer(t)
	r := runCLI(t, strings.NewReader(alicePassword), loginArgs(srv, "alice", "--password-stdin", "--output", "text")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want access, ID and refresh tokens:\n%s", len(lines), r.stdout)
	}
	if claims(t, lines[0])["token_use"] != "access" || claims(t, lines[1])["token_use"] != "id" || strings.Count(lines[2], ".") == 2 && lines[2] == lines[0] {
		t.Errorf("lines are not access, ID and refresh tokens:\n%s", r.stdout)
	}
}

func TestLoginAlias(t *testing.T) {
	srv := newServer(t)
	r := runCLI(t, strings.NewReader(alicePassword+"\r\n"), loginArgs(srv, "alice@example.com", "--password-stdin")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if c := claims(t, decodeJSON(t, r.stdout).IdToken); c["cognito:username"] != "alice" {
		t.Errorf("signed in as %v, want alice", c["cognito:username"])
	}
}

func TestLoginRefused(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name, user, password string
		want                 []string
	}{
		{"wrong password", "alice", "nope", []string{"NotAuthorizedException: Incorrect username or password.", "hint: check the user name"}},
		{"unknown user", "mallory", "nope", []string{"UserNotFoundException"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, strings.NewReader(tc.password), loginArgs(srv, tc.user, "--password-stdin")...)
			if r.code != exitRefused || r.stdout != "" {
				t.Errorf("%v", r)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, tc.password) {
				t.Errorf("stderr contains the password:\n%s", r.stderr)
			}
		})
	}
}

func TestLoginClientSecret(t *testing.T) {
	srv := newServer(t)
	args := func(more ...string) []string {
		return append([]string{"login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
			"--client-id", "confidential", "--username", "alice@example.com", "--password-stdin"}, more...)
	}
	r := runCLI(t, strings.NewReader(alicePassword), args()...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "SECRET_HASH") || !strings.Contains(r.stderr, "hint: the app client has a secret") ||
		!strings.Contains(r.stderr, "--client-secret-env NAME") {
		t.Errorf("without the secret: %v", r)
	}

	t.Setenv("COGNITOSRP_TEST_CLIENT_SECRET", testSecret)
	t.Setenv("COGNITOSRP_TEST_WRONG_SECRET", "not-the-secret")
	r = runCLI(t, strings.NewReader(alicePassword), args("--client-secret-env", "COGNITOSRP_TEST_CLIENT_SECRET")...)
	if r.code != 0 {
		t.Errorf("with the secret: %v", r)
	}
	// SECRET_HASH of the alias for InitiateAuth, of the user name after it,
	// also for a refresh and through the device flow.
	store := filepath.Join(t.TempDir(), "devices.json")
	for i := range 2 {
		r = runCLI(t, strings.NewReader(alicePassword), args("--client-secret-env", "COGNITOSRP_TEST_CLIENT_SECRET", "--device-store", store)...)
		if r.code != 0 {
			t.Fatalf("login %d with a device store and the secret: %v", i, r)
		}
	}
	if claims(t, decodeJSON(t, r.stdout).AccessToken)["device_key"] == nil {
		t.Errorf("the second login with the secret did not use the device")
	}
	r = runCLI(t, strings.NewReader(decodeJSON(t, r.stdout).RefreshToken), "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
		"--client-id", "confidential", "--username", "alice", "--refresh", "--client-secret-env", "COGNITOSRP_TEST_CLIENT_SECRET", "--device-store", store)
	if r.code != 0 {
		t.Errorf("refresh with the secret: %v", r)
	}

	r = runCLI(t, strings.NewReader(alicePassword), args("--client-secret-env", "COGNITOSRP_TEST_WRONG_SECRET")...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "Unable to verify secret hash") || !strings.Contains(r.stderr, "$COGNITOSRP_TEST_WRONG_SECRET") {
		t.Errorf("with a wrong secret: %v", r)
	}
	if strings.Contains(r.stderr, "not-the-secret") {
		t.Errorf("stderr contains the secret:\n%s", r.stderr)
	}
}

func TestLoginFlowNotEnabled(t *testing.T) {
	srv := newServer(t)
	r := runCLI(t, strings.NewReader(alicePassword), "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
		"--client-id", "passwordonly", "--username", "alice", "--password-stdin")
	if r.code != exitRefused || !strings.Contains(r.stderr, "InvalidParameterException: USER_SRP_AUTH is not enabled for the client.") ||
		!strings.Contains(r.stderr, "hint: add ALLOW_USER_SRP_AUTH") {
		t.Errorf("%v", r)
	}
	// REFRESH_TOKEN_AUTH needs ALLOW_REFRESH_TOKEN_AUTH.
	r = runCLI(t, strings.NewReader("some-refresh-token"), "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
		"--client-id", "passwordonly", "--username", "alice", "--refresh", "--legacy-refresh")
	if r.code != exitRefused || !strings.Contains(r.stderr, "hint: add ALLOW_REFRESH_TOKEN_AUTH") ||
		!strings.Contains(r.stderr, "refresh without --legacy-refresh") {
		t.Errorf("refresh: %v", r)
	}
}

func TestLoginUnknownPoolOrClient(t *testing.T) {
	srv := newServer(t)
	r := runCLI(t, strings.NewReader(alicePassword), "login", "--endpoint-url", srv.URL, "--username", "alice", "--password-stdin",
		"--user-pool-id", testPool, "--client-id", "nope")
	if r.code != exitService || !strings.Contains(r.stderr, "ResourceNotFoundException: User pool client nope does not exist.") ||
		!strings.Contains(r.stderr, "hint: check --user-pool-id and --client-id: they must name an existing pool and app client in us-east-1") {
		t.Errorf("unknown client: %v", r)
	}
	// InitiateAuth names only the client; a wrong pool id shows as a wrong
	// password proof, since the pool's name is part of it.
	r = runCLI(t, strings.NewReader(alicePassword), "login", "--endpoint-url", srv.URL, "--username", "alice", "--password-stdin",
		"--user-pool-id", "us-east-1_Nope", "--client-id", "public")
	if r.code != exitRefused || !strings.Contains(r.stderr, "NotAuthorizedException") || !strings.Contains(r.stderr, "--user-pool-id (the pool's name is part of the SRP proof)") {
		t.Errorf("unknown pool: %v", r)
	}
}

// closedURL returns the URL of a loopback port that nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

func TestLoginUnreachable(t *testing.T) {
	t.Setenv("AWS_MAX_ATTEMPTS", "1") // the SDK's configuration applies: no retries
	url := closedURL(t)
	r := runCLI(t, strings.NewReader(alicePassword), "login", "--endpoint-url", url, "--user-pool-id", testPool,
		"--client-id", "public", "--username", "alice", "--password-stdin")
	if r.code != exitService || !strings.Contains(r.stderr, "connection refused") || !strings.Contains(r.stderr, "listening at "+url) {
		t.Errorf("%v", r)
	}
}

func TestLoginEndpointFromEnvironment(t *testing.T) {
	srv := newServer(t)
	args := []string{"login", "--user-pool-id", testPool, "--client-id", "public", "--username", "alice", "--password-stdin"}

	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	if r := runCLI(t, strings.NewReader(alicePassword), args...); r.code != 0 {
		t.Errorf("AWS_ENDPOINT_URL: %v", r)
	}

	// The service's own variable wins over the general one.
	t.Setenv("AWS_ENDPOINT_URL", closedURL(t))
	t.Setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", srv.URL)
	if r := runCLI(t, strings.NewReader(alicePassword), args...); r.code != 0 {
		t.Errorf("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: %v", r)
	}

	// And --endpoint-url wins over both.
	t.Setenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", closedURL(t))
	if r := runCLI(t, strings.NewReader(alicePassword), append(args, "--endpoint-url", srv.URL)...); r.code != 0 {
		t.Errorf("--endpoint-url: %v", r)
	}
	r := runCLI(t, strings.NewReader(alicePassword), args...)
	if r.code != exitService || !strings.Contains(r.stderr, "listening at "+os.Getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")) {
		t.Errorf("unreachable AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: %v", r)
	}
}

func TestLoginProfile(t *testing.T) {
	srv := newServer(t)
	config := filepath.Join(t.TempDir(), "config")
	profile := "[profile local]\nendpoint_url = " + srv.URL + "\n"
	if err := os.WriteFile(config, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_CONFIG_FILE", config)
	t.Setenv("AWS_PROFILE", "local")
	r := runCLI(t, strings.NewReader(alicePassword), "login", "--user-pool-id", testPool, "--client-id", "public", "--username", "alice", "--password-stdin")
	if r.code != 0 {
		t.Errorf("endpoint_url from the profile: %v", r)
	}
	t.Setenv("AWS_PROFILE", "missing")
	r = runCLI(t, strings.NewReader(alicePassword), "login", "--user-pool-id", testPool, "--client-id", "public", "--username", "alice", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "loading the AWS configuration") || !strings.Contains(r.stderr, "hint: check AWS_PROFILE") {
		t.Errorf("missing profile: %v", r)
	}
}

func TestLoginRegion(t *testing.T) {
	for _, tc := range []struct {
		env  string // AWS_REGION
		args []string
		want string
	}{
		{"", []string{"--user-pool-id", "eu-west-3_AbC123"}, "eu-west-3"},
		{"ap-south-1", []string{"--user-pool-id", "eu-west-3_AbC123"}, "ap-south-1"},
		{"ap-south-1", []string{"--user-pool-id", "eu-west-3_AbC123", "--region", "us-west-2"}, "us-west-2"},
		{"", []string{"--user-pool-id", "eu-west-3_AbC123", "--region", "us-west-2"}, "us-west-2"},
	} {
		t.Setenv("AWS_REGION", tc.env)
		f, err := parseLoginFlags(append([]string{"--client-id", "c", "--username", "u"}, tc.args...), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := sdkConfig(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Region != tc.want {
			t.Errorf("%v: region %q, want %q", tc.args, cfg.Region, tc.want)
		}
		if !aws.IsCredentialsProvider(cfg.Credentials, aws.AnonymousCredentials{}) {
			t.Errorf("credentials %T, want anonymous", cfg.Credentials)
		}
	}
}

func TestLoginDeviceStore(t *testing.T) {
	srv := newServer(t)
	store := filepath.Join(t.TempDir(), "sub", "devices.json")
	args := loginArgs(srv, "alice@example.com", "--password-stdin", "--device-store", store)

	r := runCLI(t, strings.NewReader(alicePassword), args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("first login: %v", r)
	}
	first := decodeJSON(t, r.stdout)
	if first.NewDeviceMetadata == nil {
		t.Fatal("the first login announced no device")
	}
	st, err := os.Stat(store)
	if err != nil {
		t.Fatalf("the device store was not written: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("the device store has mode %v, want 0600", st.Mode().Perm())
	}
	data, _ := os.ReadFile(store)
	if !strings.Contains(string(data), first.NewDeviceMetadata.DeviceKey) {
		t.Errorf("the device store lacks the new device:\n%s", data)
	}
	if n := srv.DeviceCount(testPool, "alice"); n != 1 {
		t.Errorf("%d devices confirmed, want 1", n)
	}

	r = runCLI(t, strings.NewReader(alicePassword), args...)
	if r.code != 0 {
		t.Fatalf("second login: %v", r)
	}
	second := decodeJSON(t, r.stdout)
	if second.NewDeviceMetadata != nil {
		t.Errorf("the second login got a new device: %+v", second.NewDeviceMetadata)
	}
	if k := claims(t, second.AccessToken)["device_key"]; k != first.NewDeviceMetadata.DeviceKey {
		t.Errorf("the second login's access token has device_key %v, want %s (DEVICE_SRP_AUTH)", k, first.NewDeviceMetadata.DeviceKey)
	}
	if n := srv.DeviceCount(testPool, "alice"); n != 1 {
		t.Errorf("%d devices confirmed, want still 1", n)
	}

	// --remember-device=false keeps an explicit store from remembering.
	other := filepath.Join(t.TempDir(), "other.json")
	r = runCLI(t, strings.NewReader(alicePassword), loginArgs(srv, "alice", "--password-stdin", "--device-store", other, "--remember-device=false")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if _, err := os.Stat(other); err == nil {
		t.Errorf("--remember-device=false wrote the device store")
	}

	// A damaged store is a usage error that says what to do.
	if err := os.WriteFile(store, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, strings.NewReader(alicePassword), args...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "hint: the device store is damaged") {
		t.Errorf("damaged store: %v", r)
	}
}

func TestLoginRememberDeviceDefaultStore(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	old := testOnlyConfigDir
	testOnlyConfigDir = dir
	t.Cleanup(func() { testOnlyConfigDir = old })

	r := runCLI(t, strings.NewReader(alicePassword), loginArgs(srv, "alice", "--password-stdin", "--remember-device")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	key := decodeJSON(t, r.stdout).NewDeviceMetadata.DeviceKey
	st, err := os.Stat(filepath.Join(dir, "cognitosrp", "devices.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("default device store: %v, %v", st, err)
	}
	// Later logins use the remembered device from the default store.
	r = runCLI(t, strings.NewReader(alicePassword), loginArgs(srv, "alice", "--password-stdin")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if k := claims(t, decodeJSON(t, r.stdout).AccessToken)["device_key"]; k != key {
		t.Errorf("device_key %v, want %s", k, key)
	}
}

func TestLoginRefresh(t *testing.T) {
	srv := newServer(t)
	store := filepath.Join(t.TempDir(), "devices.json")
	r := runCLI(t, strings.NewReader(alicePassword), loginArgs(srv, "alice", "--password-stdin", "--device-store", store)...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	first := decodeJSON(t, r.stdout)

	r = runCLI(t, strings.NewReader(first.RefreshToken+"\n"), loginArgs(srv, "alice", "--refresh", "--device-store", store)...)
	if r.code != 0 {
		t.Fatalf("refresh: %v", r)
	}
	out := decodeJSON(t, r.stdout)
	if out.AccessToken == "" || out.IdToken == "" || out.RefreshToken != "" || out.NewDeviceMetadata != nil {
		t.Errorf("refresh result %+v", out)
	}
	if k := claims(t, out.AccessToken)["device_key"]; k != first.NewDeviceMetadata.DeviceKey {
		t.Errorf("refreshed access token has device_key %v, want %s", k, first.NewDeviceMetadata.DeviceKey)
	}

	r = runCLI(t, strings.NewReader("not-a-refresh-token"), loginArgs(srv, "alice", "--refresh")...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "NotAuthorizedException") || strings.Contains(r.stderr, "not-a-refresh-token") {
		t.Errorf("bad refresh token: %v", r)
	}

	// At a terminal, the refresh token is asked for without echo.
	tty := newFakeTerminal(t, secretAnswer("Refresh token: ", first.RefreshToken))
	r = runCLI(t, tty, loginArgs(srv, "alice", "--refresh", "--device-store", store)...)
	if r.code != 0 {
		t.Errorf("refresh at a terminal: %v", r)
	}
	tty.done()
}

// fakeTerminal is a terminal for tests, passed as stdin: it checks each
// prompt and answers it.
type fakeTerminal struct {
	t       *testing.T
	answers []answer
	printed []string
}

type answer struct {
	secret bool
	prompt string // the prompt must contain it
	value  func(printed []string) string
	block  bool // wait for the context instead
}

func lineAnswer(prompt, v string) answer {
	return answer{prompt: prompt, value: func([]string) string { return v }}
}

func secretAnswer(prompt, v string) answer {
	return answer{secret: true, prompt: prompt, value: func([]string) string { return v }}
}

func newFakeTerminal(t *testing.T, answers ...answer) *fakeTerminal {
	return &fakeTerminal{t: t, answers: answers}
}

func (f *fakeTerminal) Read([]byte) (int, error) { return 0, io.EOF }

func (f *fakeTerminal) Println(s string) { f.printed = append(f.printed, s) }

func (f *fakeTerminal) ReadLine(ctx context.Context, prompt string) (string, error) {
	return f.read(ctx, prompt, false)
}

func (f *fakeTerminal) ReadSecret(ctx context.Context, prompt string) (string, error) {
	return f.read(ctx, prompt, true)
}

func (f *fakeTerminal) read(ctx context.Context, prompt string, secret bool) (string, error) {
	if len(f.answers) == 0 {
		f.t.Errorf("unexpected prompt %q", prompt)
		return "", io.EOF
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	if !strings.Contains(prompt, a.prompt) || a.secret != secret {
		f.t.Errorf("prompt %q (secret %v), want one with %q (secret %v)", prompt, secret, a.prompt, a.secret)
	}
	if a.block {
		<-ctx.Done()
		return "", ctx.Err()
	}
	return a.value(f.printed), nil
}

// done checks that every answer was asked for.
func (f *fakeTerminal) done() {
	f.t.Helper()
	if len(f.answers) > 0 {
		f.t.Errorf("%d prompts never came, the first %q", len(f.answers), f.answers[0].prompt)
	}
}

func TestLoginPasswordPrompt(t *testing.T) {
	srv := newServer(t)
	tty := newFakeTerminal(t, secretAnswer("Password for alice@example.com: ", alicePassword))
	r := runCLI(t, tty, loginArgs(srv, "alice@example.com")...)
	if r.code != 0 {
		t.Errorf("%v", r)
	}
	tty.done()
}

func TestLoginSoftwareTokenMFA(t *testing.T) {
	srv := newServer(t)
	now := time.Now()
	srv.SetClock(func() time.Time { return now })
	tty := newFakeTerminal(t,
		secretAnswer("Password for tina", "Tina-Pass-1"),
		lineAnswer("Code from your authenticator app", cognitotest.TOTPCode(tinaTOTP, now)))
	r := runCLI(t, tty, loginArgs(srv, "tina")...)
	if r.code != 0 {
		t.Errorf("%v", r)
	}
	tty.done()

	// An empty answer is asked again; spaces in a code are dropped.
	code := cognitotest.TOTPCode(tinaTOTP, now)
	tty = newFakeTerminal(t, secretAnswer("Password", "Tina-Pass-1"), lineAnswer("authenticator", ""),
		lineAnswer("Code from your authenticator app: ", " "+code[:3]+" "+code[3:]))
	r = runCLI(t, tty, loginArgs(srv, "tina")...)
	if r.code != 0 || !slices.Equal(tty.printed, []string{"An answer is needed."}) {
		t.Errorf("empty code, then the right one spaced: %v\nprinted %q", r, tty.printed)
	}
	tty.done()

	// A wrong code is asked again, up to three times.
	wrong := "000000"
	if cognitotest.TOTPCode(tinaTOTP, now) == wrong {
		wrong = "111111"
	}
	tty = newFakeTerminal(t, secretAnswer("Password", "Tina-Pass-1"), lineAnswer("authenticator", wrong),
		lineAnswer("authenticator", cognitotest.TOTPCode(tinaTOTP, now)))
	r = runCLI(t, tty, loginArgs(srv, "tina")...)
	if r.code != 0 || len(tty.printed) != 1 || !strings.Contains(tty.printed[0], "That code was not accepted (CodeMismatchException: ") {
		t.Errorf("wrong code, then the right one: %v\nprinted %q", r, tty.printed)
	}
	tty.done()
	tty = newFakeTerminal(t, secretAnswer("Password", "Tina-Pass-1"), lineAnswer("authenticator", wrong),
		lineAnswer("authenticator", wrong), lineAnswer("authenticator", wrong))
	r = runCLI(t, tty, loginArgs(srv, "tina")...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "SOFTWARE_TOKEN_MFA: CodeMismatchException") {
		t.Errorf("three wrong codes: %v", r)
	}
	tty.done()

	// Without a terminal, the failure says what was needed.
	r = runCLI(t, strings.NewReader("Tina-Pass-1"), loginArgs(srv, "tina", "--password-stdin")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "no terminal to ask for the code from the user's authenticator app (SOFTWARE_TOKEN_MFA), which Cognito asks for") {
		t.Errorf("no terminal: %v", r)
	}
}

func TestLoginNewPasswordRequired(t *testing.T) {
	srv := newServer(t)
	tty := newFakeTerminal(t,
		secretAnswer("Password for nancy", nancyPassword),
		secretAnswer("New password: ", "Nancy-New-Pass-1"),
		secretAnswer("New password again: ", "Nancy-New-Pass-1"),
		lineAnswer("Value for name: ", "Nancy Example"))
	r := runCLI(t, tty, loginArgs(srv, "nancy")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	tty.done()
	if c := claims(t, decodeJSON(t, r.stdout).IdToken); c["name"] != "Nancy Example" {
		t.Errorf("name claim %v", c["name"])
	}
	if r := runCLI(t, strings.NewReader("Nancy-New-Pass-1"), loginArgs(srv, "nancy", "--password-stdin")...); r.code != 0 {
		t.Errorf("the new password does not sign in: %v", r)
	}

	// New passwords that differ are asked for again.
	srv = newServer(t)
	tty = newFakeTerminal(t,
		secretAnswer("Password for nancy", nancyPassword),
		secretAnswer("New password: ", "Nancy-New-Pass-1"),
		secretAnswer("New password again: ", "Nancy-New-Pass-2"),
		secretAnswer("New password: ", "Nancy-New-Pass-3"),
		secretAnswer("New password again: ", "Nancy-New-Pass-3"),
		lineAnswer("Value for name: ", "Nancy Example"))
	r = runCLI(t, tty, loginArgs(srv, "nancy")...)
	if r.code != 0 || !slices.Contains(tty.printed, "The two passwords differ.") {
		t.Fatalf("mismatch, then the same twice: %v\nprinted %q", r, tty.printed)
	}
	tty.done()
	if r := runCLI(t, strings.NewReader("Nancy-New-Pass-3"), loginArgs(srv, "nancy", "--password-stdin")...); r.code != 0 {
		t.Errorf("the new password given after a mismatch does not sign in: %v", r)
	}

	// Three times, and the command gives up without setting one.
	srv = newServer(t)
	answers := []answer{secretAnswer("Password for nancy", nancyPassword)}
	for i := range 3 {
		answers = append(answers, secretAnswer("New password: ", "Nancy-New-Pass-1"), secretAnswer("New password again: ", fmt.Sprintf("Nancy-Other-%d", i)))
	}
	tty = newFakeTerminal(t, answers...)
	r = runCLI(t, tty, loginArgs(srv, "nancy")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "no usable answer to NEW_PASSWORD_REQUIRED in 3 tries") ||
		len(tty.printed) != 4 || strings.Count(strings.Join(tty.printed, "\n"), "The two passwords differ.") != 3 {
		t.Errorf("mismatch: %v\nprinted %q", r, tty.printed)
	}
	tty.done()
	r = runCLI(t, strings.NewReader(nancyPassword), loginArgs(srv, "nancy", "--password-stdin")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "a new password (NEW_PASSWORD_REQUIRED)") {
		t.Errorf("no terminal: %v", r)
	}
}

func TestLoginSelectMFAType(t *testing.T) {
	srv := newServer(t)
	// By Cognito's name in any case, by friendly name, by number.
	for _, choice := range []string{"sms_mfa", "sms", "2"} {
		tty := newFakeTerminal(t,
			secretAnswer("Password for sam", "Sam-Pass-1"),
			lineAnswer("Choose an MFA type: 1) totp, 2) sms: ", "carrier pigeon"),
			lineAnswer("Choose an MFA type: 1) totp, 2) sms: ", choice),
			answer{prompt: "Code sent by SMS to +*******0123: ", value: func([]string) string {
				code, ok := srv.LastCode(testPool, "sam")
				if !ok {
					t.Error("no SMS code was sent")
				}
				return code
			}})
		r := runCLI(t, tty, loginArgs(srv, "sam")...)
		if r.code != 0 {
			t.Errorf("%s: %v", choice, r)
		}
		tty.done()
		if len(tty.printed) != 1 || !strings.Contains(tty.printed[0], `"carrier pigeon" is not one of the choices.`) {
			t.Errorf("%s: printed %q", choice, tty.printed)
		}
	}
}

func TestLoginMFASetup(t *testing.T) {
	srv := newServer(t)
	now := time.Now()
	srv.SetClock(func() time.Time { return now })
	var secret string
	tty := newFakeTerminal(t,
		secretAnswer("Password for olivia", oliviaPassword),
		answer{prompt: "Code from your authenticator app", value: func(printed []string) string {
			for _, p := range printed {
				if s, ok := strings.CutPrefix(p, "Add this secret to the app: "); ok {
					secret = s
					return cognitotest.TOTPCode(secret, now)
				}
			}
			t.Errorf("no secret printed: %q", printed)
			return ""
		}})
	r := runCLI(t, tty, "login", "--endpoint-url", srv.URL, "--user-pool-id", testSetupPool, "--client-id", "setupclient", "--username", "olivia")
	if r.code != 0 {
		t.Errorf("%v", r)
	}
	tty.done()
	if secret == "" || !slices.Contains(tty.printed, "or this URI (as a QR code): otpauth://totp/Cognito:olivia?issuer=Cognito&secret="+secret) {
		t.Errorf("no otpauth URI: %q", tty.printed)
	}
}

func TestLoginInterrupted(t *testing.T) {
	srv := newServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	tty := newFakeTerminal(t, secretAnswer("Password", "Tina-Pass-1"), answer{prompt: "authenticator", block: true})
	time.AfterFunc(200*time.Millisecond, cancel)
	r := runCLIContext(t, ctx, tty, loginArgs(srv, "tina")...)
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "cognitosrp: error: interrupted") {
		t.Errorf("%v", r)
	}
}

func TestLoginDeviceStoreUnusable(t *testing.T) {
	srv := newServer(t)
	// The store's directory is a file.
	parent := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, strings.NewReader(alicePassword), loginArgs(srv, "alice", "--password-stdin", "--device-store", filepath.Join(parent, "devices.json"))...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "cognitosrp: error: device store: open ") ||
		!strings.Contains(r.stderr, "not a directory") || !strings.Contains(r.stderr, "hint: pass a --device-store FILE") {
		t.Errorf("%v", r)
	}
}

// TestLoginTokenStore: a login by alias with an app client secret stores its
// refresh token; --refresh then needs nothing on standard input, and its
// SECRET_HASH uses the stored internal user name.
func TestLoginTokenStore(t *testing.T) {
	srv := newServer(t)
	t.Setenv("COGNITOSRP_TEST_SECRET", testSecret)
	tokens := filepath.Join(t.TempDir(), "sub", "tokens.json")
	// The pool tracks devices: Cognito refuses refresh tokens of a device
	// that was never confirmed, so the login needs a device store.
	devices := filepath.Join(t.TempDir(), "devices.json")
	args := func(more ...string) []string {
		return append([]string{"login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
			"--client-id", "confidential", "--client-secret-env", "COGNITOSRP_TEST_SECRET",
			"--username", "alice@example.com", "--device-store", devices, "--token-store", tokens}, more...)
	}
	r := runCLI(t, strings.NewReader(alicePassword), args("--password-stdin")...)
	if r.code != 0 {
		t.Fatalf("login: %v", r)
	}
	first := decodeJSON(t, r.stdout)
	fi, err := os.Stat(tokens)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token store: %v, %v", fi, err)
	}
	data, _ := os.ReadFile(tokens)
	if !strings.Contains(string(data), first.RefreshToken) || strings.Contains(string(data), alicePassword) || strings.Contains(string(data), testSecret) {
		t.Errorf("token store holds the wrong things: %s", data)
	}

	r = runCLI(t, strings.NewReader(""), args("--refresh")...)
	if r.code != 0 {
		t.Fatalf("refresh from the token store: %v", r)
	}
	if out := decodeJSON(t, r.stdout); out.AccessToken == "" || out.RefreshToken != "" {
		t.Errorf("refresh result %+v", out)
	}

	// By the internal user name, after signing in by alias (issue 11: "no
	// refresh token on standard input").
	byName := args("--refresh")
	byName[slices.Index(byName, "alice@example.com")] = "alice"
	r = runCLI(t, strings.NewReader(""), byName...)
	if r.code != 0 {
		t.Fatalf("refresh from the token store by the internal user name: %v", r)
	}

	// GetTokensFromRefreshToken has no SECRET_HASH: without the store, the
	// alias and a refresh token on standard input do too.
	noStore := append(args()[:len(args())-2], "--refresh")
	r = runCLI(t, strings.NewReader(first.RefreshToken), noStore...)
	if r.code != 0 {
		t.Errorf("refresh by alias without the store: %v", r)
	}
	// REFRESH_TOKEN_AUTH's SECRET_HASH needs the internal user name, which
	// the device stored under the alias gives.
	r = runCLI(t, strings.NewReader(first.RefreshToken), append(noStore, "--legacy-refresh")...)
	if r.code != 0 {
		t.Errorf("legacy refresh by alias without the token store: %v", r)
	}

	// A damaged store is reported without quoting it.
	os.WriteFile(tokens, []byte("{not json "+first.RefreshToken), 0o600)
	r = runCLI(t, strings.NewReader(""), args("--refresh")...)
	if r.code != exitUsage || strings.Contains(r.stderr, first.RefreshToken) {
		t.Errorf("damaged token store: %v", r)
	}
}

// TestLoginEmptyInput: an empty password or an answer cut short is a usage
// error (exit 2), not a service error.
func TestLoginEmptyInput(t *testing.T) {
	srv := newServer(t)
	r := runCLI(t, strings.NewReader("\n"), loginArgs(srv, "alice", "--password-stdin")...)
	if r.code != exitUsage {
		t.Errorf("empty password: %v", r)
	}
}
