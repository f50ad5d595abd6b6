package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cognitosrp/cognitosrp/cognitotest"
)

// openPTY opens a pseudo-terminal: its controlling side and the terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// screen collects what a pseudo-terminal shows.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// wait waits until the screen matches re and returns the first submatch.
func (s *screen) wait(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.String()); m != nil {
			return m[len(m)-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the terminal never showed %v:\n%q", re, s.String())
	return ""
}

// ptyRun is the command running with a pseudo-terminal as its controlling
// terminal and standard input, and stdout and stderr redirected.
type ptyRun struct {
	cmd            *exec.Cmd
	master, tty    *os.File
	scr            *screen
	stdout, stderr *syncBuffer
	done           chan error
}

// startOnPTY starts the built command with args on a new pseudo-terminal.
func startOnPTY(t *testing.T, args ...string) *ptyRun {
	t.Helper()
	master, tty := openPTY(t)
	r := &ptyRun{cmd: exec.Command(binary(t), args...), master: master, tty: tty, scr: &screen{},
		stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	r.cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	r.cmd.Stdin, r.cmd.Stdout, r.cmd.Stderr = tty, r.stdout, r.stderr
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			r.scr.mu.Lock()
			r.scr.buf.Write(b[:n])
			r.scr.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { r.done <- r.cmd.Wait() }()
	t.Cleanup(func() { r.cmd.Process.Kill() })
	return r
}

// wait waits for the command to exit and returns its exit status.
func (r *ptyRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case err := <-r.done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the command did not finish:\nterminal %q\nstderr %q", r.scr.String(), r.stderr.String())
	}
	return r.cmd.ProcessState.ExitCode()
}

// echoOn reports whether the terminal f echoes what is typed.
func echoOn(t *testing.T, f *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// TestBinaryNewPasswordOnTerminal answers NEW_PASSWORD_REQUIRED at a real
// (pseudo-)terminal, typing each answer as soon as its prompt shows: the
// new password, asked twice by flows/terminal's Handler, is never echoed
// (echo goes off before its prompt), and the prompts reach the terminal
// only.
func TestBinaryNewPasswordOnTerminal(t *testing.T) {
	srv := newServer(t)
	r := startOnPTY(t, loginArgs(srv, "nancy")...)
	const newPassword = "Nancy-Typed-At-Once-1"
	r.scr.wait(t, regexp.MustCompile(`Password for nancy: $`))
	r.master.Write([]byte(nancyPassword + "\n"))
	r.scr.wait(t, regexp.MustCompile(`A new password is required for nancy\.\r?\nNew password: $`))
	r.master.Write([]byte(newPassword + "\n"))
	r.scr.wait(t, regexp.MustCompile(`New password again: $`))
	r.master.Write([]byte(newPassword + "\n"))
	r.scr.wait(t, regexp.MustCompile(`Value for name: $`))
	r.master.Write([]byte("Nancy Example\n"))
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d\nterminal %q\nstderr %q", code, r.scr.String(), r.stderr.String())
	}
	if c := claims(t, decodeJSON(t, r.stdout.String()).IdToken); c["name"] != "Nancy Example" {
		t.Errorf("name claim %v", c["name"])
	}
	for _, s := range []string{nancyPassword, newPassword} {
		if strings.Contains(r.scr.String(), s) {
			t.Errorf("%q was echoed on the terminal: %q", s, r.scr.String())
		}
	}
	for _, s := range []string{"password", "Value for"} {
		if strings.Contains(r.stderr.String(), s) || strings.Contains(r.stdout.String(), s) {
			t.Errorf("stdout or stderr holds %q:\nstdout %q\nstderr %q", s, r.stdout.String(), r.stderr.String())
		}
	}
	if !echoOn(t, r.tty) {
		t.Errorf("the terminal does not echo after the command")
	}
}

// TestBinaryInterruptRestoresTerminal types Ctrl-C at the prompts of
// flows/terminal's Handler: at a secret's, with echo off, and at a code's.
// The command exits 130 (interrupted), and the terminal echoes again.
func TestBinaryInterruptRestoresTerminal(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct{ user, password, prompt string }{
		{"nancy", nancyPassword, `New password: $`},
		{"tina", "Tina-Pass-1", `Code from your authenticator app: $`},
	} {
		t.Run(tc.user, func(t *testing.T) {
			r := startOnPTY(t, loginArgs(srv, tc.user)...)
			r.scr.wait(t, regexp.MustCompile(`Password for `+tc.user+`: $`))
			r.master.Write([]byte(tc.password + "\n"))
			r.scr.wait(t, regexp.MustCompile(tc.prompt))
			r.master.Write([]byte{3}) // Ctrl-C: SIGINT to the foreground process group
			if code := r.wait(t); code != exitInterrupted {
				t.Fatalf("exit %d, want %d\nterminal %q\nstderr %q", code, exitInterrupted, r.scr.String(), r.stderr.String())
			}
			if !strings.Contains(r.stderr.String(), "cognitosrp: error: interrupted") {
				t.Errorf("stderr %q", r.stderr.String())
			}
			if !echoOn(t, r.tty) {
				t.Errorf("the terminal does not echo after Ctrl-C")
			}
		})
	}
}

// TestBinaryPromptsOnTerminal runs login at a real (pseudo-)terminal, the
// process's controlling terminal and its standard input, with stdout and
// stderr redirected: the password prompt, the TOTP secret and otpauth URI of
// MFA_SETUP and the code prompt go to the terminal, never to stderr (issue
// 10, item 8; they went to stderr when stdin was a terminal).
func TestBinaryPromptsOnTerminal(t *testing.T) {
	srv := newServer(t)
	now := time.Now()
	srv.SetClock(func() time.Time { return now })
	r := startOnPTY(t, "login", "--endpoint-url", srv.URL, "--user-pool-id", testSetupPool,
		"--client-id", "setupclient", "--username", "olivia")

	r.scr.wait(t, regexp.MustCompile(`Password for olivia: $`))
	r.master.Write([]byte(oliviaPassword + "\n"))
	secret := r.scr.wait(t, regexp.MustCompile(`Add this secret to the app: ([A-Z2-7]+)\r?\n`))
	r.scr.wait(t, regexp.MustCompile(`otpauth://totp/Cognito:olivia\?issuer=Cognito&secret=`+secret+`\r?\n`))
	r.scr.wait(t, regexp.MustCompile(`Code from your authenticator app: $`))
	r.master.Write([]byte(cognitotest.TOTPCode(secret, now) + "\n"))
	if code := r.wait(t); code != 0 {
		t.Fatalf("exit %d\nterminal %q\nstderr %q", code, r.scr.String(), r.stderr.String())
	}
	stdout, stderr := r.stdout, r.stderr
	decodeJSON(t, stdout.String())
	for _, s := range []string{secret, "otpauth", "Password for", "authenticator"} {
		if strings.Contains(stderr.String(), s) || strings.Contains(stdout.String(), s) {
			t.Errorf("stdout or stderr holds %q:\nstdout %q\nstderr %q", s, stdout.String(), stderr.String())
		}
	}
	if strings.Contains(r.scr.String(), oliviaPassword) {
		t.Errorf("the password was echoed on the terminal")
	}
}
