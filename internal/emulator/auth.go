package emulator

import (
	"crypto/hmac"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

// minPasswordLength is Cognito's default minimum password length, the
// policy of configured pools without a passwordPolicy.
const minPasswordLength = 8

var authFlows = []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH"}

var challengeNames = []string{"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP"}

func enumConstraint(values []string) string {
	return "Member must satisfy enum value set: [" + strings.Join(values, ", ") + "]"
}

type initiateAuthInput struct {
	AuthFlow       string            `json:"AuthFlow"`
	AuthParameters map[string]string `json:"AuthParameters"`
	ClientId       string            `json:"ClientId"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
	Session        string            `json:"Session"`
}

type respondInput struct {
	ChallengeName      string            `json:"ChallengeName"`
	ChallengeResponses map[string]string `json:"ChallengeResponses"`
	ClientId           string            `json:"ClientId"`
	ClientMetadata     map[string]string `json:"ClientMetadata"`
	Session            string            `json:"Session"`
}

// authOutput is the output of InitiateAuth and RespondToAuthChallenge.
type authOutput struct {
	AuthenticationResult *authResult       `json:"AuthenticationResult,omitempty"`
	AvailableChallenges  []string          `json:"AvailableChallenges,omitempty"`
	ChallengeName        string            `json:"ChallengeName,omitempty"`
	ChallengeParameters  map[string]string `json:"ChallengeParameters"`
	Session              string            `json:"Session,omitempty"`
}

// lookupClient finds an app client. e.mu must not be held.
func (e *Emulator) lookupClient(id string) (*appClient, *apiError) {
	if id == "" {
		return nil, nullMember("clientId")
	}
	e.mu.Lock()
	c := e.clients[id]
	e.mu.Unlock()
	if c == nil {
		return nil, newError(errResourceNotFound, "User pool client %s does not exist.", truncate(id, 128))
	}
	return c, nil
}

// checkSecretHash checks SECRET_HASH for a client with a secret against any
// of the names (the first is the one Cognito documents).
func checkSecretHash(c *appClient, got string, names ...string) *apiError {
	if c.secret == "" {
		return nil
	}
	if got == "" {
		return notAuthorized("Client " + c.id + " is configured with secret but SECRET_HASH was not received")
	}
	ok := 0
	for _, n := range names {
		if hmac.Equal([]byte(got), []byte(secrethash.Compute(c.id, c.secret, n))) {
			ok = 1
		}
	}
	if ok == 0 {
		return notAuthorized("Unable to verify secret hash for client " + c.id)
	}
	return nil
}

func (e *Emulator) initiateAuth(rc *reqCtx, body []byte) (any, error) {
	var in initiateAuthInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	return e.initiate(rc, &in)
}

// initiate is InitiateAuth, and AdminInitiateAuth except for
// ADMIN_USER_PASSWORD_AUTH (admin.go).
func (e *Emulator) initiate(rc *reqCtx, in *initiateAuthInput) (any, error) {
	if in.ClientId == "" {
		return nil, nullMember("clientId")
	}
	if in.AuthFlow == "" {
		return nil, nullMember("authFlow")
	}
	if !slices.Contains(authFlows, in.AuthFlow) {
		return nil, validationError("'"+truncate(in.AuthFlow, 64)+"'", "authFlow", enumConstraint(authFlows))
	}
	c, aerr := e.lookupClient(in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	ap := in.AuthParameters
	if ap == nil {
		ap = map[string]string{}
	}
	var allow string
	switch in.AuthFlow {
	case "USER_SRP_AUTH":
		allow = flowAllowUserSRP
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		if !c.allows(flowAllowRefresh) {
			return nil, invalidParam("Refresh Token Flow not enabled for this client")
		}
		return e.refreshAuth(rc, c, ap)
	case "CUSTOM_AUTH":
		allow = flowAllowCustom
	case "USER_PASSWORD_AUTH":
		if !c.allows(flowAllowUserPassword) {
			return nil, invalidParam("USER_PASSWORD_AUTH flow not enabled for this client")
		}
	case "USER_AUTH":
		allow = flowAllowUserAuth
	default: // ADMIN_NO_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH
		return nil, invalidParam("Initiate Auth method not supported.")
	}
	if allow != "" && !c.allows(allow) {
		return nil, invalidParam("%s is not enabled for the client.", in.AuthFlow)
	}
	username := ap["USERNAME"]
	if username == "" {
		return nil, missingParam("USERNAME")
	}
	if err := checkSecretHash(c, ap["SECRET_HASH"], username); err != nil {
		return nil, err
	}
	e.mu.Lock()
	u := c.pool.lookupUser(username)
	disabled := u != nil && u.disabled
	e.mu.Unlock()
	if u == nil {
		return nil, newError(errUserNotFound, msgUserNotFound)
	}
	if disabled {
		return nil, notAuthorized(msgUserDisabled)
	}
	s := &authSession{pool: c.pool, client: c, user: u, flow: in.AuthFlow, deviceKey: ap["DEVICE_KEY"]}
	switch in.AuthFlow {
	case "USER_SRP_AUTH":
		if ap["SRP_A"] == "" {
			return nil, missingParam("SRP_A")
		}
		return e.startSRP(rc, s, ap["SRP_A"])
	case "CUSTOM_AUTH":
		if c.pool.customAnswer == "" {
			return nil, invalidParam("Custom auth lambda trigger is not configured for the user pool.")
		}
		if ap["CHALLENGE_NAME"] == "SRP_A" {
			if ap["SRP_A"] == "" {
				return nil, missingParam("SRP_A")
			}
			return e.startSRP(rc, s, ap["SRP_A"])
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		s.challenge = chCustomChallenge
		return e.put(rc, s, map[string]string{"USERNAME": u.name})
	case "USER_PASSWORD_AUTH":
		if ap["PASSWORD"] == "" {
			return nil, missingParam("PASSWORD")
		}
		return e.passwordFactor(rc, s, ap["PASSWORD"])
	default: // USER_AUTH
		return e.userAuth(rc, s, ap)
	}
}

// userAuth starts a USER_AUTH (choice-based) sign-in.
func (e *Emulator) userAuth(rc *reqCtx, s *authSession, ap map[string]string) (any, error) {
	e.mu.Lock()
	s.available = availableChallenges(s.pool, s.user)
	e.mu.Unlock()
	pref := ap["PREFERRED_CHALLENGE"]
	if len(s.available) == 0 {
		return nil, notAuthorized("No authentication factor is available for the user.")
	}
	// A preferred challenge that is not available falls back to
	// SELECT_CHALLENGE among those that are.
	ok := slices.Contains(s.available, pref)
	switch pref {
	case "":
	case chPasswordSRP:
		if !ok {
			break
		}
		if ap["SRP_A"] == "" {
			return nil, missingParam("SRP_A")
		}
		return e.startSRP(rc, s, ap["SRP_A"])
	case chPassword:
		if !ok {
			break
		}
		if ap["PASSWORD"] == "" {
			return nil, missingParam("PASSWORD")
		}
		return e.passwordFactor(rc, s, ap["PASSWORD"])
	case chEmailOTP, chSMSOTP, "WEB_AUTHN":
		if ok {
			e.mu.Lock()
			defer e.mu.Unlock()
			return e.otpChallenge(rc, s, pref, true)
		}
	default:
		return nil, invalidParam("Invalid PREFERRED_CHALLENGE: %s", truncate(pref, 64))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s.challenge = chSelectChallenge
	// Like every challenge after InitiateAuth, SELECT_CHALLENGE names the
	// user (USERNAME, the internal user name), so that a client that signed
	// in with an alias can compute the SECRET_HASH of its answer, as
	// Amplify's signIn with USER_AUTH does ("ChallengeParameters?.USERNAME
	// ?? username").
	out, err := e.put(rc, s, map[string]string{"USERNAME": s.user.name})
	if err != nil {
		return nil, err
	}
	out.AvailableChallenges = slices.Clone(s.available)
	return out, nil
}

// availableChallenges are the first factors USER_AUTH offers a user: those
// the pool's sign-in policy allows (Cognito's
// Policies.SignInPolicy.AllowedFirstAuthFactors, PASSWORD alone by
// default) that the user can use. A one-time password is offered only to a
// user with the attribute to send it to, and not when MFA applies to the
// user: Cognito offers passwordless sign-in only to users without MFA
// ("If a user has MFA configured, passwordless sign-in options will not be
// available", https://docs.amplify.aws/react/build-a-backend/auth/concepts/passwordless/,
// citing https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html#user-pool-settings-mfa-prerequisites).
// e.mu must be held.
func availableChallenges(p *pool, u *user) []string {
	var av []string
	if p.firstFactors[factorPassword] {
		av = append(av, chPasswordSRP, chPassword)
	}
	passwordless := p.mfa != "ON" && len(p.mfaFactors(u)) == 0
	if passwordless && p.firstFactors[factorEmailOTP] && u.attrs["email"] != "" {
		av = append(av, chEmailOTP)
	}
	if passwordless && p.firstFactors[factorSMSOTP] && u.attrs["phone_number"] != "" {
		av = append(av, chSMSOTP)
	}
	return av
}

// startSRP answers PASSWORD_VERIFIER to a client's SRP_A. e.mu must not be
// held.
func (e *Emulator) startSRP(rc *reqCtx, s *authSession, srpA string) (any, error) {
	e.mu.Lock()
	v := s.user.verifier
	e.mu.Unlock()
	srv, err := srp.NewServer(v, srpA)
	if err != nil {
		return nil, srpError(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n := stepFrom(s, chPasswordVerifier)
	n.srv = srv
	n.secretBlock = srv.SecretBlock()
	return e.put(rc, n, map[string]string{
		"SALT":            srv.Salt(),
		"SECRET_BLOCK":    n.secretBlock,
		"SRP_B":           srv.SRPB(),
		"USERNAME":        s.user.name,
		"USER_ID_FOR_SRP": s.user.name,
	})
}

// passwordFactor checks a plain password (USER_PASSWORD_AUTH, USER_AUTH's
// PASSWORD) and continues the sign-in. e.mu must not be held.
func (e *Emulator) passwordFactor(rc *reqCtx, s *authSession, password string) (any, error) {
	e.mu.Lock()
	v := s.user.verifier
	locked := s.user.passwordFails.locked(rc.now)
	e.mu.Unlock()
	if locked {
		return nil, notAuthorized(msgPasswordAttempts)
	}
	ok := v.CheckPassword(password)
	e.mu.Lock()
	if !ok {
		s.user.passwordFails.fail(rc.now)
		e.mu.Unlock()
		return nil, notAuthorized(msgIncorrect)
	}
	s.user.passwordFails.succeed()
	s.passwordDone = true
	out, pt, err := e.afterPassword(rc, s)
	e.mu.Unlock()
	return e.finish(out, pt, err)
}

// afterPassword checks the presented device once the password is known to
// be right, then continues. e.mu must be held.
func (e *Emulator) afterPassword(rc *reqCtx, s *authSession) (*authOutput, *pendingTokens, *apiError) {
	if s.deviceKey != "" && s.pool.tracking != "off" && s.user.devices[s.deviceKey] == nil {
		return nil, nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	return e.advance(rc, s)
}

// finish signs pending tokens, if any, outside the lock.
func (e *Emulator) finish(out *authOutput, pt *pendingTokens, aerr *apiError) (any, error) {
	if aerr != nil {
		return nil, aerr
	}
	if pt != nil {
		res, err := e.signTokens(pt)
		if err != nil {
			return nil, err
		}
		out.AuthenticationResult = res
	}
	return out, nil
}

// stepFrom returns the state of the next challenge of a sign-in.
func stepFrom(prev *authSession, challenge string) *authSession {
	n := *prev
	n.token = ""
	n.userElem, n.clientElem = nil, nil
	n.challenge = challenge
	n.srv = nil
	n.secretBlock = ""
	n.code = ""
	n.attempts = 0
	return &n
}

// put stores a challenge's session. e.mu must be held.
func (e *Emulator) put(rc *reqCtx, s *authSession, params map[string]string) (*authOutput, error) {
	tok, err := e.putSession(s, rc.now)
	if err != nil {
		return nil, err
	}
	return &authOutput{ChallengeName: s.challenge, ChallengeParameters: params, Session: tok}, nil
}

// advance decides what comes after a completed factor: another challenge or
// the tokens. e.mu must be held.
func (e *Emulator) advance(rc *reqCtx, s *authSession) (*authOutput, *pendingTokens, *apiError) {
	if aerr := signInStateLocked(s, rc.now); aerr != nil {
		return nil, nil, aerr
	}
	p, u := s.pool, s.user
	step := func(name string, params map[string]string, mod func(*authSession)) (*authOutput, *pendingTokens, *apiError) {
		n := stepFrom(s, name)
		if mod != nil {
			mod(n)
		}
		out, err := e.put(rc, n, params)
		if err != nil {
			return nil, nil, asAPIError(err)
		}
		return out, nil, nil
	}
	// A temporary password must be changed after any first factor,
	// passwordless ones included.
	if (s.passwordDone || s.otpFirstFactor) && u.status == statusForceChange && !s.newPasswordDone {
		return step(chNewPasswordRequired, newPasswordParams(u), nil)
	}
	var d *device
	if s.deviceKey != "" && p.tracking != "off" {
		d = u.devices[s.deviceKey]
	}
	if s.passwordDone && !s.deviceDone && p.trusted(d) {
		return step(chDeviceSRPAuth, map[string]string{"USERNAME": u.name}, nil)
	}
	// A remembered device stands in for MFA, as with Cognito's "suppress
	// MFA on remembered devices".
	if !s.deviceDone {
		if s.flow == "CUSTOM_AUTH" && !s.customDone {
			return step(chCustomChallenge, map[string]string{"USERNAME": u.name}, nil)
		}
		if s.flow != "CUSTOM_AUTH" && !s.mfaDone {
			factors := p.mfaFactors(u)
			switch {
			case len(factors) == 1:
				out, err := e.mfaChallenge(rc, s, factors[0])
				return out, nil, asAPIError(err)
			case len(factors) > 1:
				choices, _ := json.Marshal(factors)
				return step(chSelectMFAType, map[string]string{"MFAS_CAN_CHOOSE": string(choices), userIDForSRP: u.name}, func(n *authSession) {
					n.mfaChoices = slices.Clone(factors)
				})
			case p.mfa == "ON":
				return step(chMFASetup, map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`, userIDForSRP: u.name}, nil)
			}
		}
	}
	return &authOutput{ChallengeParameters: map[string]string{}}, e.completeSignIn(rc, s), nil
}

func asAPIError(err error) *apiError {
	if err == nil {
		return nil
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return &apiError{Status: 500, Type: errInternal, Message: "Internal error"}
}

// newPasswordParams are NEW_PASSWORD_REQUIRED's challenge parameters: the
// user's attributes and the required ones, as JSON strings. e.mu must be
// held.
func newPasswordParams(u *user) map[string]string {
	attrs, _ := json.Marshal(u.attrs)
	req := make([]string, 0, len(u.required))
	for _, a := range u.required {
		req = append(req, "userAttributes."+a)
	}
	reqJSON, _ := json.Marshal(req)
	return map[string]string{"userAttributes": string(attrs), "requiredAttributes": string(reqJSON), userIDForSRP: u.name}
}

// userIDForSRP names the user in the parameters of the challenges that
// follow a first factor, so that clients that signed in with an alias (and
// without SRP, whose PASSWORD_VERIFIER names the user) can answer with the
// user name and its SECRET_HASH: "the AdminInitiateAuth response includes
// the actual username value in the USERNAMEUSER_ID_FOR_SRP attribute, even
// if you specified an alias" (AWS CLI reference,
// admin-respond-to-auth-challenge; its admin-initiate-auth example shows it
// in NEW_PASSWORD_REQUIRED). Cognito's own answers show it in
// SOFTWARE_TOKEN_MFA too; that it is in SMS_MFA, EMAIL_OTP,
// SELECT_MFA_TYPE and MFA_SETUP is assumed.
const userIDForSRP = "USER_ID_FOR_SRP"

// mfaChallenge asks for an MFA factor. e.mu must be held.
func (e *Emulator) mfaChallenge(rc *reqCtx, s *authSession, factor string) (*authOutput, error) {
	n := stepFrom(s, factor)
	params := map[string]string{userIDForSRP: s.user.name}
	if factor != mfaTOTP {
		medium, dest := e.deliver(n, factor, rc.now)
		params["CODE_DELIVERY_DELIVERY_MEDIUM"] = medium
		params["CODE_DELIVERY_DESTINATION"] = dest
	}
	return e.put(rc, n, params)
}

// otpChallenge sends a one-time code as a first factor (USER_AUTH's
// EMAIL_OTP and SMS_OTP). e.mu must be held.
func (e *Emulator) otpChallenge(rc *reqCtx, s *authSession, challenge string, first bool) (*authOutput, error) {
	n := stepFrom(s, challenge)
	n.otpFirstFactor = first
	medium, dest := e.deliver(n, challenge, rc.now)
	return e.put(rc, n, map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
		"CODE_DELIVERY_DESTINATION":     dest,
		"USERNAME":                      s.user.name,
	})
}

// respondToAuthChallenge answers RespondToAuthChallenge.
func (e *Emulator) respondToAuthChallenge(rc *reqCtx, body []byte) (any, error) {
	var in respondInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	return e.respond(rc, &in)
}

// respond is RespondToAuthChallenge and AdminRespondToAuthChallenge.
func (e *Emulator) respond(rc *reqCtx, in *respondInput) (any, error) {
	if in.ClientId == "" {
		return nil, nullMember("clientId")
	}
	if in.ChallengeName == "" {
		return nil, nullMember("challengeName")
	}
	if !slices.Contains(challengeNames, in.ChallengeName) {
		return nil, validationError("'"+truncate(in.ChallengeName, 64)+"'", "challengeName", enumConstraint(challengeNames))
	}
	c, aerr := e.lookupClient(in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	cr := in.ChallengeResponses
	if cr == nil {
		cr = map[string]string{}
	}
	r := &responder{e: e, rc: rc, c: c, in: in, cr: cr}
	switch in.ChallengeName {
	case chPasswordVerifier, chDevicePasswordVerifier:
		return r.passwordVerifier()
	case chDeviceSRPAuth:
		return r.deviceSRPAuth()
	case chNewPasswordRequired:
		return r.newPassword()
	case chSMSMFA, chEmailOTP, chSMSOTP, chSoftwareTokenMFA:
		return r.code()
	case chSelectMFAType:
		return r.selectMFAType()
	case chMFASetup:
		return r.mfaSetup()
	case chSelectChallenge:
		return r.selectChallenge()
	case chCustomChallenge:
		return r.customChallenge()
	default: // ADMIN_NO_SRP_AUTH, PASSWORD, PASSWORD_SRP, WEB_AUTHN
		return nil, invalidParam("Challenge %s is not supported by RespondToAuthChallenge.", in.ChallengeName)
	}
}

// responder handles one RespondToAuthChallenge call.
type responder struct {
	e  *Emulator
	rc *reqCtx
	c  *appClient
	in *respondInput
	cr map[string]string
}

// require returns the named challenge responses, or the error for the first
// missing one.
func (r *responder) require(names ...string) *apiError {
	for _, n := range names {
		if r.cr[n] == "" {
			return missingParam(n)
		}
	}
	return nil
}

// session finds the sign-in the call continues, without consuming it, and
// checks the client, the challenge name, USERNAME and SECRET_HASH. e.mu must
// be held.
func (r *responder) session() (*authSession, *apiError) {
	e, now := r.e, r.rc.now
	var s *authSession
	switch {
	case r.in.Session != "":
		var err *apiError
		if s, err = e.findSession(r.in.Session, now); err != nil {
			return nil, err
		}
	case r.in.ChallengeName == chPasswordVerifier || r.in.ChallengeName == chDevicePasswordVerifier:
		// AWS's clients may leave out the Session of PASSWORD_VERIFIER: the
		// SECRET_BLOCK identifies the sign-in.
		if s = e.secretBlocks[r.cr["PASSWORD_CLAIM_SECRET_BLOCK"]]; s == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
	case r.in.ChallengeName == chDeviceSRPAuth:
		u := r.c.pool.lookupUser(r.cr["USERNAME"])
		if u == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
		if s = e.deviceSteps[deviceStepKey{r.c.id, u.name, r.cr["DEVICE_KEY"]}]; s == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
	default:
		return nil, missingParam("Session")
	}
	if err := e.checkLive(s, now); err != nil {
		return nil, err
	}
	if s.client != r.c {
		return nil, notAuthorized(msgInvalidSession)
	}
	if s.challenge != r.in.ChallengeName {
		return nil, invalidParam("Invalid challenge name %s: the session expects %s.", r.in.ChallengeName, s.challenge)
	}
	if name := r.cr["USERNAME"]; name != "" && r.c.pool.lookupUser(name) != s.user {
		return nil, notAuthorized(msgInvalidSession)
	}
	if err := checkSecretHash(r.c, r.cr["SECRET_HASH"], s.user.name); err != nil {
		return nil, err
	}
	return s, nil
}

// passwordVerifier answers PASSWORD_VERIFIER and DEVICE_PASSWORD_VERIFIER.
func (r *responder) passwordVerifier() (any, error) {
	e := r.e
	device := r.in.ChallengeName == chDevicePasswordVerifier
	if err := r.require("USERNAME", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"); err != nil {
		return nil, err
	}
	if device {
		if err := r.require("DEVICE_KEY"); err != nil {
			return nil, err
		}
	}
	claim, err := srp.ParseClaimResponses(r.cr)
	var pe *srp.ParameterError
	if errors.As(err, &pe) {
		switch pe.Param {
		case "TIMESTAMP":
			return nil, invalidParam(msgTimestampFormat)
		case "PASSWORD_CLAIM_SIGNATURE":
			return nil, notAuthorized(msgIncorrect)
		default:
			return nil, notAuthorized(msgInvalidSession)
		}
	} else if err != nil {
		return nil, asAPIError(err)
	}

	e.mu.Lock()
	s, aerr := r.session()
	if aerr != nil {
		e.mu.Unlock()
		return nil, aerr
	}
	deviceKey := s.deviceKey
	if dk, ok := r.cr["DEVICE_KEY"]; ok && !device {
		// The answer's DEVICE_KEY, even if empty, replaces InitiateAuth's.
		deviceKey = dk
	}
	if !device && deviceKey != "" && s.pool.tracking != "off" && s.user.devices[deviceKey] == nil {
		// Like Cognito, answer before using up the challenge: AWS's
		// clients then forget the device and send the same answer again
		// without it.
		e.mu.Unlock()
		return nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	// From here on the challenge is used up, whatever the outcome.
	e.dropSession(s)
	fails := &s.user.passwordFails
	if device {
		fails = nil // a device's secret is not the user's password
	}
	if fails != nil && fails.locked(r.rc.now) {
		e.mu.Unlock()
		return nil, notAuthorized(msgPasswordAttempts)
	}
	e.mu.Unlock()

	// Verify checks the echoed block (a ParameterError: another sign-in's
	// block) before the signature.
	verr := s.srv.Verify(claim)
	if errors.As(verr, &pe) {
		return nil, notAuthorized(msgInvalidSession)
	}
	if device && r.cr["DEVICE_KEY"] != s.deviceKey {
		return nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	if skew := r.rc.now.Sub(claim.Time()); skew > timestampSkew || skew < -timestampSkew {
		return nil, notAuthorized(msgIncorrect)
	}
	e.mu.Lock()
	if fails != nil {
		if verr != nil {
			fails.fail(r.rc.now)
		} else {
			fails.succeed()
		}
	}
	if verr != nil {
		e.mu.Unlock()
		return nil, notAuthorized(msgIncorrect)
	}
	var out *authOutput
	var pt *pendingTokens
	if device {
		s.deviceDone = true
		if d := s.user.devices[s.deviceKey]; d != nil {
			d.lastAuth = r.rc.now
			d.lastIP = r.rc.remoteIP
		}
		out, pt, aerr = e.advance(r.rc, s)
	} else {
		s.deviceKey = deviceKey
		s.passwordDone = true
		out, pt, aerr = e.afterPassword(r.rc, s)
	}
	e.mu.Unlock()
	return e.finish(out, pt, aerr)
}

// deviceSRPAuth answers DEVICE_SRP_AUTH with DEVICE_PASSWORD_VERIFIER.
func (r *responder) deviceSRPAuth() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "DEVICE_KEY", "SRP_A"); err != nil {
		return nil, err
	}
	e.mu.Lock()
	s, aerr := r.session()
	if aerr != nil {
		e.mu.Unlock()
		return nil, aerr
	}
	e.dropSession(s)
	d := s.user.devices[s.deviceKey]
	if r.cr["DEVICE_KEY"] != s.deviceKey || !s.pool.trusted(d) {
		e.mu.Unlock()
		return nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	v := d.verifier
	e.mu.Unlock()

	srv, err := srp.NewServer(v, r.cr["SRP_A"])
	if err != nil {
		return nil, srpError(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	n := stepFrom(s, chDevicePasswordVerifier)
	n.srv = srv
	n.secretBlock = srv.SecretBlock()
	return e.put(r.rc, n, map[string]string{
		"SRP_B":        srv.SRPB(),
		"SALT":         srv.Salt(),
		"SECRET_BLOCK": n.secretBlock,
		"USERNAME":     s.user.name,
		"DEVICE_KEY":   s.deviceKey,
	})
}

// newPassword answers NEW_PASSWORD_REQUIRED.
func (r *responder) newPassword() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "NEW_PASSWORD"); err != nil {
		return nil, err
	}
	pw := r.cr["NEW_PASSWORD"]
	if aerr := checkPassword(r.c.pool.settings.policy, pw, styleChange); aerr != nil {
		return nil, aerr
	}
	newAttrs := map[string]string{}
	for k, v := range r.cr {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			if name == "" {
				return nil, invalidParam("Invalid attributes given, %s cannot be changed", truncate(k, 64))
			}
			if !r.c.mayWrite(name) {
				return nil, notAuthorized(msgUnauthorizedAttribute)
			}
			if len(v) > maxAttributeLen {
				return nil, invalidParam("Invalid attributes given, %s: value is longer than %d characters", truncate(name, 64), maxAttributeLen)
			}
			newAttrs[name] = v
		}
	}
	e.mu.Lock()
	s, aerr := r.session()
	if aerr != nil {
		e.mu.Unlock()
		return nil, aerr
	}
	for _, a := range s.user.required {
		if newAttrs[a] == "" && s.user.attrs[a] == "" {
			e.mu.Unlock()
			return nil, invalidParam("Invalid attributes given, %s is missing", a)
		}
	}
	// Check the aliases in a fixed order, so that the error does not
	// depend on map iteration.
	for _, a := range aliasAttributes {
		if v := newAttrs[a]; v != "" && s.pool.aliasHolder(s.user, a, v) != nil {
			e.mu.Unlock()
			return nil, errAliasTaken(a)
		}
	}
	e.dropSession(s)
	e.mu.Unlock()

	v, err := srp.NewVerifier(s.pool.id, s.user.name, pw)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	u := s.user
	for _, a := range aliasAttributes { // again: e.mu was released
		if v := newAttrs[a]; v != "" && s.pool.aliasHolder(u, a, v) != nil {
			e.mu.Unlock()
			return nil, errAliasTaken(a)
		}
	}
	u.verifier = v
	u.status = statusConfirmed
	u.modified = r.rc.now
	for k, val := range newAttrs {
		setAttribute(s.pool, u, k, val)
	}
	s.newPasswordDone = true
	out, pt, aerr := e.advance(r.rc, s)
	e.mu.Unlock()
	return e.finish(out, pt, aerr)
}

// maxAttributeLen is Cognito's limit on the length of an attribute value
// (AttributeType.Value: "Length Constraints: Maximum length of 2048").
const maxAttributeLen = 2048

// mayWrite reports whether the client may write the attribute: one of its
// WriteAttributes, by default any standard attribute. sub, the verified
// flags, "cognito:" names and the names of the claims that tokens set are
// never writable (Config.Validate keeps them out of WriteAttributes).
func (c *appClient) mayWrite(name string) bool {
	if !writableName(name) {
		return false
	}
	write := c.perms.Load().write
	if write == nil {
		return slices.Contains(standardAttributes, name)
	}
	return write[name]
}

// setAttribute changes an attribute, keeping the alias index up to date.
// The caller has checked that no other user holds an alias value. e.mu must
// be held.
func setAttribute(p *pool, u *user, name, value string) {
	if slices.Contains(aliasAttributes, name) {
		if old := u.attrs[name]; old != "" && p.aliases[aliasKey(name, old)] == u {
			delete(p.aliases, aliasKey(name, old))
		}
		if value != "" && p.aliasHolder(u, name, value) == nil {
			p.aliases[aliasKey(name, value)] = u
		}
	}
	// A new address is not verified: Cognito sets email_verified (or
	// phone_number_verified) to false when the address changes
	// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html).
	if (name == "email" || name == "phone_number") && u.attrs[name] != value {
		delete(u.attrs, name+"_verified")
	}
	if value == "" {
		delete(u.attrs, name)
		return
	}
	u.attrs[name] = value
}

// codeKeys are the challenge responses that carry each challenge's code.
var codeKeys = map[string]string{
	chSMSMFA:           "SMS_MFA_CODE",
	chEmailOTP:         "EMAIL_OTP_CODE",
	chSMSOTP:           "SMS_OTP_CODE",
	chSoftwareTokenMFA: "SOFTWARE_TOKEN_MFA_CODE",
}

// maxCodeAttempts is how many wrong codes a challenge's session survives.
const maxCodeAttempts = 3

// code answers SMS_MFA, EMAIL_OTP, SMS_OTP and SOFTWARE_TOKEN_MFA.
func (r *responder) code() (any, error) {
	e := r.e
	key := codeKeys[r.in.ChallengeName]
	if err := r.require("USERNAME", key); err != nil {
		return nil, err
	}
	code := r.cr[key]
	e.mu.Lock()
	defer e.mu.Unlock()
	s, aerr := r.session()
	if aerr != nil {
		return nil, aerr
	}
	if s.user.codeFails.locked(r.rc.now) {
		return nil, errCodeAttempts()
	}
	var ok bool
	if r.in.ChallengeName == chSoftwareTokenMFA {
		ok = s.user.totpSecret != nil && checkTOTP(s.user.totpSecret, code, r.rc.now)
	} else {
		ok = s.code != "" && subtle.ConstantTimeCompare([]byte(s.code), []byte(code)) == 1
	}
	if !ok {
		s.user.codeFails.fail(r.rc.now)
		s.attempts++
		if s.attempts >= maxCodeAttempts {
			e.dropSession(s)
		}
		if r.in.ChallengeName == chSoftwareTokenMFA {
			return nil, newError(errCodeMismatch, msgTOTPMismatch)
		}
		return nil, newError(errCodeMismatch, msgCodeMismatch)
	}
	s.user.codeFails.succeed()
	e.dropSession(s)
	if !s.otpFirstFactor {
		s.mfaDone = true
	}
	return e.finish(e.advance(r.rc, s))
}

// selectMFAType answers SELECT_MFA_TYPE.
func (r *responder) selectMFAType() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "ANSWER"); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, aerr := r.session()
	if aerr != nil {
		return nil, aerr
	}
	ans := r.cr["ANSWER"]
	if !slices.Contains(s.mfaChoices, ans) {
		return nil, invalidParam("Invalid ANSWER: %s is not one of the MFA types the user can choose.", truncate(ans, 64))
	}
	e.dropSession(s)
	return e.mfaChallenge(r.rc, s, ans)
}

// mfaSetup answers MFA_SETUP after AssociateSoftwareToken and
// VerifySoftwareToken.
func (r *responder) mfaSetup() (any, error) {
	e := r.e
	if r.in.Session == "" {
		return nil, missingParam("Session")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, aerr := r.session()
	if aerr != nil {
		return nil, aerr
	}
	if !s.setupChecked {
		return nil, newError(errSoftwareTokenNotFound, "Software Token MFA has not been verified for the user.")
	}
	e.dropSession(s)
	u := s.user
	u.totpSecret = s.setupSecret
	if !slices.Contains(u.factors, mfaTOTP) {
		u.factors = append(u.factors, mfaTOTP)
	}
	u.preferred = mfaTOTP
	s.mfaDone = true
	return e.finish(e.advance(r.rc, s))
}

// selectChallenge answers USER_AUTH's SELECT_CHALLENGE.
func (r *responder) selectChallenge() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "ANSWER"); err != nil {
		return nil, err
	}
	ans := r.cr["ANSWER"]
	switch ans {
	case chPasswordSRP:
		if err := r.require("SRP_A"); err != nil {
			return nil, err
		}
	case chPassword:
		if err := r.require("PASSWORD"); err != nil {
			return nil, err
		}
	}
	e.mu.Lock()
	s, aerr := r.session()
	if aerr != nil {
		e.mu.Unlock()
		return nil, aerr
	}
	if !slices.Contains(s.available, ans) {
		e.mu.Unlock()
		return nil, invalidParam("Invalid ANSWER: %s is not an available challenge.", truncate(ans, 64))
	}
	e.dropSession(s)
	if ans == chEmailOTP || ans == chSMSOTP {
		defer e.mu.Unlock()
		return e.otpChallenge(r.rc, s, ans, true)
	}
	e.mu.Unlock()
	if ans == chPasswordSRP {
		return e.startSRP(r.rc, s, r.cr["SRP_A"])
	}
	return e.passwordFactor(r.rc, s, r.cr["PASSWORD"])
}

// customChallenge answers CUSTOM_CHALLENGE with the pool's configured answer.
func (r *responder) customChallenge() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "ANSWER"); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, aerr := r.session()
	if aerr != nil {
		return nil, aerr
	}
	// The answer stands in for a Lambda trigger's secret: wrong answers
	// are counted with wrong codes, so that it cannot be guessed across
	// sessions either.
	if s.user.codeFails.locked(r.rc.now) {
		return nil, errCodeAttempts()
	}
	e.dropSession(s)
	if subtle.ConstantTimeCompare([]byte(s.pool.customAnswer), []byte(r.cr["ANSWER"])) != 1 {
		s.user.codeFails.fail(r.rc.now)
		return nil, notAuthorized(msgIncorrect)
	}
	s.user.codeFails.succeed()
	s.customDone = true
	return e.finish(e.advance(r.rc, s))
}
