package cognitotest

import (
	"errors"
	"slices"

	"github.com/cognitosrp/cognitosrp/srp"
)

var challengeNames = []string{"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP"}

type respondInput struct {
	ChallengeName      string            `json:"ChallengeName"`
	ChallengeResponses map[string]string `json:"ChallengeResponses"`
	ClientId           string            `json:"ClientId"`
	ClientMetadata     map[string]string `json:"ClientMetadata"`
	Session            string            `json:"Session"`
}

// respondToAuthChallenge answers RespondToAuthChallenge.
func (e *Handler) respondToAuthChallenge(rc *reqCtx, in *respondInput) (any, error) {
	return e.respond(rc, in)
}

// respond is RespondToAuthChallenge and AdminRespondToAuthChallenge.
func (e *Handler) respond(rc *reqCtx, in *respondInput) (any, error) {
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
	e  *Handler
	rc *reqCtx
	c  *appClient
	in *respondInput
	cr map[string]string
}

// require returns the named challenge responses, or the error for the first
// missing one.
func (r *responder) require(names ...string) error {
	for _, n := range names {
		if r.cr[n] == "" {
			return missingParam(n)
		}
	}
	return nil
}

// sessionLocked finds the sign-in the call continues, without consuming it, and
// checks the client, the challenge name, USERNAME and SECRET_HASH. e.mu must
// be held.
func (r *responder) sessionLocked() (*authSession, error) {
	e, now := r.e, r.rc.now
	var s *authSession
	switch {
	case r.in.Session != "":
		var err error
		if s, err = e.findSessionLocked(r.in.Session, now); err != nil {
			return nil, err
		}
	case r.in.ChallengeName == chPasswordVerifier || r.in.ChallengeName == chDevicePasswordVerifier:
		// AWS's clients may leave out the Session of PASSWORD_VERIFIER: the
		// SECRET_BLOCK identifies the sign-in.
		if s = e.secretBlocks[r.cr["PASSWORD_CLAIM_SECRET_BLOCK"]]; s == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
	case r.in.ChallengeName == chDeviceSRPAuth:
		u := r.c.pool.lookupUserLocked(r.cr["USERNAME"])
		if u == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
		if s = e.deviceSteps[deviceStepKey{r.c.id, u.name, r.cr["DEVICE_KEY"]}]; s == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
	default:
		return nil, missingParam("Session")
	}
	if err := e.checkLiveLocked(s, now); err != nil {
		return nil, err
	}
	if s.client != r.c {
		return nil, notAuthorized(msgInvalidSession)
	}
	if s.challenge != r.in.ChallengeName {
		return nil, invalidParam("Invalid challenge name %s: the session expects %s.", r.in.ChallengeName, s.challenge)
	}
	if name := r.cr["USERNAME"]; name != "" && r.c.pool.lookupUserLocked(name) != s.user {
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
		return nil, err
	}

	s, deviceKey, err := r.takeVerifierStep(device)
	if err != nil {
		return nil, err
	}
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
	var out *authOutput
	var pt *pendingTokens
	err = e.resume(s, func() error {
		if !s.verifierCurrentLocked(device) {
			// The password or the device changed since the challenge was
			// issued (the change ended the sign-in, endSignInsLocked, but
			// this answer had already taken it): what the claim proves
			// is no longer a credential.
			return notAuthorized(msgSessionExpired)
		}
		if !device && verr == nil {
			s.user.passwordFails.succeed() // a failure was counted by the reservation
		}
		if verr != nil {
			return notAuthorized(msgIncorrect)
		}
		var err error
		if device {
			s.deviceDone = true
			if d := s.user.devices[s.deviceKey]; d != nil {
				d.lastAuth = r.rc.now
				d.lastIP = r.rc.remoteIP
			}
			out, pt, err = e.advanceLocked(r.rc, s)
		} else {
			s.deviceKey = deviceKey
			s.passwordDone = true
			out, pt, err = e.afterPasswordLocked(r.rc, s)
		}
		return err
	})
	return e.finish(out, pt, err)
}

// takeVerifierStep finds the sign-in that a PASSWORD_VERIFIER (or, if
// device, DEVICE_PASSWORD_VERIFIER) answer continues and uses up its
// challenge, whatever the outcome of the claim; for PASSWORD_VERIFIER it
// also returns the device key that the sign-in goes on with. It takes
// e.mu.
func (r *responder) takeVerifierStep(device bool) (s *authSession, deviceKey string, err error) {
	e := r.e
	e.mu.Lock()
	defer e.mu.Unlock()
	s, err = r.sessionLocked()
	if err != nil {
		return nil, "", err
	}
	deviceKey = s.deviceKey
	if dk, ok := r.cr["DEVICE_KEY"]; ok && !device {
		// The answer's DEVICE_KEY, even if empty, replaces InitiateAuth's.
		deviceKey = dk
	}
	if !device && deviceKey != "" && s.pool.tracking != trackingOff && s.user.devices[deviceKey] == nil {
		// Like Cognito, answer before using up the challenge: AWS's
		// clients then forget the device and send the same answer again
		// without it.
		return nil, "", newError(errResourceNotFound, msgDeviceNotFound)
	}
	// From here on the challenge is used up, whatever the outcome.
	e.dropSessionLocked(s)
	// A device's secret is not the user's password: only PASSWORD_VERIFIER
	// counts towards the lockout. The attempt is reserved before the
	// claim is verified outside e.mu; any answer but success counts.
	if !device {
		if err := s.user.reservePasswordLocked(r.rc.now); err != nil {
			return nil, "", err
		}
	}
	return s, deviceKey, nil
}

// deviceSRPAuth answers DEVICE_SRP_AUTH with DEVICE_PASSWORD_VERIFIER.
func (r *responder) deviceSRPAuth() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "DEVICE_KEY", "SRP_A"); err != nil {
		return nil, err
	}
	var s *authSession
	var v *srp.Verifier
	err := e.locked(func() error {
		var err error
		if s, err = r.sessionLocked(); err != nil {
			return err
		}
		e.dropSessionLocked(s)
		d := s.user.devices[s.deviceKey]
		if r.cr["DEVICE_KEY"] != s.deviceKey || !s.pool.trustedLocked(d) {
			return newError(errResourceNotFound, msgDeviceNotFound)
		}
		v = d.verifier
		return nil
	})
	if err != nil {
		return nil, err
	}

	srv, err := srp.NewServer(v, r.cr["SRP_A"])
	if err != nil {
		return nil, srpError(err)
	}
	var out *authOutput
	err = e.resume(s, func() (err error) {
		// The device may have been forgotten or changed meanwhile.
		if d := s.user.devices[s.deviceKey]; d == nil || d.verifier != v || !s.pool.trustedLocked(d) {
			return newError(errResourceNotFound, msgDeviceNotFound)
		}
		n := stepFrom(s, chDevicePasswordVerifier)
		n.srv = srv
		n.secretBlock = srv.SecretBlock()
		n.verifier = v
		out, err = e.putLocked(r.rc, n, map[string]string{
			"SRP_B":        srv.SRPB(),
			"SALT":         srv.Salt(),
			"SECRET_BLOCK": n.secretBlock,
			"USERNAME":     s.user.name,
			"DEVICE_KEY":   s.deviceKey,
		})
		return err
	})
	return out, err
}
