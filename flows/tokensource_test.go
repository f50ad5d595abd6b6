package flows_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/oauth2"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// The user pools and app clients of the token source tests.
const (
	tokPool    = "us-east-1_Tokens"  // no device tracking
	tokDevPool = "us-east-1_TokDevs" // device tracking "always"

	tokPlain      = "tokplain"     // no rotation
	tokSecret     = "toksecret"    // no rotation, a secret
	tokRotate     = "tokrotate"    // rotation, no grace period
	tokRotSecret  = "tokrotsecret" // rotation, a secret
	tokShortID    = "tokshortid"   // ID tokens last 10 minutes
	tokDevClient  = "tokdevclient" // in tokDevPool
	tokSecretText = "1tok23456789secretabcdefghijklmnopqrstuvwxyz0"
)

func tokConfig() cognitotest.Config {
	rotate := &cognitotest.RefreshTokenRotation{Feature: "ENABLED"}
	return cognitotest.Config{
		Region: region,
		UserPools: []cognitotest.UserPool{
			{
				ID: tokPool,
				Clients: []cognitotest.AppClient{
					{ID: tokPlain},
					{ID: tokSecret, Secret: tokSecretText},
					{ID: tokRotate, RefreshTokenRotation: rotate},
					{ID: tokRotSecret, Secret: tokSecretText, RefreshTokenRotation: rotate},
					{ID: tokShortID, IdTokenValidity: 10, TokenValidityUnits: &cognitotest.TokenValidityUnits{IdToken: "minutes"}},
				},
				Users: []cognitotest.User{user("tina"), user("tom")},
			},
			{
				ID: tokDevPool, DeviceTracking: "always",
				Clients: []cognitotest.AppClient{{ID: tokDevClient}},
				Users:   []cognitotest.User{user("dora")},
			},
		},
	}
}

// counter is an http.RoundTripper that counts the operations sent over
// it, by their X-Amz-Target. With gate set, the first
// GetTokensFromRefreshToken waits until gate is closed or a second one
// arrives.
type counter struct {
	mu      sync.Mutex
	ops     map[string]int
	gate    chan struct{}
	next    chan struct{} // closed by the second GetTokensFromRefreshToken
	arrived chan struct{} // if set, closed by the first one
}

func (c *counter) RoundTrip(req *http.Request) (*http.Response, error) {
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	c.mu.Lock()
	if c.ops == nil {
		c.ops = map[string]int{}
	}
	c.ops[op]++
	n, gate := c.ops[op], c.gate
	if c.next == nil {
		c.next = make(chan struct{})
	}
	next := c.next
	if op == "GetTokensFromRefreshToken" && n == 2 {
		close(next)
	}
	if op == "GetTokensFromRefreshToken" && n == 1 && c.arrived != nil {
		close(c.arrived)
	}
	c.mu.Unlock()
	if op == "GetTokensFromRefreshToken" && n == 1 && gate != nil {
		select {
		case <-gate:
		case <-next:
		}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (c *counter) count(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ops[op]
}

// tokEnv is a server with tokConfig, and a way to make Clients for it that
// share the server's clock and count what they send.
type tokEnv struct {
	srv *cognitotest.Server
	cnt *counter
}

func newTokEnv(t *testing.T) *tokEnv {
	t.Helper()
	srv := cognitotest.NewServer(tokConfig(), cognitotest.WithSigningKey(signingKey()))
	t.Cleanup(srv.Close)
	return &tokEnv{srv: srv, cnt: &counter{}}
}

func (e *tokEnv) client(t *testing.T, pool, client string, optFns ...func(*flows.Options)) *flows.Client {
	t.Helper()
	api := e.srv.Client(func(o *cip.Options) { o.HTTPClient = &http.Client{Transport: e.cnt} })
	fns := append([]func(*flows.Options){func(o *flows.Options) {
		o.Clock = e.srv.Now
		if strings.Contains(client, "secret") {
			o.ClientSecret = tokSecretText
		}
	}}, optFns...)
	c, err := flows.New(api, pool, client, fns...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signIn signs in as name@example.com and returns the tokens.
func (e *tokEnv) signIn(t *testing.T, c *flows.Client, name string) *flows.Tokens {
	t.Helper()
	typed := name + "@example.com"
	res, err := c.Login(context.Background(), typed, password)
	if err != nil {
		t.Fatal(err)
	}
	tok := c.NewTokens(res, typed)
	if tok.Username != name || tok.RefreshToken == "" || len(tok.Aliases) != 1 || tok.Aliases[0] != typed {
		t.Fatalf("NewTokens: %v", tok)
	}
	return tok
}

func newTokenSource(t *testing.T, c *flows.Client, tok *flows.Tokens, optFns ...func(*flows.TokenSourceOptions)) *flows.TokenSource {
	t.Helper()
	ts, err := c.TokenSource(tok, optFns...)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestTokenSourceConcurrent: many goroutines ask for a token that is about
// to expire; one GetTokensFromRefreshToken goes over the wire, held until
// all the others wait for it, and all get the same new token.
func TestTokenSourceConcurrent(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	// No store: a MemoryTokenStore would serialize the refreshes by
	// itself, which hides whether the TokenSource does.
	ts := newTokenSource(t, c, tok)

	const callers = 20
	var joined atomic.Int32
	gate := make(chan struct{})
	e.cnt.mu.Lock()
	e.cnt.gate = gate
	e.cnt.mu.Unlock()
	flows.SetJoinHook(ts, func() {
		if joined.Add(1) == callers-1 {
			close(gate)
		}
	})

	e.srv.Advance(time.Hour - 30*time.Second) // within the default margin
	var wg sync.WaitGroup
	got := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			if i%2 == 0 {
				got[i], errs[i] = ts.AccessToken(context.Background())
			} else {
				var ot *oauth2.Token
				if ot, errs[i] = ts.Token(); ot != nil {
					got[i] = ot.AccessToken
				}
			}
		})
	}
	wg.Wait()
	if n := e.cnt.count("GetTokensFromRefreshToken"); n != 1 {
		t.Fatalf("%d GetTokensFromRefreshToken calls for %d callers, want 1", n, callers)
	}
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if got[i] == tok.AccessToken || got[i] != got[0] {
			t.Fatalf("caller %d got another token than caller 0, or the old one", i)
		}
	}
	cur, err := ts.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cur.RefreshToken == tok.RefreshToken || cur.AccessToken != got[0] {
		t.Error("the source does not hold the rotated refresh token and the new access token")
	}
	// A token still fresh is handed out without a refresh.
	for range 3 {
		if _, err := ts.AccessToken(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.cnt.count("GetTokensFromRefreshToken"); n != 1 {
		t.Errorf("%d refreshes after fresh tokens were asked for, want 1", n)
	}
}

// TestTokenSourceMargin steps the server's clock: no refresh while more
// than the margin is left, a refresh once less is; the ID token, shorter
// lived on this app client, is refreshed on its own schedule.
func TestTokenSourceMargin(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	c := e.client(t, tokPool, tokShortID)
	tok := e.signIn(t, c, "tina")
	if d := tok.IDTokenExpiry.Sub(e.srv.Now()); d > 10*time.Minute || d < 9*time.Minute {
		t.Fatalf("ID token expires in %v, want 10 minutes", d)
	}
	if d := tok.AccessTokenExpiry.Sub(e.srv.Now()); d > time.Hour || d < 59*time.Minute {
		t.Fatalf("access token expires in %v, want 1 hour", d)
	}
	ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Margin = 3 * time.Minute })
	ctx := context.Background()
	refreshes := func() int { return e.cnt.count("GetTokensFromRefreshToken") }

	e.srv.Advance(6 * time.Minute) // ID: 4 minutes left
	if id, err := ts.IDToken(ctx); err != nil || id != tok.IDToken || refreshes() != 0 {
		t.Fatalf("4 minutes before the ID token expires: refreshed (%d) or failed: %v", refreshes(), err)
	}
	e.srv.Advance(2 * time.Minute) // ID: 2 minutes left; access: 52
	if a, err := ts.AccessToken(ctx); err != nil || a != tok.AccessToken || refreshes() != 0 {
		t.Fatalf("the access token, far from expiry, was refreshed (%d) or failed: %v", refreshes(), err)
	}
	id, err := ts.IDToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id == tok.IDToken || refreshes() != 1 {
		t.Fatalf("2 minutes before the ID token expires, with a margin of 3: %d refreshes, same token: %v", refreshes(), id == tok.IDToken)
	}
	cur, _ := ts.Tokens(ctx)
	if cur.RefreshToken != tok.RefreshToken {
		t.Error("without rotation, the refresh token changed")
	}

	// The oauth2.Token's Expiry is when the source refreshes.
	ot, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	// On time.Now's clock, which oauth2 reads, 3 minutes before the access
	// token expires on the server's.
	left := time.Until(ot.Expiry) - cur.AccessTokenExpiry.Add(-3*time.Minute).Sub(e.srv.Now())
	if left > time.Second || left < -time.Second || ot.Extra("id_token") != cur.IDToken || ot.RefreshToken != "" {
		t.Errorf("oauth2.Token: expiry off by %v, id_token set: %v, refresh token set: %v", left, ot.Extra("id_token") == cur.IDToken, ot.RefreshToken != "")
	}

	// Past the expiry of both.
	e.srv.Advance(2 * time.Hour)
	if a, err := ts.AccessToken(ctx); err != nil || a == cur.AccessToken || refreshes() != 2 {
		t.Fatalf("after expiry: %d refreshes, same token: %v, %v", refreshes(), a == cur.AccessToken, err)
	}
}

// TestTokenSourceFileStoreRotation: a rotated refresh token survives in the
// file: another store value (another process) reads it back and refreshes
// with it, while the one it replaced is refused.
func TestTokenSourceFileStoreRotation(t *testing.T) {
	t.Parallel()
	for _, client := range []string{tokRotate, tokRotSecret} {
		t.Run(client, func(t *testing.T) {
			t.Parallel()
			e := newTokEnv(t)
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "state", "tokens.json")
			c := e.client(t, tokPool, client)
			tok := e.signIn(t, c, "tina")
			ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = flows.NewFileTokenStore(path) })
			e.srv.Advance(time.Hour)
			if _, err := ts.AccessToken(ctx); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("token store mode %v, want 0600", fi.Mode().Perm())
			}

			// "Another process": a new store value, a new Client.
			c2 := e.client(t, tokPool, client)
			st, err := flows.NewFileTokenStore(path).Get(ctx, tokPool, client, "tina@example.com")
			if err != nil || st == nil {
				t.Fatalf("Get by alias from the file: %v, %v", st, err)
			}
			if st.RefreshToken == tok.RefreshToken || st.Username != "tina" {
				t.Fatalf("the file holds %v, not the rotated refresh token", st)
			}
			e.srv.Advance(time.Second) // past the grace period (0)
			_, err = c2.Refresh(ctx, "tina", tok.RefreshToken)
			var reuse *types.RefreshTokenReuseException
			if !errors.Is(err, flows.ErrSignInRequired) || !errors.As(err, &reuse) {
				t.Fatalf("the rotated-out refresh token: %v, want ErrSignInRequired and RefreshTokenReuseException", err)
			}
			ts2 := newTokenSource(t, c2, st, func(o *flows.TokenSourceOptions) { o.Store = flows.NewFileTokenStore(path) })
			e.srv.Advance(time.Hour)
			if _, err := ts2.AccessToken(ctx); err != nil {
				t.Fatalf("refresh with the stored, rotated token: %v", err)
			}
			st2, _ := flows.NewFileTokenStore(path).Get(ctx, tokPool, client, "tina")
			if st2 == nil || st2.RefreshToken == st.RefreshToken {
				t.Fatal("the second rotation was not stored")
			}
		})
	}
}

// TestTokenSourceSharedFile: two processes start from the same sign-in and
// share a token file. The first to need a refresh rotates the refresh
// token; the second, when its tokens expire, takes the first one's from the
// file instead of refreshing with its own (rotated out) token, and later
// refreshes with the rotated one.
func TestTokenSourceSharedFile(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tokens.json")
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tom")
	ts1 := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = flows.NewFileTokenStore(path) })
	ts2 := newTokenSource(t, e.client(t, tokPool, tokRotate), tok, func(o *flows.TokenSourceOptions) { o.Store = flows.NewFileTokenStore(path) })
	e.srv.Advance(time.Hour)
	a1, err := ts1.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Advance(time.Second) // past the grace period of tok.RefreshToken
	a2, err := ts2.AccessToken(ctx)
	if err != nil {
		t.Fatalf("second process: %v", err)
	}
	if a2 != a1 || e.cnt.count("GetTokensFromRefreshToken") != 1 {
		t.Fatalf("the second process refreshed (%d refreshes) instead of reading the file", e.cnt.count("GetTokensFromRefreshToken"))
	}
	// A third process, also started from the sign-in, finds only expired
	// tokens in the file, but refreshes with their rotated refresh token,
	// not with its own.
	ts3 := newTokenSource(t, e.client(t, tokPool, tokRotate), tok, func(o *flows.TokenSourceOptions) { o.Store = flows.NewFileTokenStore(path) })
	e.srv.Advance(time.Hour)
	if _, err := ts3.AccessToken(ctx); err != nil {
		t.Fatalf("third process, with the rotated token from the file: %v", err)
	}
	if n := e.cnt.count("GetTokensFromRefreshToken"); n != 2 {
		t.Errorf("%d refreshes, want 2", n)
	}
	// And the second, whose tokens are now stale, reads the third's.
	if a, err := ts2.AccessToken(ctx); err != nil || a == a2 || e.cnt.count("GetTokensFromRefreshToken") != 2 {
		t.Fatalf("second process after the third refreshed: %v", err)
	}
}

// TestTokenSourceSignInRequired: a refused refresh token is an error that
// wraps ErrSignInRequired and Cognito's error, for an invalid token and for
// the token of a device that was forgotten.
func TestTokenSourceSignInRequired(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	ctx := context.Background()

	t.Run("invalid", func(t *testing.T) {
		c := e.client(t, tokPool, tokSecret)
		tok := e.signIn(t, c, "tina")
		tok.RefreshToken = "not-a-refresh-token"
		ts := newTokenSource(t, c, tok)
		if _, err := ts.AccessToken(ctx); err != nil {
			t.Fatalf("fresh tokens: %v", err)
		}
		e.srv.Advance(time.Hour)
		_, err := ts.AccessToken(ctx)
		var nae *types.NotAuthorizedException
		if !errors.Is(err, flows.ErrSignInRequired) || !errors.As(err, &nae) {
			t.Fatalf("error %v, want ErrSignInRequired and NotAuthorizedException", err)
		}
		if _, err := ts.Token(); !errors.Is(err, flows.ErrSignInRequired) {
			t.Fatalf("Token: %v, want ErrSignInRequired", err)
		}
	})

	t.Run("no refresh token", func(t *testing.T) {
		c := e.client(t, tokPool, tokPlain)
		tok := e.signIn(t, c, "tom")
		tok.RefreshToken = ""
		ts := newTokenSource(t, c, tok)
		e.srv.Advance(2 * time.Hour)
		before := e.cnt.count("GetTokensFromRefreshToken")
		if _, err := ts.IDToken(ctx); !errors.Is(err, flows.ErrSignInRequired) || e.cnt.count("GetTokensFromRefreshToken") != before {
			t.Fatalf("error %v, want ErrSignInRequired without a call", err)
		}
	})

	t.Run("forgotten device", func(t *testing.T) {
		devices := flows.NewMemoryStore()
		c := e.client(t, tokDevPool, tokDevClient, func(o *flows.Options) { o.DeviceStore = devices })
		res, err := c.Login(ctx, "dora", password)
		if err != nil || res.Device == nil {
			t.Fatalf("sign-in with a device: %v, %v", res, err)
		}
		ts := newTokenSource(t, c, c.NewTokens(res))
		e.srv.Advance(time.Hour)
		if _, err := ts.AccessToken(ctx); err != nil {
			t.Fatalf("refresh with the device key: %v", err)
		}
		a, _ := ts.AccessToken(ctx)
		if err := c.ForgetDevice(ctx, a, res.Device); err != nil {
			t.Fatal(err)
		}
		e.srv.Advance(time.Hour)
		_, err = ts.AccessToken(ctx)
		var nae *types.NotAuthorizedException
		if !errors.Is(err, flows.ErrSignInRequired) || !errors.As(err, &nae) {
			t.Fatalf("after ForgetDevice: %v, want ErrSignInRequired", err)
		}
	})
}

// TestTokenSourceRefreshTokenAuth: with RefreshWith = RefreshTokenAuth the
// source refreshes with REFRESH_TOKEN_AUTH, which an app client with
// rotation refuses (not as a reason to sign in again).
func TestTokenSourceRefreshTokenAuth(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	ctx := context.Background()
	legacy := func(o *flows.TokenSourceOptions) {
		o.RefreshOptions = append(o.RefreshOptions, func(o *flows.Options) { o.RefreshWith = flows.RefreshTokenAuth })
	}
	for _, client := range []string{tokPlain, tokSecret} {
		c := e.client(t, tokPool, client)
		tok := e.signIn(t, c, "tina")
		ts := newTokenSource(t, c, tok, legacy)
		e.srv.Advance(time.Hour)
		initiate := e.cnt.count("InitiateAuth")
		a, err := ts.AccessToken(ctx)
		if err != nil || a == tok.AccessToken {
			t.Fatalf("%s: refresh: %v", client, err)
		}
		if e.cnt.count("InitiateAuth") != initiate+1 || e.cnt.count("GetTokensFromRefreshToken") != 0 {
			t.Fatalf("%s: not refreshed with InitiateAuth (%v)", client, e.cnt.ops)
		}
	}
	c := e.client(t, tokPool, tokRotate)
	ts := newTokenSource(t, c, e.signIn(t, c, "tina"), legacy)
	e.srv.Advance(time.Hour)
	_, err := ts.AccessToken(ctx)
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) || errors.Is(err, flows.ErrSignInRequired) {
		t.Fatalf("REFRESH_TOKEN_AUTH under rotation: %v, want InvalidParameterException", err)
	}
}

// TestTokenSourceOAuth2: oauth2.NewClient sends the access token as a
// Bearer header, and a new one after the old expired.
func TestTokenSourceOAuth2(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	var (
		mu   sync.Mutex
		seen []string
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer api.Close()
	for _, byID := range []bool{false, true} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.BearerIDToken = byID })
		get := func(hc *http.Client) {
			resp, err := hc.Get(api.URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		hc := oauth2.NewClient(context.Background(), ts)
		get(hc)
		get(hc)
		// oauth2.NewClient's ReuseTokenSource reads time.Now, which the
		// server's clock has left behind: the refresh is seen through an
		// oauth2.Transport without it.
		e.srv.Advance(time.Hour)
		get(&http.Client{Transport: &oauth2.Transport{Source: ts}})
		cur, err := ts.Tokens(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want, old := cur.AccessToken, tok.AccessToken
		if byID {
			want, old = cur.IDToken, tok.IDToken
		}
		mu.Lock()
		if len(seen) != 3 || seen[0] != "Bearer "+old || seen[1] != seen[0] || seen[2] != "Bearer "+want || want == old {
			t.Errorf("BearerIDToken %v: Authorization headers are not the token, then the refreshed one: %d, %v %v %v", byID, len(seen), seen[0] == "Bearer "+old, seen[1] == seen[0], seen[2] == "Bearer "+want)
		}
		mu.Unlock()
		tok = cur
	}
}

// TestTokenSourceContext: a caller whose context ends stops waiting, but
// the refresh it started goes on, so that its new refresh token is kept.
func TestTokenSourceContext(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	ts := newTokenSource(t, c, tok)
	gate, arrived := make(chan struct{}), make(chan struct{})
	e.cnt.mu.Lock()
	e.cnt.gate, e.cnt.arrived = gate, arrived
	e.cnt.mu.Unlock()
	e.srv.Advance(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ts.AccessToken(ctx)
		done <- err
	}()
	// Wait until the refresh is on the wire, then give up on it.
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled caller: %v", err)
	}
	close(gate)
	cur, err := ts.Tokens(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cur.RefreshToken == tok.RefreshToken || e.cnt.count("GetTokensFromRefreshToken") != 1 {
		t.Fatalf("the abandoned refresh was lost: %d refreshes, rotated: %v", e.cnt.count("GetTokensFromRefreshToken"), cur.RefreshToken != tok.RefreshToken)
	}
}

func TestTokensString(t *testing.T) {
	tok := flows.Tokens{UserPoolID: tokPool, ClientID: tokPlain, Username: "u", AccessToken: "secret-access", IDToken: "secret-id", RefreshToken: "secret-refresh"}
	for _, s := range []string{tok.String(), fmt.Sprint(tok), fmt.Sprintf("%v %+v %#v", &tok, tok, []flows.Tokens{tok})} {
		if strings.Contains(s, "secret-") {
			t.Errorf("a token printed: %s", s)
		}
	}
}

// failingStore is a MemoryTokenStore whose next fails Updates fail after
// f ran, as a full disk would.
type failingStore struct {
	*flows.MemoryTokenStore
	fails atomic.Int32
}

func (s *failingStore) Update(ctx context.Context, userPoolID, clientID, name string, f func(*flows.Tokens) (*flows.Tokens, error)) error {
	if s.fails.Add(-1) >= 0 {
		if _, err := f(nil); err != nil {
			return err
		}
		return errors.New("disk full")
	}
	return s.MemoryTokenStore.Update(ctx, userPoolID, clientID, name, f)
}

// TestTokenSourceStoreFails: refreshed tokens that could not be stored are
// returned with the store's error, kept, and stored by the next call,
// which refreshes nothing.
func TestTokenSourceStoreFails(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	ctx := context.Background()
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	store := &failingStore{MemoryTokenStore: flows.NewMemoryTokenStore()}
	store.fails.Store(1)
	ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = store })
	e.srv.Advance(time.Hour)
	got, err := ts.Tokens(ctx)
	if err == nil || !strings.Contains(err.Error(), "disk full") || got == nil || got.RefreshToken == tok.RefreshToken {
		t.Fatalf("Tokens with a failing store: %v, %v", got, err)
	}
	if st, _ := store.Get(ctx, tokPool, tokRotate, "tina"); st != nil {
		t.Fatal("stored despite the failure")
	}
	again, err := ts.Tokens(ctx)
	if err != nil || again.RefreshToken != got.RefreshToken || e.cnt.count("GetTokensFromRefreshToken") != 1 {
		t.Fatalf("next call: %v, %d refreshes", err, e.cnt.count("GetTokensFromRefreshToken"))
	}
	if st, _ := store.Get(ctx, tokPool, tokRotate, "tina"); st == nil || st.RefreshToken != got.RefreshToken {
		t.Fatal("the next call did not store the rotated refresh token")
	}
}

// failAfterStore is a MemoryTokenStore whose next fails Updates run f on
// what the store holds, then fail, as a full disk would.
type failAfterStore struct {
	*flows.MemoryTokenStore
	fails atomic.Int32
}

func (s *failAfterStore) Update(ctx context.Context, userPoolID, clientID, name string, f func(*flows.Tokens) (*flows.Tokens, error)) error {
	if s.fails.Add(-1) >= 0 {
		st, err := s.MemoryTokenStore.Get(ctx, userPoolID, clientID, name)
		if err != nil {
			return err
		}
		if _, err := f(st); err != nil {
			return err
		}
		return errors.New("disk full")
	}
	return s.MemoryTokenStore.Update(ctx, userPoolID, clientID, name, f)
}

// put stores tok in s, as cognitosrp login --token-store does.
func put(t *testing.T, s flows.TokenStore, tok *flows.Tokens) {
	t.Helper()
	err := s.Update(context.Background(), tok.UserPoolID, tok.ClientID, tok.Username, func(*flows.Tokens) (*flows.Tokens, error) { return tok, nil })
	if err != nil {
		t.Fatal(err)
	}
}

// TestTokenSourceUnsavedRotationWins is a regression test: the store holds
// the sign-in's tokens; the first refresh rotates the refresh token, but its
// write fails; an hour later the source must refresh with its own, unsaved,
// rotated token, not with the store's rotated-out one (which Cognito
// answers with RefreshTokenReuseException), and store the result.
func TestTokenSourceUnsavedRotationWins(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	ctx := context.Background()
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	store := &failAfterStore{MemoryTokenStore: flows.NewMemoryTokenStore()}
	put(t, store, tok)
	ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = store })
	store.fails.Store(1)
	e.srv.Advance(time.Hour)
	got, err := ts.Tokens(ctx)
	var nse *flows.NotStoredError
	if !errors.As(err, &nse) || !nse.RefreshTokenUnsaved || !strings.Contains(err.Error(), "disk full") ||
		got == nil || got.RefreshToken == tok.RefreshToken {
		t.Fatalf("first refresh, store failing: %v, %v", got, err)
	}
	e.srv.Advance(time.Hour) // the tokens are stale again
	again, err := ts.Tokens(ctx)
	if err != nil {
		t.Fatalf("the unsaved rotated refresh token was not used: %v", err)
	}
	if again.RefreshToken == got.RefreshToken || e.cnt.count("GetTokensFromRefreshToken") != 2 {
		t.Fatalf("no second rotation: %d refreshes", e.cnt.count("GetTokensFromRefreshToken"))
	}
	if st, _ := store.Get(ctx, tokPool, tokRotate, "tina"); st == nil || st.RefreshToken != again.RefreshToken {
		t.Fatal("the second rotation was not stored")
	}
}

// TestTokenSourceUnsavedStoreChanged: with its own tokens unsaved, a source
// still takes tokens that were stored after its write failed (a new sign-in,
// another process), and falls back to its own refresh token if Cognito
// refuses the store's.
func TestTokenSourceUnsavedStoreChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, refused := range []bool{false, true} {
		t.Run(fmt.Sprint("refused=", refused), func(t *testing.T) {
			t.Parallel()
			e := newTokEnv(t)
			c := e.client(t, tokPool, tokRotate)
			tok := e.signIn(t, c, "tina")
			store := &failAfterStore{MemoryTokenStore: flows.NewMemoryTokenStore()}
			put(t, store, tok)
			ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = store })
			store.fails.Store(1)
			e.srv.Advance(time.Hour)
			mine, err := ts.Tokens(ctx)
			if mine == nil || err == nil {
				t.Fatalf("first refresh, store failing: %v", err)
			}
			// Another process signs in again and stores its tokens.
			other := e.signIn(t, c, "tina")
			if refused {
				other.RefreshToken = "not-a-refresh-token"
			}
			put(t, store, other)
			e.srv.Advance(time.Hour)
			n := e.cnt.count("GetTokensFromRefreshToken")
			got, err := ts.Tokens(ctx)
			if err != nil {
				t.Fatalf("after the store changed: %v", err)
			}
			st, _ := store.Get(ctx, tokPool, tokRotate, "tina")
			if st == nil || st.RefreshToken != got.RefreshToken {
				t.Fatal("the result was not stored")
			}
			if !refused {
				// other's tokens are stale too: refreshed from other's.
				if got.RefreshToken == other.RefreshToken || e.cnt.count("GetTokensFromRefreshToken") != n+1 {
					t.Fatalf("the stored sign-in was not refreshed: %d refreshes", e.cnt.count("GetTokensFromRefreshToken")-n)
				}
				if _, err := c.Refresh(ctx, "tina", mine.RefreshToken); err != nil {
					t.Fatalf("the source's own refresh token was used: %v", err)
				}
				return
			}
			// Refused: one refused refresh, then the source's own token.
			if got.RefreshToken == mine.RefreshToken || e.cnt.count("GetTokensFromRefreshToken") != n+2 {
				t.Fatalf("no fallback to the source's own token: %d refreshes", e.cnt.count("GetTokensFromRefreshToken")-n)
			}
		})
	}
}

// TestTokenSourceSave: Save stores tokens that a refresh could not, with
// the rotated refresh token, without a refresh; with nothing to store it
// does nothing.
func TestTokenSourceSave(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	ctx := context.Background()
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	store := &failAfterStore{MemoryTokenStore: flows.NewMemoryTokenStore()}
	put(t, store, tok)
	ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = store })
	if err := ts.Save(ctx); err != nil {
		t.Fatalf("Save with nothing to store: %v", err)
	}
	store.fails.Store(2)
	e.srv.Advance(time.Hour)
	got, err := ts.Tokens(ctx)
	if got == nil || err == nil {
		t.Fatalf("first refresh, store failing: %v", err)
	}
	var nse *flows.NotStoredError
	if err := ts.Save(ctx); !errors.As(err, &nse) || !nse.RefreshTokenUnsaved {
		t.Fatalf("Save, store failing: %v", err)
	}
	e.srv.Advance(2 * time.Hour) // stale: Save still only stores
	if err := ts.Save(ctx); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if st, _ := store.Get(ctx, tokPool, tokRotate, "tina"); st == nil || st.RefreshToken != got.RefreshToken {
		t.Fatal("Save did not store the rotated refresh token")
	}
	if n := e.cnt.count("GetTokensFromRefreshToken"); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
	if err := ts.Save(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Tokens(ctx); err != nil {
		t.Fatalf("refresh from the saved token: %v", err)
	}
}

// TestTokenSourceSaveAfterCancel: a caller gives up on a refresh that is on
// the wire (an interrupt); Save, as a program calls it before exiting,
// waits for that refresh and leaves its rotated refresh token in the store.
func TestTokenSourceSaveAfterCancel(t *testing.T) {
	t.Parallel()
	e := newTokEnv(t)
	c := e.client(t, tokPool, tokRotate)
	tok := e.signIn(t, c, "tina")
	store := flows.NewMemoryTokenStore()
	put(t, store, tok)
	ts := newTokenSource(t, c, tok, func(o *flows.TokenSourceOptions) { o.Store = store })
	gate, arrived := make(chan struct{}), make(chan struct{})
	e.cnt.mu.Lock()
	e.cnt.gate, e.cnt.arrived = gate, arrived
	e.cnt.mu.Unlock()
	e.srv.Advance(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := ts.AccessToken(ctx)
		done <- err
	}()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled caller: %v", err)
	}
	// Save joins the refresh under way, which then may go on.
	flows.SetJoinHook(ts, func() { close(gate) })
	if err := ts.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, _ := store.Get(context.Background(), tokPool, tokRotate, "tina")
	if st == nil || st.RefreshToken == tok.RefreshToken {
		t.Fatal("the rotated refresh token of the abandoned refresh is not in the store after Save")
	}
}
