package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTokenStoreConcurrentPuts: logins that store their tokens at the same
// time lose none (the store was written without a lock, and the last
// writer won), and leave no temporary file.
func TestTokenStoreConcurrentPuts(t *testing.T) {
	dir := t.TempDir()
	s := tokenStore{filepath.Join(dir, "tokens.json")}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			u := fmt.Sprintf("user%d", i)
			if err := s.put(t.Context(), "us-east-1_X", "c", u, storedToken{RefreshToken: "rt-" + u, Username: u, Saved: time.Now()}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range 16 {
		u := fmt.Sprintf("user%d", i)
		tok, ok, err := s.get("us-east-1_X", "c", u)
		if err != nil || !ok || tok.RefreshToken != "rt-"+u {
			t.Errorf("%s: %v, %v, %v", u, tok, ok, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "tokens.json" && e.Name() != "tokens.json.lock" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if fi, err := os.Stat(s.path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode: %v, %v", fi, err)
	}
	// A damaged store is not overwritten, and not quoted.
	os.WriteFile(s.path, []byte("{damaged rt-user1"), 0o600)
	err := s.put(t.Context(), "us-east-1_X", "c", "u", storedToken{RefreshToken: "x"})
	if err == nil || strings.Contains(err.Error(), "rt-user1") {
		t.Errorf("put on a damaged store: %v", err)
	}
	if b, _ := os.ReadFile(s.path); string(b) != "{damaged rt-user1" {
		t.Errorf("the damaged store was replaced: %q", b)
	}
}
