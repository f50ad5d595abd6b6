package terminal_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/flows/terminal"
	"github.com/cognitosrp/cognitosrp/internal/safetext"
)

const (
	pool       = "us-east-1_Term"
	setupPool  = "us-east-1_TermSetup"
	password   = "correct horse battery staple"
	newPass    = "Tr0ub4dor&3-but-longer"
	totpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

func newServer(t *testing.T) *cognitotest.Server {
	t.Helper()
	srv := cognitotest.NewServer(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{
			{ID: pool, MFA: "OPTIONAL", SignInPolicy: &cognitotest.SignInPolicy{AllowedFirstAuthFactors: []string{"PASSWORD", "EMAIL_OTP"}}, Clients: []cognitotest.AppClient{{ID: "termclient"}}, Users: []cognitotest.User{
				{Username: "tina", Password: password, TOTPSecret: totpSecret, MFA: []string{"SOFTWARE_TOKEN_MFA"}},
				{Username: "milo", Password: password, TOTPSecret: totpSecret, MFA: []string{"SOFTWARE_TOKEN_MFA", "SMS_MFA"},
					Attributes: map[string]string{"phone_number": "+15550100"}},
				{Username: "nora", Password: password, Status: "FORCE_CHANGE_PASSWORD", RequiredAttributes: []string{"name"}},
				{Username: "olga", Password: password, Attributes: map[string]string{"email": "olga@example.com"}},
			}},
			{ID: setupPool, MFA: "ON", Clients: []cognitotest.AppClient{{ID: "termsetup"}}, Users: []cognitotest.User{
				{Username: "sam", Password: password},
			}},
		},
	})
	t.Cleanup(srv.Close)
	return srv
}

// script is a terminal's input whose lines are computed when read, so that
// a line can depend on what was shown (a TOTP secret) or sent (an SMS
// code). bufio reads it one line at a time.
type script struct {
	lines []func() string
	buf   []byte
}

func (s *script) Read(p []byte) (int, error) {
	if len(s.buf) == 0 {
		if len(s.lines) == 0 {
			return 0, io.EOF
		}
		s.buf = []byte(s.lines[0]() + "\n")
		s.lines = s.lines[1:]
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

func lines(ls ...any) *script {
	s := &script{}
	for _, l := range ls {
		switch l := l.(type) {
		case string:
			s.lines = append(s.lines, func() string { return l })
		case func() string:
			s.lines = append(s.lines, l)
		}
	}
	return s
}

// syncBuffer is the terminal's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func login(t *testing.T, srv *cognitotest.Server, poolID, clientID, user string, h flows.ChallengeHandler) (*flows.Result, error) {
	t.Helper()
	c, err := flows.New(srv.Client(), poolID, clientID, func(o *flows.Options) { o.Handler = h })
	if err != nil {
		t.Fatal(err)
	}
	return c.Login(context.Background(), user, password)
}

func totp() string { return cognitotest.TOTPCode(totpSecret, time.Now()) }

func TestCodeAskedAgain(t *testing.T) {
	srv := newServer(t)
	out := &syncBuffer{}
	// An empty line, a wrong code (Cognito rejects it), then the right one.
	h := terminal.New(lines("", "000 000", totp), out)
	res, err := login(t, srv, pool, "termclient", "tina", h)
	if err != nil {
		t.Fatalf("%v; terminal:\n%s", err, out)
	}
	if res.Username != "tina" {
		t.Errorf("signed in as %q", res.Username)
	}
	for _, want := range []string{"Code from your authenticator app: ", "An answer is needed.",
		"That code was not accepted (CodeMismatchException: ", "). Try again."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("terminal lacks %q:\n%s", want, out)
		}
	}
}

func TestGivesUp(t *testing.T) {
	srv := newServer(t)
	h := terminal.New(lines("", "", ""), io.Discard)
	_, err := login(t, srv, pool, "termclient", "tina", h)
	if !errors.Is(err, terminal.ErrTooManyAttempts) {
		t.Fatalf("error %v, want ErrTooManyAttempts", err)
	}
	// Input that ends.
	_, err = login(t, srv, pool, "termclient", "tina", terminal.New(lines(), io.Discard))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestChooseByFriendlyName(t *testing.T) {
	srv := newServer(t)
	out := &syncBuffer{}
	code := func() string {
		c, ok := srv.LastCode(pool, "milo")
		if !ok {
			t.Error("no SMS code")
		}
		return c
	}
	h := terminal.New(lines("voice", "SMS", code), out)
	if _, err := login(t, srv, pool, "termclient", "milo", h); err != nil {
		t.Fatalf("%v; terminal:\n%s", err, out)
	}
	if !regexp.MustCompile(`Choose an MFA type: 1\) (totp|sms), 2\) (totp|sms)`).MatchString(out.String()) ||
		!strings.Contains(out.String(), `"voice" is not one of the choices.`) || !strings.Contains(out.String(), "Code sent by SMS to ") {
		t.Errorf("terminal:\n%s", out)
	}
	// By Cognito's name, in any case.
	for _, choice := range []string{"software_token_mfa"} {
		out := &syncBuffer{}
		h := terminal.New(lines(choice, totp), out)
		if _, err := login(t, srv, pool, "termclient", "milo", h); err != nil {
			t.Fatalf("%s: %v; terminal:\n%s", choice, err, out)
		}
	}
}

func TestNewPasswordAskedTwice(t *testing.T) {
	srv := newServer(t)
	out := &syncBuffer{}
	var secretReads int
	var prompts []string
	read := lines(newPass, "something else", newPass, newPass)
	h := terminal.New(lines("", "Nora N."), out, terminal.WithSecretReader(func(prompt string) ([]byte, error) {
		secretReads++
		prompts = append(prompts, prompt)
		var b [256]byte
		n, _ := read.Read(b[:])
		return bytes.TrimRight(b[:n], "\n"), nil
	}))
	res, err := login(t, srv, pool, "termclient", "nora", h)
	if err != nil {
		t.Fatalf("%v; terminal:\n%s", err, out)
	}
	if res.Username != "nora" || secretReads != 4 {
		t.Errorf("user %q, %d secret reads", res.Username, secretReads)
	}
	// The secret reader shows the prompts, after turning echo off: the
	// Handler does not show them first.
	if want := []string{"New password: ", "New password again: ", "New password: ", "New password again: "}; !slices.Equal(prompts, want) {
		t.Errorf("secret prompts %q, want %q", prompts, want)
	}
	if s := out.String(); !strings.Contains(s, "The two passwords differ.") || !strings.Contains(s, "Value for name: ") || strings.Contains(s, newPass) ||
		strings.Contains(s, "New password") {
		t.Errorf("terminal:\n%s", s)
	}
}

func TestMFASetup(t *testing.T) {
	srv := newServer(t)
	out := &syncBuffer{}
	code := func() string {
		m := regexp.MustCompile(`Add this secret to the app: ([A-Z2-7]+)`).FindStringSubmatch(out.String())
		if m == nil {
			t.Errorf("no secret shown:\n%s", out)
			return ""
		}
		return cognitotest.TOTPCode(m[1], time.Now())
	}
	h := terminal.New(lines(code), out, terminal.WithIssuer("Example"))
	if _, err := login(t, srv, setupPool, "termsetup", "sam", h); err != nil {
		t.Fatalf("%v; terminal:\n%s", err, out)
	}
	if !strings.Contains(out.String(), "otpauth://totp/Example:sam?issuer=Example&secret=") {
		t.Errorf("terminal:\n%s", out)
	}
}

func TestPasswordlessChoice(t *testing.T) {
	srv := newServer(t)
	out := &syncBuffer{}
	code := func() string { c, _ := srv.LastCode(pool, "olga"); return c }
	h := terminal.New(lines("email", code), out)
	c, err := flows.New(srv.Client(), pool, "termclient", func(o *flows.Options) { o.Handler = h })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LoginUserAuth(context.Background(), "olga@example.com", ""); err != nil {
		t.Fatalf("%v; terminal:\n%s", err, out)
	}
	if s := out.String(); !strings.Contains(s, "Choose how to sign in: 1) password, 2) email") || !strings.Contains(s, "Code sent by email to ") {
		t.Errorf("terminal:\n%s", s)
	}
}

func TestPrompt(t *testing.T) {
	for _, tt := range []struct {
		c    flows.Challenge
		want string
	}{
		{flows.Challenge{Name: types.ChallengeNameTypeSmsMfa, DeliveryMedium: "SMS", Destination: "+*******1234"}, "Code sent by SMS to +*******1234"},
		{flows.Challenge{Name: types.ChallengeNameTypeEmailOtp}, "Code sent by email"},
		{flows.Challenge{Name: types.ChallengeNameTypeEmailOtp, DeliveryMedium: "EMAIL", Destination: "a***@e***"}, "Code sent by email to a***@e***"},
		{flows.Challenge{Name: types.ChallengeNameTypeSoftwareTokenMfa}, "Code from your authenticator app"},
		{flows.Challenge{Name: types.ChallengeNameTypeSelectMfaType, Options: []string{"SMS_MFA", "SOFTWARE_TOKEN_MFA"}}, "Choose one of sms, totp"},
		{flows.Challenge{Name: types.ChallengeNameTypeNewPasswordRequired, RequiredAttributes: []string{"name"}}, "New password, and values for name"},
		{flows.Challenge{Name: "WEB_AUTHN"}, "Answer to challenge WEB_AUTHN"},
	} {
		if got := terminal.Prompt(&tt.c); got != tt.want {
			t.Errorf("Prompt(%s) = %q, want %q", tt.c.Name, got, tt.want)
		}
	}
}

func TestContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := terminal.New(lines("123456"), io.Discard)
	_, err := h.HandleChallenge(ctx, &flows.Challenge{Name: types.ChallengeNameTypeSoftwareTokenMfa})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
}

// hostile is text from a server that tries to drive the terminal: set the
// window title (OSC ... BEL), clear the screen (CSI 2J), a C1 CSI (U+009B)
// and a lone 0x9b byte, DEL, a bidi override, and a line of its own making.
const hostile = "bad\x1b]0;title\x07\x1b[2J\u009b6n\x9b\x7f\u202e\nNew password: "

// hostileError is a Cognito error whose message is hostile.
type hostileError struct{}

func (hostileError) Error() string        { return "CodeMismatchException: " + hostile }
func (hostileError) ErrorCode() string    { return "CodeMismatch\x1b[2JException" }
func (hostileError) ErrorMessage() string { return hostile }

// checkShown fails t if what a terminal was shown holds a character that a
// terminal obeys, other than the line endings of the Handler's own lines,
// or a line that the server made.
func checkShown(t *testing.T, what, shown string) {
	t.Helper()
	if !utf8.ValidString(shown) {
		t.Errorf("%s: shown text that is not UTF-8: %q", what, shown)
	}
	for _, l := range strings.Split(shown, "\n") {
		if i := strings.IndexFunc(l, safetext.Unsafe); i >= 0 {
			t.Errorf("%s: shown %q, which holds %q", what, shown, l[i:])
		}
		if strings.HasPrefix(l, "New password: ") && strings.Contains(what, "hostile") {
			t.Errorf("%s: the server started a line: %q", what, shown)
		}
	}
}

// TestServerTextEscaped: what came from the server (delivery destinations
// and media, MFA types, attribute names, custom parameters, user names, an
// error message, a challenge's name) is shown escaped, in prompts, lines and
// the prompts given to the secret reader, and by Prompt.
func TestServerTextEscaped(t *testing.T) {
	for _, c := range []flows.Challenge{
		{Name: types.ChallengeNameTypeSmsMfa, DeliveryMedium: "SMS" + hostile, Destination: "+1555" + hostile, Err: hostileError{}},
		{Name: types.ChallengeNameTypeEmailOtp, Destination: "a@" + hostile},
		{Name: types.ChallengeNameTypeSoftwareTokenMfa, Err: errors.New(hostile)},
		{Name: types.ChallengeNameTypeSelectMfaType, Options: []string{"SMS_MFA" + hostile, "SOFTWARE_TOKEN_MFA"}},
		{Name: types.ChallengeNameTypeSelectChallenge, Options: []string{"EMAIL" + hostile, "PASSWORD_SRP"}},
		{Name: types.ChallengeNameTypeMfaSetup, Username: "u" + hostile, SecretCode: "JBSWY3DP" + hostile},
		{Name: types.ChallengeNameTypeCustomChallenge, Parameters: map[string]string{"q" + hostile: "what" + hostile}},
		{Name: types.ChallengeNameTypeNewPasswordRequired, Username: "u" + hostile, RequiredAttributes: []string{"name" + hostile}},
		{Name: types.ChallengeNameType("WEIRD" + hostile)},
	} {
		out := &syncBuffer{}
		var secretPrompts string
		in := lines("x", "x", "x", "x", "x", "x")
		if len(c.Options) > 0 {
			in = lines("nothing offered", "2")
		}
		h := terminal.New(in, out, terminal.WithSecretReader(func(prompt string) ([]byte, error) {
			secretPrompts += prompt + "\n"
			return []byte("pw"), nil
		}))
		if _, err := h.HandleChallenge(context.Background(), &c); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
		if out.String() == "" {
			t.Errorf("%s: nothing shown", c.Name)
		}
		checkShown(t, "hostile "+string(c.Name), out.String()+secretPrompts)
		checkShown(t, "hostile Prompt "+string(c.Name), terminal.Prompt(&c)+"\n")
		if !strings.Contains(out.String(), `\x1b]0;title\x07`) && !strings.Contains(out.String(), `\u001b]0;title\u0007`) {
			t.Errorf("%s: the server's text is not shown escaped:\n%s", c.Name, out)
		}
	}
}
