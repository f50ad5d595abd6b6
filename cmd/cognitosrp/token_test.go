package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// withServerClock makes the command's flows.Client read srv's clock, which
// the test steps past expiries.
func withServerClock(t *testing.T, srv *cognitotest.Server) {
	testOnlyClock = srv.Now
	t.Cleanup(func() { testOnlyClock = nil })
}

// tokenArgs returns the arguments of the token command for alice by alias
// on the app client of srv, followed by more.
func tokenArgs(srv *cognitotest.Server, client, tokens, devices string, more ...string) []string {
	return append([]string{"token", "--endpoint-url", srv.URL, "--user-pool-id", testPool, "--client-id", client,
		"--username", "alice@example.com", "--token-store", tokens, "--device-store", devices}, more...)
}

// signInToStore signs alice in by alias to the app client, with a device
// store and a token store, and returns the login's output.
func signInToStore(t *testing.T, srv *cognitotest.Server, client, tokens, devices string) authResultJSON {
	t.Helper()
	r := runCLI(t, strings.NewReader(alicePassword), "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
		"--client-id", client, "--username", "alice@example.com", "--password-stdin", "--device-store", devices, "--token-store", tokens)
	if r.code != 0 {
		t.Fatalf("login: %v", r)
	}
	return decodeJSON(t, r.stdout)
}

func storedTokens(t *testing.T, tokens, client string) *flows.Tokens {
	t.Helper()
	st, err := flows.NewFileTokenStore(tokens).Get(t.Context(), testPool, client, "alice")
	if err != nil || st == nil {
		t.Fatalf("token store: %v, %v", st, err)
	}
	return st
}

// TestToken: the token command prints the stored access (or ID) token
// while it is fresh, without calling the server, and a refreshed one once
// it is about to expire, storing the new tokens and the rotated refresh
// token.
func TestToken(t *testing.T) {
	srv := newServer(t)
	withServerClock(t, srv)
	dir := t.TempDir()
	tokens, devices := filepath.Join(dir, "tokens.json"), filepath.Join(dir, "devices.json")
	first := signInToStore(t, srv, "rotating", tokens, devices)

	r := runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices)...)
	if r.code != 0 || r.stdout != first.AccessToken+"\n" || r.stderr != "" {
		t.Fatalf("fresh access token: %v", r)
	}
	r = runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices, "--id-token")...)
	if r.code != 0 || r.stdout != first.IdToken+"\n" {
		t.Fatalf("fresh ID token: %v", r)
	}
	// A server that is down does not matter while the token is fresh.
	r = runCLI(t, nil, append(tokenArgs(srv, "rotating", tokens, devices)[:0:0],
		"token", "--endpoint-url", closedURL(t), "--user-pool-id", testPool, "--client-id", "rotating",
		"--username", "alice", "--token-store", tokens, "--device-store", devices)...)
	if r.code != 0 || r.stdout != first.AccessToken+"\n" {
		t.Fatalf("fresh token by the internal user name, server down: %v", r)
	}

	srv.Advance(time.Hour - 30*time.Second) // within the minute's margin
	r = runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices)...)
	if r.code != 0 {
		t.Fatalf("token to refresh: %v", r)
	}
	access := strings.TrimSuffix(r.stdout, "\n")
	if access == first.AccessToken || claims(t, access)["username"] != "alice" || claims(t, access)["device_key"] != first.NewDeviceMetadata.DeviceKey {
		t.Fatalf("not a refreshed access token of alice's device: %v", r)
	}
	st := storedTokens(t, tokens, "rotating")
	if st.AccessToken != access || st.RefreshToken == first.RefreshToken || st.RefreshToken == "" {
		t.Fatal("the token store does not hold the refreshed tokens and the rotated refresh token")
	}
	// The next run takes the stored token, refreshes nothing.
	r = runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices)...)
	if r.code != 0 || r.stdout != access+"\n" || storedTokens(t, tokens, "rotating").RefreshToken != st.RefreshToken {
		t.Fatalf("second run: %v", r)
	}

	// The rotated-out refresh token is refused; the token store's works.
	srv.Advance(time.Hour)
	r = runCLI(t, strings.NewReader(first.RefreshToken), "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool,
		"--client-id", "rotating", "--username", "alice", "--device-store", devices, "--refresh")
	if r.code != exitRefused || !strings.Contains(r.stderr, "RefreshTokenReuseException") || !strings.Contains(r.stderr, "hint: the refresh token was refused: sign in again") {
		t.Errorf("rotated-out refresh token: %v", r)
	}
	r = runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices, "--id-token")...)
	if r.code != 0 || claims(t, strings.TrimSpace(r.stdout))["token_use"] != "id" {
		t.Fatalf("ID token after expiry: %v", r)
	}
}

// TestTokenSignInRequired: no stored tokens, a refused refresh token and a
// damaged store end with an error that says what to do, and quotes no
// token.
func TestTokenSignInRequired(t *testing.T) {
	srv := newServer(t)
	withServerClock(t, srv)
	dir := t.TempDir()
	tokens, devices := filepath.Join(dir, "tokens.json"), filepath.Join(dir, "devices.json")

	r := runCLI(t, nil, tokenArgs(srv, "public", tokens, devices)...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "no tokens of the user in the token store") ||
		!strings.Contains(r.stderr, "hint: sign in with cognitosrp login --token-store FILE") {
		t.Errorf("empty store: %v", r)
	}

	first := signInToStore(t, srv, "public", tokens, devices)
	st := storedTokens(t, tokens, "public")
	st.RefreshToken = "not-a-refresh-token"
	if err := putTokens(t.Context(), &loginFlags{tokenStore: tokens}, st); err != nil {
		t.Fatal(err)
	}
	srv.Advance(time.Hour)
	r = runCLI(t, nil, tokenArgs(srv, "public", tokens, devices)...)
	if r.code != exitRefused || !strings.Contains(r.stderr, "NotAuthorizedException") ||
		!strings.Contains(r.stderr, "hint: the refresh token was refused: sign in again") || strings.Contains(r.stderr+r.stdout, "not-a-refresh-token") {
		t.Errorf("refused refresh token: %v", r)
	}

	os.WriteFile(tokens, []byte(`{"version": 1, "tokens": [`+first.RefreshToken), 0o600)
	r = runCLI(t, nil, tokenArgs(srv, "public", tokens, devices)...)
	if r.code != exitUsage || strings.Contains(r.stderr, first.RefreshToken) || !strings.Contains(r.stderr, "(--token-store)") {
		t.Errorf("damaged store: %v", r)
	}
}

// TestLoginRefreshRotation: login --refresh with an app client that rotates
// refresh tokens prints the new refresh token and writes it to the token
// store, where the next --refresh finds it.
func TestLoginRefreshRotation(t *testing.T) {
	srv := newServer(t)
	withServerClock(t, srv)
	dir := t.TempDir()
	tokens, devices := filepath.Join(dir, "tokens.json"), filepath.Join(dir, "devices.json")
	first := signInToStore(t, srv, "rotating", tokens, devices)
	args := []string{"login", "--endpoint-url", srv.URL, "--user-pool-id", testPool, "--client-id", "rotating",
		"--username", "alice", "--device-store", devices, "--token-store", tokens, "--refresh"}

	r := runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("refresh: %v", r)
	}
	out := decodeJSON(t, r.stdout)
	if out.RefreshToken == "" || out.RefreshToken == first.RefreshToken {
		t.Fatalf("no new refresh token printed: %+v", out)
	}
	if st := storedTokens(t, tokens, "rotating"); st.RefreshToken != out.RefreshToken || st.AccessToken != out.AccessToken {
		t.Fatal("the rotated refresh token is not in the token store")
	}
	srv.Advance(time.Second) // past the grace period (0) of the first
	r = runCLI(t, nil, args...)
	if r.code != 0 {
		t.Fatalf("second refresh, with the stored rotated token: %v", r)
	}
	if out2 := decodeJSON(t, r.stdout); out2.RefreshToken == out.RefreshToken {
		t.Error("the second refresh did not rotate")
	}

	// Without a token store, the refresh token comes from standard input,
	// and the new one is printed only.
	noStore := append(args[:len(args)-3:len(args)-3], "--refresh")
	r = runCLI(t, strings.NewReader(storedTokens(t, tokens, "rotating").RefreshToken), noStore...)
	if r.code != 0 || decodeJSON(t, r.stdout).RefreshToken == "" {
		t.Fatalf("refresh from standard input: %v", r)
	}
}

// failingWrites is a token store whose next fails Updates run f on what
// the store holds, then fail, as a full disk would.
type failingWrites struct {
	flows.TokenStore
	fails *atomic.Int32
}

func (s failingWrites) Update(ctx context.Context, userPoolID, clientID, name string, f func(*flows.Tokens) (*flows.Tokens, error)) error {
	if s.fails.Add(-1) >= 0 {
		st, err := s.Get(ctx, userPoolID, clientID, name)
		if err != nil {
			return err
		}
		if _, err := f(st); err != nil {
			return err
		}
		return errors.New("disk full")
	}
	return s.TokenStore.Update(ctx, userPoolID, clientID, name, f)
}

// failWrites makes the next n writes of the token store fail.
func failWrites(t *testing.T, n int32) {
	fails := &atomic.Int32{}
	fails.Store(n)
	testOnlyTokenStore = func(s flows.TokenStore) flows.TokenStore { return failingWrites{s, fails} }
	t.Cleanup(func() { testOnlyTokenStore = nil })
}

// TestTokenStoreWriteFails: when the refreshed tokens cannot be written to
// the token store, the token command and login --refresh try once more;
// if that fails too with a rotated refresh token, they exit 2 saying that
// the stored one was rotated out, the token command printing nothing, login
// --refresh only its output (the one copy of the new refresh token), and
// no token on standard error.
func TestTokenStoreWriteFails(t *testing.T) {
	srv := newServer(t)
	withServerClock(t, srv)
	dir := t.TempDir()
	tokens, devices := filepath.Join(dir, "tokens.json"), filepath.Join(dir, "devices.json")
	first := signInToStore(t, srv, "rotating", tokens, devices)
	noSecret := func(r result, secrets ...string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(r.stderr, s) {
				t.Errorf("a token on standard error: %v", r)
			}
		}
	}

	// One failed write: the second try stores the rotated token.
	failWrites(t, 1)
	srv.Advance(time.Hour)
	r := runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices)...)
	st := storedTokens(t, tokens, "rotating")
	if r.code != 0 || r.stdout != st.AccessToken+"\n" || st.RefreshToken == first.RefreshToken {
		t.Fatalf("token, one failed write: %v", r)
	}

	// Two: nothing printed, exit 2, the loss said.
	failWrites(t, 2)
	srv.Advance(time.Hour)
	r = runCLI(t, nil, tokenArgs(srv, "rotating", tokens, devices)...)
	if r.code != exitUsage || r.stdout != "" || !strings.Contains(r.stderr, "disk full") ||
		!strings.Contains(r.stderr, "rotated out and is lost") || !strings.Contains(r.stderr, "hint: make the token store writable, then sign in again") {
		t.Fatalf("token, two failed writes: %v", r)
	}
	noSecret(r, st.RefreshToken, st.AccessToken)
	if storedTokens(t, tokens, "rotating").RefreshToken != st.RefreshToken {
		t.Fatal("the store changed")
	}

	// login --refresh: the same, with the output printed.
	signInToStore(t, srv, "rotating", tokens, devices)
	args := []string{"login", "--endpoint-url", srv.URL, "--user-pool-id", testPool, "--client-id", "rotating",
		"--username", "alice", "--device-store", devices, "--token-store", tokens, "--refresh"}
	failWrites(t, 1)
	r = runCLI(t, nil, args...)
	if r.code != 0 || decodeJSON(t, r.stdout).RefreshToken != storedTokens(t, tokens, "rotating").RefreshToken {
		t.Fatalf("login --refresh, one failed write: %v", r)
	}
	st = storedTokens(t, tokens, "rotating")
	failWrites(t, 2)
	r = runCLI(t, nil, args...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "the new one is in the output only") || !strings.Contains(r.stderr, "disk full") {
		t.Fatalf("login --refresh, two failed writes: %v", r)
	}
	out := decodeJSON(t, r.stdout)
	if out.RefreshToken == "" || out.RefreshToken == st.RefreshToken {
		t.Fatalf("login --refresh, two failed writes: no new refresh token printed: %v", r)
	}
	noSecret(r, out.RefreshToken, out.AccessToken, st.RefreshToken)
	// The printed refresh token works, on standard input.
	srv.Advance(time.Second)
	r = runCLI(t, strings.NewReader(out.RefreshToken), append(args[:len(args)-3:len(args)-3], "--refresh")...)
	if r.code != 0 {
		t.Fatalf("the printed refresh token: %v", r)
	}
}
