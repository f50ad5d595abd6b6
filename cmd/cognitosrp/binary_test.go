//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binaryOnce sync.Once
	binaryDir  string
	binaryPath string
	binaryErr  error
)

// binary builds the command once for the tests that run it as a process.
func binary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		binaryDir, binaryErr = os.MkdirTemp("", "cognitosrp-test-bin-")
		if binaryErr != nil {
			return
		}
		binaryPath = filepath.Join(binaryDir, "cognitosrp")
		out, err := exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput()
		if err != nil {
			binaryErr = errors.New("go build: " + err.Error() + "\n" + string(out))
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

func cleanupBinary() {
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
}

// command returns the built command with args, in a new session without a
// controlling terminal, and with a config directory of its own.
func command(t *testing.T, stdin string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	return cmd
}

func runBinary(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := command(t, stdin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return result{cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()}
}

// TestBinaryLoginTwice signs in twice with the built command and a device
// store: the first time remembers the device, the second goes through
// DEVICE_SRP_AUTH.
func TestBinaryLoginTwice(t *testing.T) {
	srv := newServer(t)
	store := filepath.Join(t.TempDir(), "devices.json")
	args := []string{"login", "--endpoint-url", srv.URL, "--user-pool-id", testPool, "--client-id", "public",
		"--username", "alice@example.com", "--password-stdin", "--device-store", store}

	r := runBinary(t, alicePassword+"\n", args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("first login: %v", r)
	}
	first := decodeJSON(t, r.stdout)
	if first.NewDeviceMetadata == nil {
		t.Fatalf("no new device:\n%s", r.stdout)
	}
	r = runBinary(t, alicePassword+"\n", args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("second login: %v", r)
	}
	second := decodeJSON(t, r.stdout)
	if second.NewDeviceMetadata != nil {
		t.Errorf("the second login got another device")
	}
	if k := claims(t, second.AccessToken)["device_key"]; k != first.NewDeviceMetadata.DeviceKey {
		t.Errorf("second login: device_key %v, want %s (DEVICE_SRP_AUTH)", k, first.NewDeviceMetadata.DeviceKey)
	}
	if n := srv.DeviceCount(testPool, "alice"); n != 1 {
		t.Errorf("%d devices, want 1", n)
	}
}

// TestBinaryNoTerminal runs login without a controlling terminal: the
// password and the MFA code cannot be asked for.
func TestBinaryNoTerminal(t *testing.T) {
	srv := newServer(t)
	r := runBinary(t, "", "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool, "--client-id", "public", "--username", "alice")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no terminal to read the password from: use --password-stdin") {
		t.Errorf("password: %v", r)
	}
	r = runBinary(t, "Tina-Pass-1\n", "login", "--endpoint-url", srv.URL, "--user-pool-id", testPool, "--client-id", "public", "--username", "tina", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no terminal to ask for the code from the user's authenticator app (SOFTWARE_TOKEN_MFA), which Cognito asks for") {
		t.Errorf("MFA code: %v", r)
	}
}

// TestBinaryServeSignals checks that serve stops cleanly, with exit status
// 0, on SIGINT and on SIGTERM, also with stalled clients connected (issue
// 10, item 4: one made SIGTERM take 10 s and exit 3).
func TestBinaryServeSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := command(t, "", "serve", "--config", examplesConfig, "--addr", "127.0.0.1:0")
			var stderr syncBuffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			first := make(chan string, 1)
			go func() {
				r := bufio.NewReader(stdout)
				line, _ := r.ReadString('\n')
				first <- line
				io.Copy(io.Discard, r)
				done <- cmd.Wait()
			}()
			// The URL is printed once serve is ready, signals included.
			select {
			case line := <-first:
				if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+\n$`).MatchString(line) {
					cmd.Process.Kill()
					t.Fatalf("first line %q", line)
				}
				stalledClients(t, strings.TrimSpace(line))
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("serve printed no URL:\n%s", stderr.String())
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve after %v: %v\n%s", sig, err, stderr.String())
				}
			case <-time.After(defaultTimeouts.grace - time.Second):
				cmd.Process.Kill()
				t.Fatalf("serve did not stop on %v", sig)
			}
			if !strings.Contains(stderr.String(), "msg=stopped") {
				t.Errorf("stderr:\n%s", stderr.String())
			}
		})
	}
}
