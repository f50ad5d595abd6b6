package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/cognitosrp/cognitosrp/flows"
)

const tokenUsage = `Usage:
    cognitosrp token --user-pool-id ID --client-id ID --username NAME --token-store FILE [options]

Prints a valid access token of the user, or with --id-token the ID token,
from the token store that "cognitosrp login --token-store FILE" wrote, for
scripts:

    curl -H "Authorization: Bearer $(cognitosrp token ... --token-store FILE)" URL

The tokens are refreshed first, with GetTokensFromRefreshToken, only when the
one asked for expires within a minute; the new tokens, and the new refresh
token of an app client that rotates them, are written back to the store.
Runs that share the store refresh one at a time (it is locked), and take the
tokens that another run refreshed. Nothing is read from standard input or
the terminal.

Options:
    --user-pool-id ID         The user pool, such as us-east-1_AbC123.
    --client-id ID            The app client id.
    --username NAME           The user name, or the alias given at sign-in.
    --token-store FILE        The token store that login wrote (required).
    --id-token                Print the ID token instead of the access token.
    --client-secret-env NAME  Read the app client's secret from the
                              environment variable NAME, for app clients
                              that have one.
    --device-store FILE       The remembered devices, as for login: a refresh
                              sends the device key of the user's device. The
                              default is login's.
    --legacy-refresh          Refresh with InitiateAuth REFRESH_TOKEN_AUTH,
                              for servers that lack GetTokensFromRefreshToken.
    --endpoint-url URL        Send requests to URL, such as a local
                              "cognitosrp serve", instead of Cognito.
    --region REGION           The region, as for login.

No AWS credentials are needed. The AWS SDK's configuration applies as for
login (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL,
AWS_PROFILE, AWS_REGION).

Exit status:
    0    printed the token
    1    no tokens stored for the user, or Cognito refused the refresh token
         (expired, revoked, rotated out, its device forgotten): sign in
         again with cognitosrp login --token-store FILE
    2    usage error (bad flags, an unreadable or damaged token store), or
         the refreshed tokens could not be written to the token store
         (nothing is printed; the error says whether the stored refresh
         token was rotated out, which means signing in again)
    3    network or service error
    130  interrupted

Example:
    $ cognitosrp login --user-pool-id us-east-1_Example --client-id exampleclient \
        --username alice@example.com --token-store ~/.cognitosrp-tokens.json >/dev/null
    Password for alice@example.com:
    $ cognitosrp token --user-pool-id us-east-1_Example --client-id exampleclient \
        --username alice@example.com --token-store ~/.cognitosrp-tokens.json
    eyJraWQiOi...
`

// testOnlyClock, when set by tests, is the clock of the flows.Client (the
// SRP TIMESTAMP, and the tokens' expiry): the test server's, which a test
// steps past an expiry.
var testOnlyClock func() time.Time

// tokenFlagSet declares the token command's flags into f.
func tokenFlagSet(f *loginFlags) *flag.FlagSet {
	fs := newFlagSet("token")
	fs.StringVar(&f.poolID, "user-pool-id", "", "")
	fs.StringVar(&f.clientID, "client-id", "", "")
	fs.StringVar(&f.secretEnv, "client-secret-env", "", "")
	fs.StringVar(&f.username, "username", "", "")
	fs.StringVar(&f.tokenStore, "token-store", "", "")
	fs.BoolVar(&f.idToken, "id-token", false, "")
	fs.StringVar(&f.deviceStore, "device-store", "", "")
	fs.BoolVar(&f.legacyRefresh, "legacy-refresh", false, "")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "")
	fs.StringVar(&f.region, "region", "", "")
	return fs
}

func parseTokenFlags(args []string, stdout io.Writer) (*loginFlags, error) {
	f := &loginFlags{}
	fs := tokenFlagSet(f)
	if err := parseFlags(fs, "token", tokenUsage, args, stdout); err != nil {
		return nil, err
	}
	fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "device-store" {
			f.deviceStoreSet = true
		}
	})
	switch {
	case f.poolID == "":
		return nil, usageError("token", "--user-pool-id is required")
	case f.clientID == "":
		return nil, usageError("token", "--client-id is required")
	case f.username == "":
		return nil, usageError("token", "--username is required")
	case f.tokenStore == "":
		return nil, usageError("token", "--token-store is required: the file that cognitosrp login --token-store wrote")
	case f.deviceStoreSet && f.deviceStore == "":
		return nil, usageError("token", "--device-store needs a file name")
	}
	if err := checkIDs("token", f); err != nil {
		return nil, err
	}
	f.refresh = true // for the hints of loginError
	return f, nil
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseTokenFlags(args, stdout)
	if err != nil {
		return err
	}
	if err := token(ctx, f, stdout, stderr); err != nil {
		ce := &cliError{code: exitService}
		if !errors.As(err, &ce) {
			ce.err = err
		}
		return &cliError{code: ce.code, err: errors.New(f.hideFiles(ce.err.Error())), hints: ce.hints}
	}
	return nil
}

// testOnlyTokenStore, when set by tests, wraps the token store of the
// token command and of login --refresh, such as to make its writes fail.
var testOnlyTokenStore func(flows.TokenStore) flows.TokenStore

// openTokenStore returns the token store of --token-store.
func openTokenStore(f *loginFlags) flows.TokenStore {
	var s flows.TokenStore = tokenStore(f)
	if testOnlyTokenStore != nil {
		s = testOnlyTokenStore(s)
	}
	return s
}

// saveTimeout bounds the last try at storing refreshed tokens, which is
// made even after an interrupt: a rotated refresh token that is not stored
// is lost when the command exits.
const saveTimeout = 15 * time.Second

// notStoredError is the error for refreshed tokens that the token store
// could not take, at two tries. It quotes no token.
func notStoredError(nse *flows.NotStoredError) error {
	if nse.RefreshTokenUnsaved {
		return &cliError{code: exitUsage,
			err:   fmt.Errorf("the refreshed tokens could not be written to the token store (tried twice), and with them the new refresh token that rotation gave: the stored refresh token has been rotated out and is lost: %w", nse.Err),
			hints: []string{"make the token store writable, then sign in again with cognitosrp login --token-store FILE"}}
	}
	return &cliError{code: exitUsage,
		err:   fmt.Errorf("the refreshed tokens could not be written to the token store (tried twice): %w", nse.Err),
		hints: []string{"the stored refresh token still works: make the token store writable, and run the command again"}}
}

// token prints a valid access or ID token from the token store, through a
// [flows.TokenSource] that refreshes only when needed and stores what it
// gets.
func token(ctx context.Context, f *loginFlags, stdout, stderr io.Writer) error {
	secret, err := clientSecret("token", f)
	if err != nil {
		return err
	}
	devices, err := deviceStore(f)
	if err != nil {
		return err
	}
	store := openTokenStore(f)
	t, err := store.Get(ctx, f.poolID, f.clientID, f.username)
	if err != nil {
		return tokenStoreError(err)
	}
	if t == nil {
		return &cliError{code: exitRefused, err: errors.New("no tokens of the user in the token store"),
			hints: []string{"sign in with cognitosrp login --token-store FILE, with the same --user-pool-id, --client-id and --username"}}
	}
	c, err := newFlowsClient(ctx, f, secret, devices, nil)
	if err != nil {
		return err
	}
	warnRegion(f, stderr)
	ts, err := c.TokenSource(t, func(o *flows.TokenSourceOptions) { o.Store = store })
	if err != nil {
		return &cliError{code: exitUsage, err: err}
	}
	get := ts.AccessToken
	if f.idToken {
		get = ts.IDToken
	}
	tok, err := get(ctx)
	if err != nil {
		// Whatever err is (an interrupt leaves a refresh under way, a
		// failed write its tokens unsaved), ts may hold a rotated refresh
		// token that the store does not: store it before exiting, once
		// more if a write failed.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
		serr := ts.Save(sctx)
		cancel()
		var nse *flows.NotStoredError
		if errors.As(serr, &nse) || (serr != nil && errors.As(err, &nse)) {
			return notStoredError(nse)
		}
		if errors.As(err, &nse) {
			// Stored at the second try: the tokens are fresh.
			tok, err = get(ctx)
		}
		if err != nil {
			return refreshError(ctx, err, f)
		}
	}
	if _, err := fmt.Fprintln(stdout, sanitize(tok)); err != nil {
		return &cliError{code: exitService, err: fmt.Errorf("writing the token: %w", err)}
	}
	return nil
}
