package terminal_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/flows/terminal"
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
			{ID: pool, MFA: "OPTIONAL", Clients: []cognitotest.AppClient{{ID: "termclient"}}, Users: []cognitotest.User{
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
	for _, want := range []string{"Code from your authenticator app: ", "An answer is needed.", "That code was not accepted. Try again."} {
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
	read := lines(newPass, "something else", newPass, newPass)
	h := terminal.New(lines("", "Nora N."), out, terminal.WithSecretReader(func() ([]byte, error) {
		secretReads++
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
	if s := out.String(); !strings.Contains(s, "The two passwords differ.") || !strings.Contains(s, "Value for name: ") || strings.Contains(s, newPass) {
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
