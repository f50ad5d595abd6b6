//go:build unix

package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// symlink makes the symbolic link name pointing to target.
func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// checkLink checks that name is still a symbolic link to target.
func checkLink(t *testing.T, name, target string) {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s was replaced by a %v file", name, fi.Mode().Type())
	}
	if got, _ := os.Readlink(name); got != target {
		t.Fatalf("%s now points to %q, want %q", name, got, target)
	}
}

// checkFile checks the contents and permissions of the regular file name.
func checkFile(t *testing.T, name, want string, perm os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.Mode().IsRegular() {
		t.Fatalf("%s is a %v file, want a regular one", name, fi.Mode().Type())
	}
	if fi.Mode().Perm() != perm {
		t.Errorf("%s has mode %v, want %v", name, fi.Mode().Perm(), perm)
	}
	if b, _ := os.ReadFile(name); string(b) != want {
		t.Errorf("%s holds %q, want %q", name, b, want)
	}
}

// checkNoFile checks that nothing is at name.
func checkNoFile(t *testing.T, name string) {
	t.Helper()
	if _, err := os.Lstat(name); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s exists (%v)", name, err)
	}
}

// TestUpdateSymlink: an Update through a symbolic link (absolute) writes
// the file it points to and leaves the link as it is; the temporary file
// and the lock are next to the file, not the link.
func TestUpdateSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "f.json")
	os.Mkdir(filepath.Dir(real), 0o700)
	os.WriteFile(real, []byte("old\n"), 0o600)
	link := filepath.Join(dir, "f.json")
	symlink(t, real, link)
	for range 2 {
		if err := Update(t.Context(), link, 0o600, appendLine("x")); err != nil {
			t.Fatal(err)
		}
	}
	checkLink(t, link, real)
	checkFile(t, real, "old\nx\nx\n", 0o600)
	checkNoFile(t, link+".lock")
	if _, err := os.Lstat(real + ".lock"); err != nil {
		t.Errorf("no lock next to the file: %v", err)
	}
}

// TestUpdateRelativeSymlink: a relative link is resolved against the
// directory that holds it, and that directory is itself reached through a
// link, so ".." in the link goes up from where the link really is, as the
// kernel does, not from the name it was given by.
func TestUpdateRelativeSymlink(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "x", "y", "z")
	os.MkdirAll(deep, 0o700)
	os.WriteFile(filepath.Join(dir, "x", "y", "f"), []byte("right\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "f"), []byte("wrong\n"), 0o600)
	symlink(t, filepath.Join("x", "y", "z"), filepath.Join(dir, "d")) // d -> x/y/z
	symlink(t, filepath.Join("..", "f"), filepath.Join(deep, "l"))    // x/y/z/l -> ../f = x/y/f
	name := filepath.Join(dir, "d", "l")
	if err := Update(t.Context(), name, 0o600, appendLine("x")); err != nil {
		t.Fatal(err)
	}
	checkLink(t, filepath.Join(deep, "l"), filepath.Join("..", "f"))
	checkFile(t, filepath.Join(dir, "x", "y", "f"), "right\nx\n", 0o600)
	checkFile(t, filepath.Join(dir, "f"), "wrong\n", 0o600)
}

// TestUpdateSymlinkChain: a link to a link (absolute, then relative, then
// to another directory) is followed to the end.
func TestUpdateSymlinkChain(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "a"), 0o700)
	os.Mkdir(filepath.Join(dir, "b"), 0o700)
	real := filepath.Join(dir, "b", "f")
	os.WriteFile(real, []byte("old\n"), 0o600)
	l3 := filepath.Join(dir, "a", "l3")
	symlink(t, filepath.Join("..", "b", "f"), l3)
	l2 := filepath.Join(dir, "a", "l2")
	symlink(t, "l3", l2)
	l1 := filepath.Join(dir, "l1")
	symlink(t, l2, l1)
	if err := Update(t.Context(), l1, 0o600, appendLine("x")); err != nil {
		t.Fatal(err)
	}
	checkLink(t, l1, l2)
	checkLink(t, l2, "l3")
	checkLink(t, l3, filepath.Join("..", "b", "f"))
	checkFile(t, real, "old\nx\n", 0o600)
}

// TestUpdateSymlinkLoop: links that point to each other are an error, not
// a hang, and are left alone.
func TestUpdateSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	symlink(t, "b", a)
	symlink(t, "a", b)
	if err := Update(t.Context(), a, 0o600, appendLine("x")); err == nil {
		t.Fatal("Update through a loop of links succeeded")
	}
	checkLink(t, a, "b")
	checkLink(t, b, "a")
}

// TestUpdateDanglingSymlink: a link to a file that does not exist yet
// creates that file, as open(2) with O_CREAT does, and stays a link; but
// a missing directory of the target is not created (it may be an
// encrypted volume that is not mounted): the Update fails.
func TestUpdateDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "real"), 0o700)
	real := filepath.Join(dir, "real", "new.json")
	link := filepath.Join(dir, "f.json")
	symlink(t, filepath.Join("real", "new.json"), link)
	if err := Update(t.Context(), link, 0o600, appendLine("x")); err != nil {
		t.Fatal(err)
	}
	checkLink(t, link, filepath.Join("real", "new.json"))
	checkFile(t, real, "x\n", 0o600)

	unmounted := filepath.Join(dir, "vault", "tokens.json")
	link2 := filepath.Join(dir, "g.json")
	symlink(t, unmounted, link2)
	if err := Update(t.Context(), link2, 0o600, appendLine("x")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Update through a link into a missing directory: %v, want os.ErrNotExist", err)
	}
	checkLink(t, link2, unmounted)
	checkNoFile(t, filepath.Dir(unmounted))
}

// TestUpdateSymlinkNotRegular: a link to a directory or a device is not
// replaced, nor is what it points to.
func TestUpdateSymlinkNotRegular(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o700)
	for _, target := range []string{sub, os.DevNull} {
		link := filepath.Join(dir, "l")
		os.Remove(link)
		symlink(t, target, link)
		if err := Update(t.Context(), link, 0o600, appendLine("x")); err == nil {
			t.Errorf("Update through a link to %s succeeded", target)
		}
		checkLink(t, link, target)
	}
	if fi, err := os.Lstat(sub); err != nil || !fi.IsDir() {
		t.Errorf("the directory was replaced: %v, %v", fi, err)
	}
}

// TestUpdateSymlinkSharedLock: the file and a link to it are one file with
// one lock, within this process and among processes: concurrent Updates
// through both names lose no change, and an Update through the link waits
// for the lock that another process holds on the file.
func TestUpdateSymlinkSharedLock(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "f")
	os.Mkdir(filepath.Dir(real), 0o700)
	link := filepath.Join(dir, "l")
	symlink(t, filepath.Join("real", "f"), link)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			n := real
			if i%2 == 1 {
				n = link
			}
			if err := Update(context.Background(), n, 0o600, appendLine(fmt.Sprint(i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	checkLink(t, link, filepath.Join("real", "f"))
	b, _ := os.ReadFile(real)
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 20 {
		t.Errorf("%d lines, want 20:\n%s", len(lines), b)
	}

	lock, err := os.OpenFile(real+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := Update(ctx, link, 0o600, appendLine("x")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Update through the link while the file is locked: %v, want context.DeadlineExceeded", err)
	}
}

// TestUpdateLockSymlink: a lock file that is a symbolic link (planted to
// make the writer create or open a file elsewhere) is refused, and neither
// what it points to nor the file is touched.
func TestUpdateLockSymlink(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	os.WriteFile(name, []byte("old\n"), 0o600)
	victim := filepath.Join(dir, "victim")
	symlink(t, victim, name+".lock")
	err := Update(t.Context(), name, 0o600, appendLine("x"))
	if err == nil {
		t.Error("Update with a lock that is a link succeeded")
	} else if !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("error %q does not say the lock is a link", err)
	}
	checkNoFile(t, victim)
	checkFile(t, name, "old\n", 0o600)

	// Also when the link's target exists: it is not opened.
	os.WriteFile(victim, nil, 0o644)
	if err := Update(t.Context(), name, 0o600, appendLine("x")); err == nil {
		t.Error("Update with a lock that is a link to a file succeeded")
	}
	checkFile(t, victim, "", 0o644)
	checkFile(t, name, "old\n", 0o600)
}

// TestUpdateMode: a new file gets perm; an existing file keeps a mode
// stricter than perm and loses what perm does not grant (a token store
// left readable by the group or others is tightened), through a link as
// well.
func TestUpdateMode(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		old, want os.FileMode
	}{
		{0o600, 0o600},
		{0o400, 0o400},
		{0o644, 0o600},
		{0o666, 0o600},
		{0o640, 0o600},
		{0o700, 0o600},
	} {
		real := filepath.Join(dir, fmt.Sprintf("f%o", tc.old))
		os.WriteFile(real, []byte("old\n"), 0o600)
		os.Chmod(real, tc.old)
		link := real + ".link"
		symlink(t, real, link)
		if err := Update(t.Context(), link, 0o600, appendLine("x")); err != nil {
			t.Fatal(err)
		}
		checkFile(t, real, "old\nx\n", tc.want)
		// And by its own name.
		if err := Update(t.Context(), real, 0o600, appendLine("y")); err != nil {
			t.Fatal(err)
		}
		checkFile(t, real, "old\nx\ny\n", tc.want)
	}
}

// TestUpdateSymlinkFnError: when fn fails, neither the link nor its target
// changes, and no temporary file is left next to either.
func TestUpdateSymlinkFnError(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "real"), 0o700)
	real := filepath.Join(dir, "real", "f")
	os.WriteFile(real, []byte("old"), 0o600)
	link := filepath.Join(dir, "f")
	symlink(t, real, link)
	boom := errors.New("boom")
	err := Update(t.Context(), link, 0o600, func(_ []byte, w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if err != boom {
		t.Errorf("error %v, want fn's", err)
	}
	checkLink(t, link, real)
	checkFile(t, real, "old", 0o600)
	for _, d := range []string{dir, filepath.Dir(real)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if isTemp(e.Name(), "f") {
				t.Errorf("temporary file %s left in %s", e.Name(), d)
			}
		}
	}
}
