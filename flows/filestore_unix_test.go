//go:build unix

package flows_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/flows"
)

// TestFileStoreLockWait holds the store's lock as another process would:
// a write waits for it, gives up when its context ends, and succeeds once
// the lock is released.
func TestFileStoreLockWait(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "devices.json")
	s := flows.NewFileStore(path)
	lock, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Put(ctx, testDevice("alice", "k1")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Put while locked: %v, want context.DeadlineExceeded", err)
	}

	done := make(chan error, 1)
	go func() { done <- s.Put(context.Background(), testDevice("bob", "k2")) }()
	select {
	case err := <-done:
		t.Fatalf("Put did not wait for the lock: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Get(context.Background(), pool, "alice"); d != nil {
		t.Errorf("the abandoned Put was written: %v", d)
	}
	if d, _ := s.Get(context.Background(), pool, "bob"); d == nil {
		t.Error("the waiting Put was lost")
	}
}

// TestFileStoreTempCleanupLiteralName: a write removes the temporary files
// left by its own store only, matching the store's file name literally. A
// name with glob metacharacters must neither remove another store's file
// in flight ("dev[1].json" matched ".dev1.json.tmp-…" as a pattern) nor
// leave its own stale files ("dev[.json" is a malformed pattern).
func TestFileStoreTempCleanupLiteralName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		own    []string // stale temporary files of the store: removed
		others []string // files of other stores: kept
	}{
		{"dev[1].json", []string{".dev[1].json.tmp-123"}, []string{".dev1.json.tmp-123", "dev1.json"}},
		{"dev[.json", []string{".dev[.json.tmp-4567", ".dev[.json.tmp-1"}, nil},
		{"dev*.json", []string{".dev*.json.tmp-9"}, []string{".devX.json.tmp-9", ".dev.json.tmp-9"}},
		{"dev?.json", []string{".dev?.json.tmp-9"}, []string{".devX.json.tmp-9"}},
		{`dev\.json`, []string{`.dev\.json.tmp-9`}, []string{".dev.json.tmp-9"}},
		// Another store whose name extends this one's temporary prefix.
		{"devices.json", []string{".devices.json.tmp-77"}, []string{".devices.json.tmp-1.json.tmp-77", ".devices.json.tmp-", ".devices.json.tmp-1x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range append(append([]string{}, tc.own...), tc.others...) {
				if err := os.WriteFile(filepath.Join(dir, n), []byte("in flight"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s := flows.NewFileStore(filepath.Join(dir, tc.name))
			if err := s.Put(context.Background(), testDevice("alice", "k1")); err != nil {
				t.Fatal(err)
			}
			for _, n := range tc.own {
				if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
					t.Errorf("stale temporary file %s of the store was not removed", n)
				}
			}
			for _, n := range tc.others {
				if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
					t.Errorf("%s, not the store's, was removed: %v", n, err)
				}
			}
			if d, err := s.Get(context.Background(), pool, "alice"); err != nil || d == nil {
				t.Errorf("Get after Put: %v, %v", d, err)
			}
		})
	}
}
