package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitosrp/cognitosrp/cognitotest"
	"github.com/cognitosrp/cognitosrp/flows"
)

const region = "us-east-1"

// clock is a server clock that runs with the real one, shifted by an offset
// that tests move forward to expire sessions and tokens. Clients keep the
// real time: claims signed before a shift stay within the server's window.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// newTransport returns an HTTP transport for loopback servers, without
// proxies, whose idle connections are closed when the test ends.
func newTransport(t testing.TB, conns int) *http.Transport {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     30 * time.Second,
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// newAPI returns the real SDK client for srv (cognitotest's: no retries,
// anonymous credentials), sending its requests to endpoint, the server's URL
// or a proxy's, over a transport of its own. fns (nil ones skipped) change
// its options further.
func newAPI(t testing.TB, srv *cognitotest.Server, endpoint string, fns ...func(*cip.Options)) *cip.Client {
	tr := newTransport(t, 64)
	base := func(o *cip.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.HTTPClient = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	opts := []func(*cip.Options){base}
	for _, fn := range fns {
		if fn != nil {
			opts = append(opts, fn)
		}
	}
	return srv.Client(opts...)
}

// newFlows returns a flows.Client or fails the test.
func newFlows(t testing.TB, api flows.API, pool, clientID string, fns ...func(*flows.Options)) *flows.Client {
	t.Helper()
	c, err := flows.New(api, pool, clientID, fns...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkGoroutines fails the test if, once everything that the test started
// has been cleaned up, more goroutines run than when it was called. Call it
// first, so that its cleanup runs last. It waits up to five seconds for
// goroutines to end (connections closing, handlers returning).
func checkGoroutines(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		n := 0
		for {
			if n = runtime.NumGoroutine(); n <= before || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if n > before {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("%d goroutines after the test, %d before: leaked?\n%s", n, before, buf)
		}
	})
}

// envInt returns the integer in the environment variable name, or def.
func envInt(t testing.TB, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// slogTo returns a logger that writes everything, debug included, to w.
func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// timed runs f with a context that expires after d and returns how long f
// took.
func timed(d time.Duration, f func(ctx context.Context)) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	f(ctx)
	return time.Since(start)
}

// userNames returns n user names prefix-000, prefix-001, ...
func userNames(prefix string, n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	return names
}

// quote shortens s for a failure message.
func quote(s string) string {
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return strconv.Quote(strings.TrimSpace(s))
}
