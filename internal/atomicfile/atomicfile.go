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
// A file given by a symbolic link is the file the link points to: Update
// follows the link (and a chain of links, relative ones from the
// directory that holds each) once, at its start, and then reads, locks,
// writes its temporary file next to, and renames onto that target, leaving
// the link as it is. So the secrets stay where the user pointed the link
// (say, into an encrypted volume), and two names of one file share one
// lock. A link whose target does not exist yet creates the target, as
// open(2) with O_CREAT would; the target's directory, however, must exist
// (only the directory of the name as given is created), so that a link
// into a volume that is not mounted fails rather than writes beneath the
// mount point. A target that is not a regular file is refused, and so is
// a lock file that is a symbolic link.
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
// resolved name (see [resolve]).
var processLocks sync.Map // string -> *sync.Mutex

// Update replaces the file name with what fn writes to w, under the
// file's lock. fn gets the file's contents (nil if it does not exist). If
// fn returns an error, the file is left as it was and Update returns fn's
// error as it is; Update's own errors are *fs.PathError and the like,
// wrapped. If name is a symbolic link, the file it points to is updated
// and the link is kept (see the package documentation). A missing
// directory of name is created with permissions 0700. A new file gets
// perm; a file that is replaced keeps its permissions less those perm does
// not grant: they are never widened, and a file of mode 0644 updated with
// perm 0600 becomes 0600, so that a secret left readable by others is not
// written there again.
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
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return err
	}
	target, err := resolve(abs)
	if err != nil {
		return err
	}
	mu, _ := processLocks.LoadOrStore(target, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	unlock, err := lockFile(ctx, target+".lock")
	if err != nil {
		return fmt.Errorf("locking: %w", err)
	}
	defer unlock()
	if lockIsInterprocess {
		// No other writer is under way: what matches is left over.
		removeStaleTemps(target)
	}
	mode := perm
	fi, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		// Another writer may have put something else there since
		// resolve looked.
		return &fs.PathError{Op: "update", Path: target, Err: errNotRegular}
	default:
		mode = fi.Mode().Perm() & perm
	}
	old, err := os.ReadFile(target)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir, base := filepath.Split(target)
	return write(dir, base, mode, old, fn)
}

// maxLinks bounds the symbolic links that [resolve] follows, as the
// kernel's MAXSYMLINKS does (40 on Linux).
const maxLinks = 40

var (
	errNotRegular = errors.New("not a regular file")
	errLinkLoop   = errors.New("too many levels of symbolic links")
)

// resolve returns the file that the absolute name abs stands for: the
// name with every symbolic link in it followed, in its directories and in
// its last element, even where the last link points to a file that does
// not exist yet. Its directory must exist. A last element that exists but
// is not a regular file is an error.
//
// filepath.EvalSymlinks alone does not do: it fails on a link whose
// target is missing. So the last element is followed here, one link at a
// time, each relative link from the resolved directory that holds it,
// which is where the kernel looks too ("../f" in a link reached through a
// linked directory is not the lexical parent of the name).
func resolve(abs string) (string, error) {
	p := abs
	for range maxLinks {
		dir, base := filepath.Split(p)
		rdir, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return "", err
		}
		p = filepath.Join(rdir, base)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			if !fi.Mode().IsRegular() {
				return "", &fs.PathError{Op: "update", Path: p, Err: errNotRegular}
			}
			return p, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		switch {
		case filepath.IsAbs(link):
		case link != "" && os.IsPathSeparator(link[0]):
			// Rooted but without a volume (Windows): on the volume of
			// the link.
			link = filepath.VolumeName(rdir) + link
		default:
			link = filepath.Join(rdir, link)
		}
		p = link
	}
	return "", &fs.PathError{Op: "update", Path: abs, Err: errLinkLoop}
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
