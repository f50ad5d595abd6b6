package cognitotest

import (
	"cmp"
	"container/list"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
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
)

// userStatus is a user's state, Cognito's UserStatusType: a User's Status
// (CONFIRMED or FORCE_CHANGE_PASSWORD, checked by Config.Validate) or a
// state that the API moves the user to.
type userStatus string

const (
	statusConfirmed     userStatus = "CONFIRMED"
	statusForceChange   userStatus = "FORCE_CHANGE_PASSWORD"
	statusUnconfirmed   userStatus = "UNCONFIRMED"
	statusResetRequired userStatus = "RESET_REQUIRED"
)

// deviceTracking is a pool's DeviceTracking, parsed once by newPool.
type deviceTracking int

const (
	trackingOff    deviceTracking = iota // "off", the default: no devices
	trackingAlways                       // "always": every device is remembered
	trackingOptIn                        // "opt-in": the user must remember a device (UpdateDeviceStatus)
)

// parseDeviceTracking parses a UserPool's DeviceTracking ("" is "off").
func parseDeviceTracking(s string) (deviceTracking, error) {
	switch s {
	case "", "off":
		return trackingOff, nil
	case "always":
		return trackingAlways, nil
	case "opt-in":
		return trackingOptIn, nil
	}
	return 0, fmt.Errorf("%q is not one of %s", s, strings.Join(deviceTrackings, ", "))
}

// mfaMode is a pool's MFA configuration, Cognito's UserPoolMfaType, parsed
// once by newPool.
type mfaMode int

const (
	mfaOff      mfaMode = iota // OFF
	mfaOptional                // OPTIONAL: users with a factor use it
	mfaOn                      // ON: every user must have a factor (MFA_SETUP)
)

// parseMFAMode parses a UserPool's MFA; "" is OPTIONAL if one of users has a
// factor and OFF otherwise.
func parseMFAMode(s string, users []User) (mfaMode, error) {
	switch s {
	case "":
		for _, u := range users {
			if len(u.MFA) > 0 || u.TOTPSecret != "" {
				return mfaOptional, nil
			}
		}
		return mfaOff, nil
	case "OFF":
		return mfaOff, nil
	case "OPTIONAL":
		return mfaOptional, nil
	case "ON":
		return mfaOn, nil
	}
	return 0, fmt.Errorf("%q is not one of %s", s, strings.Join(poolMFAs, ", "))
}

// String returns Cognito's name of m, as DescribeUserPool's MfaConfiguration.
func (m mfaMode) String() string { return poolMFAs[m] }

type pool struct {
	// deleted is set by DeleteUserPool: a sign-in that released e.mu
	// must not go on in a deleted pool (resumeLocked).
	deleted bool

	id, name     string
	tracking     deviceTracking
	mfa          mfaMode
	customAnswer string
	clients      []*appClient
	firstFactors map[string]bool // SignInPolicy.AllowedFirstAuthFactors
	users        map[string]*user
	aliases      map[string]*user // active aliases by aliasKey (aliases.go)
	usersInOrder []*user
	groups       map[string]*group // groups.go
	settings     *poolSettings     // pools.go: what CreateUserPool set
}

type appClient struct {
	id     string
	secret string
	pool   *pool
	tokens clientTokens // lifetimes and rotation (lifetimes.go); e.mu
	info   *clientInfo  // pools.go: what CreateUserPoolClient set; e.mu
	// perms are the allowed flows and writable attributes. Sign-ins read
	// them without e.mu; UpdateUserPoolClient replaces them whole.
	perms atomic.Pointer[clientPerms]

	sessions list.List // of *authSession in progress, oldest first; e.mu
	grants   list.List // of *grant, oldest first; e.mu (grants.go)
}

type user struct {
	// gen counts the changes that end u's sign-ins in progress
	// (endSignInsLocked); a sign-in records it (authSession.gen) and
	// goes on only while it is unchanged (resumeLocked).
	gen uint64

	name        string
	sub         string
	attrs       map[string]string
	status      userStatus
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
	disabled    bool                    // AdminDisableUser
	tempExpires time.Time               // FORCE_CHANGE_PASSWORD: when the temporary password expires
	codes       map[string]*pendingCode // users.go: codes sent and not used yet
	seeded      map[string]string       // aliases.go: the config's email and phone_number, aliases unverified
	aliasKeys   map[string]string       // aliases.go: alias attribute → its key in pool.aliases
	groups      map[string]*group       // groups.go

	sessions list.List // of *authSession in progress, oldest first; e.mu
	grants   list.List // of *grant, oldest first; e.mu (grants.go)

	// Wrong passwords and wrong codes, across sessions.
	passwordFails, codeFails failures
}

// failures counts a user's failed attempts of one kind and locks them out
// as Cognito does for passwords: "After five failed sign-in attempts with a
// user's password, Amazon Cognito locks out your user for one second. The
// lockout duration then doubles after each additional one failed attempt, up
// to a maximum of approximately 15 minutes. Attempts made during a lockout
// period generate a Password attempts exceeded exception, and don't affect
// the duration of subsequent lockout periods. [...] To reset the lockout to
// its n=0 initial state, your user must either sign in successfully after a
// lockout period expires, or not initiate any sign-in attempts for 15
// consecutive minutes at any time after a lockout."
// (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication.html#authentication-flow-lockout-behavior).
// The server applies the same rule, counted apart, to wrong codes of
// every kind, which Cognito does not document.
type failures struct {
	n     int       // failed attempts, not counting those during a lockout
	last  time.Time // of the last failed attempt
	until time.Time // end of the lockout
}

const (
	lockoutAfter = 5
	lockoutMax   = 15 * time.Minute
)

// locked reports whether attempts are refused at now.
func (f *failures) locked(now time.Time) bool {
	if f.n >= lockoutAfter && now.Sub(f.last) >= lockoutMax && !now.Before(f.until) {
		*f = failures{}
	}
	return now.Before(f.until)
}

// fail counts a failed attempt made at now, outside a lockout.
func (f *failures) fail(now time.Time) {
	f.n++
	f.last = now
	if f.n >= lockoutAfter {
		d := lockoutMax
		if shift := f.n - lockoutAfter; shift < 10 {
			d = min(lockoutMax, time.Second<<shift)
		}
		f.until = now.Add(d)
	}
}

// succeed resets the count after a successful attempt.
func (f *failures) succeed() { *f = failures{} }

// reserve begins an attempt made at now, under the same lock as the check
// that follows it or before it is checked outside the lock: during a
// lockout it reports false (the attempt is refused and not counted);
// otherwise it counts the attempt as failed before it is checked, and a
// right attempt then calls succeed. Attempts checked at the same time are
// thus all counted: with the clock still, at most lockoutAfter of them are
// checked before the lockout refuses the next, as if they came one by one.
// Every password and code check goes through it (reservePasswordLocked,
// reserveCodeLocked).
func (f *failures) reserve(now time.Time) bool {
	if f.locked(now) {
		return false
	}
	f.fail(now)
	return true
}

// reservePasswordLocked reserves an attempt at u's password (see
// failures.reserve), answering Cognito's lockout error during a lockout.
// e.mu must be held.
func (u *user) reservePasswordLocked(now time.Time) error {
	if !u.passwordFails.reserve(now) {
		return notAuthorized(msgPasswordAttempts)
	}
	return nil
}

// reserveCodeLocked reserves an attempt at a code sent to u (or a TOTP
// code, or a custom challenge's answer), counted apart from passwords.
// e.mu must be held.
func (u *user) reserveCodeLocked(now time.Time) error {
	if !u.codeFails.reserve(now) {
		return errCodeAttempts()
	}
	return nil
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

// trustedLocked reports whether a sign-in with this device goes through
// DEVICE_SRP_AUTH. e.mu must be held.
func (p *pool) trustedLocked(d *device) bool {
	if d == nil || !d.confirmed() {
		return false
	}
	return p.tracking == trackingAlways || d.remembered
}

func newPool(pc UserPool, created time.Time) (*pool, error) {
	name, err := srp.PoolName(pc.ID)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: pool %s: %w", pc.ID, err)
	}
	tracking, err := parseDeviceTracking(pc.DeviceTracking)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: pool %s: deviceTracking: %w", pc.ID, err)
	}
	mfa, err := parseMFAMode(pc.MFA, pc.Users)
	if err != nil {
		return nil, fmt.Errorf("cognitotest: pool %s: mfa: %w", pc.ID, err)
	}
	p := &pool{
		id:           pc.ID,
		name:         name,
		tracking:     tracking,
		mfa:          mfa,
		customAnswer: pc.CustomChallengeAnswer,
		users:        map[string]*user{},
		aliases:      map[string]*user{},
		groups:       map[string]*group{},
		settings:     configPoolSettings(pc, created),
	}
	p.firstFactors = map[string]bool{factorPassword: true}
	if pc.SignInPolicy != nil {
		p.firstFactors = map[string]bool{}
		for _, f := range pc.SignInPolicy.AllowedFirstAuthFactors {
			p.firstFactors[f] = true
		}
	}
	for _, cc := range pc.Clients {
		c, err := newClient(cc, p)
		if err != nil {
			return nil, fmt.Errorf("cognitotest: pool %s: client %s: %w", pc.ID, cc.ID, err)
		}
		p.clients = append(p.clients, c)
	}
	for _, uc := range pc.Users {
		v, err := srp.NewVerifier(pc.ID, uc.Username, uc.Password)
		if err != nil {
			return nil, fmt.Errorf("cognitotest: pool %s: user %q: %w", pc.ID, uc.Username, err)
		}
		u := &user{
			name:     uc.Username,
			attrs:    maps.Clone(uc.Attributes),
			status:   userStatus(uc.Status), // one of userStatuses (Config.Validate)
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
		u.disabled = uc.Enabled != nil && !*uc.Enabled
		if u.status == statusForceChange {
			u.tempExpires = p.settings.tempPasswordExpiry(created)
		}
		u.seeded = map[string]string{}
		for _, a := range verifiableAttributes {
			if v := u.attrs[a]; v != "" {
				u.seeded[a] = v
			}
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
	// Config.Validate refuses an alias held twice; should one slip
	// through, the first user in the configuration keeps it.
	if err := p.addConfigGroups(pc); err != nil {
		return nil, err
	}
	for _, u := range p.usersInOrder {
		p.reindexAliasesLocked(u)
	}
	return p, nil
}

// newClient returns the app client that cc configures, in pool p. The
// config file and CreateUserPoolClient both come through here.
func newClient(cc AppClient, p *pool) (*appClient, error) {
	tokens, err := parseClientTokens(cc)
	if err != nil {
		return nil, err
	}
	info := &clientInfo{name: cmp.Or(cc.ClientName, cc.ID), created: p.settings.created, modified: p.settings.created, cfg: cc}
	c := &appClient{id: cc.ID, secret: cc.Secret, pool: p, info: info, tokens: tokens}
	c.perms.Store(newClientPerms(clientAuthFlows(cc, tokens), cc.WriteAttributes))
	return c, nil
}

// clientPerms are an app client's allowed flows and writable attributes;
// they never change once stored in appClient.perms.
type clientPerms struct {
	flows map[string]bool
	write map[string]bool // WriteAttributes; nil: the standard ones
}

func newClientPerms(flows, write []string) *clientPerms {
	cp := &clientPerms{flows: map[string]bool{}}
	for _, f := range flows {
		cp.flows[f] = true
	}
	if write != nil {
		cp.write = map[string]bool{}
		for _, a := range write {
			cp.write[a] = true
		}
	}
	return cp
}

// allows reports whether the client allows an ExplicitAuthFlows value.
func (c *appClient) allows(flow string) bool { return c.perms.Load().flows[flow] }

// mfaFactorsLocked returns the factors that sign-in asks for, given the
// pool's MFA setting. e.mu must be held.
func (p *pool) mfaFactorsLocked(u *user) []string {
	if p.mfa == mfaOff {
		return nil
	}
	if u.preferred != "" && slices.Contains(u.factors, u.preferred) {
		return []string{u.preferred}
	}
	return u.factors
}

// authSession is the server state of a sign-in between two calls.
type authSession struct {
	token   string
	expires time.Time

	// Positions in the user's and the client's lists of sessions, while
	// the session is stored.
	userElem, clientElem *list.Element

	pool   *pool
	client *appClient
	user   *user
	flow   string // the InitiateAuth AuthFlow

	challenge string // the challenge the client must answer next

	// SRP state for PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER.
	srv         *srp.Server
	secretBlock string
	// verifier is the one srv was made from: the user's (PASSWORD_VERIFIER)
	// or the device's (DEVICE_PASSWORD_VERIFIER) at the time. The answer
	// is refused unless it is still theirs.
	verifier *srp.Verifier

	deviceKey string // DEVICE_KEY the client presented

	// gen is user.gen when the sign-in began (resumeLocked).
	gen uint64
	// seq orders stored sessions, oldest first (oldestUnprovenLocked).
	seq uint64

	passwordDone    bool // the password, by SRP or plain
	otpFirstFactor  bool // the sign-in's first factor is EMAIL_OTP or SMS_OTP
	otpDone         bool // ... and its code was right
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

// firstFactorDone reports whether the sign-in has proven a first factor:
// the password (SRP_A or PASSWORD, also in CUSTOM_AUTH and the admin
// flows), a one-time password (USER_AUTH's EMAIL_OTP and SMS_OTP) or a
// custom challenge (CUSTOM_AUTH without SRP). From then on the user's state
// decides (signInStateLocked), whatever the factor was.
func (s *authSession) firstFactorDone() bool {
	return s.passwordDone || s.otpDone || s.customDone
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

	// Positions in the user's and the client's lists of grants, while the
	// grant is stored (grants.go).
	userElem, clientElem *list.Element
}

// Random values.

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("cognitotest: internal error: reading randomness: " + err.Error())
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

// verifierCurrentLocked reports whether the verifier the session's SRP
// challenge was made from is still the user's (or, if device, still the
// device's, which must still be the user's). e.mu must be held.
func (s *authSession) verifierCurrentLocked(device bool) bool {
	if s.verifier == nil {
		return false
	}
	if device {
		d := s.user.devices[s.deviceKey]
		return d != nil && d.verifier == s.verifier
	}
	return s.user.verifier == s.verifier
}
