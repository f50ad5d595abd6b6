package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestMain(m *testing.M) {
	// Never prompt the developer running the tests on their terminal, and
	// keep their AWS configuration and config directory out of the tests.
	testOnlyNoDevTTY = true
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ACCESS_KEY_ID",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"} {
		os.Unsetenv(k)
	}
	os.Setenv("AWS_CONFIG_FILE", os.DevNull)
	os.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	dir, err := os.MkdirTemp("", "cognitosrp-test-config-")
	if err != nil {
		panic(err)
	}
	testOnlyConfigDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	cleanupBinary()
	os.Exit(code)
}

// result is what one run of the command did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// runCLI runs the command in-process with stdin (nil for none) and args.
func runCLI(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	return runCLIContext(t, t.Context(), stdin, args...)
}

func runCLIContext(t *testing.T, ctx context.Context, stdin io.Reader, args ...string) result {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var stdout, stderr syncBuffer
	code := run(ctx, args, stdin, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"help"},
		{"login", "--help"}, {"token", "--help"}, {"serve", "--help"}, {"demo", "--help"},
		{"help", "token"},
		{"help", "login"}, {"login", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runCLI(t, nil, args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%v", r)
			}
			// Every help text ends with a worked example.
			_, example, ok := strings.Cut(r.stdout, "\nExample:\n")
			if !ok || !strings.HasPrefix(strings.TrimSpace(example), "$ cognitosrp ") {
				t.Errorf("help does not end with a worked example:\n%s", r.stdout)
			}
			if strings.Contains(example, "\n\n") && strings.TrimSpace(example[strings.LastIndex(example, "\n\n"):]) != "" {
				t.Errorf("something follows the example:\n%s", example)
			}
		})
	}
}

func TestHelpDocumentsEveryOption(t *testing.T) {
	var s1, s2 string
	for help, fs := range map[string]*flag.FlagSet{
		loginUsage: loginFlagSet(new(loginFlags)),
		tokenUsage: tokenFlagSet(new(loginFlags)),
		serveUsage: serveFlagSet(&s1, &s2),
	} {
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(help, "\n    --"+f.Name+" ") {
				t.Errorf("%s: --%s is not in the Options of its help", fs.Name(), f.Name)
			}
		})
	}
	for _, want := range []string{"Exit status", "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", "AWS_ENDPOINT_URL"} {
		if !strings.Contains(loginUsage, want) {
			t.Errorf("login --help lacks %s", want)
		}
	}
	for _, code := range []string{"0", "1", "2", "3"} {
		if !strings.Contains(usage, "\n    "+code+" ") || !strings.Contains(loginUsage, "\n    "+code+" ") || !strings.Contains(tokenUsage, "\n    "+code+" ") {
			t.Errorf("exit status %s is not documented", code)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command (not shown, in case it is a secret): want login, token, serve or demo`},
		{[]string{"serve"}, "--config FILE is required"},
		{[]string{"serve", "--config", "x.json", "extra"}, `argument 3 is not an option: cognitosrp serve takes no other arguments`},
		{[]string{"serve", "--bogus"}, "argument 1 is not an option of cognitosrp serve"},
		{[]string{"serve", "--confg", "x.json"}, "hint: did you mean --config?"},
		{[]string{"serve", "--config"}, "--config needs a value"},
		{[]string{"serve", "---config", "x.json"}, "argument 1 is not an option: bad syntax"},
		{[]string{"login", "--password-stdin=yes"}, "--password-stdin takes true or false"},
		{[]string{"demo", "now"}, `argument 1 is not an option: cognitosrp demo takes no other arguments`},
		{[]string{"login", "--client-id", "c", "--username", "u"}, "--user-pool-id is required"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--username", "u"}, "--client-id is required"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c"}, "--username is required"},
		{[]string{"login", "--user-pool-id", "nounderscore", "--client-id", "c", "--username", "u"}, "not a user pool id"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--output", "yaml"}, `--output: want json or text`},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--endpoint-url", "127.0.0.1:9"}, "not an http or https URL"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--refresh", "--password-stdin"}, "--refresh reads a refresh token"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--device-store="}, "--device-store needs a file name"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--password", "hunter2"}, "secrets are never taken from the command line"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--client-secret=s3cr3t"}, "--client-secret-env NAME"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u"}, "no terminal to read the password from: use --password-stdin"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--password-stdin"}, "no password on standard input"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--refresh"}, "no refresh token on standard input"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--client-secret-env", "COGNITOSRP_TEST_UNSET_VARIABLE"}, "the environment variable it names is empty or not set"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c-d", "--username", "u"}, "--client-id is not an app client id"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--region", "mars"}, "--region is not a region like us-east-1"},
		{[]string{"login", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--legacy-refresh"}, "--legacy-refresh needs --refresh"},
		{[]string{"token", "--client-id", "c", "--username", "u", "--token-store", "t.json"}, "--user-pool-id is required"},
		{[]string{"token", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u"}, "--token-store is required"},
		{[]string{"token", "--user-pool-id", "us-east-1_X", "--client-id", "c-d", "--username", "u", "--token-store", "t.json"}, "--client-id is not an app client id"},
		{[]string{"token", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--token-store", "t.json", "--password-stdin"}, "argument 9 is not an option of cognitosrp token"},
		{[]string{"token", "--user-pool-id", "us-east-1_X", "--client-id", "c", "--username", "u", "--token-store", "t.json", "--client-secret-env", "COGNITOSRP_TEST_UNSET_VARIABLE"}, "the environment variable it names is empty or not set"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, tc.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if tc.args != nil && !strings.HasPrefix(r.stderr, "cognitosrp: error: ") {
				t.Errorf("stderr does not start with \"cognitosrp: error: \":\n%s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			if strings.Contains(r.stderr, "hunter2") || strings.Contains(r.stderr, "s3cr3t") {
				t.Errorf("a secret from the command line is echoed:\n%s", r.stderr)
			}
		})
	}
}

func TestPrintErrorMultiLine(t *testing.T) {
	var b bytes.Buffer
	code := printError(&b, &cliError{code: 2, err: fmt.Errorf("f.json: %w", fmt.Errorf("a: empty\nb: bad")), hints: []string{"h"}})
	want := "cognitosrp: error: f.json: a: empty\ncognitosrp: error:   b: bad\ncognitosrp: hint: h\n"
	if code != 2 || b.String() != want {
		t.Errorf("printError = %d, %q; want 2, %q", code, b.String(), want)
	}
}

// decodeJSON decodes the JSON output of login.
func decodeJSON(t *testing.T, s string) authResultJSON {
	t.Helper()
	var out struct {
		AuthenticationResult *authResultJSON
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decoding the output: %v\n%s", err, s)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("no AuthenticationResult in\n%s", s)
	}
	return *out.AuthenticationResult
}

func TestHideArg(t *testing.T) {
	for _, tc := range []struct{ msg, v, want string }{
		{"open /d/hunter2-secret: no such file", "/d/hunter2-secret", "open (--f): no such file"},
		{"rename /d/.hunter2-secret.tmp-1 /d/hunter2-secret: denied", "/d/hunter2-secret", "rename /d/.(--f).tmp-1 (--f): denied"},
		{"open x: bad", "x", "open x: bad"}, // too short to be a secret, and to hide
	} {
		if got := hideArg(tc.msg, tc.v, "f"); got != tc.want {
			t.Errorf("hideArg(%q, %q) = %q, want %q", tc.msg, tc.v, got, tc.want)
		}
	}
}
