package interop_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// steps is how many steps _js/interop.js runs; the test fails if it
// reports a different number, so a step cannot silently disappear.
const steps = 17

// referenceClientVersion is the version of amazon-cognito-identity-js that
// _js/package.json pins.
const referenceClientVersion = "6.3.21"

// TestReferenceClient runs AWS's reference client against cognitosrp serve.
func TestReferenceClient(t *testing.T) {
	if os.Getenv("COGNITOSRP_INTEROP") != "1" {
		t.Skip("set COGNITOSRP_INTEROP=1 to run AWS's reference client (amazon-cognito-identity-js, needs node and npm) against cognitosrp serve")
	}
	if runtime.GOOS == "windows" {
		t.Skip("stops the server with SIGTERM, which Windows lacks")
	}
	node := lookPath(t, "node")
	dir := t.TempDir()

	start := time.Now()
	bin := buildCLI(t, dir)
	t.Logf("built cognitosrp in %v", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	installReferenceClient(t)
	t.Logf("reference client ready in %v", time.Since(start).Round(time.Millisecond))

	cfg := newConfig(t)
	configFile := filepath.Join(dir, "interop.json")
	writeJSON(t, configFile, cfg)

	// The script reads a sign-up code from the outbox and verifies tokens
	// with aws-jwt-verify, which accepts only Cognito's issuer; on the plain
	// server, without those test-only flags, it finds neither.
	srv := startServer(t, bin, configFile, "--outbox", "--cognito-issuer")
	plain := startServer(t, bin, configFile)

	start = time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "interop.js", srv.url, configFile, plain.url)
	cmd.Dir = "_js"
	out, err := cmd.CombinedOutput()
	t.Logf("node interop.js %s (%v):\n%s", srv.url, time.Since(start).Round(time.Millisecond), out)
	if err != nil {
		t.Errorf("node interop.js: %v", err)
	}
	checkSummary(t, "interop.js", string(out), steps)

	logs := map[*server]string{}
	for _, s := range []*server{srv, plain} {
		code := s.stop(t)
		logs[s] = s.stderr.String()
		if code != 0 {
			t.Errorf("cognitosrp serve exited with status %d after SIGTERM, want 0", code)
		}
	}
	defer func() {
		if t.Failed() {
			t.Logf("cognitosrp serve's log:\n%s", logs[srv])
			t.Logf("the plain cognitosrp serve's log:\n%s", logs[plain])
		}
	}()

	checkServerLog(t, logs[srv])
	checkSignUpLog(t, logs[srv])
	if !strings.Contains(logs[plain], `op="GET /_cognitosrp/outbox" status=404`) {
		t.Errorf("the plain server's log has no outbox request answered 404")
	}
	if strings.Contains(logs[plain], "test-only") {
		t.Errorf("the plain server's log speaks of test-only powers")
	}
	// And logged no secret.
	for _, l := range logs {
		for _, secret := range cfg.secrets() {
			if strings.Contains(l, secret) {
				t.Errorf("a server's log contains a secret from the config (%.3s...)", secret)
			}
		}
		if jwt := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.eyJ`).FindString(l); jwt != "" {
			t.Errorf("a server's log contains a token (%.12s...)", jwt)
		}
	}
}

// checkServerLog checks, from the server's side, that the reference client
// went through the device story: one line per request, "op=NAME status=CODE".
// The log names operations but not challenges, so the device sign-in is
// recognised by its shape: InitiateAuth answered, then three challenge
// answers accepted in a row (PASSWORD_VERIFIER, DEVICE_SRP_AUTH,
// DEVICE_PASSWORD_VERIFIER), which no other sign-in of the script produces.
func checkServerLog(t *testing.T, logs string) {
	t.Helper()
	var ops []string
	for _, m := range regexp.MustCompile(`(?m)\bop=(\S+) status=(\d+)`).FindAllStringSubmatch(logs, -1) {
		ops = append(ops, m[1]+" "+m[2])
	}
	if len(ops) == 0 {
		t.Fatal("the server logged no request (want op=NAME status=CODE lines on standard error)")
	}
	for _, want := range []string{"ConfirmDevice 200", "UpdateDeviceStatus 200"} {
		if !slices.Contains(ops, want) {
			t.Errorf("the server's log has no %q", want)
		}
	}
	device := []string{"InitiateAuth 200", "RespondToAuthChallenge 200", "RespondToAuthChallenge 200", "RespondToAuthChallenge 200"}
	found := false
	for i := range ops {
		if i+len(device) <= len(ops) && slices.Equal(ops[i:i+len(device)], device) {
			found = true
		}
	}
	if !found {
		t.Errorf("the server's log shows no device sign-in (InitiateAuth, then three accepted RespondToAuthChallenge)")
	}
}

// checkSignUpLog checks, from the server's side, that the script's sign-up
// went through the outbox: SignUp, the outbox read over HTTP, a wrong code
// refused, then ConfirmSignUp accepted, in that order; and that no code was
// logged (serve runs without --log-codes).
func checkSignUpLog(t *testing.T, logs string) {
	t.Helper()
	var seq []string
	for _, m := range regexp.MustCompile(`(?m)\bop=("GET /_cognitosrp/outbox"|SignUp|ConfirmSignUp) status=(\d+)`).FindAllStringSubmatch(logs, -1) {
		seq = append(seq, strings.Trim(m[1], `"`)+" "+m[2])
	}
	want := []string{"SignUp 200", "GET /_cognitosrp/outbox 200", "ConfirmSignUp 400", "ConfirmSignUp 200"}
	if !slices.Equal(seq, want) {
		t.Errorf("the server's log shows %q, want %q", seq, want)
	}
	if strings.Contains(logs, "code=") {
		t.Errorf("the server's log holds a code without --log-codes")
	}
}

// checkSummary checks the report of the script named script: every step
// ok, and its closing line "N passed, 0 failed" with N = want.
func checkSummary(t *testing.T, script, out string, want int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	ok := 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "ok "):
			ok++
		case strings.HasPrefix(l, "not ok "):
			t.Errorf("%s: %s", script, l)
		}
	}
	last := lines[len(lines)-1]
	m := regexp.MustCompile(`^(\d+) passed, (\d+) failed$`).FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("%s's last line is %q, want \"N passed, 0 failed\"", script, last)
	}
	passed, _ := strconv.Atoi(m[1])
	if passed != ok || m[2] != "0" || passed != want {
		t.Errorf("%s: %q (%d ok lines), want \"%d passed, 0 failed\"", script, last, ok, want)
	}
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("COGNITOSRP_INTEROP=1 needs %s on the PATH: %v", name, err)
	}
	return p
}

// buildCLI builds ./cmd/cognitosrp into dir.
func buildCLI(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "cognitosrp")
	cmd := exec.Command(lookPath(t, "go"), "build", "-o", bin, "./cmd/cognitosrp")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/cognitosrp: %v\n%s", err, out)
	}
	return bin
}

// installReferenceClient runs npm install in _js unless the packages that
// _js/package.json pins (the reference client and aws-jwt-verify) are
// already there, each in its version.
func installReferenceClient(t *testing.T) {
	t.Helper()
	if checkInstalled() == nil {
		return
	}
	cmd := exec.Command(lookPath(t, "npm"), "install", "--no-audit", "--no-fund")
	cmd.Dir = "_js"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install in interop/_js: %v\n%s", err, out)
	}
	if err := checkInstalled(); err != nil {
		t.Fatalf("after npm install in interop/_js: %v", err)
	}
}

// checkInstalled checks that each dependency of _js/package.json is
// installed in the version pinned there, and that the reference client's is
// referenceClientVersion.
func checkInstalled() error {
	data, err := os.ReadFile(filepath.Join("_js", "package.json"))
	if err != nil {
		return err
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		return fmt.Errorf("_js/package.json: %w", err)
	}
	if v := pkg.Dependencies["amazon-cognito-identity-js"]; v != referenceClientVersion {
		return fmt.Errorf("_js/package.json pins amazon-cognito-identity-js %q, want %s", v, referenceClientVersion)
	}
	for name, want := range pkg.Dependencies {
		if v := installedVersion(name); v != want {
			return fmt.Errorf("%s %q is installed, want %s", name, v, want)
		}
	}
	return nil
}

// installedVersion returns the version of the package name installed in
// _js/node_modules, or "".
func installedVersion(name string) string {
	data, err := os.ReadFile(filepath.Join("_js", "node_modules", name, "package.json"))
	if err != nil {
		return ""
	}
	var pkg struct{ Version string }
	if json.Unmarshal(data, &pkg) != nil {
		return ""
	}
	return pkg.Version
}

// config is the serve config of DESIGN §4, as the test writes it.
type config struct {
	Region    string     `json:"region"`
	UserPools []userPool `json:"userPools"`
}

type userPool struct {
	ID                    string   `json:"id"`
	DeviceTracking        string   `json:"deviceTracking"`
	CustomChallengeAnswer string   `json:"customChallengeAnswer,omitempty"`
	Clients               []client `json:"clients"`
	Users                 []user   `json:"users"`
}

type client struct {
	ID     string `json:"id"`
	Secret string `json:"secret,omitempty"`
}

type user struct {
	Username   string            `json:"username"`
	Password   string            `json:"password"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Status     string            `json:"status,omitempty"`
	TOTPSecret string            `json:"totpSecret,omitempty"`
}

// secrets returns what the server must never log.
func (c *config) secrets() []string {
	var s []string
	for _, p := range c.UserPools {
		for _, cl := range p.Clients {
			if cl.Secret != "" {
				s = append(s, cl.Secret)
			}
		}
		for _, u := range p.Users {
			s = append(s, u.Password)
			if u.TOTPSecret != "" {
				s = append(s, u.TOTPSecret)
			}
		}
	}
	return s
}

// newConfig returns a fresh config, with random passwords and TOTP secret,
// for the users that interop.js picks by role.
func newConfig(t *testing.T) *config {
	t.Helper()
	password := func() string { return "Pw-" + rand.Text()[:16] + "-1a" }
	totp := base32.StdEncoding.EncodeToString(randomBytes(t, 20))
	return &config{
		Region: "us-east-1",
		UserPools: []userPool{{
			ID:                    "us-east-1_Interop01",
			DeviceTracking:        "opt-in",
			CustomChallengeAnswer: "the answer is " + rand.Text()[:8],
			Clients: []client{
				{ID: "interopwithsecret", Secret: rand.Text() + rand.Text()},
				{ID: "interoppublicclient"},
			},
			Users: []user{
				{Username: "alice", Password: password(), Attributes: map[string]string{
					"email": "alice@example.com", "email_verified": "true"}},
				{Username: "carol", Password: password(), Status: "FORCE_CHANGE_PASSWORD", Attributes: map[string]string{
					"email": "carol@example.com", "email_verified": "true"}},
				{Username: "dave", Password: password(), TOTPSecret: totp, Attributes: map[string]string{
					"email": "dave@example.com", "email_verified": "true"}},
			},
		}},
	}
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func writeJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// server is a running "cognitosrp serve".
type server struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan error
}

// startServer starts "cognitosrp serve" on a free loopback port, with the
// flags more, and reads its URL from the first line of its standard output.
func startServer(t *testing.T, bin, configFile string, more ...string) *server {
	t.Helper()
	s := &server{stderr: new(syncBuffer), done: make(chan error, 1)}
	s.cmd = exec.Command(bin, append([]string{"serve", "--config", configFile, "--addr", "127.0.0.1:0"}, more...)...)
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.done
		}
	})

	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		first <- line
		// Keep reading so that the server never blocks on a full pipe.
		io.Copy(io.Discard, r)
	}()
	select {
	case line := <-first:
		s.url = strings.TrimSpace(line)
	case <-time.After(30 * time.Second):
		t.Fatalf("cognitosrp serve printed no URL within 30s; its log:\n%s", s.stderr)
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(s.url) {
		t.Fatalf("cognitosrp serve's first line is %q, want http://127.0.0.1:PORT; its log:\n%s", s.url, s.stderr)
	}
	return s
}

// stop sends SIGTERM and returns the exit status.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-s.done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("waiting for cognitosrp serve: %v", err)
		}
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(20 * time.Second):
		t.Fatalf("cognitosrp serve did not stop within 20s of SIGTERM; its log:\n%s", s.stderr)
		return -1
	}
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
