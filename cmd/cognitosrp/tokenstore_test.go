package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/cognitosrp/cognitosrp/flows"
)

// TestTokenStoreConcurrentPuts: logins that store their tokens at the same
// time lose none (the store was written without a lock, and the last
// writer won), and leave no temporary file.
func TestTokenStoreConcurrentPuts(t *testing.T) {
	dir := t.TempDir()
	f := &loginFlags{tokenStore: filepath.Join(dir, "tokens.json")}
	tok := func(u string) *flows.Tokens {
		return &flows.Tokens{UserPoolID: "us-east-1_X", ClientID: "c", Username: u, Aliases: []string{u + "@example.com"}, RefreshToken: "rt-" + u}
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if err := putTokens(t.Context(), f, tok(fmt.Sprintf("user%d", i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range 16 {
		u := fmt.Sprintf("user%d", i)
		got, err := tokenStore(f).Get(t.Context(), "us-east-1_X", "c", u+"@example.com")
		if err != nil || got == nil || got.RefreshToken != "rt-"+u {
			t.Errorf("%s: %v, %v", u, got, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "tokens.json" && e.Name() != "tokens.json.lock" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if fi, err := os.Stat(f.tokenStore); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode: %v, %v", fi, err)
	}
	// A damaged store is not overwritten, and not quoted.
	os.WriteFile(f.tokenStore, []byte("{damaged rt-user1"), 0o600)
	err := putTokens(t.Context(), f, tok("u"))
	if err == nil || strings.Contains(err.Error(), "rt-user1") {
		t.Errorf("put on a damaged store: %v", err)
	}
	if b, _ := os.ReadFile(f.tokenStore); string(b) != "{damaged rt-user1" {
		t.Errorf("the damaged store was replaced: %q", b)
	}
}
