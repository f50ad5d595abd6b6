package interop_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// amplifySteps is how many steps _amplify/amplify.js runs; the test fails
// if it reports a different number, so a step cannot silently disappear.
const amplifySteps = 9

// amplifyVersion is the version of aws-amplify that _amplify/package.json
// pins.
const amplifyVersion = "6.22.1"

// The app clients of the Amplify test's config.
const (
	amplifyRotating = "amplifyrotating" // opt-in pool, refresh-token rotation ENABLED
	amplifyFixed    = "amplifyfixed"    // opt-in pool, rotation DISABLED
	amplifyAlways   = "amplifyalways"   // pool that always remembers devices
)

// TestAmplify runs AWS Amplify JS v6 against cognitosrp serve: USER_SRP_AUTH,
// ConfirmDevice, rememberDevice, DEVICE_SRP_AUTH, fetchAuthSession({
// forceRefresh: true}) (GetTokensFromRefreshToken) with refresh-token
// rotation on and off, and signOut. The script's requests go through a
// recording proxy, so that the test checks from the server's side what was
// answered, independently of the script's own checks.
func TestAmplify(t *testing.T) {
	if os.Getenv("COGNITOSRP_INTEROP") != "1" {
		t.Skip("set COGNITOSRP_INTEROP=1 to run AWS Amplify JS v6 (aws-amplify, needs node and npm) against cognitosrp serve")
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
	installAmplify(t)
	t.Logf("aws-amplify ready in %v", time.Since(start).Round(time.Millisecond))

	cfg := newAmplifyConfig()
	configFile := filepath.Join(dir, "amplify.json")
	writeJSON(t, configFile, cfg)

	srv := startServer(t, bin, configFile)
	rec := startRecorder(t, srv.url)

	start = time.Now()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, "amplify.js", rec.url, configFile)
	cmd.Dir = "_amplify"
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	t.Logf("node amplify.js (%v):\n%s", time.Since(start).Round(time.Millisecond), stdout.String())
	if stderr.Len() > 0 {
		t.Logf("its standard error:\n%s", stderr.String())
	}
	if err != nil {
		t.Errorf("node amplify.js: %v", err)
	}
	checkSummary(t, "amplify.js", stdout.String(), amplifySteps)

	code := srv.stop(t)
	logs := srv.stderr.String()
	defer func() {
		if t.Failed() {
			t.Logf("cognitosrp serve's log:\n%s", logs)
			t.Logf("the requests, as the proxy saw them:\n%s", rec)
		}
	}()
	if code != 0 {
		t.Errorf("cognitosrp serve exited with status %d after SIGTERM, want 0", code)
	}

	checkAmplifyWire(t, rec.exchanges())
	checkServerLog(t, logs)
	for _, want := range []string{"GetTokensFromRefreshToken 200", "RevokeToken 200"} {
		if !strings.Contains(logs, "op="+strings.Replace(want, " ", " status=", 1)) {
			t.Errorf("the server's log has no %q", want)
		}
	}
	for _, secret := range cfg.secrets() {
		if strings.Contains(logs, secret) {
			t.Errorf("the server's log contains a secret from the config (%.3s...)", secret)
		}
	}
	if jwt := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.eyJ`).FindString(logs); jwt != "" {
		t.Errorf("the server's log contains a token (%.12s...)", jwt)
	}
}

// checkAmplifyWire checks, from what the server answered Amplify, that each
// flow really happened: a device sign-in (DEVICE_SRP_AUTH then
// DEVICE_PASSWORD_VERIFIER answered with tokens) on each pool, two
// GetTokensFromRefreshToken on the rotating client that each returned a new
// refresh token, the second presenting the first's, and two on the other
// client that returned tokens but no refresh token.
func checkAmplifyWire(t *testing.T, ex []exchange) {
	t.Helper()
	var amplify []exchange
	for _, e := range ex {
		if e.Status >= 500 {
			t.Errorf("%s was answered with HTTP %d", e.Op, e.Status)
		}
		if e.Amplify {
			amplify = append(amplify, e)
		}
	}
	if len(amplify) == 0 {
		t.Fatal("the proxy saw no request from Amplify (x-amz-user-agent aws-amplify/...)")
	}

	deviceSignIns := map[string]int{}
	for i := 1; i+1 < len(amplify); i++ {
		pv, ds, dpv := amplify[i-1], amplify[i], amplify[i+1]
		if pv.is("RespondToAuthChallenge", "PASSWORD_VERIFIER", 200, "DEVICE_SRP_AUTH") &&
			ds.is("RespondToAuthChallenge", "DEVICE_SRP_AUTH", 200, "DEVICE_PASSWORD_VERIFIER") &&
			dpv.is("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER", 200, "AuthenticationResult") &&
			pv.DeviceKey != "" && ds.DeviceKey == pv.DeviceKey && !dpv.NewDevice {
			deviceSignIns[dpv.ClientID]++
		}
	}
	for _, c := range []string{amplifyRotating, amplifyAlways} {
		if deviceSignIns[c] == 0 {
			t.Errorf("the server answered no device sign-in of Amplify on client %s (PASSWORD_VERIFIER with a DEVICE_KEY, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER answered with tokens)", c)
		}
	}

	refreshes := map[string][]exchange{}
	for _, e := range amplify {
		if e.Op != "GetTokensFromRefreshToken" {
			continue
		}
		if e.DeviceKey == "" {
			t.Errorf("Amplify sent GetTokensFromRefreshToken on client %s without a DeviceKey", e.ClientID)
		}
		if e.Status != 200 || e.Answer != "AuthenticationResult" {
			t.Errorf("GetTokensFromRefreshToken on client %s was answered with HTTP %d %s", e.ClientID, e.Status, e.Answer)
			continue
		}
		refreshes[e.ClientID] = append(refreshes[e.ClientID], e)
	}
	if r := refreshes[amplifyRotating]; len(r) != 2 {
		t.Errorf("the server answered %d GetTokensFromRefreshToken of Amplify with tokens on client %s, want 2", len(r), amplifyRotating)
	} else {
		for i, e := range r {
			if e.GotRefresh == "" || e.GotRefresh == e.SentRefresh {
				t.Errorf("refresh %d on client %s (rotation ENABLED) returned no new refresh token", i+1, amplifyRotating)
			}
		}
		if r[1].SentRefresh != r[0].GotRefresh {
			t.Errorf("Amplify's second refresh on client %s did not present the refresh token the first returned", amplifyRotating)
		}
		// The script presents both rotated-out tokens again; with no grace
		// period the server must refuse them.
		reused := 0
		for _, e := range ex {
			if e.Op == "GetTokensFromRefreshToken" && (e.SentRefresh == r[0].SentRefresh || e.SentRefresh == r[1].SentRefresh) && !e.Amplify {
				reused++
				if e.Status != 400 {
					t.Errorf("a refresh token rotated out on client %s was answered with HTTP %d %s, want 400", amplifyRotating, e.Status, e.Answer)
				}
			}
		}
		if reused < 2 {
			t.Errorf("the proxy saw %d GetTokensFromRefreshToken presenting a rotated-out token on client %s, want 2 (from amplify.js)", reused, amplifyRotating)
		}
	}
	if r := refreshes[amplifyFixed]; len(r) != 2 {
		t.Errorf("the server answered %d GetTokensFromRefreshToken of Amplify with tokens on client %s, want 2", len(r), amplifyFixed)
	} else {
		for i, e := range r {
			if e.GotRefresh != "" {
				t.Errorf("refresh %d on client %s (rotation DISABLED) returned a refresh token", i+1, amplifyFixed)
			}
		}
		if r[1].SentRefresh != r[0].SentRefresh {
			t.Errorf("Amplify's two refreshes on client %s (rotation DISABLED) presented different refresh tokens", amplifyFixed)
		}
	}

	count := func(op string) int {
		n := 0
		for _, e := range amplify {
			if e.Op == op && e.Status == 200 {
				n++
			}
		}
		return n
	}
	for op, want := range map[string]int{"ConfirmDevice": 3, "UpdateDeviceStatus": 1, "RevokeToken": 5} {
		if n := count(op); n != want {
			t.Errorf("the server accepted %d %s from Amplify, want %d", n, op, want)
		}
	}
}

// installAmplify runs npm install in _amplify unless what is installed
// there is already the pinned tree, then checks that it is.
func installAmplify(t *testing.T) {
	t.Helper()
	if checkAmplifyPins() == nil {
		return
	}
	cmd := exec.Command(lookPath(t, "npm"), "install", "--no-audit", "--no-fund")
	cmd.Dir = "_amplify"
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm install in interop/_amplify: %v\n%s", err, out)
	}
	t.Logf("npm install in interop/_amplify (%v): %s", time.Since(start).Round(time.Millisecond), bytes.TrimSpace(out))
	if err := checkAmplifyPins(); err != nil {
		t.Fatalf("after npm install in interop/_amplify: %v", err)
	}
}

// checkAmplifyPins checks that every package under _amplify/node_modules
// has the version that package.json pins: aws-amplify in "dependencies",
// every other package in "overrides", by name alone or, for a package
// installed in several versions, by "name@range" (see _amplify/pin.js).
// A package that package.json does not pin is an error, so that the pins
// cannot fall behind the tree.
func checkAmplifyPins() error {
	data, err := os.ReadFile(filepath.Join("_amplify", "package.json"))
	if err != nil {
		return err
	}
	var pkg struct {
		Dependencies map[string]string
		Overrides    map[string]string
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return fmt.Errorf("_amplify/package.json: %w", err)
	}
	if v := pkg.Dependencies["aws-amplify"]; v != amplifyVersion {
		return fmt.Errorf("_amplify/package.json pins aws-amplify %q, want %s", v, amplifyVersion)
	}
	pinned := map[string][]string{}
	for name, v := range pkg.Dependencies {
		pinned[name] = append(pinned[name], v)
	}
	for key, v := range pkg.Overrides {
		name := key
		if i := strings.LastIndex(key, "@"); i > 0 {
			name = key[:i]
		}
		pinned[name] = append(pinned[name], v)
	}

	nm := filepath.Join("_amplify", "node_modules")
	if _, err := os.Stat(nm); err != nil {
		return err
	}
	n := 0
	var problems []string
	err = filepath.WalkDir(nm, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != "package.json" {
			return nil
		}
		// A package's root is node_modules/NAME or node_modules/@SCOPE/NAME.
		dir := filepath.Dir(path)
		parent := filepath.Dir(dir)
		if filepath.Base(parent) != "node_modules" &&
			!(strings.HasPrefix(filepath.Base(parent), "@") && filepath.Base(filepath.Dir(parent)) == "node_modules") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var p struct{ Name, Version string }
		if err := json.Unmarshal(data, &p); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		n++
		switch vs := pinned[p.Name]; {
		case vs == nil:
			problems = append(problems, fmt.Sprintf("%s %s is not pinned", p.Name, p.Version))
		case !slices.Contains(vs, p.Version):
			problems = append(problems, fmt.Sprintf("%s is %s, pinned to %s", p.Name, p.Version, strings.Join(vs, " or ")))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s holds no package", nm)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s does not match _amplify/package.json: %s", nm, strings.Join(problems, "; "))
	}
	return nil
}

// amplifyConfig is the serve config of DESIGN §4 with the app-client fields
// of refresh-token rotation.
type amplifyConfig struct {
	Region    string        `json:"region"`
	UserPools []amplifyPool `json:"userPools"`
}

type amplifyPool struct {
	ID             string          `json:"id"`
	DeviceTracking string          `json:"deviceTracking"`
	Clients        []amplifyClient `json:"clients"`
	Users          []user          `json:"users"`
}

type amplifyClient struct {
	ID                   string               `json:"id"`
	RefreshTokenRotation refreshTokenRotation `json:"refreshTokenRotation"`
}

// refreshTokenRotation is Cognito's RefreshTokenRotationType.
type refreshTokenRotation struct {
	Feature                 string `json:"feature"`
	RetryGracePeriodSeconds int    `json:"retryGracePeriodSeconds"`
}

// newAmplifyConfig returns the config amplify.js expects (see its doc
// comment), with random passwords.
func newAmplifyConfig() *amplifyConfig {
	password := func() string { return "Pw-" + rand.Text()[:16] + "-1a" }
	return &amplifyConfig{
		Region: "us-east-1",
		UserPools: []amplifyPool{
			{
				ID:             "us-east-1_AmplifyOptIn",
				DeviceTracking: "opt-in",
				Clients: []amplifyClient{
					// No grace period: a refresh invalidates the token it
					// presented at once, so Amplify must keep the new one.
					{ID: amplifyRotating, RefreshTokenRotation: refreshTokenRotation{Feature: "ENABLED", RetryGracePeriodSeconds: 0}},
					{ID: amplifyFixed, RefreshTokenRotation: refreshTokenRotation{Feature: "DISABLED"}},
				},
				Users: []user{{Username: "alice", Password: password(), Attributes: map[string]string{
					"email": "alice@example.com", "email_verified": "true"}}},
			},
			{
				ID:             "us-east-1_AmplifyAlways",
				DeviceTracking: "always",
				Clients:        []amplifyClient{{ID: amplifyAlways, RefreshTokenRotation: refreshTokenRotation{Feature: "DISABLED"}}},
				Users: []user{{Username: "bob", Password: password(), Attributes: map[string]string{
					"email": "bob@example.com", "email_verified": "true"}}},
			},
		},
	}
}

// secrets returns what the server must never log.
func (c *amplifyConfig) secrets() []string {
	var s []string
	for _, p := range c.UserPools {
		for _, u := range p.Users {
			s = append(s, u.Password)
		}
	}
	return s
}

// exchange is one request that passed the recording proxy and its answer.
// Tokens are kept only as short hashes.
type exchange struct {
	Op          string
	Amplify     bool   // sent by Amplify (its x-amz-user-agent)
	ClientID    string // ClientId
	AuthFlow    string
	Challenge   string // ChallengeName of RespondToAuthChallenge
	DeviceKey   string // DeviceKey, or DEVICE_KEY of AuthParameters or ChallengeResponses
	SentRefresh string // hash of the refresh token sent
	Status      int
	Answer      string // ChallengeName, __type, or "AuthenticationResult"
	GotRefresh  string // hash of AuthenticationResult.RefreshToken
	NewDevice   bool   // AuthenticationResult.NewDeviceMetadata
}

func (e exchange) is(op, challenge string, status int, answer string) bool {
	return e.Op == op && e.Challenge == challenge && e.Status == status && e.Answer == answer
}

func (e exchange) String() string {
	s := e.Op
	if e.AuthFlow != "" || e.Challenge != "" {
		s += ":" + e.AuthFlow + e.Challenge
	}
	s += fmt.Sprintf(" client=%s status=%d answer=%s", e.ClientID, e.Status, e.Answer)
	if !e.Amplify {
		s += " (not Amplify)"
	}
	return s
}

// recorder is a loopback proxy in front of cognitosrp serve that records
// the requests that pass it.
type recorder struct {
	url    string
	target string
	client *http.Client
	mu     sync.Mutex
	log    []exchange
}

// startRecorder starts a recorder for target on a free loopback port.
func startRecorder(t *testing.T, target string) *recorder {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{
		url:    "http://" + ln.Addr().String(),
		target: target,
		client: &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: time.Minute},
	}
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

// maxRecorded bounds the bodies the recorder reads.
const maxRecorded = 1 << 20

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, maxRecorded))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := http.NewRequestWithContext(req.Context(), req.Method, r.target+req.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = req.Header.Clone()
	resp, err := r.client.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxRecorded))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)

	if target := req.Header.Get("X-Amz-Target"); target != "" {
		e := newExchange(target, req.Header.Get("X-Amz-User-Agent"), body, resp.StatusCode, answer)
		r.mu.Lock()
		r.log = append(r.log, e)
		r.mu.Unlock()
	}
}

func (r *recorder) exchanges() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.log)
}

func (r *recorder) String() string {
	var b strings.Builder
	for _, e := range r.exchanges() {
		fmt.Fprintln(&b, e)
	}
	return b.String()
}

// newExchange extracts what the checks need from a request and its answer.
func newExchange(target, userAgent string, body []byte, status int, answer []byte) exchange {
	var in struct {
		ClientID           string `json:"ClientId"`
		AuthFlow           string
		ChallengeName      string
		DeviceKey          string
		RefreshToken       string
		Token              string // RevokeToken
		AuthParameters     map[string]string
		ChallengeResponses map[string]string
	}
	json.Unmarshal(body, &in)
	var out struct {
		Type                 string `json:"__type"`
		ChallengeName        string
		AuthenticationResult *struct {
			RefreshToken      string
			NewDeviceMetadata *struct{ DeviceKey string }
		}
	}
	json.Unmarshal(answer, &out)
	e := exchange{
		Op:          strings.TrimPrefix(target, "AWSCognitoIdentityProviderService."),
		Amplify:     strings.HasPrefix(userAgent, "aws-amplify/"),
		ClientID:    in.ClientID,
		AuthFlow:    in.AuthFlow,
		Challenge:   in.ChallengeName,
		DeviceKey:   cmp.Or(in.DeviceKey, in.AuthParameters["DEVICE_KEY"], in.ChallengeResponses["DEVICE_KEY"]),
		SentRefresh: tokenHash(cmp.Or(in.RefreshToken, in.AuthParameters["REFRESH_TOKEN"], in.Token)),
		Status:      status,
		Answer:      cmp.Or(out.ChallengeName, out.Type),
	}
	if out.AuthenticationResult != nil {
		e.Answer = cmp.Or(e.Answer, "AuthenticationResult")
		e.GotRefresh = tokenHash(out.AuthenticationResult.RefreshToken)
		e.NewDevice = out.AuthenticationResult.NewDeviceMetadata != nil
	}
	return e
}

func tokenHash(token string) string {
	if token == "" {
		return ""
	}
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:8])
}
