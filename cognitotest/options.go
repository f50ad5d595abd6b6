package cognitotest

import (
	"crypto/rsa"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a [Handler] (see [NewHandler]) or a [Server] (see
// [NewServer]): both take the same options.
type Option func(*options)

type options struct {
	now        func() time.Time
	sessionTTL time.Duration
	idKey      *rsa.PrivateKey
	accessKey  *rsa.PrivateKey
	log        *slog.Logger
	outboxHTTP bool
	codeLog    bool
	limits     limits
	issuer     issuerOptions
	// timeouts changes a Server's timeouts (tests shorten them through
	// export_test.go).
	timeouts func(*http.Server)
}

// limits are the handler's bounds on state and concurrency; tests lower
// them through export_test.go.
type limits struct {
	sessions, userSessions, clientSessions int
	grants, userGrants, clientGrants       int // grants.go
	users, poolUsers                       int // pools.go
	groups, poolGroups                     int
	clients, poolClients                   int
	inFlight                               int
}

var defaultLimits = limits{
	sessions: maxSessions, userSessions: maxUserSessions, clientSessions: maxClientSessions,
	grants: maxGrants, userGrants: maxUserGrants, clientGrants: maxClientGrants,
	users: maxUsers, poolUsers: maxPoolUsers, groups: maxGroups, poolGroups: maxPoolGroups,
	clients: maxClients, poolClients: maxPoolClients,
	inFlight: maxInFlight,
}

// WithClock makes the server read the time from now instead of time.Now:
// for session and token expiry, TIMESTAMP checks and TOTP codes. It is a
// test-only power, off by default; see also [Server.SetClock] and
// [Server.Advance].
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithSessionTTL sets how long a challenge's Session (and its SECRET_BLOCK)
// stays valid. The default is 3 minutes, as in Cognito. d must be positive:
// NewHandler returns an error for any other, and NewServer panics.
func WithSessionTTL(d time.Duration) Option { return func(o *options) { o.sessionTTL = d } }

// WithSigningKey makes the server sign ID tokens with key (RSA, at least
// 2048 bits); access tokens are still signed with the default access-token
// key, unless [WithSigningKeys] sets it. WithSigningKeys(key, key) signs
// both with one key, so that the key set has one key where Cognito's has
// two.
func WithSigningKey(key *rsa.PrivateKey) Option { return func(o *options) { o.idKey = key } }

// WithSigningKeys makes the server sign ID tokens with idKey and access
// tokens with accessKey (RSA, at least 2048 bits each), as Cognito signs
// them with two keys of its key set. By default, every server and handler
// of a process shares two RSA-2048 keys, generated when the first one
// starts (generating them per server would slow tests down); a server
// still rejects tokens that another server issued.
func WithSigningKeys(idKey, accessKey *rsa.PrivateKey) Option {
	return func(o *options) { o.idKey, o.accessKey = idKey, accessKey }
}

// WithLogger makes the server log one line per request (operation, HTTP
// status, duration, and when present the auth flow, challenge name, app
// client id, user name, error type and message) to l. Passwords, codes,
// tokens, signatures, secret hashes and SRP values are never logged. The
// default discards logs.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// WithIssuerBase sets the server's own URL, such as "http://127.0.0.1:9229"
// (no trailing slash): tokens then have iss = base + "/" + the pool id, and
// the OpenID configuration points at base. Without it, the base is "http://"
// and the local address of the connection a request came on (the address
// the server listens on), never the request's Host header, so that the
// issuer is the same for "localhost" and "127.0.0.1". A server that listens
// on every interface (0.0.0.0) should set it. [NewServer] sets it to
// [Server.URL] unless it is given.
func WithIssuerBase(base string) Option {
	return func(o *options) { o.issuer.base = strings.TrimSuffix(base, "/") }
}

// WithCognitoIssuer makes tokens carry Cognito's own issuer,
// iss = "https://cognito-idp.<region>.amazonaws.com/<poolId>", so that
// verifiers that accept only Cognito's issuer (aws-jwt-verify's
// CognitoJwtVerifier, for one) accept them when given the local key set.
// The key set and the OpenID configuration are still served locally, at
// <base>/<poolId>/.well-known/. It is a test-only power, off by default:
// without it the issuer is the server's own URL and the pool id.
func WithCognitoIssuer() Option { return func(o *options) { o.issuer.cognito = true } }

// WithOutboxHTTP serves the outbox over HTTP, for tests written in any
// language:
//
//	GET /_cognitosrp/outbox?userPoolId=ID[&username=NAME]
//
// answers {"messages": [{"userPoolId", "username", "deliveryMedium",
// "destination", "reason", "code", "time"}]}, oldest first, where username
// is the internal user name and time is RFC 3339. It is a test-only power
// that Cognito does not have: it hands out every code and temporary
// password to anyone who can reach the server. Without this option nothing
// is served under /_cognitosrp/.
func WithOutboxHTTP() Option { return func(o *options) { o.outboxHTTP = true } }

// WithCodeLog makes the server log every message it delivers, code or
// temporary password included, to the logger of [WithLogger] at level
// Info. It is a test-only power, off by default: the other log lines never
// hold a code.
func WithCodeLog() Option { return func(o *options) { o.codeLog = true } }
