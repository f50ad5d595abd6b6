//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package noecho

import "golang.org/x/sys/unix"

// Off turns off the echo of the terminal fd until restore is called. It is
// called before a secret's prompt is shown, so that what the user types
// after seeing the prompt (or types ahead of it) is never echoed, however
// soon it comes; term.ReadPassword alone turns echo off only once it starts
// reading.
func Off(fd int) (restore func(), err error) {
	old, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, err
	}
	return func() { unix.IoctlSetTermios(fd, ioctlSetTermios, old) }, nil
}
