// Package atomicfile replaces small files atomically, and serializes their
// read-modify-write cycles among goroutines and processes: the one writer
// shared by the device store ([flows.FileStore]) and the command's token
// store.
//
// [Update] writes the new contents to a temporary file in the same
// directory, syncs it, renames it over the file and syncs the directory, so
// that the file always holds either its old or its new contents, even if
// the process dies while writing. Cycles are serialized by an advisory lock
// (flock(2)) on a file next to the file, whose name adds ".lock"; on
// systems without flock, only within one process. Readers take no lock.
// Temporary files left behind by a writer that was killed are removed by
// the next Update.
//
// Other libraries were considered: github.com/google/renameio/v2 writes
// atomically but does not lock, and is for unix only; the Transform of
// github.com/rogpeppe/go-internal/lockedfile locks but rewrites the file in
// place, so a writer killed in the middle leaves it half written.
//
// [flows.FileStore]: https://pkg.go.dev/github.com/cognitosrp/cognitosrp/flows#FileStore
package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// processLocks serializes the Updates of one file within this process,
// which flock alone does only where it is available. Keyed by the file's
// absolute name.
var processLocks sync.Map // string -> *sync.Mutex

// Update replaces the file name with what fn writes to w, under the
// file's lock. fn gets the file's contents (nil if it does not exist). If
// fn returns an error, the file is left as it was and Update returns fn's
// error as it is; Update's own errors are *fs.PathError and the like,
// wrapped. A missing directory is created with permissions 0700, and a new
// file gets perm (as does the file when it is replaced).
//
// ctx bounds the wait for the lock.
func Update(ctx context.Context, name string, perm fs.FileMode, fn func(old []byte, w io.Writer) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return err
	}
	mu, _ := processLocks.LoadOrStore(abs, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	dir, base := filepath.Split(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	unlock, err := lockFile(ctx, abs+".lock")
	if err != nil {
		return fmt.Errorf("locking: %w", err)
	}
	defer unlock()
	if lockIsInterprocess {
		// No other writer is under way: what matches is left over.
		removeStaleTemps(abs)
	}
	old, err := os.ReadFile(abs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return write(dir, base, perm, old, fn)
}

// write writes what fn writes to a temporary file in dir and renames it
// over the file base.
func write(dir, base string, perm fs.FileMode, old []byte, fn func([]byte, io.Writer) error) (err error) {
	// os.CreateTemp creates the file with permissions 0600.
	tmp, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if err = fn(old, tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), filepath.Join(dir, base)); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		// The new file is in place; only its durability across a power
		// failure is uncertain.
		return fmt.Errorf("syncing the directory: %w", err)
	}
	return nil
}

// tempPrefix is the prefix of the names of the temporary files of the file
// base; os.CreateTemp adds digits.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// isTemp reports whether the file name (without directory) is a temporary
// file of Update for the file base. The name is compared literally, never
// as a glob pattern (a file may be named "dev[1].json"), and what follows
// the prefix must be the digits of os.CreateTemp, so that the temporary
// files of "devices.json.tmp-1.json" are not taken for those of
// "devices.json".
func isTemp(name, base string) bool {
	rest, ok := strings.CutPrefix(name, tempPrefix(base))
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// removeStaleTemps removes the temporary files of the file name that
// writers killed in the middle of an Update left behind; they may hold
// secrets. It must be called with the inter-process lock held, when no
// other write is under way.
func removeStaleTemps(name string) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() && isTemp(e.Name(), base) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
