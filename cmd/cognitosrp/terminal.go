package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// A terminal asks the user for input: a password, an MFA code, a choice.
type terminal interface {
	// ReadLine writes prompt and reads one line, echoed, without its
	// line ending.
	ReadLine(ctx context.Context, prompt string) (string, error)
	// ReadSecret writes prompt and reads one line without echoing it.
	ReadSecret(ctx context.Context, prompt string) (string, error)
	// Println writes a line of information for the user, such as a TOTP
	// secret to add to an authenticator app.
	Println(s string)
}

// errNoTerminal means that there is no terminal to prompt the user on.
var errNoTerminal = errors.New("no terminal")

// testOnlyNoDevTTY, set by tests, keeps openTerminal from opening /dev/tty,
// so that an in-process test never prompts the developer who runs it.
var testOnlyNoDevTTY = false

// openTerminal returns the terminal to prompt the user on: standard input
// if it is a terminal and is not read for something else, otherwise the
// process's controlling terminal (/dev/tty), otherwise errNoTerminal.
// Prompts go to stderr, or to /dev/tty. In tests, a stdin that implements
// terminal is used as is. The caller closes the returned closer.
func openTerminal(stdin io.Reader, stdinTaken bool, stderr io.Writer) (terminal, io.Closer, error) {
	if t, ok := stdin.(terminal); ok && !stdinTaken {
		return t, io.NopCloser(nil), nil
	}
	if f, ok := stdin.(*os.File); ok && !stdinTaken && term.IsTerminal(int(f.Fd())) {
		return &ttyTerminal{in: f, out: stderr}, io.NopCloser(nil), nil
	}
	if testOnlyNoDevTTY {
		return nil, nil, errNoTerminal
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, errNoTerminal
	}
	if !term.IsTerminal(int(tty.Fd())) {
		tty.Close()
		return nil, nil, errNoTerminal
	}
	return &ttyTerminal{in: tty, out: tty}, tty, nil
}

// ttyTerminal is a real terminal.
type ttyTerminal struct {
	in  *os.File
	out io.Writer
}

func (t *ttyTerminal) Println(s string) { fmt.Fprintln(t.out, s) }

func (t *ttyTerminal) ReadLine(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(t.out, prompt)
	return t.read(ctx, false)
}

func (t *ttyTerminal) ReadSecret(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(t.out, prompt)
	return t.read(ctx, true)
}

// read reads a line, without echo if secret. If ctx is done first (Ctrl-C),
// it puts the terminal back as it was and returns ctx's error; the reading
// goroutine is left to the process's exit.
func (t *ttyTerminal) read(ctx context.Context, secret bool) (string, error) {
	fd := int(t.in.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		if secret {
			b, err := term.ReadPassword(fd)
			done <- result{string(b), err}
			return
		}
		line, err := readLine(t.in)
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if secret {
			fmt.Fprintln(t.out) // the user's Enter was not echoed
		}
		return r.line, r.err
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(t.out)
		return "", context.Cause(ctx)
	}
}

// maxLine bounds what readLine reads.
const maxLine = 64 << 10

// readLine reads up to a newline one byte at a time, so that nothing after
// the line is consumed, and drops the line ending.
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	var c [1]byte
	for b.Len() < maxLine {
		n, err := r.Read(c[:])
		if n == 1 {
			if c[0] == '\n' {
				return strings.TrimSuffix(b.String(), "\r"), nil
			}
			b.WriteByte(c[0])
			continue
		}
		if err == io.EOF {
			if b.Len() == 0 {
				return "", io.ErrUnexpectedEOF
			}
			return strings.TrimSuffix(b.String(), "\r"), nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", errors.New("line too long")
}
