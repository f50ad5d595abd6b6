package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func appendLine(line string) func([]byte, io.Writer) error {
	return func(old []byte, w io.Writer) error {
		_, err := w.Write(append(old, line+"\n"...))
		return err
	}
}

func TestUpdateCreates(t *testing.T) {
	name := filepath.Join(t.TempDir(), "sub", "f.json")
	var sawOld []byte
	err := Update(t.Context(), name, 0o600, func(old []byte, w io.Writer) error {
		sawOld = old
		_, err := io.WriteString(w, "new\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if sawOld != nil {
		t.Errorf("old contents of a missing file: %q, want nil", sawOld)
	}
	if b, err := os.ReadFile(name); err != nil || string(b) != "new\n" {
		t.Fatalf("contents %q, %v", b, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
		if fi, _ := os.Stat(filepath.Dir(name)); fi.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v, want 0700", fi.Mode().Perm())
		}
	}
	if err := Update(t.Context(), name, 0o600, appendLine("more")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "new\nmore\n" {
		t.Errorf("after a second Update: %q", b)
	}
}

// TestUpdateError: when fn fails, even after writing, the file is as it
// was, no temporary file is left, and fn's error is returned as it is.
func TestUpdateError(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Update(t.Context(), name, 0o600, func(old []byte, w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if err != boom {
		t.Errorf("error %v, want fn's", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "old" {
		t.Errorf("contents %q after a failed Update", b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if isTemp(e.Name(), "f") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestUpdateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	name := filepath.Join(t.TempDir(), "f")
	if err := Update(ctx, name, 0o600, appendLine("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Update with a cancelled context: %v", err)
	}
	if _, err := os.Stat(name); err == nil {
		t.Error("the file was written")
	}
}

// TestUpdateConcurrent: read-modify-write cycles of one file are
// serialized, also through different names of it: no change is lost.
func TestUpdateConcurrent(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	other := filepath.Join(dir, ".", "x", "..", "f")
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			n := name
			if i%2 == 1 {
				n = other
			}
			if err := Update(context.Background(), n, 0o600, appendLine(fmt.Sprint(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	b, _ := os.ReadFile(name)
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 20 {
		t.Errorf("%d lines, want 20:\n%s", len(lines), b)
	}
}

func TestIsTemp(t *testing.T) {
	for _, tc := range []struct {
		name, base string
		want       bool
	}{
		{".f.json.tmp-123", "f.json", true},
		{".f.json.tmp-", "f.json", false},
		{".f.json.tmp-12a", "f.json", false},
		{".f.json.tmp-1.json.tmp-2", "f.json", false},
		{"f.json.tmp-1", "f.json", false},
		{".dev1.json.tmp-1", "dev[1].json", false},
		{".dev[1].json.tmp-1", "dev[1].json", true},
		{".dev[.json.tmp-1", "dev[.json", true},
		{".devX.json.tmp-1", "dev?.json", false},
		{".devXY.json.tmp-1", "dev*.json", false},
	} {
		if got := isTemp(tc.name, tc.base); got != tc.want {
			t.Errorf("isTemp(%q, %q) = %v, want %v", tc.name, tc.base, got, tc.want)
		}
	}
}
