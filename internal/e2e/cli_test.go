//go:build unix

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

// TestCLINoSecretLeaks builds the cognitosrp command and signs in with
// `cognitosrp login --password-stdin` against a local server: a wrong
// password, then the right one (which remembers a device), then again
// (through the device). Standard error never holds a password, the client
// secret or the device password; standard output holds the tokens and none
// of those either.
func TestCLINoSecretLeaks(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build cognitosrp with")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "cognitosrp")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goCmd, "build", "-o", bin, "github.com/cognitosrp/cognitosrp/cmd/cognitosrp")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	var logs syncBuffer
	srv := cognitotest.NewServer(leakConfig(), cognitotest.WithLogger(slogTo(&logs)))
	t.Cleanup(srv.Close)
	home := t.TempDir()
	storePath := filepath.Join(home, "devices.json")

	type run struct {
		code           int
		stdout, stderr string
	}
	login := func(password string) run {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, "login", "--endpoint-url", srv.URL, "--user-pool-id", leakPool,
			"--client-id", "leaksecret", "--client-secret-env", "EVIDENCE_CLIENT_SECRET",
			"--username", "lena@example.com", "--password-stdin", "--device-store", storePath)
		cmd.Stdin = strings.NewReader(password + "\n")
		// No controlling terminal: every prompt would go to standard error.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
			"EVIDENCE_CLIENT_SECRET="+leakSecret, "AWS_CONFIG_FILE="+filepath.Join(home, "none"),
			"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "none"))
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return run{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
	}

	wrong := login(leakWrong)
	if wrong.code != 1 || wrong.stdout != "" || !strings.Contains(wrong.stderr, "NotAuthorizedException") {
		t.Errorf("wrong password: exit %d, stdout %s, stderr %s", wrong.code, quote(wrong.stdout), quote(wrong.stderr))
	}
	first := login(leakPassword)
	second := login(leakPassword)
	for i, r := range []run{first, second} {
		var out struct {
			AuthenticationResult struct {
				AccessToken       string
				NewDeviceMetadata *struct{ DeviceKey string }
			}
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || out.AuthenticationResult.AccessToken == "" {
			t.Fatalf("sign-in %d: exit %d, stdout %s, stderr %s", i+1, r.code, quote(r.stdout), quote(r.stderr))
		}
		if (out.AuthenticationResult.NewDeviceMetadata != nil) != (i == 0) {
			t.Errorf("sign-in %d: NewDeviceMetadata %v", i+1, out.AuthenticationResult.NewDeviceMetadata)
		}
	}

	d, err := flows.NewFileStore(storePath).Get(ctx, leakPool, "lena")
	if err != nil || d == nil || d.DevicePassword == "" {
		t.Fatalf("the device store holds no device: %v, %v", d, err)
	}
	secrets := map[string]string{"password": leakPassword, "wrong password": leakWrong, "client secret": leakSecret, "device password": d.DevicePassword}
	for i, r := range []run{wrong, first, second} {
		for _, f := range findSecrets(r.stderr, secrets) {
			t.Errorf("run %d: standard error holds %s", i+1, f)
		}
		for _, f := range findSecrets(r.stdout, secrets) {
			t.Errorf("run %d: standard output holds %s", i+1, f)
		}
	}
	checkAbsent(t, "the server's log", logs.String(), secrets)
	t.Logf("wrong password: exit %d, stderr %s", wrong.code, quote(wrong.stderr))
}
