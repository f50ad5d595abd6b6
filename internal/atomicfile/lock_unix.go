//go:build unix

package atomicfile

import (
	"context"
	"errors"
	"os"
	"syscall"
)

// lockIsInterprocess reports whether lockFile excludes other processes.
const lockIsInterprocess = true

// lockFile takes an exclusive advisory lock (flock(2)) on the file name,
// creating it, and returns the function that releases the lock. It waits
// for the lock in a goroutine, so that ctx can end the wait; a lock taken
// after that is released at once.
//
// A name that is a symbolic link is refused (O_NOFOLLOW), as is one that
// is not a regular file: a link planted there would otherwise make the
// writer create, or hold open, a file of the planter's choosing.
func lockFile(ctx context.Context, name string) (func(), error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		if fi, lerr := os.Lstat(name); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
			// O_NOFOLLOW fails with ELOOP on Linux, EMLINK on FreeBSD,
			// EFTYPE on NetBSD: say what it means.
			return nil, &os.PathError{Op: "open", Path: name, Err: errLockIsLink}
		}
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = &os.PathError{Op: "open", Path: name, Err: errNotRegular}
		}
		return nil, err
	}
	fd := int(f.Fd())
	unlock := func() {
		syscall.Flock(fd, syscall.LOCK_UN)
		f.Close()
	}
	err = flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		return unlock, nil
	}
	if !errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, &os.PathError{Op: "flock", Path: name, Err: err}
	}
	done := make(chan error, 1)
	go func() { done <- flock(fd, syscall.LOCK_EX) }()
	select {
	case err := <-done:
		if err != nil {
			f.Close()
			return nil, &os.PathError{Op: "flock", Path: name, Err: err}
		}
		return unlock, nil
	case <-ctx.Done():
		go func() {
			if <-done == nil {
				unlock()
			} else {
				f.Close()
			}
		}()
		return nil, ctx.Err()
	}
}

var errLockIsLink = errors.New("the lock file is a symbolic link")

// flock is syscall.Flock, retried when interrupted by a signal.
func flock(fd, how int) error {
	for {
		err := syscall.Flock(fd, how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// syncDir flushes the directory dir, so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
