package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs "serve" in-process with args and returns its URL, its
// stderr and a stop function that cancels it and returns its exit status.
func startServe(t *testing.T, args ...string) (url string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	stderr = new(syncBuffer)
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), pw, stderr)
		pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(pr)
		l, _ := r.ReadString('\n')
		lines <- l
		io.Copy(io.Discard, r)
	}()
	select {
	case l := <-lines:
		url = strings.TrimSuffix(l, "\n")
	case code := <-done:
		cancel()
		t.Fatalf("serve exited with %d before printing its URL:\n%s", code, stderr)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("serve printed no URL:\n%s", stderr)
	}
	stopped := false
	var code int
	stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("serve did not stop:\n%s", stderr)
			}
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return url, stderr, stop
}

// examplesConfig is the sample config that the help texts refer to.
const examplesConfig = "../../examples/serve.json"

func TestServe(t *testing.T) {
	url, stderr, stop := startServe(t, "--config", examplesConfig, "--addr", "127.0.0.1:0")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(url) {
		t.Fatalf("first line %q, want http://127.0.0.1:PORT", url)
	}

	// The users of the sample config sign in, as its help says.
	r := runCLI(t, strings.NewReader("Correct-Horse-1\n"), "login", "--endpoint-url", url,
		"--user-pool-id", "us-east-1_Example", "--client-id", "exampleclient",
		"--username", "alice@example.com", "--password-stdin", "--device-store", filepath.Join(t.TempDir(), "d.json"))
	if r.code != 0 {
		t.Fatalf("login against serve: %v", r)
	}
	tokens := decodeJSON(t, r.stdout)
	t.Setenv("COGNITOSRP_TEST_SECRET", "example-client-secret-not-for-production")
	r = runCLI(t, strings.NewReader("Correct-Horse-1\n"), "login", "--endpoint-url", url,
		"--user-pool-id", "us-east-1_Example", "--client-id", "exampleconfidential",
		"--client-secret-env", "COGNITOSRP_TEST_SECRET", "--username", "alice", "--password-stdin")
	if r.code != 0 {
		t.Fatalf("login with the client secret against serve: %v", r)
	}

	if code := stop(); code != 0 {
		t.Errorf("serve exited with %d after cancellation, want 0:\n%s", code, stderr)
	}
	logs := stderr.String()
	for _, want := range []string{"op=InitiateAuth status=200", "op=RespondToAuthChallenge status=200", "op=ConfirmDevice status=200", "msg=stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
	for _, secret := range []string{"Correct-Horse-1", "example-client-secret-not-for-production", tokens.AccessToken[:40], tokens.RefreshToken[:20]} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains a secret (%.4s...):\n%s", secret, logs)
		}
	}
}

func TestServeDefaultAddr(t *testing.T) {
	url, _, stop := startServe(t, "--config", examplesConfig)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("URL %q, want the loopback interface by default", url)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
}

func TestServeConfigErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"missing", filepath.Join(dir, "nope.json"), []string{"--config FILE: open (--config): no such file"}},
		{"syntax", write("syntax.json", `{"region": `), []string{"--config FILE: reading config"}},
		{"unknown field", write("unknown.json", `{"region": "us-east-1", "userPool": []}`), []string{"--config FILE:", "userPool"}},
		{"bad field", write("bad.json", `{"region": "us-east-1", "userPools": [{"id": "us-east-1_X", "deviceTracking": "sometimes", "clients": [{"id": "c"}], "users": []}]}`),
			[]string{"--config FILE:", "userPools[0].deviceTracking", "sometimes"}},
		{"two problems", write("two.json", `{"region": "us-east-1", "userPools": [{"id": "eu-west-1_X", "clients": [{"id": ""}]}]}`),
			[]string{"--config FILE:", "userPools[0].id", "userPools[0].clients[0].id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, nil, "serve", "--config", tc.file)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing (no URL)", r.stdout)
			}
			if !strings.HasPrefix(r.stderr, "cognitosrp: error: ") {
				t.Errorf("stderr:\n%s", r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}
}

func TestServeAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := runCLI(t, nil, "serve", "--config", examplesConfig, "--addr", ln.Addr().String())
	if r.code != exitService || !strings.Contains(r.stderr, "address already in use") || r.stdout != "" {
		t.Errorf("%v", r)
	}
}

// stalledClients opens connections to the server at url that a client
// left in every state a stop must not wait for: connected and silent, half
// of a request's header sent, the header and half of the body sent, and an
// idle keep-alive connection after a complete request.
func stalledClients(t *testing.T, url string) {
	t.Helper()
	addr := strings.TrimPrefix(url, "http://")
	dial := func(send string) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := io.WriteString(c, send); err != nil {
			t.Fatal(err)
		}
		return c
	}
	dial("")
	dial("POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Tar")
	dial("POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\n" +
		"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"AuthFlow\":")
	keepAlive := dial("POST / HTTP/1.1\r\nHost: " + addr + "\r\nX-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\n" +
		"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}")
	resp, err := http.ReadResponse(bufio.NewReader(keepAlive), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Close {
		t.Fatal("the server did not keep the connection alive")
	}
	// Let the server read what was sent, so that the body's handler waits.
	time.Sleep(2 * stalledAfter)
}

// TestServeStopsWithStalledClients: a stop (SIGTERM, SIGINT: a cancelled
// context in-process) closes the connections of stalled clients and exits
// 0, well within the grace given to requests being handled (issue 10,
// item 4: one stalled client made serve take 10 s and exit 3).
func TestServeStopsWithStalledClients(t *testing.T) {
	url, stderr, stop := startServe(t, "--config", examplesConfig)
	stalledClients(t, url)
	stopped := make(chan int, 1)
	go func() { stopped <- stop() }()
	select {
	case code := <-stopped:
		if code != 0 {
			t.Errorf("exit %d, want 0:\n%s", code, stderr)
		}
	case <-time.After(defaultTimeouts.grace - time.Second):
		t.Fatalf("serve did not stop before the grace for requests in progress ran out:\n%s", stderr)
	}
	if logs := stderr.String(); !strings.Contains(logs, "msg=stopped") || !strings.Contains(logs, "closing connections") {
		t.Errorf("the log:\n%s", logs)
	}
}

// TestServeGrace: a request being handled when serve is stopped may finish
// (within the grace), and its answer is sent.
func TestServeGrace(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- serveWith(ctx, ln, h, slog.New(slog.DiscardHandler), io.Discard, defaultTimeouts) }()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	<-started
	cancel()
	time.Sleep(3 * stalledAfter) // the handler is busy, not stalled: serve waits
	close(release)
	if s := <-got; s != "finished" {
		t.Errorf("the request in progress got %q", s)
	}
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// TestServeTimeouts: serve's server closes a connection whose client is
// too slow with a request's header or body, and an idle keep-alive
// connection (slowloris; issue 10, item 4).
func TestServeTimeouts(t *testing.T) {
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": defaultTimeouts.readHeader, "ReadTimeout": defaultTimeouts.read,
		"WriteTimeout": defaultTimeouts.write, "IdleTimeout": defaultTimeouts.idle,
	} {
		if d <= 0 || d > time.Minute {
			t.Errorf("%s %v", name, d)
		}
	}
	srv := newHTTPServer(http.NotFoundHandler(), nil, defaultTimeouts)
	if srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.ReadHeaderTimeout == 0 {
		t.Errorf("server timeouts %v %v %v %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}

	short := serverTimeouts{readHeader: 200 * time.Millisecond, read: 400 * time.Millisecond, write: time.Second, idle: 300 * time.Millisecond, grace: time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- serveWith(ctx, ln, h, slog.New(slog.DiscardHandler), io.Discard, short) }()
	defer func() { cancel(); <-done }()
	addr := ln.Addr().String()
	for _, tc := range []struct{ name, send string }{
		{"header", "POST / HTTP/1.1\r\nHost: x\r\n"},
		{"body", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345"},
		{"idle", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, tc.send)
			// The server closes the connection (perhaps after an answer);
			// the deadline only keeps a failing test from hanging.
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, err = io.Copy(io.Discard, c)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("the connection was still open after 10 s")
			}
		})
	}
}
