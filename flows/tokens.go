package flows

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Tokens are the tokens of one sign-in of a user to an app client, as a
// [TokenSource] and a [TokenStore] keep them.
//
// The tokens are secrets. Tokens' String and GoString methods leave them
// out, so that printing a Tokens does not leak them.
type Tokens struct {
	// UserPoolID and ClientID are the user pool and the app client.
	UserPoolID, ClientID string
	// Username is the user's internal user name in the pool
	// ([Result.Username]).
	Username string
	// Aliases are other names the user signed in with, such as an email
	// address, by which [TokenStore.Get] also finds the tokens.
	Aliases []string

	// AccessToken, IDToken and RefreshToken are Cognito's tokens. After a
	// refresh of an app client that does not rotate refresh tokens,
	// RefreshToken is the one of the sign-in.
	AccessToken, IDToken, RefreshToken string
	// AccessTokenExpiry and IDTokenExpiry are when the access and ID
	// tokens expire, on the clock of the [Client] that received them.
	AccessTokenExpiry, IDTokenExpiry time.Time
}

// String describes t without its tokens. It has a value receiver, so that
// printing a Tokens value, or a struct or slice holding one, leaves the
// tokens out too.
func (t Tokens) String() string {
	return fmt.Sprintf("flows.Tokens{UserPoolID: %q, ClientID: %q, Username: %q, Aliases: %q, AccessToken: %s, IDToken: %s, RefreshToken: %s, AccessTokenExpiry: %s, IDTokenExpiry: %s}",
		t.UserPoolID, t.ClientID, t.Username, t.Aliases, redactedOrEmpty(t.AccessToken), redactedOrEmpty(t.IDToken), redactedOrEmpty(t.RefreshToken),
		t.AccessTokenExpiry.Format(time.RFC3339), t.IDTokenExpiry.Format(time.RFC3339))
}

// GoString is like String.
func (t Tokens) GoString() string { return t.String() }

func redactedOrEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return "<redacted>"
}

func (t *Tokens) clone() *Tokens {
	c := *t
	c.Aliases = slices.Clone(t.Aliases)
	return &c
}

func (t *Tokens) equal(u *Tokens) bool {
	return t.UserPoolID == u.UserPoolID && t.ClientID == u.ClientID && t.Username == u.Username &&
		slices.Equal(t.Aliases, u.Aliases) &&
		t.AccessToken == u.AccessToken && t.IDToken == u.IDToken && t.RefreshToken == u.RefreshToken &&
		t.AccessTokenExpiry.Equal(u.AccessTokenExpiry) && t.IDTokenExpiry.Equal(u.IDTokenExpiry)
}

// NewTokens returns the tokens of a sign-in's or a refresh's Result, of
// c's user pool and app client, with their expiry computed from now on the
// Client's clock ([Options.Clock]): call it as soon as the call returns.
// The access token expires after the Result's ExpiresIn, the ID token after
// the lifetime written in it (its exp claim minus its iat claim, which may
// differ from the access token's: Cognito's IdTokenValidity), so that the
// server's clock does not matter. aliases are other names of the user, such
// as the name typed at sign-in when it was an alias; the internal user name
// among them is dropped.
func (c *Client) NewTokens(res *Result, aliases ...string) *Tokens {
	return c.newTokens(res, c.opts.Clock(), aliases)
}

func (c *Client) newTokens(res *Result, now time.Time, aliases []string) *Tokens {
	t := &Tokens{UserPoolID: c.userPoolID, ClientID: c.clientID, Username: res.Username}
	for _, a := range aliases {
		if a != "" && a != t.Username && !slices.Contains(t.Aliases, a) {
			t.Aliases = append(t.Aliases, a)
		}
	}
	ar := res.AuthenticationResult
	if ar == nil {
		return t
	}
	t.AccessToken = aws.ToString(ar.AccessToken)
	t.IDToken = aws.ToString(ar.IdToken)
	t.RefreshToken = aws.ToString(ar.RefreshToken)
	access := time.Duration(ar.ExpiresIn) * time.Second
	if access <= 0 {
		access = jwtLifetime(t.AccessToken)
	}
	id := jwtLifetime(t.IDToken)
	if id <= 0 {
		id = access
	}
	t.AccessTokenExpiry = now.Add(access)
	t.IDTokenExpiry = now.Add(id)
	return t
}

// jwtLifetime returns exp - iat of a JWT, read without verifying it, or 0.
func jwtLifetime(tok string) time.Duration {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return 0
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return 0
	}
	var claims struct {
		Exp, Iat int64
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp <= claims.Iat || claims.Iat <= 0 {
		return 0
	}
	// Bounded so that a hostile token cannot overflow a Duration.
	const maxLifetime = 10 * 365 * 24 * 60 * 60
	return time.Duration(min(claims.Exp-claims.Iat, maxLifetime)) * time.Second
}

// A TokenStore keeps the [Tokens] of at most one sign-in per user and app
// client, for a [TokenSource] and for programs that sign in once and
// refresh in later runs. Its methods must be safe for concurrent use.
type TokenStore interface {
	// Get returns the tokens of the user called name of the app client
	// clientID of the user pool userPoolID, where name is the internal
	// user name or one of the tokens' aliases (the internal user name
	// wins). It returns nil and no error when there are none.
	Get(ctx context.Context, userPoolID, clientID, name string) (*Tokens, error)

	// Update changes the tokens of the user called name, as Get finds
	// them, atomically: it calls f with a copy of them (nil if there are
	// none) and stores what f returns in their place, or removes them if
	// f returns nil. No other Update of the store, also in another
	// process for stores in files, runs in the meantime, so that a
	// [TokenSource] refreshes inside f: of several processes sharing a
	// store, one refreshes and the others read its tokens. The tokens f
	// returns must be of the same user pool and app client; their
	// Username and each of their Aliases are removed from the aliases of
	// other users' tokens of the app client. If f returns the value it
	// was given, unchanged, the store may skip the write. If f returns an error,
	// nothing changes and Update returns the error. Update must not keep
	// the value f returns, which the caller may change afterwards.
	Update(ctx context.Context, userPoolID, clientID, name string, f func(*Tokens) (*Tokens, error)) error
}

// MemoryTokenStore is a [TokenStore] in memory, safe for concurrent use.
// Its Update holds the store's lock while f runs.
type MemoryTokenStore struct {
	mu     sync.Mutex
	tokens []*Tokens
}

// NewMemoryTokenStore returns an empty MemoryTokenStore.
func NewMemoryTokenStore() *MemoryTokenStore { return &MemoryTokenStore{} }

// Get implements [TokenStore].
func (s *MemoryTokenStore) Get(ctx context.Context, userPoolID, clientID, name string) (*Tokens, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := findTokens(s.tokens, userPoolID, clientID, name); t != nil {
		return t.clone(), nil
	}
	return nil, nil
}

// Update implements [TokenStore].
func (s *MemoryTokenStore) Update(ctx context.Context, userPoolID, clientID, name string, f func(*Tokens) (*Tokens, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list, err := updateTokens(s.tokens, userPoolID, clientID, name, f)
	if err != nil {
		return err
	}
	if list != nil {
		s.tokens = list
	}
	return nil
}

// findTokens implements the lookup rule of [TokenStore.Get] on a list.
func findTokens(list []*Tokens, userPoolID, clientID, name string) *Tokens {
	var byAlias *Tokens
	for _, t := range list {
		if t.UserPoolID != userPoolID || t.ClientID != clientID {
			continue
		}
		if t.Username == name {
			return t
		}
		if byAlias == nil && slices.Contains(t.Aliases, name) {
			byAlias = t
		}
	}
	return byAlias
}

// errTokensOfOtherClient is returned by Update when f returns tokens of
// another user pool or app client.
var errTokensOfOtherClient = errors.New("flows: TokenStore.Update: tokens of another user pool or app client")

// updateTokens implements [TokenStore.Update] on a list. It returns the new
// list, or nil and no error if nothing changed.
func updateTokens(list []*Tokens, userPoolID, clientID, name string, f func(*Tokens) (*Tokens, error)) ([]*Tokens, error) {
	old := findTokens(list, userPoolID, clientID, name)
	var arg *Tokens
	if old != nil {
		arg = old.clone()
	}
	t, err := f(arg)
	if err != nil {
		return nil, err
	}
	if t != nil && old != nil && t.equal(old) {
		return nil, nil
	}
	if t != nil && (t.UserPoolID != userPoolID || t.ClientID != clientID || t.Username == "") {
		return nil, errTokensOfOtherClient
	}
	out := list[:0:0]
	for _, o := range list {
		if o == old {
			continue
		}
		if t != nil && o.UserPoolID == userPoolID && o.ClientID == clientID {
			if o.Username == t.Username {
				continue
			}
			o = o.clone()
			o.Aliases = slices.DeleteFunc(o.Aliases, func(a string) bool {
				return a == t.Username || slices.Contains(t.Aliases, a)
			})
		}
		out = append(out, o)
	}
	if t != nil {
		out = append(out, t.clone())
	}
	return out, nil
}
