// Package terminal answers the challenges of a Cognito sign-in on a
// terminal, for command-line programs: a [flows.ChallengeHandler] that
// prompts for MFA codes, a choice of MFA type or first factor, a new
// password and custom answers.
//
// For most uses, open the terminal, make a [Handler] with [New], and pass it
// as the [flows.Options] Handler:
//
//	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
//	...
//	h := terminal.New(tty, tty, terminal.WithSecretReader(terminal.NoEcho(tty, tty)))
//	res, err := c.Login(ctx, username, password, func(o *flows.Options) { o.Handler = h })
//
// The Handler asks again, instead of failing, after an empty answer, a
// choice that is not offered, new passwords that differ, and (through the
// sign-in, which asks again with [flows.Challenge.Err] set) a code that
// Cognito rejected; after [DefaultMaxAttempts] tries at one question it
// gives up with [ErrTooManyAttempts]. Secrets (new passwords) are read
// without echo when a secret reader is given; [NoEcho] turns echo off
// before it shows the prompt. MFA types and factors can be chosen by
// friendly name: totp, sms, email, password.
//
// Text that came from the server (a masked delivery destination, the names
// of MFA types and attributes, a custom challenge's parameters, an error
// message) is shown escaped, never obeyed: the Handler and [Prompt] write
// control characters, bytes that are not UTF-8 and bidirectional
// formatting characters as Go escapes (\x1b, \u009b, \u202e).
//
// The package holds the user-interface text that package flows does not:
// [Prompt] words a challenge in English.
package terminal

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/term"

	"github.com/cognitosrp/cognitosrp/flows"
	"github.com/cognitosrp/cognitosrp/internal/noecho"
	"github.com/cognitosrp/cognitosrp/internal/safetext"
)

// DefaultMaxAttempts is how many times a [Handler] asks one question by
// default.
const DefaultMaxAttempts = 3

// ErrTooManyAttempts means that the user gave no usable answer to a
// question in as many tries as the [Handler] allows.
var ErrTooManyAttempts = errors.New("terminal: no usable answer after repeated tries")

// Handler is a [flows.ChallengeHandler] that asks the user on a terminal.
// It reads answers as lines from its input and writes prompts to its
// output. A Handler serves one sign-in at a time.
type Handler struct {
	in          *bufio.Reader
	out         io.Writer
	readSecret  func(prompt string) ([]byte, error)
	issuer      string
	maxAttempts int
}

var _ flows.ChallengeHandler = (*Handler)(nil)

// An Option changes a [Handler].
type Option func(*Handler)

// WithSecretReader makes the Handler read secrets (new passwords) with
// read, such as [NoEcho] of the terminal, instead of from the input with
// echo. read shows prompt, which the Handler has escaped, and reads one
// line without echoing it, nor its line ending; it turns echo off before it
// shows prompt, so that what the user types as soon as the prompt appears
// is not echoed either. It ends the line that the unechoed Enter did not.
func WithSecretReader(read func(prompt string) ([]byte, error)) Option {
	return func(h *Handler) { h.readSecret = read }
}

// WithIssuer names the service in the otpauth:// URI that MFA_SETUP shows,
// as authenticator apps display it. The default is "Cognito".
func WithIssuer(issuer string) Option {
	return func(h *Handler) { h.issuer = issuer }
}

// WithMaxAttempts sets how many times one question is asked, at least
// once. The default is [DefaultMaxAttempts].
func WithMaxAttempts(n int) Option {
	return func(h *Handler) { h.maxAttempts = max(n, 1) }
}

// New returns a Handler that reads answers from in and writes prompts to
// out: the terminal, such as /dev/tty opened by the caller.
func New(in io.Reader, out io.Writer, opts ...Option) *Handler {
	h := &Handler{in: bufio.NewReader(in), out: out, issuer: "Cognito", maxAttempts: DefaultMaxAttempts}
	for _, o := range opts {
		o(h)
	}
	return h
}

// NoEcho returns a secret reader for [WithSecretReader] that turns off the
// echo of the terminal in, then writes the prompt to out, reads a line from
// in (golang.org/x/term's ReadPassword) and puts the terminal back as it
// was. in and out are usually the same file, the terminal.
func NoEcho(in *os.File, out io.Writer) func(prompt string) ([]byte, error) {
	return func(prompt string) ([]byte, error) {
		fd := int(in.Fd())
		// Echo goes off before the prompt is shown: ReadPassword turns it
		// off only once it starts reading.
		restore, err := noecho.Off(fd)
		if err != nil {
			return nil, err
		}
		defer restore()
		fmt.Fprint(out, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(out) // the user's Enter was not echoed
		return b, err
	}
}

// HandleChallenge implements [flows.ChallengeHandler]. It returns
// promptly when ctx is done before a question, but a read from the terminal
// that has started waits for its line (unless the input's Read itself
// returns when ctx is done).
func (h *Handler) HandleChallenge(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
	if c.Err != nil {
		h.println("That code was not accepted (" + errorText(c.Err) + "). Try again.")
	}
	switch c.Name {
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp, types.ChallengeNameTypeEmailOtp,
		types.ChallengeNameTypeSoftwareTokenMfa:
		v, err := h.askCode(ctx, prompt(c))
		return flows.Answer{Value: v}, err

	case types.ChallengeNameTypeMfaSetup:
		h.println("Set up an authenticator app (TOTP) for " + c.Username + ".")
		h.println("Add this secret to the app: " + c.SecretCode)
		if uri := c.OTPAuthURI(h.issuer); uri != "" {
			h.println("or this URI (as a QR code): " + uri)
		}
		v, err := h.askCode(ctx, "Code from your authenticator app")
		return flows.Answer{Value: v}, err

	case types.ChallengeNameTypeSelectMfaType, types.ChallengeNameTypeSelectChallenge:
		v, err := h.choose(ctx, c)
		return flows.Answer{Value: v}, err

	case types.ChallengeNameTypeNewPasswordRequired:
		return h.newPassword(ctx, c)

	case types.ChallengeNameTypeCustomChallenge:
		if params := publicParams(c.Parameters); len(params) > 0 {
			b, _ := json.Marshal(params)
			h.println("Challenge: " + string(b))
		}
		v, err := h.ask(ctx, "Answer", h.readLine)
		return flows.Answer{Value: v}, err

	default:
		v, err := h.ask(ctx, prompt(c), h.readLine)
		return flows.Answer{Value: v}, err
	}
}

// errorText returns "Code: message" of an error from Cognito (such as
// "CodeMismatchException: Invalid code provided, please try again."), or
// the error's text.
func errorText(err error) string {
	var ae interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return err.Error()
}

// publicParams are the parameters of a custom challenge without the user
// name.
func publicParams(p map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range p {
		if k != "USERNAME" {
			out[k] = v
		}
	}
	return out
}

// ask asks until read, given the prompt, returns a non-empty answer, at
// most maxAttempts times.
func (h *Handler) ask(ctx context.Context, prompt string, read func(prompt string) (string, error)) (string, error) {
	for range h.maxAttempts {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		v, err := read(prompt + ": ")
		if err != nil {
			return "", err
		}
		if v = strings.TrimSpace(v); v != "" {
			return v, nil
		}
		h.println("An answer is needed.")
	}
	return "", ErrTooManyAttempts
}

// askCode asks for a code; spaces in it are dropped ("123 456").
func (h *Handler) askCode(ctx context.Context, prompt string) (string, error) {
	v, err := h.ask(ctx, prompt, h.readLine)
	return strings.Join(strings.Fields(v), ""), err
}

// friendly are the friendly names of MFA types and first factors.
var friendly = map[string]string{
	string(types.ChallengeNameTypeSoftwareTokenMfa): "totp",
	string(types.ChallengeNameTypeSmsMfa):           "sms",
	string(types.ChallengeNameTypeSmsOtp):           "sms",
	string(types.ChallengeNameTypeEmailOtp):         "email",
	string(types.ChallengeNameTypePasswordSrp):      "password",
	string(types.ChallengeNameTypePassword):         "password",
	string(types.ChallengeNameTypeWebAuthn):         "passkey",
}

// FriendlyName returns the short name under which a [Handler] offers the
// MFA type or first factor option (such as "totp" for
// SOFTWARE_TOKEN_MFA), or option itself.
func FriendlyName(option string) string {
	if f, ok := friendly[option]; ok {
		return f
	}
	return option
}

// choose asks for one of c.Options, by friendly name, Cognito's name or
// number.
func (h *Handler) choose(ctx context.Context, c *flows.Challenge) (string, error) {
	opts := slices.Clone(c.Options)
	// PASSWORD and PASSWORD_SRP share a friendly name; offer PASSWORD_SRP,
	// which keeps the password in the process.
	if slices.Contains(opts, string(types.ChallengeNameTypePasswordSrp)) {
		opts = slices.DeleteFunc(opts, func(o string) bool { return o == string(types.ChallengeNameTypePassword) })
	}
	if len(opts) == 0 {
		return "", fmt.Errorf("terminal: %s offers no choice", c.Name)
	}
	names := make([]string, len(opts))
	for i, o := range opts {
		names[i] = fmt.Sprintf("%d) %s", i+1, FriendlyName(o))
	}
	what := "Choose an MFA type"
	if c.Name == types.ChallengeNameTypeSelectChallenge {
		what = "Choose how to sign in"
	}
	for range h.maxAttempts {
		v, err := h.ask(ctx, what+": "+strings.Join(names, ", "), h.readLine)
		if err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= len(opts) {
			return opts[n-1], nil
		}
		for _, o := range opts {
			if strings.EqualFold(v, o) || strings.EqualFold(v, FriendlyName(o)) {
				return o, nil
			}
		}
		h.println(fmt.Sprintf("%q is not one of the choices.", v))
	}
	return "", ErrTooManyAttempts
}

// newPassword asks for the new password twice, until both agree, then for
// the required attributes.
func (h *Handler) newPassword(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
	h.println("A new password is required for " + c.Username + ".")
	var pw string
	for i := 0; ; i++ {
		if i == h.maxAttempts {
			return flows.Answer{}, ErrTooManyAttempts
		}
		p, err := h.ask(ctx, "New password", h.secret)
		if err != nil {
			return flows.Answer{}, err
		}
		again, err := h.ask(ctx, "New password again", h.secret)
		if err != nil {
			return flows.Answer{}, err
		}
		if p == again {
			pw = p
			break
		}
		h.println("The two passwords differ.")
	}
	attrs := map[string]string{}
	req := slices.Clone(c.RequiredAttributes)
	sort.Strings(req)
	for _, name := range req {
		v, err := h.ask(ctx, "Value for "+name, h.readLine)
		if err != nil {
			return flows.Answer{}, err
		}
		attrs[name] = v
	}
	return flows.Answer{Value: pw, UserAttributes: attrs}, nil
}

// readLine shows prompt and reads one line of input without its line
// ending.
func (h *Handler) readLine(prompt string) (string, error) {
	h.print(prompt)
	line, err := h.in.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		if err == io.EOF {
			return "", fmt.Errorf("terminal: input closed: %w", io.ErrUnexpectedEOF)
		}
		return "", fmt.Errorf("terminal: reading input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// secret shows prompt and reads one line with the secret reader, or from
// the input.
func (h *Handler) secret(prompt string) (string, error) {
	if h.readSecret == nil {
		return h.readLine(prompt)
	}
	b, err := h.readSecret(safetext.Escape(prompt))
	if err != nil {
		return "", fmt.Errorf("terminal: reading a secret: %w", err)
	}
	return string(b), nil
}

// println shows the line s, escaped: everything the Handler shows goes
// through println, print or the secret reader with the prompt escaped.
func (h *Handler) println(s string) { fmt.Fprintln(h.out, safetext.Escape(s)) }

// print shows the prompt s, escaped.
func (h *Handler) print(s string) { fmt.Fprint(h.out, safetext.Escape(s)) }

// Prompt returns a short English request for the user's answer to c, such
// as "Code sent by SMS to +*******1234", with what came from the server
// escaped as the Handler shows it.
func Prompt(c *flows.Challenge) string { return safetext.Escape(prompt(c)) }

// prompt is Prompt, unescaped.
func prompt(c *flows.Challenge) string {
	switch c.Name {
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp, types.ChallengeNameTypeEmailOtp:
		medium := c.DeliveryMedium
		if medium == "" {
			medium = "SMS"
			if c.Name == types.ChallengeNameTypeEmailOtp {
				medium = "email"
			}
		} else if medium == "EMAIL" {
			medium = "email"
		}
		if c.Destination == "" {
			return "Code sent by " + medium
		}
		return "Code sent by " + medium + " to " + c.Destination
	case types.ChallengeNameTypeSoftwareTokenMfa:
		return "Code from your authenticator app"
	case types.ChallengeNameTypeMfaSetup:
		return "Add the secret " + c.SecretCode + " to your authenticator app, then enter its code"
	case types.ChallengeNameTypeSelectMfaType, types.ChallengeNameTypeSelectChallenge:
		names := make([]string, len(c.Options))
		for i, o := range c.Options {
			names[i] = FriendlyName(o)
		}
		return "Choose one of " + strings.Join(names, ", ")
	case types.ChallengeNameTypeNewPasswordRequired:
		if len(c.RequiredAttributes) == 0 {
			return "New password"
		}
		return "New password, and values for " + strings.Join(c.RequiredAttributes, ", ")
	case types.ChallengeNameTypeCustomChallenge:
		return "Answer"
	default:
		return "Answer to challenge " + string(c.Name)
	}
}
