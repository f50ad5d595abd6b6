//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package noecho

// Off does nothing here: term.ReadPassword turns echo off when it starts
// reading.
func Off(fd int) (restore func(), err error) { return func() {}, nil }
