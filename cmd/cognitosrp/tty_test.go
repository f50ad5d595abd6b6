package main

import (
	"io"
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
