package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cognitosrp/cognitosrp/cognitotest"
)

const serveUsage = `Usage:
    cognitosrp serve --config FILE [--addr 127.0.0.1:0] [test-only options]

Runs the local Cognito-compatible server: the user pools, app clients and
users of FILE, served over the AWS JSON 1.1 protocol that the AWS SDKs and
amazon-cognito-identity-js speak, with real SRP and device SRP verification.
Point a client at it with its endpoint option (AWS_ENDPOINT_URL, the SDK's
BaseEndpoint, --endpoint-url). No AWS credentials are needed, and IAM is not
evaluated: the admin operations accept any signature.

The first line of standard output is the URL the server listens on; each
request is logged on standard error, without secrets. SIGINT or SIGTERM
stops the server cleanly (exit status 0): requests being answered get 5
seconds to finish, and the connections of clients that stalled in the
middle of a request are closed.

Options:
    --config FILE   The JSON config, such as examples/serve.json. Field
                    names are Cognito's API's in lowerCamelCase; all but
                    the ids, username and password are optional:
                    {"region": "us-east-1", "userPools": [{
                      "id": "us-east-1_Example", "name",
                      "deviceTracking": "always" | "opt-in" | "off",
                      "mfa": "OFF" | "OPTIONAL" | "ON",
                      "signInPolicy": {"allowedFirstAuthFactors":
                        ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]},
                      "passwordPolicy": {"minimumLength",
                        "requireUppercase", "requireLowercase",
                        "requireNumbers", "requireSymbols",
                        "temporaryPasswordValidityDays"},
                      "autoVerifiedAttributes": ["email", "phone_number"],
                      "usernameAttributes": ["email", "phone_number"],
                      "customChallengeAnswer": "...",
                      "groups": [{"groupName", "description",
                        "precedence", "roleArn"}],
                      "clients": [{"id", "secret", "clientName",
                        "explicitAuthFlows", "writeAttributes",
                        "refreshTokenRotation": {"feature": "ENABLED",
                          "retryGracePeriodSeconds": 0..60},
                        "accessTokenValidity", "idTokenValidity",
                        "refreshTokenValidity", "tokenValidityUnits":
                          {"accessToken": "seconds" | "minutes" |
                           "hours" | "days", "idToken", "refreshToken"}}],
                      "users": [{"username", "password", "attributes",
                        "status": "CONFIRMED" | "FORCE_CHANGE_PASSWORD" |
                          "UNCONFIRMED" | "RESET_REQUIRED",
                        "enabled": false, "groups": ["..."],
                        "totpSecret", "mfa": ["SOFTWARE_TOKEN_MFA" |
                          "SMS_MFA" | "EMAIL_OTP"],
                        "requiredAttributes"}]}]}
                    The attributes email, phone_number and
                    preferred_username are aliases to sign in with; a
                    totpSecret (base32) enables SOFTWARE_TOKEN_MFA. Every
                    field's meaning and default: go doc
                    github.com/cognitosrp/cognitosrp/cognitotest Config
    --addr ADDR     The address to listen on (default 127.0.0.1:0, a free
                    port on the loopback interface).

Test-only options, each off by default; Cognito has no such thing, and
anyone who can reach the server gets every code and temporary password:
    --outbox        Serve the messages the server would have sent by email
                    or SMS (sign-up, reset, MFA and OTP codes, invitations
                    with their temporary password), oldest first, at
                    GET URL/_cognitosrp/outbox?userPoolId=ID[&username=NAME]
                    as {"messages": [{"userPoolId", "username",
                    "deliveryMedium", "destination", "reason", "code",
                    "time"}]}. Without it nothing is served under
                    /_cognitosrp/.
    --log-codes     Also log each of those messages, code included, on
                    standard error.
    --cognito-issuer
                    Issue tokens with Cognito's own issuer,
                    https://cognito-idp.REGION.amazonaws.com/POOL_ID, so
                    that verifiers that accept only it (aws-jwt-verify's
                    CognitoJwtVerifier) take them; give them the key set
                    still served at URL/POOL_ID/.well-known/jwks.json.
                    Without it the issuer is URL/POOL_ID.

Example:
    $ cognitosrp serve --config examples/serve.json --addr 127.0.0.1:9229
    http://127.0.0.1:9229
    $ AWS_ENDPOINT_URL=http://127.0.0.1:9229 cognitosrp login \
        --user-pool-id us-east-1_Example --client-id exampleclient --username alice
`

// The timeouts of serve's HTTP server (and the demo's), so that slow or
// stalled clients cannot hold connections forever (slowloris): a request's
// header must arrive within ReadHeaderTimeout and all of it within
// ReadTimeout, its answer be written within WriteTimeout, and an idle
// keep-alive connection is closed after IdleTimeout. Requests to the local
// server are small and answered in milliseconds. When serve is stopped,
// requests that are being handled get shutdownGrace to finish; connections
// without one (idle, or a client that sent half a request) are closed at
// once.
var defaultTimeouts = serverTimeouts{
	readHeader: 10 * time.Second,
	read:       20 * time.Second,
	write:      20 * time.Second,
	idle:       30 * time.Second,
	grace:      5 * time.Second,
}

type serverTimeouts struct {
	readHeader, read, write, idle time.Duration
	grace                         time.Duration
}

// newHTTPServer returns cognitotest's http.Server for h (with its limit on
// header size) with the timeouts to.
func newHTTPServer(h http.Handler, errorLog *log.Logger, to serverTimeouts) *http.Server {
	srv := cognitotest.NewHTTPServer(h)
	srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout = to.readHeader, to.read, to.write, to.idle
	srv.ErrorLog = errorLog
	return srv
}

// serveFlags are serve's options.
type serveFlags struct {
	config, addr string
	// The test-only powers, off by default.
	outbox, logCodes, cognitoIssuer bool
}

// serveFlagSet declares serve's flags into f.
func serveFlagSet(f *serveFlags) *flag.FlagSet {
	fs := newFlagSet("serve")
	fs.StringVar(&f.config, "config", "", "")
	fs.StringVar(&f.addr, "addr", "127.0.0.1:0", "")
	fs.BoolVar(&f.outbox, "outbox", false, "")
	fs.BoolVar(&f.logCodes, "log-codes", false, "")
	fs.BoolVar(&f.cognitoIssuer, "cognito-issuer", false, "")
	return fs
}

// testOnlyPowers returns the options of the test-only powers that f turns
// on (see serveUsage), and their flags' names.
func (f *serveFlags) testOnlyPowers() (opts []cognitotest.Option, names []string) {
	for _, p := range []struct {
		on   bool
		name string
		opt  cognitotest.Option
	}{
		{f.outbox, "--outbox", cognitotest.WithOutboxHTTP()},
		{f.logCodes, "--log-codes", cognitotest.WithCodeLog()},
		{f.cognitoIssuer, "--cognito-issuer", cognitotest.WithCognitoIssuer()},
	} {
		if p.on {
			opts, names = append(opts, p.opt), append(names, p.name)
		}
	}
	return opts, names
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := serveFlagSet(&f)
	if err := parseFlags(fs, "serve", serveUsage, args, stdout); err != nil {
		return err
	}
	configFile, addr := f.config, f.addr
	if configFile == "" {
		return usageError("serve", "--config FILE is required")
	}

	cfg, err := loadConfig(configFile)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	powers, names := f.testOnlyPowers()
	em, err := cognitotest.NewHandler(cfg, append(powers, cognitotest.WithLogger(logger))...)
	if err != nil {
		return &cliError{code: exitUsage, err: fmt.Errorf("--config FILE: %s", strings.TrimPrefix(err.Error(), "cognitotest: ")),
			hints: []string{"see 'cognitosrp serve --help' for the format"}}
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return &cliError{code: exitService, err: errors.New(hideArg("--addr ADDR: "+err.Error(), addr, "addr")),
			hints: []string{"use --addr 127.0.0.1:0 for any free port"}}
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		fmt.Fprintf(stderr, "cognitosrp: warning: listening on %s, not on a loopback address: anyone who can reach it can sign in as the configured users\n", ln.Addr())
	}
	if len(names) > 0 {
		logger.Warn("test-only powers on, not for anything but tests", "flags", strings.Join(names, " "))
	}
	return serve(ctx, ln, em, logger, stdout)
}

// loadConfig reads the server config in file, the value of --config. Its
// errors say "--config FILE" rather than quote the file's name.
func loadConfig(file string) (cognitotest.Config, error) {
	f, err := os.Open(file)
	if err != nil {
		return cognitotest.Config{}, &cliError{code: exitUsage, err: errors.New(hideArg("--config FILE: "+err.Error(), file, "config"))}
	}
	defer f.Close()
	cfg, err := cognitotest.LoadConfig(f)
	if err != nil {
		return cognitotest.Config{}, &cliError{code: exitUsage, err: fmt.Errorf("--config FILE: %s", strings.TrimPrefix(err.Error(), "cognitotest: ")),
			hints: []string{"see 'cognitosrp serve --help' for the format"}}
	}
	return cfg, nil
}

// serve serves h on ln until ctx is done, then shuts the server down. It
// prints the server's URL as the first line of stdout.
func serve(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, stdout io.Writer) error {
	return serveWith(ctx, ln, h, logger, stdout, defaultTimeouts)
}

// serveWith is serve with the timeouts to.
//
// Stopping: the listener is closed and idle connections with it
// (http.Server.Shutdown); requests being handled get to.grace to finish;
// once every request left is stalled, waiting for its client to send the
// rest of its body, the connections left (those, and clients stalled in
// the middle of a request's header) are closed, and serve returns nil
// (exit status 0, as --help says). Shutdown alone would wait for such
// connections until their read timeout.
func serveWith(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, stdout io.Writer, to serverTimeouts) error {
	var reqs requests
	var open atomic.Int64
	srv := newHTTPServer(reqs.track(h), slog.NewLogLogger(logger.Handler(), slog.LevelWarn), to)
	srv.ConnState = func(_ net.Conn, state http.ConnState) {
		switch state {
		case http.StateNew:
			open.Add(1)
		case http.StateHijacked, http.StateClosed:
			open.Add(-1)
		}
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	if _, err := fmt.Fprintln(stdout, url); err != nil {
		srv.Close()
		<-done
		return fmt.Errorf("printing the URL: %w", err)
	}
	logger.Info("listening", "url", url)

	select {
	case err := <-done:
		return &cliError{code: exitService, err: err}
	case <-ctx.Done():
	}
	logger.Info("stopping", "reason", context.Cause(ctx))
	shutdown := make(chan error, 1)
	go func() { shutdown <- srv.Shutdown(context.WithoutCancel(ctx)) }()
	grace := time.NewTimer(to.grace)
	defer grace.Stop()
	poll := time.NewTicker(10 * time.Millisecond)
	defer poll.Stop()
	// quietSince is when no request was busy any more: a request whose
	// handler just returned is not counted, but its answer may still be on
	// its way out, and Shutdown closes its connection once it is written;
	// the connections left after stalledAfter more are those of stalled
	// clients, and are closed.
	var quietSince time.Time
	for stopped := false; !stopped; {
		select {
		case <-shutdown:
			stopped = true
			continue
		case now := <-poll.C:
			if reqs.busy(now) > 0 {
				quietSince = time.Time{}
				continue
			}
			if quietSince.IsZero() {
				quietSince = now
			}
			if now.Sub(quietSince) < stalledAfter {
				continue
			}
		case <-grace.C:
			logger.Warn("requests did not finish in time", "requests", reqs.busy(time.Now()), "grace", to.grace)
		}
		if n := open.Load(); n > 0 {
			logger.Info("closing connections", "connections", n)
		}
		srv.Close()
		<-shutdown
		stopped = true
	}
	if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
		return &cliError{code: exitService, err: serveErr}
	}
	logger.Info("stopped")
	return nil
}

// stalledAfter is how long a request's body read must have been waiting for
// its client for the request to count as stalled.
const stalledAfter = 100 * time.Millisecond

// requests tracks the requests being handled, and whether each is waiting
// for its client to send more of its body.
type requests struct {
	mu   sync.Mutex
	reqs map[*request]struct{}
}

type request struct {
	readingSince atomic.Int64 // UnixNano of the start of a body read in progress, or 0
}

// track returns h, tracking its requests.
func (t *requests) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := &request{}
		t.mu.Lock()
		if t.reqs == nil {
			t.reqs = map[*request]struct{}{}
		}
		t.reqs[req] = struct{}{}
		t.mu.Unlock()
		defer func() {
			t.mu.Lock()
			delete(t.reqs, req)
			t.mu.Unlock()
		}()
		r.Body = trackedBody{r.Body, req}
		h.ServeHTTP(w, r)
	})
}

// busy returns the number of requests being handled that are not stalled.
func (t *requests) busy(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for req := range t.reqs {
		if since := req.readingSince.Load(); since == 0 || now.Sub(time.Unix(0, since)) < stalledAfter {
			n++
		}
	}
	return n
}

// trackedBody is a request body that marks its request while it waits.
type trackedBody struct {
	io.ReadCloser
	req *request
}

func (b trackedBody) Read(p []byte) (int, error) {
	b.req.readingSince.Store(time.Now().UnixNano())
	defer b.req.readingSince.Store(0)
	return b.ReadCloser.Read(p)
}
