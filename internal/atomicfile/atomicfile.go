// Package atomicfile reads and changes small files, such as the device
// store of package flows and the token store of cognitosrp, that must
// always be whole and that several processes may change at once.
//
// A change ([File.Update]) is read, computed and written under an advisory
// lock (flock(2)) on a file next to the file whose name adds ".lock"; on
// systems without flock, changes are serialized only within one process.
// The new content goes to a temporary file in the same directory, created
// with permissions 0600, synced, then renamed over the file, and the
// directory is synced: the file always holds either the old content or the
// new one, also if the process dies while writing or the power fails after
// Update returns. Temporary files left behind by a writer that was killed
// are removed by the next change. Reads ([File.Read]) take no lock.
//
// The files hold secrets (device passwords, refresh tokens): errors name
// the file and the operation, never its content.
package atomicfile

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// File is one file that is read whole and replaced atomically. Its methods
// are safe for concurrent use; the zero value with Path set is ready to use.
type File struct {
	// Path is the file's name.
	Path string

	// MidWrite, for tests only, is called in the middle of writing the
	// temporary file, so that a test can kill the process there.
	MidWrite func()

	mu sync.Mutex // serializes changes within this process
}

// Read returns the file's content, or nil and no error if it does not
// exist.
func (f *File) Read() ([]byte, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// Update changes the file under its lock: it creates the file's directory
// (0700) if missing, takes the lock, waiting at most until ctx ends, reads
// the file (nil if it does not exist), and calls change with the content.
// If change returns an error, Update returns it and the file is left as it
// was; if change returns nil content and no error, nothing is written;
// otherwise the content replaces the file atomically. change runs with the
// lock held, so that no other process changes the file in the meantime; it
// may take its time (a network call), but other writers wait for it.
func (f *File) Update(ctx context.Context, change func(old []byte) ([]byte, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	unlock, err := lockFile(ctx, f.Path+".lock")
	if err != nil {
		return err
	}
	defer unlock()
	if lockIsInterprocess {
		f.removeTemps()
	}
	old, err := f.Read()
	if err != nil {
		return err
	}
	b, err := change(old)
	if err != nil || b == nil {
		return err
	}
	return f.write(b)
}

// tempPattern is the os.CreateTemp pattern of the temporary files of a
// file named base: "." + base + ".tmp-" and the digits that os.CreateTemp
// puts in place of the "*".
func tempPattern(base string) string { return tempPrefix(base) + "*" }

func tempPrefix(base string) string { return "." + base + ".tmp-" }

// isTempOf reports whether the file name is a temporary file of the file
// named base. The name is compared literally, never as a glob pattern (a
// file may be named "dev[1].json"), and the part after the prefix must be
// the digits of os.CreateTemp, so that the temporary files of a file named,
// say, "devices.json.tmp-1.json" are not taken for those of "devices.json".
func isTempOf(name, base string) bool {
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

// removeTemps removes the temporary files that writers killed in the middle
// of a write left behind; they may hold secrets. It must be called with the
// inter-process lock held, when no other write is under way.
func (f *File) removeTemps() {
	dir, base := filepath.Split(f.Path)
	if dir == "" {
		dir = "."
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() && isTempOf(e.Name(), base) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// write replaces the file atomically with b.
func (f *File) write(b []byte) (err error) {
	dir, base := filepath.Split(f.Path)
	if dir == "" {
		dir = "."
	}
	// os.CreateTemp creates the file with permissions 0600.
	tmp, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	if f.MidWrite != nil {
		half := len(b) / 2
		if _, err = tmp.Write(b[:half]); err != nil {
			return err
		}
		f.MidWrite()
		b = b[half:]
	}
	if _, err = tmp.Write(b); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), f.Path); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		// The new file is in place; only its durability across a power
		// failure is uncertain.
		return &os.PathError{Op: "sync directory", Path: dir, Err: err}
	}
	return nil
}
