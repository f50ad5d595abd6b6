package cognitotest

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Handler is a local stand-in for the Amazon Cognito user pools API (AWS JSON
// 1.1): an http.Handler that the AWS SDKs and AWS's JavaScript client talk to
// as they would to Cognito. Its state (sessions, tokens, devices, changed
// passwords, delivered codes) lives in memory only and is lost when it is
// discarded. It is safe for concurrent use.
//
// [NewHandler] makes one for `cognitosrp serve`; [NewServer] makes one and
// serves it on 127.0.0.1 for a test. Its methods other than ServeHTTP read
// its state for tests: the outbox ([Handler.Messages], [Handler.LastCode]),
// devices and [Handler.Stats].
type Handler struct {
	region     string
	now        func() time.Time
	sessionTTL time.Duration
	log        *slog.Logger
	keys       *signingKeys
	issuerOpts issuerOptions // issuer.go

	mu           sync.Mutex
	pools        map[string]*pool
	clients      map[string]*appClient
	sessions     map[string]*authSession
	used         map[string]spentSession // consumed or ended session tokens, until they expire
	secretBlocks map[string]*authSession
	deviceSteps  map[deviceStepKey]*authSession
	grants       map[string]*grant        // by origin_jti
	refresh      map[string]*grant        // by refresh token
	outbox       map[string][]sentMessage // by pool id, oldest first
	sent         uint64                   // messages sent so far, for their order
	lastPurge    time.Time
	outboxHTTP   bool          // WithOutboxHTTP
	codeLog      bool          // WithCodeLog
	inflight     chan struct{} // a slot per request being read or served
	limits       limits
	sessionSeq   uint64 // the last authSession.seq

	// testHookResume, if set (by tests only), runs in resume before e.mu
	// is re-taken, so that tests can change state between the locks.
	testHookResume atomic.Pointer[func()]
}

// defaultKeys are the default signing keys (ID tokens, access tokens) of
// every server and handler in the process.
var defaultKeys = sync.OnceValues(func() ([2]*rsa.PrivateKey, error) {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return ks, fmt.Errorf("cognitotest: generating a signing key: %w", err)
		}
		ks[i] = k
	}
	return ks, nil
})

// NewHandler returns a handler serving the user pools of cfg, which must
// pass [Config.Validate]: the handler that `cognitosrp serve` serves, and
// that [NewServer] starts on 127.0.0.1. It turns every password into an SRP
// verifier, which takes a few milliseconds per user.
func NewHandler(cfg Config, opts ...Option) (*Handler, error) {
	o := options{now: time.Now, sessionTTL: defaultTTL, limits: defaultLimits}
	for _, opt := range opts {
		opt(&o)
	}
	return newHandler(cfg, o)
}

// newHandler is NewHandler with the options applied.
func newHandler(cfg Config, o options) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.sessionTTL <= 0 {
		return nil, fmt.Errorf("cognitotest: session TTL %v is not positive", o.sessionTTL)
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	if o.idKey == nil || o.accessKey == nil {
		shared, err := defaultKeys()
		if err != nil {
			return nil, err
		}
		if o.idKey == nil {
			o.idKey = shared[0]
		}
		if o.accessKey == nil {
			o.accessKey = shared[1]
		}
	}
	keys, err := newSigningKeys(o.idKey, o.accessKey)
	if err != nil {
		return nil, err
	}
	e := &Handler{
		region:       cfg.Region,
		now:          o.now,
		sessionTTL:   o.sessionTTL,
		log:          o.log,
		keys:         keys,
		issuerOpts:   o.issuer,
		pools:        map[string]*pool{},
		clients:      map[string]*appClient{},
		sessions:     map[string]*authSession{},
		used:         map[string]spentSession{},
		secretBlocks: map[string]*authSession{},
		deviceSteps:  map[deviceStepKey]*authSession{},
		grants:       map[string]*grant{},
		refresh:      map[string]*grant{},
		outbox:       map[string][]sentMessage{},
		outboxHTTP:   o.outboxHTTP,
		codeLog:      o.codeLog,
		limits:       o.limits,
		inflight:     make(chan struct{}, max(1, o.limits.inFlight)),
	}
	created := e.now()
	for _, pc := range cfg.UserPools {
		p, err := newPool(pc, created)
		if err != nil {
			return nil, err
		}
		e.pools[p.id] = p
		for _, c := range p.clients {
			e.clients[c.id] = c
		}
	}
	return e, nil
}

// Timeouts of the servers that NewHTTPServer returns: a client that sends
// its request slowly (slowloris), never reads the answer, or leaves a
// keep-alive connection idle, has its connection closed.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 60 * time.Second
	maxHeaderBytes    = 64 << 10
)

// NewHTTPServer returns an http.Server for h (usually a [Handler]) with
// read-header, read, write and idle timeouts and a 64 KiB header limit, so
// that no client can hold a connection for long without sending or reading.
// Callers may change the timeouts before serving.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// locked runs f with e.mu held and releases it however f returns. It holds
// the critical sections of operations that must not hold e.mu throughout:
// SRP and password checks, which take milliseconds, and token signing run
// outside it.
func (e *Handler) locked(f func() error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return f()
}

// Region returns the region of the user pools it serves.
func (e *Handler) Region() string { return e.region }

// DeviceCount returns how many confirmed devices the user (by internal user
// name) has in a pool, and whether the user exists.
func (e *Handler) DeviceCount(userPoolID, username string) (int, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.pools[userPoolID]
	if p == nil {
		return 0, false
	}
	u := p.users[username]
	if u == nil {
		return 0, false
	}
	n := 0
	for _, d := range u.devices {
		if d.confirmed() {
			n++
		}
	}
	return n, true
}

// Stats counts what a [Handler] holds in memory, for tests that check that
// it stays bounded.
type Stats struct {
	// Sessions are the sign-ins in progress: challenges issued and neither
	// answered nor expired yet. Expired ones are purged by the next request
	// at least 10 seconds after the last purge. A user has at most 20 and
	// an app client at most 50,000 (beyond either, the oldest sign-in that
	// has proven no first factor is ended, or if there is none the new one
	// refused with TooManyRequestsException), and all together at most
	// 100,000 (beyond which the oldest such sign-in of the client with the
	// most is ended).
	Sessions int
	// UsedSessions are the answered or expired Session tokens that the
	// server remembers for 10 minutes past their expiry, to tell a
	// replayed or expired Session from an unknown one. At most 100,000 are
	// kept; beyond that, one is forgotten for each new one, and a replay of
	// it is answered as an unknown Session (rejected all the same).
	UsedSessions int
	// RefreshTokens are the sign-ins whose refresh token has not expired
	// (after the app client's refreshTokenValidity, 30 days by default) or
	// expired less than 10 minutes ago, revoked or not: at most 50 per
	// user, 50,000 per app client and 100,000 in all (a new sign-in ends
	// the oldest; see the package's Limits).
	RefreshTokens int
	// Devices are the devices of all users, confirmed or not (at most 200
	// per user).
	Devices int
	// Messages are the delivered codes in the outbox (at most 1000 per
	// user pool).
	Messages int
}

// Stats returns the current counts of what e holds. It does not purge
// expired state first.
func (e *Handler) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := Stats{
		Sessions:      len(e.sessions),
		UsedSessions:  len(e.used),
		RefreshTokens: len(e.grants),
	}
	for _, p := range e.pools {
		for _, u := range p.users {
			st.Devices += len(u.devices)
		}
	}
	for _, ms := range e.outbox {
		st.Messages += len(ms)
	}
	return st
}
