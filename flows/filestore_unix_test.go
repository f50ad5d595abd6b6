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
