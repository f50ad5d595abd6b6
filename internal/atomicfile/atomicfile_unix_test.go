//go:build unix

package atomicfile

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestUpdateLockWait: an Update waits for the lock that another process
// holds, and gives up when its context ends.
func TestUpdateLockWait(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	lock, err := os.OpenFile(name+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := Update(ctx, name, 0o600, appendLine("x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Update while locked: %v, want context.DeadlineExceeded", err)
	}
	syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if err := Update(t.Context(), name, 0o600, appendLine("y")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "y\n" {
		t.Errorf("contents %q", b)
	}
}

// TestUpdateRemovesStaleTemps: an Update removes the temporary files that
// killed writers left, its own only, matched literally.
func TestUpdateRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	own := []string{".dev[1].json.tmp-1", ".dev[1].json.tmp-22"}
	others := []string{".dev1.json.tmp-1", ".dev[1].json.tmp-1.json.tmp-3", ".dev[1].json.tmp-x"}
	for _, n := range append(append([]string{}, own...), others...) {
		os.WriteFile(filepath.Join(dir, n), []byte("secret"), 0o600)
	}
	if err := Update(t.Context(), filepath.Join(dir, "dev[1].json"), 0o600, func(_ []byte, w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	for _, n := range own {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s was not removed", n)
		}
	}
	for _, n := range others {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was removed", n)
		}
	}
}
