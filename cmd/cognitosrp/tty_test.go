package main

import (
	"bufio"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/cognitotest"
)

// redirectedStdin is a test's standard input that is not a terminal, of a
// process that has a terminal, tty (see testTTY).
type redirectedStdin struct {
	io.Reader
	tty *fakeTerminal
}

func (r redirectedStdin) TTY() terminal { return r.tty }

// TestLoginSecretsOnTerminalOnly: with the password on a redirected
// standard input, the TOTP secret and otpauth URI of MFA_SETUP are shown on
// the terminal, and nothing of them reaches stdout or stderr (issue 10,
// item 8).
func TestLoginSecretsOnTerminalOnly(t *testing.T) {
	srv := newServer(t)
	now := time.Now()
	srv.SetClock(func() time.Time { return now })
	var secret string
	tty := newFakeTerminal(t, answer{prompt: "Code from your authenticator app", value: func(printed []string) string {
		for _, p := range printed {
			if s, ok := strings.CutPrefix(p, "Add this secret to the app: "); ok {
				secret = s
				return cognitotest.TOTPCode(s, now)
			}
		}
		t.Errorf("no secret shown on the terminal: %q", printed)
		return ""
	}})
	stdin := redirectedStdin{strings.NewReader(oliviaPassword + "\n"), tty}
	r := runCLI(t, stdin, "login", "--endpoint-url", srv.URL, "--user-pool-id", testSetupPool, "--client-id", "setupclient",
		"--username", "olivia", "--password-stdin")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	tty.done()
	if secret == "" {
		t.Fatal("no secret")
	}
	for _, s := range []string{secret, "otpauth://", "authenticator", "Set up"} {
		if strings.Contains(r.stderr, s) || strings.Contains(r.stdout, s) {
			t.Errorf("stdout or stderr holds %q: %v", s, r)
		}
	}
	if !strings.Contains(strings.Join(tty.printed, "\n"), "otpauth://totp/Cognito:olivia?issuer=Cognito&secret="+secret) {
		t.Errorf("no otpauth URI on the terminal: %q", tty.printed)
	}

	// Without a terminal, the sign-in fails, and says why, not the secret.
	srv = newServer(t)
	r = runCLI(t, strings.NewReader(oliviaPassword), "login", "--endpoint-url", srv.URL, "--user-pool-id", testSetupPool,
		"--client-id", "setupclient", "--username", "olivia", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no terminal to ask for setting up an authenticator app (MFA_SETUP), which Cognito asks for") {
		t.Errorf("no terminal: %v", r)
	}
	if strings.Contains(r.stderr, "otpauth") || strings.Contains(r.stderr, "secret=") {
		t.Errorf("no terminal: stderr shows the secret:\n%s", r.stderr)
	}
}

// TestTerminalIO: flows/terminal's Handler writes lines and prompts and
// reads lines; terminalIO shows the lines with Println and makes the text
// after the last line ending the prompt of the next ReadLine or
// ReadSecret, also for a line longer than a read's buffer.
func TestTerminalIO(t *testing.T) {
	long := strings.Repeat("x", 10000)
	tty := newFakeTerminal(t, lineAnswer("Question: ", long), secretAnswer("Secret: ", "s"))
	tio := &terminalIO{ctx: t.Context(), t: tty}
	io.WriteString(tio, "first line\nsecond ")
	io.WriteString(tio, "line\nQuest")
	io.WriteString(tio, "ion: ")
	if !slices.Equal(tty.printed, []string{"first line", "second line"}) {
		t.Errorf("printed %q", tty.printed)
	}
	got, err := bufio.NewReader(tio).ReadString('\n')
	if err != nil || got != long+"\n" {
		t.Errorf("read %d bytes, %v", len(got), err)
	}
	if b, err := tio.readSecret("Secret: "); err != nil || string(b) != "s" {
		t.Errorf("readSecret: %q, %v", b, err)
	}
	io.WriteString(tio, "left over")
	tio.flush()
	if !slices.Equal(tty.printed, []string{"first line", "second line", "left over"}) {
		t.Errorf("printed %q", tty.printed)
	}
	tty.done()
}
