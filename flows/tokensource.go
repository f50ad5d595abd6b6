package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultRefreshMargin is the default of [TokenSourceOptions.Margin]: a
// token handed out stays valid for at least this long, enough for a request
// to reach its server and for some clock skew between this machine and it.
const DefaultRefreshMargin = time.Minute

// DefaultRefreshTimeout is the default of
// [TokenSourceOptions.RefreshTimeout].
const DefaultRefreshTimeout = time.Minute

// TokenSourceOptions configures a [TokenSource]. The zero value of every
// field is a working default.
type TokenSourceOptions struct {
	// Store keeps the tokens after every refresh, and so the new refresh
	// token of an app client that rotates them. The refresh runs inside
	// the store's Update, which lets processes that share a store refresh
	// one at a time: a TokenSource first takes tokens that another process
	// stored meanwhile. When Store is nil, the tokens live in memory only.
	// Tokens that the store could not take are kept, and win over the
	// store's (see [NotStoredError]); a program that ends calls
	// [TokenSource.Save] to store them.
	Store TokenStore

	// Margin is how long before their expiry tokens are refreshed. The
	// default is [DefaultRefreshMargin].
	Margin time.Duration

	// BearerIDToken makes [TokenSource.Token] hand out the ID token
	// instead of the access token, for APIs that want it (such as an
	// Amazon API Gateway Cognito authorizer without OAuth scopes).
	BearerIDToken bool

	// RefreshTimeout bounds one refresh, including the store's Update. A
	// refresh is not canceled with the context of the caller that started
	// it, because other callers may be waiting for it and because a new
	// refresh token, once Cognito issued it, must not be lost. The default
	// is [DefaultRefreshTimeout].
	RefreshTimeout time.Duration

	// RefreshOptions are the per-call options of [Client.Refresh], such
	// as one setting [Options.RefreshWith].
	RefreshOptions []func(*Options)
}

// TokenSource hands out valid tokens of one sign-in, refreshing them with
// [Client.Refresh] when they are about to expire: when less than
// [TokenSourceOptions.Margin] of their lifetime is left. However many
// goroutines ask at once, one refresh runs; the others wait for it, each as
// long as its own context allows. When Cognito refuses the refresh token,
// the error wraps [ErrSignInRequired]: the user must sign in again, and a
// new TokenSource be made. A refused refresh is tried again at the next
// call.
//
// A TokenSource is an [oauth2.TokenSource], so that [oauth2.NewClient]
// sends its access token as a Bearer header:
//
//	ts, err := c.TokenSource(c.NewTokens(res))
//	...
//	httpClient := oauth2.NewClient(ctx, ts)
//
// A TokenSource is safe for concurrent use.
type TokenSource struct {
	c *Client
	o TokenSourceOptions

	mu      sync.Mutex
	cur     *Tokens
	unsaved bool    // cur was not stored: the store's write failed
	seen    string  // with unsaved, the refresh token the store held then
	flight  *flight // the refresh (or store write) under way, if any

	// joined, set only by tests (export_test.go), is called when a caller
	// waits for a refresh that another caller started.
	joined func()
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// flight is one refresh that callers wait for; tok and err are set before
// done is closed.
type flight struct {
	done chan struct{}
	tok  *Tokens
	err  error
}

// TokenSource returns a TokenSource that starts with t, such as
// c.NewTokens(res) after a sign-in or the tokens that a [TokenStore] holds.
// t must be of c's user pool and app client (an empty UserPoolID or
// ClientID is taken as c's). t is copied. t is not stored in
// [TokenSourceOptions.Store] until the first refresh.
func (c *Client) TokenSource(t *Tokens, optFns ...func(*TokenSourceOptions)) (*TokenSource, error) {
	if t == nil {
		return nil, errors.New("flows: TokenSource: nil Tokens")
	}
	t = t.clone()
	if t.UserPoolID == "" {
		t.UserPoolID = c.userPoolID
	}
	if t.ClientID == "" {
		t.ClientID = c.clientID
	}
	if t.UserPoolID != c.userPoolID || t.ClientID != c.clientID {
		return nil, errors.New("flows: TokenSource: tokens of another user pool or app client")
	}
	if t.Username == "" {
		return nil, errors.New("flows: TokenSource: tokens without a Username")
	}
	s := &TokenSource{c: c, cur: t}
	for _, fn := range optFns {
		fn(&s.o)
	}
	s.o.RefreshOptions = slices.Clone(s.o.RefreshOptions)
	if s.o.Margin <= 0 {
		s.o.Margin = DefaultRefreshMargin
	}
	if s.o.RefreshTimeout <= 0 {
		s.o.RefreshTimeout = DefaultRefreshTimeout
	}
	return s, nil
}

// need says which tokens a caller needs valid.
type need int

const (
	needAccess need = 1 << iota
	needID
	needBoth = needAccess | needID
)

// fresh reports whether t's needed tokens are valid for at least the margin.
func (s *TokenSource) fresh(t *Tokens, n need) bool {
	later := s.c.opts.Clock().Add(s.o.Margin)
	if n&needAccess != 0 && (t.AccessToken == "" || !later.Before(t.AccessTokenExpiry)) {
		return false
	}
	if n&needID != 0 && (t.IDToken == "" || !later.Before(t.IDTokenExpiry)) {
		return false
	}
	return true
}

// Tokens returns the tokens, refreshed first if the access or the ID token
// is about to expire. The result is a copy. If the refresh succeeded but
// its tokens could not be stored, Tokens returns them together with a
// [*NotStoredError]; the next call tries to store them again.
func (s *TokenSource) Tokens(ctx context.Context) (*Tokens, error) {
	return s.get(ctx, needBoth)
}

// AccessToken returns a valid access token, refreshing first if it is
// about to expire. Errors are those of [TokenSource.Tokens], but the token
// is returned only with no error.
func (s *TokenSource) AccessToken(ctx context.Context) (string, error) {
	t, err := s.get(ctx, needAccess)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// IDToken returns a valid ID token, refreshing first if it is about to
// expire. Errors are those of [TokenSource.Tokens], but the token is
// returned only with no error.
func (s *TokenSource) IDToken(ctx context.Context) (string, error) {
	t, err := s.get(ctx, needID)
	if err != nil {
		return "", err
	}
	return t.IDToken, nil
}

// Token implements [oauth2.TokenSource]: it returns the access token (the
// ID token with [TokenSourceOptions.BearerIDToken]) as a Bearer token, with
// the ID token as the "id_token" extra value, as OpenID Connect clients
// read it. Its Expiry is when the TokenSource will refresh, Margin before
// the token expires, on the clock of time.Now (which package oauth2 reads,
// whatever [Options.Clock] says), so that [oauth2.ReuseTokenSource], which
// [oauth2.NewClient] uses, asks again in time. The RefreshToken is left
// empty: the TokenSource refreshes. Token has no context: a refresh it
// starts is bounded by [TokenSourceOptions.RefreshTimeout].
func (s *TokenSource) Token() (*oauth2.Token, error) {
	n, bearer := needAccess, func(t *Tokens) (string, time.Time) { return t.AccessToken, t.AccessTokenExpiry }
	if s.o.BearerIDToken {
		n, bearer = needID, func(t *Tokens) (string, time.Time) { return t.IDToken, t.IDTokenExpiry }
	}
	t, err := s.get(context.Background(), n)
	if err != nil {
		return nil, err
	}
	tok, exp := bearer(t)
	// oauth2 reads time.Now, which need not be the Client's clock.
	refreshAt := time.Now().Add(exp.Add(-s.o.Margin).Sub(s.c.opts.Clock()))
	ot := &oauth2.Token{AccessToken: tok, TokenType: "Bearer", Expiry: refreshAt}
	return ot.WithExtra(map[string]any{"id_token": t.IDToken}), nil
}

// get returns tokens whose needed ones are fresh, after a refresh if need
// be.
func (s *TokenSource) get(ctx context.Context, n need) (*Tokens, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if !s.unsaved && s.fresh(s.cur, n) {
		t := s.cur.clone()
		s.mu.Unlock()
		return t, nil
	}
	f, started := s.flight, s.flight == nil
	if started {
		f = s.startLocked(ctx, s.unsaved && s.fresh(s.cur, needBoth))
	}
	s.mu.Unlock()
	if !started && s.joined != nil {
		s.joined()
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.tok == nil {
		return nil, f.err
	}
	return f.tok.clone(), f.err
}

// Save stores the tokens that a refresh could not store (see
// [NotStoredError]), without a refresh. It returns nil when there is
// nothing to store: without a [TokenSourceOptions.Store], or when the store
// holds the tokens already. A program about to exit after a
// [NotStoredError] calls Save, or else loses a rotated refresh token with
// its memory. As in a refresh, tokens that another process stored
// meanwhile, fresh ones, are taken instead of being overwritten.
func (s *TokenSource) Save(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.Lock()
		if s.flight == nil && !s.unsaved {
			s.mu.Unlock()
			return nil
		}
		f, started := s.flight, s.flight == nil
		if started {
			f = s.startLocked(ctx, true)
		}
		s.mu.Unlock()
		if !started && s.joined != nil {
			s.joined()
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if started {
			return f.err
		}
		// Another caller's refresh ended: look again.
	}
}

// startLocked starts a flight that refreshes s.cur, or only stores it if
// saveOnly. s.mu must be held.
func (s *TokenSource) startLocked(ctx context.Context, saveOnly bool) *flight {
	f := &flight{done: make(chan struct{})}
	s.flight = f
	j := job{cur: s.cur.clone(), saveOnly: saveOnly, unsaved: s.unsaved, seen: s.seen}
	go s.run(ctx, f, j)
	return f
}

// job is what one flight starts from.
type job struct {
	cur      *Tokens
	saveOnly bool   // store cur, do not refresh it
	unsaved  bool   // cur is not in the store (a store write failed)
	seen     string // with unsaved, the refresh token the store held then
}

// run does the refresh of f, or only stores j.cur if j.saveOnly, and
// publishes the result.
func (s *TokenSource) run(ctx context.Context, f *flight, j job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.o.RefreshTimeout)
	defer cancel()
	tok, stored, held, err := s.refresh(ctx, j)
	s.mu.Lock()
	if tok != nil {
		s.cur = tok
		s.unsaved = s.o.Store != nil && !stored
		s.seen = held
	}
	s.flight = nil
	f.tok, f.err = tok, err
	s.mu.Unlock()
	close(f.done)
}

// refresh returns new tokens for j.cur, whether they were stored, and the
// refresh token that the store held when it was looked at ("" for none).
// With a store, the refresh runs inside its Update, after a look at what it
// holds. Tokens there that are news to this source — always, unless this
// source's own are unsaved and the store still holds what it held when
// their write failed — win: fresh tokens that another process refreshed
// meanwhile are taken as they are, and a refresh token that another process
// received (rotation) is refreshed instead of cur's, with cur's as the
// fallback if Cognito refuses it. Otherwise cur's own win: an unsaved
// rotated refresh token is never given up for the one it replaced.
func (s *TokenSource) refresh(ctx context.Context, j job) (tok *Tokens, stored bool, held string, err error) {
	cur := j.cur
	if s.o.Store == nil {
		tok, err = s.refreshFrom(ctx, cur)
		return tok, false, "", err
	}
	err = s.o.Store.Update(ctx, cur.UserPoolID, cur.ClientID, cur.Username, func(st *Tokens) (*Tokens, error) {
		tok, held = nil, ""
		if st != nil {
			held = st.RefreshToken
		}
		theirs := st != nil && st.Username == cur.Username && st.RefreshToken != "" &&
			!(j.unsaved && st.RefreshToken == j.seen)
		switch {
		case theirs && s.fresh(st, needBoth):
			tok = st
			return st, nil
		case j.saveOnly:
			tok = cur
			return cur, nil
		case !theirs:
			t, err := s.refreshFrom(ctx, cur)
			if err != nil {
				return nil, err
			}
			tok = t
			return t, nil
		}
		t, err := s.refreshFrom(ctx, st)
		if errors.Is(err, ErrSignInRequired) && cur.RefreshToken != "" && cur.RefreshToken != st.RefreshToken {
			// The store's refresh token was refused (an older sign-in's,
			// say); this source's own may still be valid.
			if t2, err2 := s.refreshFrom(ctx, cur); err2 == nil {
				t, err = t2, nil
			}
		}
		if err != nil {
			return nil, err
		}
		tok = t
		return t, nil
	})
	if err != nil && tok != nil {
		// Refreshed (or taken), but not stored.
		return tok, false, held, &NotStoredError{RefreshTokenUnsaved: tok.RefreshToken != held, Err: err}
	}
	return tok, err == nil, held, err
}

// NotStoredError is the error of a [TokenSource] whose new tokens its
// [TokenSourceOptions.Store] could not store. The tokens are returned with
// it and kept: the next call of the TokenSource, or [TokenSource.Save],
// tries to store them again, and until then they win over the store's
// older ones. A program that exits before then loses them.
type NotStoredError struct {
	// RefreshTokenUnsaved reports that the TokenSource's refresh token
	// is not the one the store holds: a rotated one, which exists only in
	// memory, while the store's has been rotated out.
	RefreshTokenUnsaved bool

	// Err is the store's error.
	Err error
}

func (e *NotStoredError) Error() string {
	if e.RefreshTokenUnsaved {
		return "flows: TokenSource: the new tokens and their rotated refresh token were not stored, and are kept in memory only: " + e.Err.Error()
	}
	return "flows: TokenSource: the new tokens were not stored: " + e.Err.Error()
}

func (e *NotStoredError) Unwrap() error { return e.Err }

// refreshFrom refreshes base's tokens.
func (s *TokenSource) refreshFrom(ctx context.Context, base *Tokens) (*Tokens, error) {
	if base.RefreshToken == "" {
		return nil, fmt.Errorf("%w: no refresh token", ErrSignInRequired)
	}
	res, err := s.c.Refresh(ctx, base.Username, base.RefreshToken, s.o.RefreshOptions...)
	if res == nil {
		return nil, err
	}
	// A *DeviceError (a forgotten device not removed from the device
	// store) does not make the tokens less valid.
	t := s.c.newTokens(res, s.c.opts.Clock(), base.Aliases)
	if t.RefreshToken == "" {
		t.RefreshToken = base.RefreshToken
	}
	return t, nil
}
