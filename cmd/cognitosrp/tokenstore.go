package main

import (
	"context"

	"github.com/cognitosrp/cognitosrp/flows"
)

// tokenStore returns the token store of --token-store: a
// [flows.FileTokenStore], a JSON file of mode 0600 that
// [github.com/cognitosrp/cognitosrp/internal/atomicfile] replaces
// atomically and under a lock, as it does the device store. It holds the
// tokens of each sign-in, with the internal user name and the name typed at
// sign-in, by either of which --refresh and the token command find them.
func tokenStore(f *loginFlags) *flows.FileTokenStore {
	return flows.NewFileTokenStore(f.tokenStore)
}

// putTokens stores t in the token store, in place of the user's earlier
// tokens.
func putTokens(ctx context.Context, f *loginFlags, t *flows.Tokens) error {
	return tokenStore(f).Update(ctx, t.UserPoolID, t.ClientID, t.Username, func(*flows.Tokens) (*flows.Tokens, error) {
		return t, nil
	})
}
