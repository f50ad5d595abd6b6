package flows_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitosrp/cognitosrp/flows"
)

func TestTokenStores(t *testing.T) {
	t.Parallel()
	for name, newStore := range map[string]func(t *testing.T) flows.TokenStore{
		"memory": func(t *testing.T) flows.TokenStore { return flows.NewMemoryTokenStore() },
		"file": func(t *testing.T) flows.TokenStore {
			return flows.NewFileTokenStore(filepath.Join(t.TempDir(), "t.json"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := newStore(t)
			put := func(tok *flows.Tokens) {
				t.Helper()
				if err := s.Update(ctx, tok.UserPoolID, tok.ClientID, tok.Username, func(*flows.Tokens) (*flows.Tokens, error) { return tok, nil }); err != nil {
					t.Fatal(err)
				}
			}
			get := func(client, name string) *flows.Tokens {
				t.Helper()
				tok, err := s.Get(ctx, tokPool, client, name)
				if err != nil {
					t.Fatal(err)
				}
				return tok
			}
			if get(tokPlain, "alice") != nil {
				t.Fatal("empty store has tokens")
			}
			a := &flows.Tokens{UserPoolID: tokPool, ClientID: tokPlain, Username: "alice", Aliases: []string{"a@example.com"}, RefreshToken: "r1"}
			put(a)
			a.RefreshToken = "changed after Put"
			if got := get(tokPlain, "a@example.com"); got == nil || got.RefreshToken != "r1" {
				t.Fatalf("by alias: %v", got)
			}
			if get(tokSecret, "alice") != nil {
				t.Fatal("found under another app client")
			}
			// Another user takes the alias; the internal user name wins.
			put(&flows.Tokens{UserPoolID: tokPool, ClientID: tokPlain, Username: "bob", Aliases: []string{"a@example.com"}, RefreshToken: "r2"})
			if got := get(tokPlain, "a@example.com"); got == nil || got.Username != "bob" {
				t.Fatalf("alias after it moved: %v", got)
			}
			put(&flows.Tokens{UserPoolID: tokPool, ClientID: tokPlain, Username: "carol", Aliases: []string{"bob"}, RefreshToken: "r3"})
			if got := get(tokPlain, "bob"); got == nil || got.Username != "bob" {
				t.Fatalf("the internal user name lost to an alias: %v", got)
			}
			// f sees a copy; its error changes nothing; nil removes.
			sentinel := errors.New("no")
			err := s.Update(ctx, tokPool, tokPlain, "alice", func(cur *flows.Tokens) (*flows.Tokens, error) {
				cur.RefreshToken = "scribbled"
				return nil, sentinel
			})
			if !errors.Is(err, sentinel) || get(tokPlain, "alice").RefreshToken != "r1" {
				t.Fatalf("Update with an error: %v", err)
			}
			if err := s.Update(ctx, tokPool, tokPlain, "alice", func(*flows.Tokens) (*flows.Tokens, error) { return nil, nil }); err != nil {
				t.Fatal(err)
			}
			if get(tokPlain, "alice") != nil || get(tokPlain, "bob") == nil {
				t.Fatal("Update returning nil did not remove exactly the user's tokens")
			}
			err = s.Update(ctx, tokPool, tokPlain, "bob", func(cur *flows.Tokens) (*flows.Tokens, error) {
				cur.ClientID = tokSecret
				return cur, nil
			})
			if err == nil {
				t.Fatal("Update stored tokens of another app client")
			}
		})
	}
}

func TestFileTokenStoreMalformed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, content := range map[string]string{
		"not json":     `{"version": 1, "tokens": [{"refreshToken": "secret-token-text"`,
		"version":      `{"version": 2, "tokens": []}`,
		"unknown":      `{"version": 1, "tokens": [], "extra": "secret-token-text"}`,
		"incomplete":   `{"version": 1, "tokens": [{"userPoolId": "p", "refreshToken": "secret-token-text"}]}`,
		"device store": `{"version": 1, "devices": []}`,
	} {
		path := filepath.Join(t.TempDir(), "t.json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		s := flows.NewFileTokenStore(path)
		_, err := s.Get(ctx, tokPool, tokPlain, "alice")
		if !errors.Is(err, flows.ErrMalformedStore) || strings.Contains(err.Error(), "secret-token-text") {
			t.Errorf("%s: Get: %v", name, err)
		}
		err = s.Update(ctx, tokPool, tokPlain, "alice", func(*flows.Tokens) (*flows.Tokens, error) {
			t.Errorf("%s: f called on a malformed store", name)
			return nil, nil
		})
		if !errors.Is(err, flows.ErrMalformedStore) {
			t.Errorf("%s: Update: %v", name, err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("%s: the malformed file was changed", name)
		}
	}
}
