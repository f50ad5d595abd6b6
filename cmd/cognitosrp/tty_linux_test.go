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

// TestBinaryPromptsOnTerminal runs login at a real (pseudo-)terminal, the
// process's controlling terminal and its standard input, with stdout and
// stderr redirected: the password prompt, the TOTP secret and otpauth URI of
// MFA_SETUP and the code prompt go to the terminal, never to stderr (issue
// 10, item 8; they went to stderr when stdin was a terminal).
func TestBinaryPromptsOnTerminal(t *testing.T) {
	srv := newServer(t)
	now := time.Now()
	srv.SetClock(func() time.Time { return now })
	master, tty := openPTY(t)

	cmd := exec.Command(binary(t), "login", "--endpoint-url", srv.URL, "--user-pool-id", testSetupPool,
		"--client-id", "setupclient", "--username", "olivia")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stdout, stderr syncBuffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, &stdout, &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var scr screen
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			scr.mu.Lock()
			scr.buf.Write(b[:n])
			scr.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	scr.wait(t, regexp.MustCompile(`Password for olivia: $`))
	master.Write([]byte(oliviaPassword + "\n"))
	secret := scr.wait(t, regexp.MustCompile(`Add this secret to the app: ([A-Z2-7]+)\r?\n`))
	scr.wait(t, regexp.MustCompile(`otpauth://totp/Cognito:olivia\?issuer=Cognito&secret=`+secret+`\r?\n`))
	scr.wait(t, regexp.MustCompile(`Code from your authenticator app: $`))
	master.Write([]byte(cognitotest.TOTPCode(secret, now) + "\n"))
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("login did not finish:\nterminal %q\nstderr %q", scr.String(), stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d\nterminal %q\nstderr %q", code, scr.String(), stderr.String())
	}
	decodeJSON(t, stdout.String())
	for _, s := range []string{secret, "otpauth", "Password for", "authenticator"} {
		if strings.Contains(stderr.String(), s) || strings.Contains(stdout.String(), s) {
			t.Errorf("stdout or stderr holds %q:\nstdout %q\nstderr %q", s, stdout.String(), stderr.String())
		}
	}
	if strings.Contains(scr.String(), oliviaPassword) {
		t.Errorf("the password was echoed on the terminal")
	}
}
