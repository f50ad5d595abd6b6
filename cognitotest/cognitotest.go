package cognitotest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// Server is a local Cognito-compatible server listening on 127.0.0.1. Its
// methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port", with no
	// trailing slash. Use it as the SDK's BaseEndpoint.
	URL string

	emu    *Handler
	http   *http.Server
	ln     net.Listener
	clock  atomic.Pointer[func() time.Time]
	offset atomic.Int64 // Advance, in nanoseconds
	done   chan struct{}
}

// NewServer starts a server for cfg on 127.0.0.1 on a free port. Like
// httptest.NewServer, it panics if it cannot start, including when cfg is
// invalid (see [Config.Validate]). Call Close when done.
func NewServer(cfg Config, opts ...Option) *Server {
	o := options{now: time.Now, sessionTTL: defaultTTL, limits: defaultLimits}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{done: make(chan struct{})}
	s.SetClock(o.now)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("cognitotest: failed to listen on 127.0.0.1: %v", err))
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	// The handler reads the Server's clock, which SetClock and Advance
	// change, and names the Server's URL in its issuer.
	o.now = s.now
	if o.issuer.base == "" {
		o.issuer.base = s.URL
	}
	emu, err := newHandler(cfg, o)
	if err != nil {
		ln.Close()
		panic(fmt.Sprintf("cognitotest: %v", err))
	}
	s.emu = emu
	// Read, write and idle timeouts close slow or idle connections; the
	// handler itself bounds the requests it serves at once.
	s.http = NewHTTPServer(emu)
	if o.timeouts != nil {
		o.timeouts(s.http)
	}
	go func() {
		defer close(s.done)
		s.http.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s
}

func (s *Server) now() time.Time {
	return (*s.clock.Load())().Add(time.Duration(s.offset.Load()))
}

// Now returns the server's current time: its clock (time.Now unless
// [WithClock] or [Server.SetClock] changed it) plus what [Server.Advance] added.
func (s *Server) Now() time.Time { return s.now() }

// Advance moves the server's clock forward by d (back if d is negative),
// for every later request: sessions, access, ID and refresh tokens expire,
// and TIMESTAMP and TOTP checks use the moved time. It is a test-only power:
// a test steps past an expiry instead of waiting. Claims that clients sign
// with their own clock (TIMESTAMP) must use [Server.Now] after Advance.
func (s *Server) Advance(d time.Duration) { s.offset.Add(int64(d)) }

// SetClock makes the server read the time from now from this call on; nil
// restores time.Now. It also undoes [Server.Advance]. Use it to expire
// sessions and tokens, or to pin TOTP codes.
func (s *Server) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.clock.Store(&now)
	s.offset.Store(0)
}

// Close shuts the server down, closing its connections, and waits for it to
// stop.
func (s *Server) Close() {
	s.http.Close()
	<-s.done
}

// Region returns the server's region, the region of every pool.
func (s *Server) Region() string { return s.emu.Region() }

// Client returns a Cognito client for the server: its BaseEndpoint is URL,
// its region the server's, its credentials made up (the server requires a
// signature on the Admin*, group and pool operations, as Cognito does, but
// checks none: it does not evaluate IAM), and it does not retry, so that
// every error the server returns reaches the test. optFns change these
// options; aws.AnonymousCredentials{} sends unsigned requests, as browsers
// and mobile apps do.
func (s *Server) Client(optFns ...func(*cognitoidentityprovider.Options)) *cognitoidentityprovider.Client {
	return cognitoidentityprovider.New(cognitoidentityprovider.Options{
		Region:       s.Region(),
		BaseEndpoint: aws.String(s.URL),
		Credentials:  aws.NewCredentialsCache(testCredentials),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   &http.Client{Timeout: 30 * time.Second},
	}, optFns...)
}

// testCredentials are the made-up AWS credentials of [Server.Client].
var testCredentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIDCOGNITOTEST", SecretAccessKey: "cognitotest-made-up-secret", Source: "cognitotest"}, nil
})

// Handler returns the server's [Handler], to mount it elsewhere (it serves
// the same state as s).
func (s *Server) Handler() *Handler { return s.emu }

// LastCode returns the code (or invitation's temporary password) of the
// last message delivered to the user (by internal user name) of a pool, and
// whether there was one.
func (s *Server) LastCode(userPoolID, username string) (string, bool) {
	return s.emu.LastCode(userPoolID, username)
}

// Messages returns every message delivered so far, oldest first (at most
// the last 1000 of each user pool; a deleted pool's are forgotten).
func (s *Server) Messages() []Message { return s.emu.Messages() }

// DeviceCount returns how many confirmed devices the user (by internal user
// name) has in a pool; 0 if there is no such user.
func (s *Server) DeviceCount(userPoolID, username string) int {
	n, _ := s.emu.DeviceCount(userPoolID, username)
	return n
}

// Stats returns the current counts of what the server holds in memory, to
// check that it stays bounded. Expired sessions are purged by requests, not
// by Stats: after moving the clock (SetClock) past the session TTL, send a
// request before reading Stats.
func (s *Server) Stats() Stats { return s.emu.Stats() }

// Issuer returns the iss claim of the pool's tokens: URL + "/" + the pool
// id, or with [WithCognitoIssuer]
// "https://cognito-idp.<region>.amazonaws.com/" + the pool id. It does not
// depend on the Host header of requests.
func (s *Server) Issuer(userPoolID string) string {
	return s.emu.issuer(&reqCtx{issuerBase: s.emu.issuerOpts.base}, userPoolID)
}

// JWKSURL returns the URL of the pool's JSON Web Key Set, which verifies its
// tokens: URL + "/" + the pool id + "/.well-known/jwks.json", whatever the
// issuer. It holds two keys: one signs ID tokens, the other access tokens.
func (s *Server) JWKSURL(userPoolID string) string {
	return s.URL + "/" + userPoolID + "/.well-known/jwks.json"
}

// TOTPCode returns the current code of an authenticator app for a base32
// secret (a User's TOTPSecret or AssociateSoftwareToken's SecretCode) at
// time t: RFC 6238 with SHA-1, 30-second steps and 6 digits, as Cognito uses.
// It panics if secret is not base32.
func TOTPCode(secret string, t time.Time) string {
	code, err := totpCode(secret, t)
	if err != nil {
		panic("cognitotest: " + err.Error())
	}
	return code
}
