//go:build unix

package flows_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cognitosrp/cognitosrp/flows"
)

// TestFileStoresThroughSymlink: a token store and a device store given as
// symbolic links (as to a file on an encrypted volume) write the files the
// links point to, keep the links, and read back what they wrote; the
// secrets never land next to the link.
func TestFileStoresThroughSymlink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	vault := filepath.Join(dir, "vault")
	if err := os.Mkdir(vault, 0o700); err != nil {
		t.Fatal(err)
	}
	realTokens := filepath.Join(vault, "tokens.json")
	if err := os.WriteFile(realTokens, []byte(`{"version":1,"tokens":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	linkTokens := filepath.Join(dir, "tokens.json")
	linkDevices := filepath.Join(dir, "devices.json")
	for name, target := range map[string]string{linkTokens: realTokens, linkDevices: filepath.Join("vault", "devices.json")} {
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}

	ts := flows.NewFileTokenStore(linkTokens)
	tok := &flows.Tokens{UserPoolID: tokPool, ClientID: tokPlain, Username: "alice", RefreshToken: "refresh-token-secret"}
	if err := ts.Update(ctx, tok.UserPoolID, tok.ClientID, tok.Username, func(*flows.Tokens) (*flows.Tokens, error) { return tok, nil }); err != nil {
		t.Fatal(err)
	}
	ds := flows.NewFileStore(linkDevices)
	if err := ds.Put(ctx, testDevice("alice", "k1")); err != nil {
		t.Fatal(err)
	}

	for name, target := range map[string]string{linkTokens: realTokens, linkDevices: filepath.Join("vault", "devices.json")} {
		fi, err := os.Lstat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s was replaced by a %v file", name, fi.Mode().Type())
		}
		if got, _ := os.Readlink(name); got != target {
			t.Errorf("%s points to %q, want %q", name, got, target)
		}
	}
	if b, _ := os.ReadFile(realTokens); !strings.Contains(string(b), "refresh-token-secret") {
		t.Errorf("the refresh token is not in the linked file: %s", b)
	}
	if b, _ := os.ReadFile(filepath.Join(vault, "devices.json")); !strings.Contains(string(b), "secret-password-of-k1") {
		t.Errorf("the device is not in the linked file: %s", b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type()&os.ModeSymlink == 0 && e.Name() != "vault" {
			t.Errorf("%s was written next to the links", e.Name())
		}
	}
	if got, err := ts.Get(ctx, tokPool, tokPlain, "alice"); err != nil || got == nil || got.RefreshToken != "refresh-token-secret" {
		t.Errorf("Get through the link: %v, %v", got, err)
	}
	if got, err := ds.Get(ctx, pool, "alice"); err != nil || got == nil {
		t.Errorf("device Get through the link: %v, %v", got, err)
	}
}
