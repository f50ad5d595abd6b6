package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

const demoUsage = `Usage:
    cognitosrp demo

Shows, step by step, what a Cognito SRP sign-in sends and receives, with no
setup and no AWS account: it starts the local Cognito-compatible server on
127.0.0.1 with a demo user pool and user, then

  1. signs in with USER_SRP_AUTH: SRP_A sent, PASSWORD_VERIFIER received
     (salt, SRP_B, secret block), the password claim sent, tokens received;
  2. decodes the ID token's claims;
  3. confirms and remembers the device (ConfirmDevice, UpdateDeviceStatus);
  4. signs in again, this time proving the device too (DEVICE_SRP_AUTH,
     DEVICE_PASSWORD_VERIFIER);
  5. refreshes the tokens (GetTokensFromRefreshToken).

Long values are shortened. The password is never sent, not even to the local
server; only public SRP values are, and those are what is shown.

Example:
    $ cognitosrp demo
    cognitosrp demo: a local user pool at http://127.0.0.1:40123
    ...
    1. Sign in with USER_SRP_AUTH
       -> InitiateAuth             AuthFlow=USER_SRP_AUTH USERNAME=alice SRP_A=b3c0e1f2…(768 chars)
       <- PASSWORD_VERIFIER        USER_ID_FOR_SRP=alice SALT=… SRP_B=… SECRET_BLOCK=…
    ...
`

// Demo user pool. The password is random for each run.
const (
	demoPoolID   = "us-east-1_Demo"
	demoClientID = "cognitosrpdemo"
	demoUser     = "alice"
	demoEmail    = "alice@example.com"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo")
	if err := parseFlags(fs, "demo", demoUsage, args, stdout); err != nil {
		return err
	}
	out := &demoPrinter{w: stdout}
	password := rand.Text()

	em, err := cognitotest.NewHandler(cognitotest.Config{
		Region: "us-east-1",
		UserPools: []cognitotest.UserPool{{
			ID:             demoPoolID,
			DeviceTracking: "opt-in",
			Clients:        []cognitotest.AppClient{{ID: demoClientID}},
			Users: []cognitotest.User{{
				Username:   demoUser,
				Password:   password,
				Attributes: map[string]string{"email": demoEmail, "email_verified": "true", "name": "Alice Example"},
			}},
		}},
	})
	if err != nil {
		return fmt.Errorf("starting the local server: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return &cliError{code: exitService, err: fmt.Errorf("starting the local server: %w", err)}
	}
	srv := newHTTPServer(em, slog.NewLogLogger(slog.DiscardHandler, slog.LevelError), defaultTimeouts)
	go srv.Serve(ln)
	defer srv.Close()
	endpoint := "http://" + ln.Addr().String()

	// Not LoadDefaultConfig: the demo talks to its own server whatever
	// AWS_ENDPOINT_URL or the profile say.
	api := cip.New(cip.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       "us-east-1",
		Credentials:  aws.AnonymousCredentials{},
	})
	store := flows.NewMemoryStore()
	c, err := flows.New(&tracingAPI{api: api, out: out}, demoPoolID, demoClientID, func(o *flows.Options) {
		o.DeviceStore = store
		o.RememberDevices = flows.RememberAlways
		o.DeviceName = "cognitosrp demo"
	})
	if err != nil {
		return err
	}

	out.printf("cognitosrp demo: a local user pool at %s\n", endpoint)
	out.printf("  user pool %s, app client %s (no secret), device tracking opt-in\n", demoPoolID, demoClientID)
	out.printf("  user %s <%s>, with a random password that never leaves this process\n", demoUser, demoEmail)
	out.printf("  (-> is what the client sends, <- what the server answers)\n")

	out.section("1. Sign in with USER_SRP_AUTH")
	out.note("The client picks a secret a and sends A = g^a mod N. The server answers with its B, the")
	out.note("user's salt and a secret block; the client proves it knows the password with an HMAC")
	out.note("over them, keyed by the shared SRP secret. Cognito then announces a new device, which the")
	out.note("client confirms with a verifier of a random device password, and marks remembered.")
	res, err := c.Login(ctx, demoUser, password)
	if err != nil {
		return demoError(err)
	}
	if res.Device == nil {
		return errors.New("demo: the sign-in remembered no device")
	}

	out.section("2. The ID token's claims (decoded, not verified)")
	if err := out.claims(aws.ToString(res.AuthenticationResult.IdToken)); err != nil {
		return err
	}

	out.section("3. The remembered device")
	out.printf("   DeviceKey       %s\n", res.Device.DeviceKey)
	out.printf("   DeviceGroupKey  %s\n", res.Device.DeviceGroupKey)
	out.printf("   device password %d characters, kept by the client (here in memory, on disk with\n", len(res.Device.DevicePassword))
	out.printf("                   cognitosrp login --device-store FILE); the server only has its verifier\n")

	out.section("4. Sign in again, with the remembered device (DEVICE_SRP_AUTH)")
	out.note("The client sends its DEVICE_KEY; after the password claim, the server asks the device to")
	out.note("prove itself with a second SRP exchange keyed by the device password. Cognito can skip MFA")
	out.note("for a remembered device.")
	res2, err := c.Login(ctx, demoUser, password)
	if err != nil {
		return demoError(err)
	}
	access, err := decodeClaims(aws.ToString(res2.AuthenticationResult.AccessToken))
	if err != nil {
		return err
	}
	out.printf("   the new access token's device_key claim: %v\n", access["device_key"])

	out.section("5. Refresh the tokens (GetTokensFromRefreshToken)")
	out.note("The refresh token, with the device's key, buys new access and ID tokens; no password.")
	res3, err := c.Refresh(ctx, res2.Username, aws.ToString(res2.AuthenticationResult.RefreshToken))
	if err != nil {
		return demoError(err)
	}
	refreshed, err := decodeClaims(aws.ToString(res3.AuthenticationResult.IdToken))
	if err != nil {
		return err
	}
	out.printf("   new ID token for %v, expires %s\n", refreshed["cognito:username"], claimTime(refreshed["exp"]))

	out.printf("\nDone. Try the same against Cognito with cognitosrp login, or against your own local\n")
	out.printf("user pools with cognitosrp serve --config FILE (see cognitosrp --help).\n")
	return nil
}

func demoError(err error) error {
	return &cliError{code: exitService, err: fmt.Errorf("demo: %w", err),
		hints: []string{"this is a bug: please report it with the output above"}}
}

// demoPrinter prints the demo.
type demoPrinter struct {
	w io.Writer
}

// printf prints, sanitizing each line: the demo shows what a server sent.
func (p *demoPrinter) printf(format string, args ...any) {
	lines := strings.Split(fmt.Sprintf(format, args...), "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	io.WriteString(p.w, strings.Join(lines, "\n"))
}

func (p *demoPrinter) section(title string) { p.printf("\n%s\n", title) }
func (p *demoPrinter) note(s string)        { p.printf("   %s\n", s) }

// call prints one request or answer: an arrow, a name and fields.
func (p *demoPrinter) call(arrow, name string, fields ...string) {
	line := fmt.Sprintf("   %s %-24s", arrow, name)
	for _, f := range fields {
		if f == "" {
			continue
		}
		f = sanitize(f) // newlines from a server included
		if len(line)+1+len(f) > 110 {
			p.printf("%s\n", strings.TrimRight(line, " "))
			line = strings.Repeat(" ", 30)
		}
		line += " " + f
	}
	p.printf("%s\n", strings.TrimRight(line, " "))
}

// claims prints the claims of a JWT, sorted, with times made readable.
func (p *demoPrinter) claims(jwt string) error {
	claims, err := decodeClaims(jwt)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(claims))
	for k := range claims {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := fmt.Sprint(claims[k])
		switch k {
		case "exp", "iat", "auth_time":
			v = claimTime(claims[k])
		}
		p.printf("   %-17s %s\n", k, v)
	}
	return nil
}

func claimTime(v any) string {
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	return time.Unix(int64(f), 0).UTC().Format(time.RFC3339)
}

// decodeClaims decodes the payload of a JWT without verifying it.
func decodeClaims(jwt string) (map[string]any, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, errors.New("demo: the token is not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("demo: decoding the token: %w", err)
	}
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		return nil, fmt.Errorf("demo: decoding the token: %w", err)
	}
	return claims, nil
}

// short shortens a long value for display, saying how long it was.
func short(v string) string {
	if len(v) <= 48 {
		return v
	}
	return fmt.Sprintf("%s…(%d chars)", v[:12], len(v))
}

// paramOrder is the order in which the demo prints parameters; others
// follow in alphabetical order.
var paramOrder = []string{
	"USERNAME", "USER_ID_FOR_SRP", "DEVICE_KEY", "SRP_A", "SALT", "SRP_B", "SECRET_BLOCK",
	"PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE", "REFRESH_TOKEN",
}

// params formats a parameter map as KEY=value fields.
func params(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(paramOrder, a), slices.Index(paramOrder, b)
		if ia < 0 {
			ia = len(paramOrder)
		}
		if ib < 0 {
			ib = len(paramOrder)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	fields := make([]string, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		switch {
		case strings.Contains(k, "PASSWORD") && !strings.HasPrefix(k, "PASSWORD_CLAIM"):
			v = "(hidden)"
		case k == "TIMESTAMP":
			v = fmt.Sprintf("%q", v)
		default:
			v = short(v)
		}
		fields = append(fields, k+"="+v)
	}
	return fields
}

// tracingAPI is a flows.API that prints what goes over the wire.
type tracingAPI struct {
	api *cip.Client
	out *demoPrinter
}

var _ flows.API = (*tracingAPI)(nil)

func (t *tracingAPI) result(ar *types.AuthenticationResultType) []string {
	if ar == nil {
		return nil
	}
	var f []string
	for _, tok := range []struct{ name, v string }{
		{"AccessToken", aws.ToString(ar.AccessToken)},
		{"IdToken", aws.ToString(ar.IdToken)},
		{"RefreshToken", aws.ToString(ar.RefreshToken)},
	} {
		if tok.v != "" {
			f = append(f, tok.name+"="+short(tok.v))
		}
	}
	if ar.ExpiresIn != 0 {
		f = append(f, fmt.Sprintf("ExpiresIn=%d", ar.ExpiresIn))
	}
	if m := ar.NewDeviceMetadata; m != nil {
		f = append(f, "NewDeviceMetadata.DeviceKey="+aws.ToString(m.DeviceKey),
			"NewDeviceMetadata.DeviceGroupKey="+aws.ToString(m.DeviceGroupKey))
	}
	return f
}

func (t *tracingAPI) fail(err error) {
	t.out.call("<-", "error", oneLineError(err))
}

func oneLineError(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func (t *tracingAPI) InitiateAuth(ctx context.Context, in *cip.InitiateAuthInput, optFns ...func(*cip.Options)) (*cip.InitiateAuthOutput, error) {
	t.out.call("->", "InitiateAuth", append([]string{"AuthFlow=" + string(in.AuthFlow)}, params(in.AuthParameters)...)...)
	out, err := t.api.InitiateAuth(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
		return nil, err
	}
	if out.ChallengeName != "" {
		t.out.call("<-", string(out.ChallengeName), params(out.ChallengeParameters)...)
	} else {
		t.out.call("<-", "AuthenticationResult", t.result(out.AuthenticationResult)...)
	}
	return out, nil
}

func (t *tracingAPI) RespondToAuthChallenge(ctx context.Context, in *cip.RespondToAuthChallengeInput, optFns ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error) {
	t.out.call("->", "RespondToAuthChallenge", append([]string{string(in.ChallengeName)}, params(in.ChallengeResponses)...)...)
	out, err := t.api.RespondToAuthChallenge(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
		return nil, err
	}
	if out.ChallengeName != "" {
		t.out.call("<-", string(out.ChallengeName), params(out.ChallengeParameters)...)
	} else {
		t.out.call("<-", "AuthenticationResult", t.result(out.AuthenticationResult)...)
	}
	return out, nil
}

func (t *tracingAPI) ConfirmDevice(ctx context.Context, in *cip.ConfirmDeviceInput, optFns ...func(*cip.Options)) (*cip.ConfirmDeviceOutput, error) {
	f := []string{"DeviceKey=" + aws.ToString(in.DeviceKey)}
	if v := in.DeviceSecretVerifierConfig; v != nil {
		// The verifier, like a password hash, is not shown.
		f = append(f, "Salt="+short(aws.ToString(v.Salt)),
			fmt.Sprintf("PasswordVerifier=(hidden, %d chars)", len(aws.ToString(v.PasswordVerifier))))
	}
	t.out.call("->", "ConfirmDevice", f...)
	out, err := t.api.ConfirmDevice(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
		return nil, err
	}
	t.out.call("<-", "ConfirmDevice", fmt.Sprintf("UserConfirmationNecessary=%v", out.UserConfirmationNecessary))
	return out, nil
}

func (t *tracingAPI) UpdateDeviceStatus(ctx context.Context, in *cip.UpdateDeviceStatusInput, optFns ...func(*cip.Options)) (*cip.UpdateDeviceStatusOutput, error) {
	t.out.call("->", "UpdateDeviceStatus", "DeviceKey="+aws.ToString(in.DeviceKey), "DeviceRememberedStatus="+string(in.DeviceRememberedStatus))
	out, err := t.api.UpdateDeviceStatus(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
		return nil, err
	}
	t.out.call("<-", "UpdateDeviceStatus", "ok")
	return out, nil
}

func (t *tracingAPI) GetTokensFromRefreshToken(ctx context.Context, in *cip.GetTokensFromRefreshTokenInput, optFns ...func(*cip.Options)) (*cip.GetTokensFromRefreshTokenOutput, error) {
	fields := []string{"RefreshToken=" + short(aws.ToString(in.RefreshToken))}
	if in.DeviceKey != nil {
		fields = append(fields, "DeviceKey="+aws.ToString(in.DeviceKey))
	}
	t.out.call("->", "GetTokensFromRefreshToken", fields...)
	out, err := t.api.GetTokensFromRefreshToken(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
		return nil, err
	}
	t.out.call("<-", "AuthenticationResult", t.result(out.AuthenticationResult)...)
	return out, nil
}

func (t *tracingAPI) ForgetDevice(ctx context.Context, in *cip.ForgetDeviceInput, optFns ...func(*cip.Options)) (*cip.ForgetDeviceOutput, error) {
	t.out.call("->", "ForgetDevice", "DeviceKey="+aws.ToString(in.DeviceKey))
	out, err := t.api.ForgetDevice(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
	}
	return out, err
}

func (t *tracingAPI) AssociateSoftwareToken(ctx context.Context, in *cip.AssociateSoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.AssociateSoftwareTokenOutput, error) {
	t.out.call("->", "AssociateSoftwareToken")
	out, err := t.api.AssociateSoftwareToken(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
	}
	return out, err
}

func (t *tracingAPI) VerifySoftwareToken(ctx context.Context, in *cip.VerifySoftwareTokenInput, optFns ...func(*cip.Options)) (*cip.VerifySoftwareTokenOutput, error) {
	t.out.call("->", "VerifySoftwareToken")
	out, err := t.api.VerifySoftwareToken(ctx, in, optFns...)
	if err != nil {
		t.fail(err)
	}
	return out, err
}
