// Package cognitotest runs a local Amazon Cognito user pools server for tests,
// like [net/http/httptest] does for HTTP servers.
//
// For most uses, call [NewServer] with the user pools, app clients and users
// the test needs, defer [Server.Close], and talk to it with the
// [*cognitoidentityprovider.Client] that [Server.Client] returns:
//
//	srv := cognitotest.NewServer(cognitotest.Config{
//		Region: "us-east-1",
//		UserPools: []cognitotest.UserPool{{
//			ID:      "us-east-1_Example",
//			Clients: []cognitotest.AppClient{{ID: "client"}},
//			Users:   []cognitotest.User{{Username: "alice", Password: "correct horse"}},
//		}},
//	})
//	defer srv.Close()
//	client := srv.Client()
//
// The server speaks Cognito's AWS JSON 1.1 protocol on 127.0.0.1 and really
// verifies what clients send: SRP password and device claims, SECRET_HASH,
// TIMESTAMP, TOTP and delivered SMS or email codes. It signs real RS256 JWTs
// (ID and access tokens with two different keys, as Cognito does) and serves
// their keys at [Server.JWKSURL]. Its state lives in memory.
//
// Besides the sign-in flows, it has the user life cycle (SignUp,
// ConfirmSignUp, ForgotPassword, ChangePassword, UpdateUserAttributes and
// the rest), the admin API (AdminCreateUser, AdminInitiateAuth and the
// rest), groups (in the tokens' cognito:groups) and pools and clients
// (CreateUserPool, CreateUserPoolClient and the rest), so that a test can
// also start from an empty Config{Region: "us-east-1"} and seed the server
// as it would seed Cognito. The admin, group and pool operations need a
// signed request, as in Cognito; [Server.Client] signs with made-up
// credentials, and no IAM policy is evaluated.
//
// Every message the server would send — codes for sign-up, password
// reset, attribute verification, MFA and one-time passwords, and the
// invitations of AdminCreateUser with their temporary password — stays in
// an outbox that [Server.Messages] and [Server.LastCode] read.
//
// # Test-only powers
//
// The server's clock is the test's: [Server.Advance] moves it forward, so
// that a test steps past a token's or session's expiry instead of waiting
// ([WithClock] and [Server.SetClock] replace it outright). [WithCognitoIssuer]
// makes tokens carry Cognito's own issuer. [WithOutboxHTTP] serves the
// outbox over HTTP, for tests in other languages or processes, and
// [WithCodeLog] logs every code. None exists in Cognito, and none is on
// unless a test asks for it.
//
// Library packages must not import cognitotest; tests and commands may.
package cognitotest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/cognitosrp/cognitosrp/internal/emulator"
)

// Config is the server's configuration: the region and its user pools. It is
// the JSON that `cognitosrp serve --config` reads.
type Config = emulator.Config

// UserPool configures one user pool: its id, device tracking, MFA, app
// clients and users.
type UserPool = emulator.UserPool

// SignInPolicy is a pool's sign-in policy: the first factors that USER_AUTH
// may offer (PASSWORD alone by default; EMAIL_OTP and SMS_OTP must be listed
// to be offered).
type SignInPolicy = emulator.SignInPolicy

// AppClient configures an app client: its id, optional secret, allowed
// auth flows, token lifetimes, refresh token rotation and the attributes
// it may write.
type AppClient = emulator.AppClient

// RefreshTokenRotation configures an app client's refresh token rotation
// (Cognito's RefreshTokenRotationType): Feature "ENABLED" or "DISABLED",
// RetryGracePeriodSeconds 0 to 60.
type RefreshTokenRotation = emulator.RefreshTokenRotation

// TokenValidityUnits are the units ("seconds", "minutes", "hours", "days")
// of an app client's token validities.
type TokenValidityUnits = emulator.TokenValidityUnits

// User configures a user: user name, password, attributes, status and MFA.
type User = emulator.User

// PasswordPolicy is a pool's password policy (Cognito's PasswordPolicyType).
type PasswordPolicy = emulator.PasswordPolicy

// Group configures a group of users; their tokens list it in
// cognito:groups.
type Group = emulator.Group

// Message is an SMS or email message that the server "delivered": a
// code, or an invitation's temporary password, with the Reason it was sent.
type Message = emulator.Message

// Stats counts what the server holds in memory: sign-ins in progress,
// remembered Session tokens, refresh tokens, devices and delivered codes.
type Stats = emulator.Stats

// Option configures a Server.
type Option func(*options)

type options struct {
	now           func() time.Time
	sessionTTL    time.Duration
	idKey         *rsa.PrivateKey
	accessKey     *rsa.PrivateKey
	log           *slog.Logger
	cognitoIssuer bool
	outboxHTTP    bool
	codeLog       bool
	// timeouts changes the server's timeouts (tests shorten them through
	// export_test.go).
	timeouts func(*http.Server)
}

// WithClock makes the server read the time from now: for session and token
// expiry, TIMESTAMP checks and TOTP codes. See also [Server.SetClock].
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithSessionTTL sets how long a challenge's Session stays valid (3 minutes
// by default, as in Cognito).
func WithSessionTTL(d time.Duration) Option { return func(o *options) { o.sessionTTL = d } }

// WithSigningKey makes the server sign ID tokens with key (RSA, at least
// 2048 bits); access tokens are still signed with the process's shared
// access-token key (see [WithSigningKeys]).
func WithSigningKey(key *rsa.PrivateKey) Option { return func(o *options) { o.idKey = key } }

// WithSigningKeys makes the server sign ID tokens with idKey and access
// tokens with accessKey (RSA, at least 2048 bits each), as Cognito signs
// them with two keys of its key set. By default, the servers of a process
// share two RSA-2048 keys, generated when the first one starts (generating
// them per server would slow tests down); a server still rejects tokens
// that another server issued.
func WithSigningKeys(idKey, accessKey *rsa.PrivateKey) Option {
	return func(o *options) { o.idKey, o.accessKey = idKey, accessKey }
}

// WithCognitoIssuer makes the server issue tokens with Cognito's own issuer,
// iss = "https://cognito-idp.<region>.amazonaws.com/<poolId>" (see
// [Server.Issuer]), so that verifiers that accept only Cognito's issuer
// accept them when given the local key set ([Server.JWKSURL]). Test-only:
// such tokens name Cognito but are signed by the test server's keys.
func WithCognitoIssuer() Option { return func(o *options) { o.cognitoIssuer = true } }

// WithLogger makes the server log one line per request to l. Secrets are
// never logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithOutboxHTTP serves the outbox over HTTP at
// URL + "/_cognitosrp/outbox?userPoolId=ID[&username=NAME]", for test
// code in other languages or processes: {"messages": [{"userPoolId",
// "username", "deliveryMedium", "destination", "reason", "code", "time"}]},
// oldest first. It is a test-only power, off by default; Go tests can read
// [Server.Messages] instead.
func WithOutboxHTTP() Option { return func(o *options) { o.outboxHTTP = true } }

// WithCodeLog makes the server log every message it delivers, code or
// temporary password included, to the logger of [WithLogger]. It is a
// test-only power, off by default.
func WithCodeLog() Option { return func(o *options) { o.codeLog = true } }

// Server is a local Cognito-compatible server listening on 127.0.0.1. Its
// methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port", with no
	// trailing slash. Use it as the SDK's BaseEndpoint.
	URL string

	emu           *emulator.Emulator
	http          *http.Server
	ln            net.Listener
	clock         atomic.Pointer[func() time.Time]
	offset        atomic.Int64 // Advance, in nanoseconds
	cognitoIssuer bool
	done          chan struct{}
}

// NewServer starts a server for cfg on 127.0.0.1 on a free port. Like
// httptest.NewServer, it panics if it cannot start, including when cfg is
// invalid (see [Config.Validate]). Call Close when done.
func NewServer(cfg Config, opts ...Option) *Server {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{done: make(chan struct{}), cognitoIssuer: o.cognitoIssuer}
	s.SetClock(o.now)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("cognitotest: failed to listen on 127.0.0.1: %v", err))
	}
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	eopts := []emulator.Option{emulator.WithClock(s.now), emulator.WithIssuerBase(s.URL)}
	if o.sessionTTL != 0 {
		eopts = append(eopts, emulator.WithSessionTTL(o.sessionTTL))
	}
	shared := sharedKeys()
	if o.idKey == nil {
		o.idKey = shared[0]
	}
	if o.accessKey == nil {
		o.accessKey = shared[1]
	}
	eopts = append(eopts, emulator.WithSigningKeys(o.idKey, o.accessKey))
	if o.log != nil {
		eopts = append(eopts, emulator.WithLogger(o.log))
	}
	if o.cognitoIssuer {
		eopts = append(eopts, emulator.WithCognitoIssuer())
	}
	if o.outboxHTTP {
		eopts = append(eopts, emulator.WithOutboxHTTP())
	}
	if o.codeLog {
		eopts = append(eopts, emulator.WithCodeLog())
	}
	emu, err := emulator.New(cfg, eopts...)
	if err != nil {
		ln.Close()
		panic(fmt.Sprintf("cognitotest: %v", err))
	}
	s.emu = emu
	// Read, write and idle timeouts close slow or idle connections; the
	// emulator itself bounds the requests it serves at once.
	s.http = emulator.NewHTTPServer(emu)
	if o.timeouts != nil {
		o.timeouts(s.http)
	}
	go func() {
		defer close(s.done)
		s.http.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s
}

// sharedKeys are the default signing keys (ID tokens, access tokens) of
// every server in the process.
var sharedKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(fmt.Sprintf("cognitotest: generating a signing key: %v", err))
		}
		ks[i] = k
	}
	return ks
})

func (s *Server) now() time.Time {
	return (*s.clock.Load())().Add(time.Duration(s.offset.Load()))
}

// Now returns the server's current time: its clock (time.Now unless
// [WithClock] or [SetClock] changed it) plus what [Server.Advance] added.
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

// Handler returns the server's http.Handler, to mount it elsewhere.
func (s *Server) Handler() http.Handler { return s.emu }

// LastCode returns the code (or invitation's temporary password) of the
// last message delivered to the user (by internal user name) of a pool, and
// whether there was one.
func (s *Server) LastCode(userPoolID, username string) (string, bool) {
	return s.emu.LastCode(userPoolID, username)
}

// Messages returns every message delivered so far, oldest first (at most
// the last 1000).
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
	if s.cognitoIssuer {
		return "https://cognito-idp." + s.Region() + ".amazonaws.com/" + userPoolID
	}
	return s.URL + "/" + userPoolID
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
	code, err := emulator.TOTPCode(secret, t)
	if err != nil {
		panic("cognitotest: " + err.Error())
	}
	return code
}
