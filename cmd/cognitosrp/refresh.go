package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cognitosrp/cognitosrp/flows"
)

// errTokensGone is returned when the tokens that --refresh found in the
// token store were removed before it could take the store's lock.
var errTokensGone = errors.New("the tokens of the user left the token store in the meantime")

// refresh is login --refresh: new tokens for a refresh token, with
// GetTokensFromRefreshToken (REFRESH_TOKEN_AUTH with --legacy-refresh).
// The refresh token comes from --token-store, found by the name given at
// sign-in or the internal user name, or else from standard input or the
// terminal. The new tokens, and a rotated refresh token, are written to
// --token-store; with a stored refresh token the refresh runs under the
// store's lock, so that concurrent runs neither lose a rotated token nor
// present one that another run rotated out.
func refresh(ctx context.Context, f *loginFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	secret, err := clientSecret("login", f)
	if err != nil {
		return err
	}
	devices, err := deviceStore(f)
	if err != nil {
		return err
	}
	var stored *flows.Tokens
	if f.tokenStore != "" {
		stored, err = openTokenStore(f).Get(ctx, f.poolID, f.clientID, f.username)
		if err != nil {
			return tokenStoreError(err)
		}
		if stored != nil && stored.RefreshToken == "" {
			stored = nil
		}
	}

	// Without a stored one, the refresh token: from stdin, or from the
	// terminal.
	tty, closer, ttyErr := openTerminal(stdin)
	if ttyErr == nil {
		defer closer.Close()
	}
	var input string
	switch {
	case stored != nil:
	case !isTerminal(stdin):
		input, err = readStdinSecret(stdin, "refresh token")
	case ttyErr != nil:
		return usageError("login", "no terminal to read the refresh token from: pass it on standard input")
	default:
		input, err = tty.ReadSecret(ctx, "Refresh token: ")
	}
	if err != nil {
		return loginError(ctx, err, f)
	}

	c, err := newFlowsClient(ctx, f, secret, devices, nil)
	if err != nil {
		return err
	}
	warnRegion(f, stderr)
	var (
		res  *flows.Result
		t    *flows.Tokens // the refreshed tokens to store
		from string        // the refresh token they were refreshed with
		serr error         // the error of their first write
	)
	if stored != nil {
		err = openTokenStore(f).Update(ctx, f.poolID, f.clientID, f.username, func(st *flows.Tokens) (*flows.Tokens, error) {
			if st == nil || st.RefreshToken == "" {
				return nil, errTokensGone
			}
			r, err := c.Refresh(ctx, st.Username, st.RefreshToken)
			if r == nil {
				return nil, err
			}
			res, t, from = r, refreshedTokens(c, r, st), st.RefreshToken
			return t, nil
		})
		if err != nil && res != nil {
			// Refreshed, but not stored.
			serr, err = err, nil
		}
	} else {
		res, err = c.Refresh(ctx, f.username, input)
		if res != nil && f.tokenStore != "" {
			t, from = refreshedTokens(c, res, &flows.Tokens{RefreshToken: input}), input
			t.Aliases = append(t.Aliases[:0:0], aliasOf(f.username, res.Username)...)
			serr = writeTokens(ctx, f, t)
		}
	}
	if serr != nil {
		// Once more, even after an interrupt: a rotated refresh token
		// that is not stored is lost for the next run.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
		serr = writeTokens(sctx, f, t)
		cancel()
	}
	if serr != nil && t.RefreshToken == from {
		f.warn(stderr, "refreshed, but the new tokens were not stored (the refresh token did not change, and still works): %v", serr)
		serr = nil
	}
	var de *flows.DeviceError
	if errors.As(err, &de) && res != nil {
		f.warn(stderr, "refreshed, but the forgotten device was not removed from the device store: %v", de)
		err = nil
	}
	if err != nil {
		return refreshError(ctx, err, f)
	}
	if err := printResult(stdout, res, f.output); err != nil {
		return err
	}
	if serr != nil {
		// The output holds the only copy of the rotated refresh token.
		return &cliError{code: exitUsage,
			err:   fmt.Errorf("refreshed, but the new tokens could not be written to the token store (tried twice): the refresh token it replaced has been rotated out, and the new one is in the output only: %w", serr),
			hints: []string{"make the token store writable, then sign in again with cognitosrp login --token-store FILE; until then the printed refresh token works with login --refresh without --token-store"}}
	}
	return nil
}

// writeTokens stores t in the token store, in place of the user's tokens.
func writeTokens(ctx context.Context, f *loginFlags, t *flows.Tokens) error {
	return openTokenStore(f).Update(ctx, t.UserPoolID, t.ClientID, t.Username, func(*flows.Tokens) (*flows.Tokens, error) {
		return t, nil
	})
}

// refreshedTokens returns the tokens of a refresh of old's tokens: a new
// refresh token if the app client rotates them, else old's.
func refreshedTokens(c *flows.Client, res *flows.Result, old *flows.Tokens) *flows.Tokens {
	t := c.NewTokens(res, old.Aliases...)
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken
	}
	return t
}

// aliasOf returns typed as an alias of the internal user name username,
// unless it is that name.
func aliasOf(typed, username string) []string {
	if typed == username {
		return nil
	}
	return []string{typed}
}

// refreshError is [loginError] for a refresh, with a hint to sign in again
// when Cognito refused the refresh token.
func refreshError(ctx context.Context, err error, f *loginFlags) error {
	if errors.Is(err, errTokensGone) {
		return &cliError{code: exitRefused, err: err, hints: []string{"sign in again with cognitosrp login --token-store FILE"}}
	}
	if errors.Is(err, flows.ErrMalformedStore) {
		return tokenStoreError(err)
	}
	e := loginError(ctx, err, f)
	var ce *cliError
	if errors.Is(err, flows.ErrSignInRequired) && errors.As(e, &ce) {
		ce.code = exitRefused
		ce.hints = append(ce.hints, "the refresh token was refused: sign in again with cognitosrp login (with --token-store FILE, to keep the new tokens)")
	}
	return e
}

// tokenStoreError is the error for a token store that cannot be read.
func tokenStoreError(err error) error {
	return &cliError{code: exitUsage, err: err,
		hints: []string{"pass a --token-store FILE that cognitosrp login wrote, or move the damaged one aside and sign in again"}}
}
