package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cognitosrp/cognitosrp/flows"
)

// hostile is text from a server that tries to drive the terminal: set the
// window title (OSC ... BEL), clear the screen (CSI 2J), a C1 CSI (U+009B)
// and a lone 0x9b byte, DEL, a bidi override, and a line of its own making.
const hostile = "bad\x1b]0;title\x07\x1b[2J\u009b6n\x9b\x7f\u202e\ncognitosrp: hint: run rm -rf ~"

// terminalBytes reports the first byte sequence in s that a terminal obeys.
func terminalBytes(s string) string {
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\x9b", "\x7f", "\u202e", "\ncognitosrp: hint: run rm"} {
		if strings.Contains(s, bad) {
			return bad
		}
	}
	return ""
}

// hostileServer answers each operation of the AWS JSON 1.1 protocol with
// respond's status and body.
func hostileServer(t *testing.T, respond func(op string, in map[string]any) (int, any)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		status, body := respond(op, in)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestSanitizeServerText: nothing that came from the network reaches the
// terminal raw (issue 10, item 9): a server's error message, the tokens in
// both output formats, and the challenge parameters shown in prompts or in
// the error that there is no terminal to show them on.
func TestSanitizeServerText(t *testing.T) {
	args := func(url string, more ...string) []string {
		return append([]string{"login", "--endpoint-url", url, "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u"}, more...)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "1")

	t.Run("error message", func(t *testing.T) {
		url := hostileServer(t, func(string, map[string]any) (int, any) {
			return 400, map[string]string{"__type": "NotAuthorizedException", "message": hostile}
		})
		r := runCLI(t, strings.NewReader("pw"), args(url, "--password-stdin")...)
		if r.code != exitRefused || !strings.Contains(r.stderr, "NotAuthorizedException: bad") {
			t.Fatalf("%v", r)
		}
		if b := terminalBytes(r.stderr); b != "" {
			t.Errorf("stderr holds %q:\n%q", b, r.stderr)
		}
		if !strings.Contains(r.stderr, `bad\x1b]0;title\x07\x1b[2J\u009b6n`+"\ufffd"+`\x7f\u202e\ncognitosrp: hint: run rm -rf ~`) {
			t.Errorf("the message is not shown escaped:\n%s", r.stderr)
		}
	})

	t.Run("error type", func(t *testing.T) {
		url := hostileServer(t, func(string, map[string]any) (int, any) {
			return 500, map[string]string{"__type": "Internal\x1b[2JError", "message": "m"}
		})
		r := runCLI(t, strings.NewReader("pw"), args(url, "--password-stdin")...)
		if b := terminalBytes(r.stderr); b != "" || r.code == 0 {
			t.Errorf("stderr holds %q: %v", b, r)
		}
	})

	tokens := func(string, map[string]any) (int, any) {
		return 200, map[string]any{"AuthenticationResult": map[string]any{
			"AccessToken": "access" + hostile, "IdToken": "id" + hostile, "TokenType": "Bearer" + hostile, "ExpiresIn": 3600,
			"NewDeviceMetadata": map[string]string{"DeviceKey": "k" + hostile, "DeviceGroupKey": "g" + hostile}}}
	}
	for _, output := range []string{"json", "text"} {
		t.Run("tokens "+output, func(t *testing.T) {
			url := hostileServer(t, tokens)
			r := runCLI(t, strings.NewReader("refresh-token"), args(url, "--refresh", "--output", output)...)
			if r.code != 0 {
				t.Fatalf("%v", r)
			}
			if b := terminalBytes(r.stdout); b != "" {
				t.Errorf("stdout holds %q:\n%q", b, r.stdout)
			}
			if output == "json" {
				var out struct{ AuthenticationResult authResultJSON }
				if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
					t.Fatalf("the output is not JSON: %v\n%s", err, r.stdout)
				}
				// Escaped as JSON, the values are intact (but for the byte
				// that is not UTF-8, which the server's JSON replaced).
				want := "access" + strings.ToValidUTF8(hostile, "\ufffd")
				if out.AuthenticationResult.AccessToken != want {
					t.Errorf("AccessToken %q, want %q", out.AuthenticationResult.AccessToken, want)
				}
			}
		})
	}

	// The token command, refreshing the expired tokens of a token store.
	expiredStore := func(t *testing.T) []string {
		dir := t.TempDir()
		tokens := filepath.Join(dir, "tokens.json")
		old := &flows.Tokens{UserPoolID: "us-east-1_X", ClientID: "c", Username: "u", AccessToken: "a", IDToken: "i", RefreshToken: "r",
			AccessTokenExpiry: time.Now().Add(-time.Hour), IDTokenExpiry: time.Now().Add(-time.Hour)}
		if err := putTokens(t.Context(), &loginFlags{tokenStore: tokens}, old); err != nil {
			t.Fatal(err)
		}
		return []string{"--token-store", tokens, "--device-store", filepath.Join(dir, "devices.json")}
	}
	tokenArgs := func(url string, more ...string) []string {
		return append([]string{"token", "--endpoint-url", url, "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u"}, more...)
	}
	for _, id := range []bool{false, true} {
		t.Run(fmt.Sprintf("token id=%v", id), func(t *testing.T) {
			url := hostileServer(t, tokens)
			args := tokenArgs(url, expiredStore(t)...)
			if id {
				args = append(args, "--id-token")
			}
			r := runCLI(t, nil, args...)
			if r.code != 0 || !strings.HasPrefix(r.stdout, "access") == !id {
				t.Fatalf("%v", r)
			}
			if b := terminalBytes(r.stdout + r.stderr); b != "" {
				t.Errorf("output holds %q:\n%q", b, r.stdout)
			}
		})
	}
	t.Run("token error message", func(t *testing.T) {
		url := hostileServer(t, func(string, map[string]any) (int, any) {
			return 400, map[string]string{"__type": "NotAuthorizedException", "message": hostile}
		})
		r := runCLI(t, nil, tokenArgs(url, expiredStore(t)...)...)
		if r.code != exitRefused || !strings.Contains(r.stderr, "NotAuthorizedException: bad") {
			t.Fatalf("%v", r)
		}
		if b := terminalBytes(r.stderr); b != "" {
			t.Errorf("stderr holds %q:\n%q", b, r.stderr)
		}
	})

	challenge := func(name string, params map[string]string) func(string, map[string]any) (int, any) {
		return func(op string, in map[string]any) (int, any) {
			return 200, map[string]any{"ChallengeName": name, "Session": "s", "ChallengeParameters": params}
		}
	}
	for _, tc := range []struct {
		name   string
		params map[string]string
	}{
		{"SMS_MFA", map[string]string{"CODE_DELIVERY_DESTINATION": "+1555" + hostile, "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS" + hostile}},
		{"EMAIL_OTP", map[string]string{"CODE_DELIVERY_DESTINATION": "a@" + hostile, "USER_ID_FOR_SRP": "u" + hostile}},
		{"SELECT_MFA_TYPE", map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA` + hostile + `","SOFTWARE_TOKEN_MFA"]`}},
		{"CUSTOM_CHALLENGE", map[string]string{"question" + hostile: "what" + hostile}},
		{"NEW_PASSWORD_REQUIRED", map[string]string{"requiredAttributes": `["userAttributes.name` + hostile + `"]`, "userAttributes": "{}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := hostileServer(t, challenge(tc.name, tc.params))
			// Without a terminal, the error says what was asked.
			r := runCLI(t, strings.NewReader("pw"), args(url, "--password-stdin")...)
			if b := terminalBytes(r.stderr); b != "" || r.code == 0 {
				t.Errorf("no terminal: stderr holds %q: %v", b, r)
			}
			// At a terminal, the prompts are sanitized. The fake terminal
			// answers each prompt with "x", until the server's second
			// challenge... which is the same one: the test stops at the
			// first answer.
			tty := &recordingTerminal{}
			r = runCLI(t, tty, args(url)...)
			if tty.shown == "" {
				t.Fatalf("nothing was shown on the terminal: %v", r)
			}
			if b := terminalBytes(tty.shown); b != "" {
				t.Errorf("the terminal was shown %q:\n%q", b, tty.shown)
			}
			if b := terminalBytes(r.stderr + r.stdout); b != "" {
				t.Errorf("stderr holds %q: %v", b, r)
			}
		})
	}
}

// recordingTerminal is a terminal that records what it shows and answers
// every prompt with "x", failing after 20 prompts.
type recordingTerminal struct {
	shown string
	n     int
}

func (f *recordingTerminal) Read([]byte) (int, error) { return 0, errNoTerminal }
func (f *recordingTerminal) Println(s string)         { f.shown += s + "\n" }
func (f *recordingTerminal) ReadLine(_ context.Context, prompt string) (string, error) {
	return f.answer(prompt)
}
func (f *recordingTerminal) ReadSecret(_ context.Context, prompt string) (string, error) {
	return f.answer(prompt)
}
func (f *recordingTerminal) answer(prompt string) (string, error) {
	f.shown += prompt + "\n"
	if f.n++; f.n > 20 {
		return "", errNoTerminal
	}
	if strings.Contains(prompt, "Choose") {
		return "SOFTWARE_TOKEN_MFA", nil
	}
	return "x", nil
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"plain text, ünïcode ✓":   "plain text, ünïcode ✓",
		"\x1b]0;title\x07\x1b[2J": `\x1b]0;title\x07\x1b[2J`,
		"a\u009bb\x9bc\x7f":       `a\u009bb\x9bc\x7f`,
		"line\r\nnext\tcol":       `line\r\nnext\tcol`,
		"\u202eevil\u2066\u2028":  `\u202eevil\u2066\u2028`,
		"\u0080\u009f\u00a0":      `\u0080\u009f` + "\u00a0",
		"\xff\xfe":                `\xff\xfe`,
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSanitize: whatever a server sends, sanitize's output is valid UTF-8
// without a character that a terminal obeys, and text without one is left
// as it is.
func FuzzSanitize(f *testing.F) {
	f.Add(hostile)
	f.Add("plain")
	f.Add("\xc2\x9b\xe2\x80\xae\r\n\t")
	f.Fuzz(func(t *testing.T, s string) {
		out := sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("sanitize(%q) = %q, not UTF-8", s, out)
		}
		for _, r := range out {
			if unsafeRune(r) {
				t.Fatalf("sanitize(%q) = %q holds %U", s, out, r)
			}
		}
		clean := utf8.ValidString(s) && !strings.ContainsFunc(s, unsafeRune)
		if clean != (out == s) {
			t.Fatalf("sanitize(%q) = %q", s, out)
		}
	})
}
