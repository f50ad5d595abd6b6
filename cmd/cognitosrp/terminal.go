package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/cognitosrp/cognitosrp/internal/noecho"
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

// testTTY is implemented by a test's stdin that stands for a redirected
// standard input of a process that has a terminal too: openTerminal returns
// TTY's terminal, and standard input is read as a file.
type testTTY interface {
	io.Reader
	TTY() terminal
}

// openTerminal returns the terminal to prompt the user on and to show
// secrets on (a new TOTP secret): the process's controlling terminal,
// opened for reading and writing (/dev/tty; CONIN$ and CONOUT$ on
// Windows), and never standard output or standard error, which may be
// redirected into a log. It returns errNoTerminal when there is none. What
// the returned terminal shows is sanitized: prompts quote servers. In
// tests, a stdin that implements terminal is used as the terminal, and one
// that implements testTTY supplies one. The caller closes the returned
// closer.
func openTerminal(stdin io.Reader) (terminal, io.Closer, error) {
	if t, ok := stdin.(terminal); ok {
		return safeTerminal{t}, io.NopCloser(nil), nil
	}
	if t, ok := stdin.(testTTY); ok {
		if tty := t.TTY(); tty != nil {
			return safeTerminal{tty}, io.NopCloser(nil), nil
		}
		return nil, nil, errNoTerminal
	}
	if testOnlyNoDevTTY {
		return nil, nil, errNoTerminal
	}
	in, out, err := openTTY()
	if err != nil {
		return nil, nil, errNoTerminal
	}
	t := &ttyTerminal{in: in, out: out}
	if !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(out.Fd())) {
		t.Close()
		return nil, nil, errNoTerminal
	}
	return safeTerminal{t}, t, nil
}

// openTTY opens the process's terminal for input and for output.
func openTTY() (in, out *os.File, err error) {
	if runtime.GOOS == "windows" {
		in, err = os.OpenFile("CONIN$", os.O_RDWR, 0)
		if err != nil {
			return nil, nil, err
		}
		out, err = os.OpenFile("CONOUT$", os.O_RDWR, 0)
		if err != nil {
			in.Close()
			return nil, nil, err
		}
		return in, out, nil
	}
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}

// safeTerminal sanitizes, with [sanitize], everything shown on a terminal.
type safeTerminal struct{ t terminal }

func (s safeTerminal) Println(l string) { s.t.Println(sanitize(l)) }

func (s safeTerminal) ReadLine(ctx context.Context, prompt string) (string, error) {
	return s.t.ReadLine(ctx, sanitize(prompt))
}

func (s safeTerminal) ReadSecret(ctx context.Context, prompt string) (string, error) {
	return s.t.ReadSecret(ctx, sanitize(prompt))
}

// ttyTerminal is a real terminal.
type ttyTerminal struct {
	in, out *os.File
}

// Close closes the terminal's files.
func (t *ttyTerminal) Close() error {
	err := t.in.Close()
	if t.out != t.in {
		err = errors.Join(err, t.out.Close())
	}
	return err
}

func (t *ttyTerminal) Println(s string) { fmt.Fprintln(t.out, s) }

func (t *ttyTerminal) ReadLine(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(t.out, prompt)
	return t.read(ctx, false)
}

func (t *ttyTerminal) ReadSecret(ctx context.Context, prompt string) (string, error) {
	// Echo goes off before the prompt is shown: a user who types as soon as
	// it appears (or ahead of it) must not see the secret echoed.
	restore, err := noecho.Off(int(t.in.Fd()))
	if err != nil {
		return "", err
	}
	defer restore()
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
