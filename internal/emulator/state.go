package emulator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

// MFA factors and challenge names.
const (
	mfaTOTP  = "SOFTWARE_TOKEN_MFA"
	mfaSMS   = "SMS_MFA"
	mfaEmail = "EMAIL_OTP"

	chPasswordVerifier       = "PASSWORD_VERIFIER"
	chDeviceSRPAuth          = "DEVICE_SRP_AUTH"
	chDevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER"
	chNewPasswordRequired    = "NEW_PASSWORD_REQUIRED"
	chSoftwareTokenMFA       = "SOFTWARE_TOKEN_MFA"
	chSMSMFA                 = "SMS_MFA"
	chEmailOTP               = "EMAIL_OTP"
	chSMSOTP                 = "SMS_OTP"
	chSelectMFAType          = "SELECT_MFA_TYPE"
	chMFASetup               = "MFA_SETUP"
	chSelectChallenge        = "SELECT_CHALLENGE"
	chCustomChallenge        = "CUSTOM_CHALLENGE"
	chPassword               = "PASSWORD"
	chPasswordSRP            = "PASSWORD_SRP"

	statusConfirmed   = "CONFIRMED"
	statusForceChange = "FORCE_CHANGE_PASSWORD"
)

type pool struct {
	id, name     string
	tracking     string // always, opt-in, off
	mfa          string // OFF, OPTIONAL, ON
	customAnswer string
	clients      []*appClient
	users        map[string]*user
	aliases      map[string]*user
	usersInOrder []*user
}

type appClient struct {
	id     string
	secret string
	flows  map[string]bool
	pool   *pool
	tokens clientTokens // lifetimes and rotation (lifetimes.go)
}

type user struct {
	name        string
	sub         string
	attrs       map[string]string
	status      string
	verifier    *srp.Verifier
	totpSecret  []byte
	pendingTOTP []byte   // AssociateSoftwareToken's secret, until verified
	factors     []string // enabled MFA factors, in a stable order
	preferred   string
	required    []string
	groupKey    string
	devices     map[string]*device
	created     time.Time
	modified    time.Time
}

type device struct {
	key, groupKey string
	name          string
	verifier      *srp.Verifier // nil until ConfirmDevice
	remembered    bool
	created       time.Time
	modified      time.Time
	lastAuth      time.Time
	lastIP        string
}

func (d *device) confirmed() bool { return d.verifier != nil }

// trusted reports whether a sign-in with this device goes through
// DEVICE_SRP_AUTH.
func (p *pool) trusted(d *device) bool {
	if d == nil || !d.confirmed() {
		return false
	}
	return p.tracking == "always" || d.remembered
}

func newPool(pc UserPool, created time.Time) (*pool, error) {
	name, err := srp.PoolName(pc.ID)
	if err != nil {
		return nil, fmt.Errorf("emulator: pool %s: %w", pc.ID, err)
	}
	p := &pool{
		id:           pc.ID,
		name:         name,
		tracking:     pc.DeviceTracking,
		mfa:          pc.MFA,
		customAnswer: pc.CustomChallengeAnswer,
		users:        map[string]*user{},
		aliases:      map[string]*user{},
	}
	if p.tracking == "" {
		p.tracking = "off"
	}
	if p.mfa == "" {
		p.mfa = "OFF"
		for _, u := range pc.Users {
			if len(u.MFA) > 0 || u.TOTPSecret != "" {
				p.mfa = "OPTIONAL"
			}
		}
	}
	for _, cc := range pc.Clients {
		tokens, err := parseClientTokens(cc)
		if err != nil {
			return nil, fmt.Errorf("emulator: pool %s: client %s: %w", pc.ID, cc.ID, err)
		}
		c := &appClient{id: cc.ID, secret: cc.Secret, flows: map[string]bool{}, pool: p, tokens: tokens}
		for _, f := range clientAuthFlows(cc, tokens) {
			c.flows[f] = true
		}
		p.clients = append(p.clients, c)
	}
	for _, uc := range pc.Users {
		v, err := srp.NewVerifier(pc.ID, uc.Username, uc.Password)
		if err != nil {
			return nil, fmt.Errorf("emulator: pool %s: user %q: %w", pc.ID, uc.Username, err)
		}
		u := &user{
			name:     uc.Username,
			attrs:    maps.Clone(uc.Attributes),
			status:   uc.Status,
			verifier: v,
			required: slices.Clone(uc.RequiredAttributes),
			groupKey: "-" + randomAlnum(9),
			devices:  map[string]*device{},
			created:  created,
			modified: created,
		}
		if u.attrs == nil {
			u.attrs = map[string]string{}
		}
		if u.status == "" {
			u.status = statusConfirmed
		}
		u.sub = u.attrs["sub"]
		if u.sub == "" {
			u.sub = newUUID()
		}
		delete(u.attrs, "sub")
		if uc.TOTPSecret != "" {
			u.totpSecret, _ = decodeTOTPSecret(uc.TOTPSecret) // checked by Validate
		}
		for _, f := range userFactors {
			if slices.Contains(uc.MFA, f) || (f == mfaTOTP && u.totpSecret != nil) {
				u.factors = append(u.factors, f)
			}
		}
		p.users[u.name] = u
		p.usersInOrder = append(p.usersInOrder, u)
	}
	for _, u := range p.usersInOrder {
		for _, a := range aliasAttributes {
			if v := u.attrs[a]; v != "" && p.users[v] == nil {
				p.aliases[v] = u
			}
		}
	}
	return p, nil
}

// lookupUser finds a user by user name or alias (email, phone_number,
// preferred_username).
func (p *pool) lookupUser(name string) *user {
	if u := p.users[name]; u != nil {
		return u
	}
	if u := p.aliases[name]; u != nil {
		return u
	}
	// Cognito compares email aliases without regard to case.
	if strings.Contains(name, "@") {
		for alias, u := range p.aliases {
			if strings.EqualFold(alias, name) && strings.EqualFold(u.attrs["email"], alias) {
				return u
			}
		}
	}
	return nil
}

// mfaFactors returns the factors that sign-in asks for, given the pool's MFA
// setting.
func (p *pool) mfaFactors(u *user) []string {
	if p.mfa == "OFF" {
		return nil
	}
	if u.preferred != "" && slices.Contains(u.factors, u.preferred) {
		return []string{u.preferred}
	}
	return u.factors
}

// publicAttributes returns the user's attributes including sub.
func (u *user) publicAttributes() map[string]string {
	m := maps.Clone(u.attrs)
	m["sub"] = u.sub
	return m
}

// authSession is the server state of a sign-in between two calls.
type authSession struct {
	token   string
	expires time.Time

	pool   *pool
	client *appClient
	user   *user
	flow   string // the InitiateAuth AuthFlow

	challenge string // the challenge the client must answer next

	// SRP state for PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER.
	srv         *srp.Server
	secretBlock string

	deviceKey string // DEVICE_KEY the client presented

	passwordDone    bool
	otpFirstFactor  bool
	newPasswordDone bool
	deviceDone      bool
	customDone      bool
	mfaDone         bool

	code         string // SMS or email code delivered for this challenge
	attempts     int
	mfaChoices   []string
	available    []string // SELECT_CHALLENGE's choices
	setupSecret  []byte   // MFA_SETUP: associated TOTP secret
	setupChecked bool     // MFA_SETUP: VerifySoftwareToken succeeded
}

// deviceStepKey finds the session awaiting DEVICE_SRP_AUTH when the client
// sends no Session, as some clients do.
type deviceStepKey struct {
	client, user, device string
}

// grant is one sign-in: the refresh token and every access token issued from
// it share its origin_jti.
type grant struct {
	originJTI    string
	refreshToken string
	pool         *pool
	client       *appClient
	user         *user
	deviceKey    string
	authTime     time.Time
	expires      time.Time // of the refresh token
	revoked      bool
	flow         string               // the sign-in's AuthFlow
	issued       []string             // refresh tokens issued by rotation, oldest first (refresh.go)
	retired      map[string]time.Time // rotated-out refresh tokens: usable until
}

// Message is a code that the emulator "delivered" by SMS or email.
type Message struct {
	// UserPoolID and Username (the internal name) say whom it was sent to.
	UserPoolID, Username string
	// Medium is "SMS" or "EMAIL".
	Medium string
	// Destination is the phone number or email address.
	Destination string
	// Challenge is the challenge the code answers, such as "SMS_MFA".
	Challenge string
	// Code is the 6-digit code.
	Code string
	// Time is when it was sent, by the emulator's clock.
	Time time.Time
}

// Messages returns the codes delivered so far, oldest first (at most the
// last 1000).
func (e *Emulator) Messages() []Message {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.outbox)
}

// LastCode returns the last SMS or email code delivered to the user (by
// internal user name) of a pool.
func (e *Emulator) LastCode(userPoolID, username string) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.outbox) - 1; i >= 0; i-- {
		m := e.outbox[i]
		if m.UserPoolID == userPoolID && m.Username == username {
			return m.Code, true
		}
	}
	return "", false
}

// DeviceCount returns how many confirmed devices the user (by internal user
// name) has in a pool, and whether the user exists.
func (e *Emulator) DeviceCount(userPoolID, username string) (int, bool) {
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

// Stats counts what an [Emulator] holds in memory, for tests that check that
// it stays bounded.
type Stats struct {
	// Sessions are the sign-ins in progress: challenges issued and neither
	// answered nor expired yet. Expired ones are purged by the next request
	// at least 10 seconds after the last purge; at most 100,000 are kept,
	// beyond which new challenges are refused with TooManyRequestsException.
	Sessions int
	// UsedSessions are the answered or expired Session tokens that the
	// emulator remembers for 10 minutes past their expiry, to tell a
	// replayed or expired Session from an unknown one. At most 100,000 are
	// kept; beyond that, one is forgotten for each new one, and a replay of
	// it is answered as an unknown Session (rejected all the same).
	UsedSessions int
	// RefreshTokens are the sign-ins whose refresh token has not expired
	// (after the app client's refreshTokenValidity, 30 days by default) or
	// expired less than 10 minutes ago, revoked or not.
	RefreshTokens int
	// Devices are the devices of all users, confirmed or not (at most 200
	// per user).
	Devices int
	// Messages are the delivered codes in the outbox (at most 1000).
	Messages int
}

// Stats returns the current counts of what e holds. It does not purge
// expired state first.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := Stats{
		Sessions:      len(e.sessions),
		UsedSessions:  len(e.used),
		RefreshTokens: len(e.grants),
		Messages:      len(e.outbox),
	}
	for _, p := range e.pools {
		for _, u := range p.users {
			st.Devices += len(u.devices)
		}
	}
	return st
}

// deliver records a code in the outbox. e.mu must be held.
func (e *Emulator) deliver(s *authSession, challenge string, now time.Time) (medium, dest string) {
	medium, dest = "EMAIL", s.user.attrs["email"]
	if challenge == chSMSMFA || challenge == chSMSOTP {
		medium, dest = "SMS", s.user.attrs["phone_number"]
	}
	s.code = randomDigits(6)
	s.attempts = 0
	if len(e.outbox) >= maxOutbox {
		e.outbox = slices.Delete(e.outbox, 0, len(e.outbox)-maxOutbox+1)
	}
	e.outbox = append(e.outbox, Message{
		UserPoolID: s.pool.id, Username: s.user.name, Medium: medium,
		Destination: dest, Challenge: challenge, Code: s.code, Time: now,
	})
	return medium, maskDestination(medium, dest)
}

// maskDestination masks an address as Cognito's CODE_DELIVERY_DESTINATION
// does: "+*******1234" or "a***@e***".
func maskDestination(medium, dest string) string {
	if medium == "SMS" {
		b := []byte(dest)
		digits := 0
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] >= '0' && b[i] <= '9' {
				digits++
				if digits > 4 {
					b[i] = '*'
				}
			}
		}
		return string(b)
	}
	local, domain, ok := strings.Cut(dest, "@")
	if !ok || local == "" || domain == "" {
		return "***"
	}
	return local[:1] + "***@" + domain[:1] + "***"
}

// putSession stores s under a fresh token and returns the token. e.mu must be
// held.
func (e *Emulator) putSession(s *authSession, now time.Time) (string, error) {
	if len(e.sessions) >= maxSessions {
		e.purge(now)
		if len(e.sessions) >= maxSessions {
			return "", newError("TooManyRequestsException", "Too many sign-ins in progress.")
		}
	}
	s.token = randomToken(96)
	s.expires = now.Add(e.sessionTTL)
	e.sessions[s.token] = s
	if s.secretBlock != "" {
		e.secretBlocks[s.secretBlock] = s
	}
	if s.challenge == chDeviceSRPAuth {
		e.deviceSteps[deviceStepKey{s.client.id, s.user.name, s.deviceKey}] = s
	}
	return s.token, nil
}

// dropSession removes s and remembers its token as used. e.mu must be held.
func (e *Emulator) dropSession(s *authSession) {
	if e.sessions[s.token] != s {
		return
	}
	delete(e.sessions, s.token)
	if len(e.used) >= maxSessions {
		// Forget one: only the error message of a replay depends on it.
		for t := range e.used {
			delete(e.used, t)
			break
		}
	}
	e.used[s.token] = s.expires
	if s.secretBlock != "" && e.secretBlocks[s.secretBlock] == s {
		delete(e.secretBlocks, s.secretBlock)
	}
	k := deviceStepKey{s.client.id, s.user.name, s.deviceKey}
	if e.deviceSteps[k] == s {
		delete(e.deviceSteps, k)
	}
}

// findSession returns the live session with the given token, or an error in
// Cognito's words. e.mu must be held.
func (e *Emulator) findSession(token string, now time.Time) (*authSession, *apiError) {
	s := e.sessions[token]
	if s == nil {
		if exp, ok := e.used[token]; ok {
			if now.After(exp) {
				return nil, notAuthorized(msgSessionExpired)
			}
			return nil, notAuthorized(msgSessionUsed)
		}
		return nil, notAuthorized(msgInvalidSession)
	}
	if now.After(s.expires) {
		e.dropSession(s)
		return nil, notAuthorized(msgSessionExpired)
	}
	return s, nil
}

// checkLive reports the error for a session found by another index.
func (e *Emulator) checkLive(s *authSession, now time.Time) *apiError {
	if now.After(s.expires) {
		e.dropSession(s)
		return notAuthorized(msgSessionExpired)
	}
	return nil
}

func (e *Emulator) maybePurge(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if now.Sub(e.lastPurge) < purgeInterval && now.After(e.lastPurge) {
		return
	}
	e.purge(now)
}

// purge forgets expired sessions, used session tokens and grants. e.mu must
// be held.
func (e *Emulator) purge(now time.Time) {
	e.lastPurge = now
	for _, s := range e.sessions {
		if now.After(s.expires) {
			e.dropSession(s)
		}
	}
	for t, exp := range e.used {
		// Kept a while after expiry to tell "expired" from "unknown".
		if now.After(exp.Add(usedRetention)) {
			delete(e.used, t)
		}
	}
	for id, g := range e.grants {
		// Kept a while after expiry to answer "Refresh Token has expired".
		if now.After(g.expires.Add(usedRetention)) {
			delete(e.grants, id)
			e.forgetGrantTokensLocked(g)
		}
	}
}

// Random values.

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("emulator: internal error: reading randomness: " + err.Error())
	}
	return b
}

// randomToken returns an opaque URL-safe token from n random bytes.
func randomToken(n int) string { return base64.RawURLEncoding.EncodeToString(randomBytes(n)) }

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0' + byte(uniform(10))
	}
	return string(b)
}

func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[uniform(len(alphabet))]
	}
	return string(b)
}

// uniform returns a uniformly random integer in [0, n), n ≤ 256.
func uniform(n int) int {
	limit := 256 - 256%n
	for {
		b := randomBytes(1)[0]
		if int(b) < limit {
			return int(b) % n
		}
	}
}

func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// constantTimeEqual compares two strings in time that depends only on their
// lengths.
func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
