package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"golang.org/x/term"

	"github.com/cognitosrp/cognitosrp/flows"
	fterm "github.com/cognitosrp/cognitosrp/flows/terminal"
	"github.com/cognitosrp/cognitosrp/internal/safetext"
)

const loginUsage = `Usage:
    cognitosrp login --user-pool-id ID --client-id ID --username NAME [options]

Signs in to an Amazon Cognito user pool with USER_SRP_AUTH, as AWS's own
clients do: the password never leaves this machine, only an SRP-6a proof of
it. Prints the tokens as "aws cognito-idp initiate-auth" does:
{"AuthenticationResult": {"AccessToken", "ExpiresIn", "TokenType",
"RefreshToken", "IdToken", "NewDeviceMetadata"?}}.

The password is read from the terminal without echo, or from standard input
with --password-stdin; never from the command line. MFA codes, a new
password (NEW_PASSWORD_REQUIRED, asked twice) and other answers Cognito asks
for are read from the terminal, and asked again after an empty answer, a
code that Cognito rejected or new passwords that differ (three tries); an
MFA type can be chosen as totp, sms or email. Without a terminal, the
sign-in fails and says what was needed.
Prompts, and the secret of a new authenticator app (MFA_SETUP), are shown
on the terminal itself (/dev/tty), never on standard output or standard
error, which may be redirected into a log.

A remembered device of the user (from the device store) is used through
DEVICE_SRP_AUTH, which lets Cognito skip MFA. With --remember-device, or
with an explicit --device-store, a new device is confirmed, remembered and
stored for the next sign-in.

Options:
    --user-pool-id ID         The user pool, such as us-east-1_AbC123.
    --client-id ID            The app client id.
    --client-secret-env NAME  Read the app client's secret from the
                              environment variable NAME, for app clients
                              that have one (SECRET_HASH).
    --username NAME           The user name, or an alias such as an email
                              address.
    --password-stdin          Read the password from standard input.
    --refresh                 Instead of signing in, get new tokens with
                              GetTokensFromRefreshToken from the refresh
                              token that --token-store holds for the user
                              (found by the name given at sign-in or the
                              internal user name), or else one read from
                              standard input (or the terminal), sending the
                              user's remembered device. Prints a refresh
                              token only when the app client rotates them
                              (the new one), and writes it back to
                              --token-store.
    --legacy-refresh          With --refresh, use InitiateAuth
                              REFRESH_TOKEN_AUTH instead, for servers that
                              lack GetTokensFromRefreshToken. App clients
                              with refresh token rotation refuse it.
    --token-store FILE        Keep the tokens of each login in FILE (JSON,
                              mode 0600), for later --refresh runs and for
                              "cognitosrp token", which prints a valid
                              access token for scripts.
    --device-store FILE       The remembered devices, a JSON file (mode 0600)
                              holding device passwords. The default is
                              cognitosrp/devices.json in the user config
                              directory (such as ~/.config).
    --remember-device         Confirm, remember and store a new device. The
                              default is true with --device-store, false
                              without.
    --endpoint-url URL        Send requests to URL, such as a local
                              "cognitosrp serve", instead of Cognito.
    --region REGION           The region. The default is the AWS SDK's
                              (AWS_REGION, the profile's region) or, when
                              none is set, the user pool id's prefix.
    --output json|text        json (default) prints the AWS CLI's JSON; text
                              prints the access, ID and refresh tokens, one a
                              line.

No AWS credentials are needed: these calls are unsigned. The AWS SDK's usual
configuration applies: AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER or
AWS_ENDPOINT_URL (like --endpoint-url), AWS_PROFILE and the shared config
files (endpoint_url, region, retries, CA bundle), AWS_REGION,
AWS_MAX_ATTEMPTS.

Exit status:
    0    signed in
    1    Cognito refused the sign-in (wrong password or code, unknown
         user, flow not enabled for the app client, ...)
    2    usage error (bad flags, no password, no terminal for a prompt)
    3    network or service error (endpoint unreachable, unknown user pool
         or app client, throttling, internal error)
    130  interrupted

Example:
    $ cognitosrp login --user-pool-id us-east-1_Example --client-id exampleclient \
        --username alice@example.com --device-store ~/.cognitosrp-devices.json
    Password for alice@example.com:
    Code from your authenticator app: 123456
    {
        "AuthenticationResult": {
            "AccessToken": "eyJraWQiOi...",
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "RefreshToken": "eyJjdHkiOi...",
            "IdToken": "eyJraWQiOi...",
            "NewDeviceMetadata": {
                "DeviceKey": "us-east-1_3f0c6e1d-...",
                "DeviceGroupKey": "-9mBq2ZlG"
            }
        }
    }
`

const exitInterrupted = 130

var (
	poolIDPattern   = regexp.MustCompile(`^[\w-]{1,40}_[0-9a-zA-Z]{1,40}$`)
	clientIDPattern = regexp.MustCompile(`^[\w+]{1,128}$`)
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
)

// testOnlyConfigDir, when set, replaces os.UserConfigDir for the default
// device store.
var testOnlyConfigDir string

type loginFlags struct {
	poolID, clientID, secretEnv, username string
	passwordStdin, refresh                bool
	legacyRefresh, idToken                bool
	deviceStore                           string
	deviceStoreSet                        bool
	tokenStore                            string
	remember                              bool
	endpoint, region, output              string
	resolvedRegion                        string // set by sdkConfig
}

// loginFlagSet declares login's flags into f.
func loginFlagSet(f *loginFlags) *flag.FlagSet {
	fs := newFlagSet("login")
	fs.StringVar(&f.poolID, "user-pool-id", "", "")
	fs.StringVar(&f.clientID, "client-id", "", "")
	fs.StringVar(&f.secretEnv, "client-secret-env", "", "")
	fs.StringVar(&f.username, "username", "", "")
	fs.BoolVar(&f.passwordStdin, "password-stdin", false, "")
	fs.BoolVar(&f.refresh, "refresh", false, "")
	fs.BoolVar(&f.legacyRefresh, "legacy-refresh", false, "")
	fs.StringVar(&f.deviceStore, "device-store", "", "")
	fs.StringVar(&f.tokenStore, "token-store", "", "")
	fs.BoolVar(&f.remember, "remember-device", false, "")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "")
	fs.StringVar(&f.region, "region", "", "")
	fs.StringVar(&f.output, "output", "json", "")
	return fs
}

func parseLoginFlags(args []string, stdout io.Writer) (*loginFlags, error) {
	f := &loginFlags{}
	fs := loginFlagSet(f)
	// Catch the habit of other tools before the flag package reports it
	// as merely unknown: a password must not be an argument.
	for _, a := range args {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "password" || name == "p" || name == "client-secret" || name == "refresh-token") {
			return nil, usageError("login", "--%s is not an option: secrets are never taken from the command line (they show in ps and shell history); use %s", name, map[string]string{
				"password": "--password-stdin or the terminal prompt", "p": "--password-stdin or the terminal prompt",
				"client-secret": "--client-secret-env NAME", "refresh-token": "--refresh with the token on standard input",
			}[name])
		}
	}
	if err := parseFlags(fs, "login", loginUsage, args, stdout); err != nil {
		return nil, err
	}
	remembered := false
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "device-store":
			f.deviceStoreSet = true
		case "remember-device":
			remembered = true
		}
	})
	if !remembered {
		f.remember = f.deviceStoreSet
	}
	switch {
	case f.poolID == "":
		return nil, usageError("login", "--user-pool-id is required")
	case f.clientID == "":
		return nil, usageError("login", "--client-id is required")
	case f.username == "":
		return nil, usageError("login", "--username is required")
	case f.passwordStdin && f.refresh:
		return nil, usageError("login", "--refresh reads a refresh token, not a password: drop --password-stdin")
	case f.output != "json" && f.output != "text":
		return nil, usageError("login", "--output: want json or text")
	case f.deviceStoreSet && f.deviceStore == "":
		return nil, usageError("login", "--device-store needs a file name")
	case f.legacyRefresh && !f.refresh:
		return nil, usageError("login", "--legacy-refresh needs --refresh")
	}
	if err := checkIDs("login", f); err != nil {
		return nil, err
	}
	return f, nil
}

// checkIDs checks the ids, the region and the endpoint of f against their
// documented forms, for the command cmd.
func checkIDs(cmd string, f *loginFlags) error {
	// The patterns of UserPoolId and ClientId in the API reference
	// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html):
	// [\w-]+_[0-9a-zA-Z]+ and [\w+]+. Also cognito-local's ids
	// (local_AbC123) match them.
	if !poolIDPattern.MatchString(f.poolID) {
		return usageError(cmd, "--user-pool-id is not a user pool id like us-east-1_AbC123")
	}
	if !clientIDPattern.MatchString(f.clientID) {
		return usageError(cmd, "--client-id is not an app client id (letters, digits, _ and +)")
	}
	if f.region != "" && !regionPattern.MatchString(f.region) {
		return usageError(cmd, "--region is not a region like us-east-1")
	}
	if f.endpoint != "" {
		u, err := url.Parse(f.endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError(cmd, "--endpoint-url is not an http or https URL like http://127.0.0.1:9229")
		}
	}
	return nil
}

func runLogin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f, err := parseLoginFlags(args, stdout)
	if err != nil {
		return err
	}
	if err := login(ctx, f, stdin, stdout, stderr); err != nil {
		ce := &cliError{code: exitService}
		if !errors.As(err, &ce) {
			ce.err = err
		}
		return &cliError{code: ce.code, err: errors.New(f.hideFiles(ce.err.Error())), hints: ce.hints}
	}
	return nil
}

// hideFiles returns msg without the file names given as --device-store and
// --token-store, which errors of the os package quote: a secret typed in
// the wrong place must not be echoed.
func (f *loginFlags) hideFiles(msg string) string {
	if f.deviceStoreSet {
		msg = hideArg(msg, f.deviceStore, "device-store")
	}
	return hideArg(msg, f.tokenStore, "token-store")
}

// warn prints a warning on stderr.
func (f *loginFlags) warn(stderr io.Writer, format string, args ...any) {
	printLines(stderr, "cognitosrp: warning: ", f.hideFiles(fmt.Sprintf(format, args...)))
}

// login signs in as f says; with --refresh, it refreshes instead
// ([refresh]).
func login(ctx context.Context, f *loginFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	if f.refresh {
		return refresh(ctx, f, stdin, stdout, stderr)
	}
	secret, err := clientSecret("login", f)
	if err != nil {
		return err
	}
	store, err := deviceStore(f)
	if err != nil {
		return err
	}

	// The password: from stdin, or from the terminal.
	tty, closer, ttyErr := openTerminal(stdin)
	if ttyErr == nil {
		defer closer.Close()
	}
	var password string
	switch {
	case f.passwordStdin:
		password, err = readStdinSecret(stdin, "password")
	case ttyErr != nil:
		return usageError("login", "no terminal to read the password from: use --password-stdin")
	default:
		password, err = tty.ReadSecret(ctx, "Password for "+f.username+": ")
	}
	if err != nil {
		return loginError(ctx, err, f)
	}

	c, err := newFlowsClient(ctx, f, secret, store, tty)
	if err != nil {
		return err
	}
	warnRegion(f, stderr)
	res, err := c.Login(ctx, f.username, password)
	var de *flows.DeviceError
	if errors.As(err, &de) && res != nil {
		f.warn(stderr, "signed in, but the new device was not remembered: %v", de)
		err = nil
	}
	if err != nil {
		return loginError(ctx, err, f)
	}
	if f.tokenStore != "" && res.AuthenticationResult != nil && res.AuthenticationResult.RefreshToken != nil {
		if err := putTokens(ctx, f, c.NewTokens(res, f.username)); err != nil {
			f.warn(stderr, "signed in, but the tokens were not stored: %v", err)
		}
	}
	return printResult(stdout, res, f.output)
}

// clientSecret returns the app client's secret from the environment
// variable that --client-secret-env names, or "" without the flag.
func clientSecret(cmd string, f *loginFlags) (string, error) {
	if f.secretEnv == "" {
		return "", nil
	}
	secret := os.Getenv(f.secretEnv)
	if secret == "" {
		// The name is not quoted: it might be the secret itself, given
		// where the name belongs.
		return "", usageError(cmd, "--client-secret-env NAME: the environment variable it names is empty or not set (--client-secret-env takes the variable's name, not the secret)")
	}
	return secret, nil
}

// warnRegion warns when the region, from the AWS configuration, is not the
// user pool id's.
func warnRegion(f *loginFlags, stderr io.Writer) {
	if prefix, _, _ := strings.Cut(f.poolID, "_"); f.region == "" && f.resolvedRegion != prefix {
		f.warn(stderr, "using region %s from the AWS configuration, but the user pool id names %s", f.resolvedRegion, prefix)
	}
}

// deviceStore returns the device store of f, or nil when there is none.
func deviceStore(f *loginFlags) (flows.DeviceStore, error) {
	path := f.deviceStore
	if path == "" {
		dir := testOnlyConfigDir
		if dir == "" {
			d, err := os.UserConfigDir()
			if err != nil {
				if f.remember {
					return nil, usageError("login", "no user config directory for the device store (%v): use --device-store FILE", err)
				}
				return nil, nil // no store: devices are neither used nor remembered
			}
			dir = d
		}
		path = filepath.Join(dir, "cognitosrp", "devices.json")
	}
	return flows.NewFileStore(path), nil
}

// sdkConfig loads the AWS SDK's configuration for f, with anonymous
// credentials, since the sign-in operations are unsigned, and the region of
// [resolveRegion].
func sdkConfig(ctx context.Context, f *loginFlags) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithCredentialsProvider(aws.AnonymousCredentials{}),
	)
	if err != nil {
		return aws.Config{}, &cliError{code: exitUsage, err: fmt.Errorf("loading the AWS configuration: %w", err),
			hints: []string{"check AWS_PROFILE, AWS_CONFIG_FILE and the files they name"}}
	}
	cfg.Region = resolveRegion(f.region, cfg.Region, f.poolID)
	f.resolvedRegion = cfg.Region
	return cfg, nil
}

// resolveRegion picks the region: --region, else the AWS SDK's own
// (AWS_REGION, AWS_DEFAULT_REGION, the profile's region), else the user pool
// id's prefix.
func resolveRegion(flag, sdk, poolID string) string {
	if flag != "" {
		return flag
	}
	if sdk != "" {
		return sdk
	}
	prefix, _, _ := strings.Cut(poolID, "_")
	return prefix
}

// newFlowsClient returns a flows.Client for f.
func newFlowsClient(ctx context.Context, f *loginFlags, secret string, store flows.DeviceStore, tty terminal) (*flows.Client, error) {
	cfg, err := sdkConfig(ctx, f)
	if err != nil {
		return nil, err
	}
	api := cip.NewFromConfig(cfg, func(o *cip.Options) {
		if f.endpoint != "" {
			o.BaseEndpoint = aws.String(f.endpoint)
		}
	})
	opts := func(o *flows.Options) {
		o.ClientSecret = secret
		o.DeviceStore = store
		o.RememberDevices = flows.RememberNever
		if f.remember {
			o.RememberDevices = flows.RememberAlways
		}
		o.DeviceName = "cognitosrp"
		o.Handler = terminalHandler(tty)
		if f.legacyRefresh {
			o.RefreshWith = flows.RefreshTokenAuth
		}
		if testOnlyClock != nil {
			o.Clock = testOnlyClock
		}
	}
	c, err := flows.New(api, f.poolID, f.clientID, opts)
	if err != nil {
		return nil, usageError("login", "%v", err)
	}
	return c, nil
}

// maxStdinSecret bounds what --password-stdin and --refresh read.
const maxStdinSecret = 64 << 10

// readStdinSecret reads all of stdin as a password or refresh token,
// dropping one line ending, as docker login --password-stdin does.
func readStdinSecret(stdin io.Reader, what string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(stdin, maxStdinSecret+1))
	if err != nil {
		return "", &cliError{code: exitUsage, err: fmt.Errorf("reading the %s from standard input: %w", what, err)}
	}
	if len(b) > maxStdinSecret {
		return "", usageError("login", "the %s on standard input is longer than %d bytes", what, maxStdinSecret)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if s == "" {
		return "", usageError("login", "no %s on standard input", what)
	}
	return s, nil
}

func isTerminal(r io.Reader) bool {
	if _, ok := r.(terminal); ok {
		return true
	}
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalHandler answers the challenges that need the user with the
// Handler of package flows/terminal, at the terminal tty, which is nil when
// there is none. The Handler words the prompts, asks again after an empty
// answer, a code that Cognito rejected, a choice not offered and new
// passwords that differ, and escapes what came from the server; tty shows
// its lines and prompts (and escapes them again, which changes nothing),
// turns echo off before it shows a secret's prompt, and gives up a read
// when ctx is done (Ctrl-C), putting the terminal back as it was.
func terminalHandler(tty terminal) flows.ChallengeHandler {
	return flows.ChallengeHandlerFunc(func(ctx context.Context, c *flows.Challenge) (flows.Answer, error) {
		if tty == nil {
			return flows.Answer{}, &cliError{code: exitUsage,
				err:   fmt.Errorf("no terminal to ask for %s (%s), which Cognito asks for", describeChallenge(c), c.Name),
				hints: []string{"run cognitosrp login in a terminal; with --password-stdin, the terminal still answers the other prompts"}}
		}
		tio := &terminalIO{ctx: ctx, t: tty}
		h := fterm.New(tio, tio, fterm.WithSecretReader(tio.readSecret))
		a, err := h.HandleChallenge(ctx, c)
		tio.flush()
		if errors.Is(err, fterm.ErrTooManyAttempts) {
			return a, &cliError{code: exitUsage, err: fmt.Errorf("no usable answer to %s in %d tries (empty, not one of the choices, or new passwords that differ)",
				c.Name, fterm.DefaultMaxAttempts)}
		}
		return a, err
	})
}

// terminalIO is the input and output of a flows/terminal Handler on a
// terminal: the text written to it is shown line by line; the text after
// the last line ending is the prompt of the next read, which reads a line
// with the terminal's ReadLine, or ReadSecret for a secret.
type terminalIO struct {
	ctx     context.Context
	t       terminal
	pending string // written, not yet shown: the next prompt
	input   []byte // read, not yet returned
}

// Write shows the complete lines of p and keeps the rest as the prompt.
func (w *terminalIO) Write(p []byte) (int, error) {
	w.pending += string(p)
	for {
		line, rest, ok := strings.Cut(w.pending, "\n")
		if !ok {
			return len(p), nil
		}
		w.t.Println(line)
		w.pending = rest
	}
}

// Read reads a line, with its line ending, after showing the prompt.
func (w *terminalIO) Read(p []byte) (int, error) {
	if len(w.input) == 0 {
		prompt := w.pending
		w.pending = ""
		line, err := w.t.ReadLine(w.ctx, prompt)
		if err != nil {
			return 0, err
		}
		w.input = []byte(line + "\n")
	}
	n := copy(p, w.input)
	w.input = w.input[n:]
	return n, nil
}

// readSecret is the Handler's secret reader: ReadSecret turns echo off,
// shows the prompt and reads a line.
func (w *terminalIO) readSecret(prompt string) ([]byte, error) {
	prompt, w.pending = w.pending+prompt, ""
	s, err := w.t.ReadSecret(w.ctx, prompt)
	return []byte(s), err
}

// flush shows what is left of a prompt.
func (w *terminalIO) flush() {
	if w.pending != "" {
		w.t.Println(w.pending)
		w.pending = ""
	}
}

// describeChallenge says in words what a challenge needs.
func describeChallenge(c *flows.Challenge) string {
	switch c.Name {
	case types.ChallengeNameTypeNewPasswordRequired:
		return "a new password"
	case types.ChallengeNameTypeSoftwareTokenMfa:
		return "the code from the user's authenticator app"
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp, types.ChallengeNameTypeEmailOtp:
		p := fterm.Prompt(c)
		return "the " + strings.ToLower(p[:1]) + p[1:]
	case types.ChallengeNameTypeSelectMfaType, types.ChallengeNameTypeSelectChallenge:
		return "a choice among " + strings.Join(c.Options, ", ")
	case types.ChallengeNameTypeMfaSetup:
		return "setting up an authenticator app"
	case types.ChallengeNameTypeCustomChallenge:
		return "the answer to a custom challenge"
	default:
		return "an answer"
	}
}

// refusals are Cognito's errors that refuse a sign-in (exit status 1).
var refusals = map[string]bool{
	"NotAuthorizedException":                  true,
	"UserNotFoundException":                   true,
	"UserNotConfirmedException":               true,
	"PasswordResetRequiredException":          true,
	"CodeMismatchException":                   true,
	"ExpiredCodeException":                    true,
	"InvalidPasswordException":                true,
	"TooManyFailedAttemptsException":          true,
	"InvalidParameterException":               true,
	"UserLambdaValidationException":           true,
	"EnableSoftwareTokenMFAException":         true,
	"SoftwareTokenMFANotFoundException":       true,
	"PasswordHistoryPolicyViolationException": true,
	"MFAMethodNotFoundException":              true,
}

// loginError turns an error of a sign-in into a *cliError with the right
// exit status and hints.
func loginError(ctx context.Context, err error, f *loginFlags) error {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return &cliError{code: exitInterrupted, err: errors.New("interrupted")}
	}
	prefix := ""
	var che *flows.ChallengeError
	if errors.As(err, &che) {
		prefix = string(che.Name) + ": "
	}
	var unsupported *flows.UnsupportedChallengeError
	if errors.As(err, &unsupported) {
		return &cliError{code: exitRefused, err: fmt.Errorf("cognitosrp cannot answer the challenge %s that Cognito asked for", sanitize(string(unsupported.Name)))}
	}
	if errors.Is(err, flows.ErrNoPassword) {
		return &cliError{code: exitUsage, err: errors.New("the password is empty")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &cliError{code: exitUsage, err: fmt.Errorf("%sno answer: the input ended", prefix)}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &cliError{code: exitUsage, err: fmt.Errorf("device store: %w", pe),
			hints: []string{"pass a --device-store FILE that can be read and written"}}
	}
	if errors.Is(err, flows.ErrMalformedStore) {
		return &cliError{code: exitUsage, err: err, hints: []string{"the device store is damaged: move it aside, or pass another --device-store FILE"}}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		// Both from the server: sanitized here, newlines included, since
		// printError keeps the newlines of the errors it prints.
		code, msg := ae.ErrorCode(), ae.ErrorMessage()
		e := &cliError{code: exitService, err: fmt.Errorf("%s%s: %s", prefix, sanitize(code), sanitize(msg))}
		if refusals[code] {
			e.code = exitRefused
		}
		lower := strings.ToLower(msg)
		switch {
		case strings.Contains(lower, "not enabled"):
			flow := "ALLOW_USER_SRP_AUTH"
			if f.refresh {
				flow = "ALLOW_REFRESH_TOKEN_AUTH"
			}
			e.hints = append(e.hints, "add "+flow+" to the app client's authentication flows (ExplicitAuthFlows)")
			if f.refresh && f.legacyRefresh {
				// "You can't authenticate with REFRESH_TOKEN_AUTH in app
				// clients with refresh token rotation enabled" (developer
				// guide, Refresh tokens).
				e.hints = append(e.hints, "an app client that rotates refresh tokens has no REFRESH_TOKEN_AUTH: refresh without --legacy-refresh (GetTokensFromRefreshToken)")
			}
		case strings.Contains(lower, "secret") && f.secretEnv == "":
			e.hints = append(e.hints, "the app client has a secret: put it in an environment variable and name it with --client-secret-env NAME")
		case strings.Contains(lower, "secret"):
			e.hints = append(e.hints, "check the app client's secret in $"+f.secretEnv)
			if f.legacyRefresh {
				e.hints = append(e.hints, "REFRESH_TOKEN_AUTH's SECRET_HASH needs the internal user name, not an alias: pass it as --username, or use --token-store")
			}
		case code == "UnknownOperationException" && (f.refresh || f.tokenStore != "") && !f.legacyRefresh:
			e.hints = append(e.hints, "the server may lack GetTokensFromRefreshToken: --legacy-refresh refreshes with REFRESH_TOKEN_AUTH")
		case code == "ResourceNotFoundException" && strings.Contains(lower, "device"):
		case code == "ResourceNotFoundException":
			e.hints = append(e.hints, fmt.Sprintf("check --user-pool-id and --client-id: they must name an existing pool and app client in %s", f.resolvedRegion))
		case code == "UserNotFoundException" || (code == "NotAuthorizedException" && strings.Contains(lower, "incorrect username or password")):
			e.hints = append(e.hints, "check the user name (or alias), the password and --user-pool-id (the pool's name is part of the SRP proof)")
		}
		return e
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		msg := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			msg = oe.OperationName + ": " + ue.Error()
		}
		e := &cliError{code: exitService, err: errors.New(prefix + sanitize(msg))}
		endpoint := f.endpoint
		if endpoint == "" {
			endpoint = os.Getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER")
		}
		if endpoint == "" {
			endpoint = os.Getenv("AWS_ENDPOINT_URL")
		}
		if endpoint != "" {
			if u, err := url.Parse(endpoint); err == nil {
				endpoint = u.Redacted() // no password from the URL's user info
			}
			e.hints = append(e.hints, "is a Cognito-compatible server listening at "+endpoint+"?")
		} else {
			e.hints = append(e.hints, "check the network, and the region in the user pool id (or --region)")
		}
		return e
	}
	if errors.Is(err, flows.ErrChallengeLoop) {
		return &cliError{code: exitRefused, err: err}
	}
	return &cliError{code: exitService, err: err}
}

// authResultJSON is AuthenticationResult in the AWS CLI's field order.
type authResultJSON struct {
	AccessToken       string                 `json:"AccessToken,omitempty"`
	ExpiresIn         int32                  `json:"ExpiresIn"`
	TokenType         string                 `json:"TokenType,omitempty"`
	RefreshToken      string                 `json:"RefreshToken,omitempty"`
	IdToken           string                 `json:"IdToken,omitempty"`
	NewDeviceMetadata *newDeviceMetadataJSON `json:"NewDeviceMetadata,omitempty"`
}

type newDeviceMetadataJSON struct {
	DeviceKey      string `json:"DeviceKey,omitempty"`
	DeviceGroupKey string `json:"DeviceGroupKey,omitempty"`
}

// printResult prints the tokens of res in the format output.
func printResult(stdout io.Writer, res *flows.Result, output string) error {
	ar := res.AuthenticationResult
	if ar == nil {
		return &cliError{code: exitService, err: errors.New("no tokens in Cognito's answer")}
	}
	out := authResultJSON{
		AccessToken:  aws.ToString(ar.AccessToken),
		ExpiresIn:    ar.ExpiresIn,
		TokenType:    aws.ToString(ar.TokenType),
		RefreshToken: aws.ToString(ar.RefreshToken),
		IdToken:      aws.ToString(ar.IdToken),
	}
	if m := ar.NewDeviceMetadata; m != nil {
		out.NewDeviceMetadata = &newDeviceMetadataJSON{DeviceKey: aws.ToString(m.DeviceKey), DeviceGroupKey: aws.ToString(m.DeviceGroupKey)}
	}
	var err error
	if output == "text" {
		for _, t := range []string{out.AccessToken, out.IdToken, out.RefreshToken} {
			if t != "" {
				if _, err = fmt.Fprintln(stdout, sanitize(t)); err != nil {
					break
				}
			}
		}
	} else {
		b, _ := json.MarshalIndent(struct {
			AuthenticationResult authResultJSON
		}{out}, "", "    ")
		_, err = fmt.Fprintf(stdout, "%s\n", escapeJSONControls(b))
	}
	if err != nil {
		return &cliError{code: exitService, err: fmt.Errorf("writing the tokens: %w", err)}
	}
	return nil
}

// escapeJSONControls escapes, in the JSON b, what [sanitize] escapes and
// encoding/json does not (it escapes only the C0 controls, and U+2028 and
// U+2029): DEL, the C1 controls (U+0080 to U+009F), which a terminal
// obeys, and the bidirectional formatting characters. They can occur only
// inside strings, where \uXXXX is their JSON escape.
func escapeJSONControls(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= 0x7f && safetext.Unsafe(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+8), b[:i]...)
			}
			out = fmt.Appendf(out, `\u%04x`, r)
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}
