package e2e_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/logging"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// Distinctive secrets, easy to find in any output.
const (
	leakPool        = "us-east-1_Leaks"
	leakPassword    = "Pw-LEAK-7f3a9c1e-never-printed"
	leakNewPassword = "NewPw-LEAK-2b8d4e6f-never-printed"
	leakWrong       = "WrongPw-LEAK-4c2e8a0d-never-printed"
	leakSecret      = "ClientSecret-LEAK-9e1c5a7b3d-never-printed"
	leakTOTP        = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

func leakConfig() cognitotest.Config {
	user := func(name string) cognitotest.User {
		return cognitotest.User{Username: name, Password: leakPassword, Attributes: map[string]string{"email": name + "@example.com"}}
	}
	nora := user("nora")
	nora.Status = "FORCE_CHANGE_PASSWORD"
	tina := user("tina")
	tina.TOTPSecret = leakTOTP
	return cognitotest.Config{
		Region: region,
		UserPools: []cognitotest.UserPool{{
			ID:             leakPool,
			DeviceTracking: "always",
			Clients:        []cognitotest.AppClient{{ID: "leakpublic"}, {ID: "leaksecret", Secret: leakSecret}},
			Users:          []cognitotest.User{user("lena"), user("paul"), nora, tina, user("fred")},
		}},
	}
}

// capture collects everything a program could show: logs, the SDK's wire
// log (every request and response with its body), errors and results.
type capture struct {
	logs, wire syncBuffer
	mu         sync.Mutex
	printed    strings.Builder
}

// print records v as %v, %+v and %#v.
func (c *capture) print(what string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(&c.printed, "%s:\n%v\n%+v\n%#v\n", what, v, v, v)
}

// redirectLogs sends the default slog and log output to w until the test
// ends.
func redirectLogs(t *testing.T, w *syncBuffer) {
	prevSlog, prevOut, prevFlags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(slogTo(w)) // log's output now goes through slog
	t.Cleanup(func() {
		slog.SetDefault(prevSlog)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
	})
}

// forms returns s, its base64 and hex encodings, and the bytes of s as fmt
// prints a []byte with %v and %#v.
func forms(s string) []string {
	b := []byte(s)
	goSyntax := fmt.Sprintf("%#v", b)
	return []string{s, base64.StdEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b), hex.EncodeToString(b),
		strings.Trim(fmt.Sprint(b), "[]"), goSyntax[strings.Index(goSyntax, "{")+1 : len(goSyntax)-1]}
}

// findSecrets describes each occurrence of a form of a secret in text.
func findSecrets(text string, secrets map[string]string) []string {
	var found []string
	for name, s := range secrets {
		for _, f := range forms(s) {
			if i := strings.Index(text, f); i >= 0 {
				lo, hi := max(0, i-120), min(len(text), i+len(f)+40)
				found = append(found, fmt.Sprintf("the %s: ...%s...", name, text[lo:hi]))
			}
		}
	}
	return found
}

// checkAbsent fails if any form of any secret occurs in text.
func checkAbsent(t *testing.T, where, text string, secrets map[string]string) {
	t.Helper()
	if text == "" {
		t.Errorf("%s: nothing captured", where)
	}
	for _, f := range findSecrets(text, secrets) {
		t.Errorf("%s holds %s", where, f)
	}
}

// TestFindSecrets checks that the search finds encoded secrets.
func TestFindSecrets(t *testing.T) {
	secrets := map[string]string{"password": leakPassword}
	for _, text := range []string{
		"x" + leakPassword + "y",
		`{"p": "` + base64.StdEncoding.EncodeToString([]byte(leakPassword)) + `"}`,
		"0x" + hex.EncodeToString([]byte(leakPassword)),
		fmt.Sprintf("%#v", struct{ P []byte }{[]byte(leakPassword)}),
		fmt.Sprintf("%v", []byte(leakPassword)),
		fmt.Sprintf("%x", leakPassword),
	} {
		if len(findSecrets(text, secrets)) == 0 {
			t.Errorf("not found in %q", text)
		}
	}
	if f := findSecrets("Pw-LEAK-7f3a9c1e", secrets); len(f) != 0 {
		t.Errorf("found in a prefix: %q", f)
	}
}

// TestNoSecretLeaks runs every flow with distinctive secrets and checks that
// no password, new password or client secret appears in any log (the
// server's, the default slog and log output), any error (%v, %+v, %#v), any
// printed result or challenge, or the device store; that device passwords
// appear only in the store; and that on the wire (the SDK's log of every
// request and response with its body) only the new password appears, in
// the NEW_PASSWORD answer that Cognito's API requires.
func TestNoSecretLeaks(t *testing.T) {
	var c capture
	redirectLogs(t, &c.logs)
	srv := cognitotest.NewServer(leakConfig(), cognitotest.WithLogger(slogTo(&c.logs)))
	t.Cleanup(srv.Close)
	api := newAPI(t, srv, srv.URL, func(o *cip.Options) {
		o.Logger = logging.NewStandardLogger(&c.wire)
		o.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody | aws.LogRetries
	})
	storePath := filepath.Join(t.TempDir(), "devices.json")
	store := flows.NewFileStore(storePath)

	var wrongCodes bool
	handler := flows.ChallengeHandlerFunc(func(ctx context.Context, ch *flows.Challenge) (flows.Answer, error) {
		c.print("challenge "+string(ch.Name), ch)
		switch ch.Name {
		case types.ChallengeNameTypeNewPasswordRequired:
			return flows.Answer{Value: leakNewPassword}, nil
		case types.ChallengeNameTypeSoftwareTokenMfa:
			if wrongCodes {
				return flows.Answer{Value: "000000"}, nil
			}
			return flows.Answer{Value: cognitotest.TOTPCode(leakTOTP, time.Now())}, nil
		}
		return flows.Answer{}, fmt.Errorf("unexpected challenge %s", ch.Name)
	})
	public := newFlows(t, api, leakPool, "leakpublic", func(o *flows.Options) { o.Handler = handler })
	secret := newFlows(t, api, leakPool, "leaksecret", func(o *flows.Options) {
		o.ClientSecret = leakSecret
		o.DeviceStore = store
		o.Handler = handler
	})
	secretNoStore := newFlows(t, api, leakPool, "leaksecret", func(o *flows.Options) {
		o.ClientSecret = leakSecret
		o.Handler = handler
	})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	devicePasswords := map[string]string{}
	step := func(name string, wantErr bool, f func() (*flows.Result, error)) *flows.Result {
		t.Helper()
		res, err := f()
		c.print(name+" result", res)
		if res != nil {
			c.print(name+" tokens", res.AuthenticationResult)
			if d := res.Device; d != nil {
				c.print(name+" device", d)
				c.print(name+" device value", *d)
				devicePasswords[d.DeviceKey] = d.DevicePassword
			}
		}
		if err != nil {
			c.print(name+" error", err)
			c.print(name+" error text", err.Error())
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				c.print(name+" wrapped error", e)
			}
		}
		if (err != nil) != wantErr {
			t.Fatalf("%s: error %v", name, err)
		}
		return res
	}

	step("USER_SRP_AUTH, no secret", false, func() (*flows.Result, error) { return public.Login(ctx, "paul", leakPassword) })
	step("wrong password, no secret", true, func() (*flows.Result, error) { return public.Login(ctx, "paul", leakWrong) })
	step("USER_SRP_AUTH, secret, alias, new device", false, func() (*flows.Result, error) {
		return secret.Login(ctx, "lena@example.com", leakPassword)
	})
	res := step("DEVICE_SRP_AUTH", false, func() (*flows.Result, error) { return secret.Login(ctx, "lena@example.com", leakPassword) })
	if res.Device == nil || res.AuthenticationResult.NewDeviceMetadata != nil {
		t.Fatalf("second sign-in did not go through the remembered device")
	}
	step("wrong password with a device", true, func() (*flows.Result, error) { return secret.Login(ctx, "lena", leakWrong) })
	step("refresh", false, func() (*flows.Result, error) {
		return secret.Refresh(ctx, res.Username, aws.ToString(res.AuthenticationResult.RefreshToken))
	})
	step("NEW_PASSWORD_REQUIRED", false, func() (*flows.Result, error) { return secret.Login(ctx, "nora", leakPassword) })
	step("the new password", false, func() (*flows.Result, error) { return secret.Login(ctx, "nora", leakNewPassword) })
	step("the old password", true, func() (*flows.Result, error) { return public.Login(ctx, "nora", leakPassword) })
	step("TOTP", false, func() (*flows.Result, error) { return secretNoStore.Login(ctx, "tina", leakPassword) })
	wrongCodes = true
	step("wrong TOTP codes", true, func() (*flows.Result, error) { return secretNoStore.Login(ctx, "tina", leakPassword) })

	// A device that the server forgot behind the client's back.
	fred := step("fred's device", false, func() (*flows.Result, error) { return secret.Login(ctx, "fred", leakPassword) })
	if _, err := api.ForgetDevice(ctx, &cip.ForgetDeviceInput{AccessToken: fred.AuthenticationResult.AccessToken, DeviceKey: aws.String(fred.Device.DeviceKey)}); err != nil {
		t.Fatal(err)
	}
	again := step("forgotten device", false, func() (*flows.Result, error) { return secret.Login(ctx, "fred", leakPassword) })
	if again.Device == nil || again.Device.DeviceKey == fred.Device.DeviceKey {
		t.Fatalf("the forgotten device was not replaced: %v", again.Device)
	}
	// And one that the client forgets.
	step("ForgetDevice", false, func() (*flows.Result, error) {
		return nil, secret.ForgetDevice(ctx, aws.ToString(res.AuthenticationResult.AccessToken), res.Device)
	})
	step("after ForgetDevice", false, func() (*flows.Result, error) { return secret.Login(ctx, "lena@example.com", leakPassword) })

	stored, err := os.ReadFile(storePath)
	if err != nil {
		t.Fatal(err)
	}
	if len(devicePasswords) < 4 {
		t.Fatalf("only %d device passwords captured", len(devicePasswords))
	}
	inStore := 0
	for _, dp := range devicePasswords {
		if strings.Contains(string(stored), dp) {
			inStore++
		}
	}
	if inStore == 0 {
		t.Fatalf("no captured device password is in the store: the capture is broken")
	}

	secrets := map[string]string{"password": leakPassword, "new password": leakNewPassword, "wrong password": leakWrong, "client secret": leakSecret}
	withDevices := maps.Clone(secrets)
	for key, dp := range devicePasswords {
		withDevices["device password of "+key] = dp
	}
	checkAbsent(t, "the logs", c.logs.String(), withDevices)
	// NEW_PASSWORD_REQUIRED sends the new password itself (NEW_PASSWORD),
	// and GetTokensFromRefreshToken the client secret itself, as Cognito's
	// API wants: flows has the SDK log those requests without their body,
	// and every other request with it.
	checkAbsent(t, "the SDK's wire log", c.wire.String(), withDevices)
	for _, want := range []string{`"PASSWORD_CLAIM_SIGNATURE":"`, "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken", `"ChallengeName":"NEW_PASSWORD_REQUIRED"`} {
		if !strings.Contains(c.wire.String(), want) {
			t.Errorf("the wire log does not hold %s: the capture is broken", want)
		}
	}
	checkAbsent(t, "the printed errors and results", c.printed.String(), withDevices)
	checkAbsent(t, "the device store", string(stored), secrets)
	if testing.Verbose() {
		t.Logf("captured %d bytes of logs, %d of wire log, %d of printed values, %d of store; %d device passwords",
			len(c.logs.String()), len(c.wire.String()), c.printed.Len(), len(stored), len(devicePasswords))
	}
}
