package cognitotest

import (
	"crypto/subtle"
	"encoding/json"
	"slices"
	"strings"

	"github.com/cognitosrp/cognitosrp/srp"
)

// afterPasswordLocked checks the presented device once the password is known to
// be right, then continues. e.mu must be held.
func (e *Handler) afterPasswordLocked(rc *reqCtx, s *authSession) (*authOutput, *pendingTokens, error) {
	if s.deviceKey != "" && s.pool.tracking != trackingOff && s.user.devices[s.deviceKey] == nil {
		return nil, nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	return e.advanceLocked(rc, s)
}

// finish signs pending tokens, if any, outside the lock.
func (e *Handler) finish(out *authOutput, pt *pendingTokens, aerr error) (any, error) {
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

// stepThenSign runs step with e.mu held, then signs the tokens it
// prepared, if any, outside the lock.
func (e *Handler) stepThenSign(step func() (*authOutput, *pendingTokens, error)) (any, error) {
	var out *authOutput
	var pt *pendingTokens
	err := e.locked(func() error {
		var err error
		out, pt, err = step()
		return err
	})
	return e.finish(out, pt, err)
}

// stepFrom returns the state of the next challenge of a sign-in.
func stepFrom(prev *authSession, challenge string) *authSession {
	n := *prev
	n.token = ""
	n.userElem, n.clientElem = nil, nil
	n.challenge = challenge
	n.srv = nil
	n.secretBlock = ""
	n.verifier = nil
	n.code = ""
	n.attempts = 0
	return &n
}

// putLocked stores a challenge's session. e.mu must be held.
func (e *Handler) putLocked(rc *reqCtx, s *authSession, params map[string]string) (*authOutput, error) {
	tok, err := e.putSessionLocked(s, rc.now)
	if err != nil {
		return nil, err
	}
	return &authOutput{ChallengeName: s.challenge, ChallengeParameters: params, Session: tok}, nil
}

// advanceLocked decides what comes after a completed factor: another challenge or
// the tokens. e.mu must be held.
func (e *Handler) advanceLocked(rc *reqCtx, s *authSession) (*authOutput, *pendingTokens, error) {
	if aerr := signInStateLocked(s, rc.now); aerr != nil {
		return nil, nil, aerr
	}
	p, u := s.pool, s.user
	step := func(name string, params map[string]string, mod func(*authSession)) (*authOutput, *pendingTokens, error) {
		n := stepFrom(s, name)
		if mod != nil {
			mod(n)
		}
		out, err := e.putLocked(rc, n, params)
		if err != nil {
			return nil, nil, err
		}
		return out, nil, nil
	}
	// A temporary password must be changed after any first factor,
	// passwordless and custom ones included.
	if s.firstFactorDone() && u.status == statusForceChange && !s.newPasswordDone {
		return step(chNewPasswordRequired, newPasswordParamsLocked(u), nil)
	}
	var d *device
	if s.deviceKey != "" && p.tracking != trackingOff {
		d = u.devices[s.deviceKey]
	}
	if s.passwordDone && !s.deviceDone && p.trustedLocked(d) {
		return step(chDeviceSRPAuth, map[string]string{"USERNAME": u.name}, nil)
	}
	// A remembered device stands in for MFA, as with Cognito's "suppress
	// MFA on remembered devices".
	if !s.deviceDone {
		if s.flow == "CUSTOM_AUTH" && !s.customDone {
			return step(chCustomChallenge, map[string]string{"USERNAME": u.name}, nil)
		}
		if s.flow != "CUSTOM_AUTH" && !s.mfaDone {
			factors := p.mfaFactorsLocked(u)
			switch {
			case len(factors) == 1:
				out, err := e.mfaChallengeLocked(rc, s, factors[0])
				return out, nil, err
			case len(factors) > 1:
				choices, _ := json.Marshal(factors)
				return step(chSelectMFAType, map[string]string{"MFAS_CAN_CHOOSE": string(choices), userIDForSRP: u.name}, func(n *authSession) {
					n.mfaChoices = slices.Clone(factors)
				})
			case p.mfa == mfaOn:
				return step(chMFASetup, map[string]string{"MFAS_CAN_SETUP": `["SOFTWARE_TOKEN_MFA"]`, userIDForSRP: u.name}, nil)
			}
		}
	}
	return &authOutput{ChallengeParameters: map[string]string{}}, e.completeSignInLocked(rc, s), nil
}

// newPasswordParamsLocked are NEW_PASSWORD_REQUIRED's challenge parameters: the
// user's attributes and the required ones, as JSON strings. e.mu must be
// held.
func newPasswordParamsLocked(u *user) map[string]string {
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

// mfaChallengeLocked asks for an MFA factor. e.mu must be held.
func (e *Handler) mfaChallengeLocked(rc *reqCtx, s *authSession, factor string) (*authOutput, error) {
	n := stepFrom(s, factor)
	params := map[string]string{userIDForSRP: s.user.name}
	if factor != mfaTOTP {
		medium, dest := e.deliverLocked(n, factor, rc.now)
		params["CODE_DELIVERY_DELIVERY_MEDIUM"] = medium
		params["CODE_DELIVERY_DESTINATION"] = dest
	}
	return e.putLocked(rc, n, params)
}

// otpChallengeLocked sends a one-time code as a first factor (USER_AUTH's
// EMAIL_OTP and SMS_OTP). e.mu must be held.
func (e *Handler) otpChallengeLocked(rc *reqCtx, s *authSession, challenge string, first bool) (*authOutput, error) {
	n := stepFrom(s, challenge)
	n.otpFirstFactor = first
	medium, dest := e.deliverLocked(n, challenge, rc.now)
	return e.putLocked(rc, n, map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
		"CODE_DELIVERY_DESTINATION":     dest,
		"USERNAME":                      s.user.name,
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
			if aerr := checkAttribute(r.c, name, v); aerr != nil {
				return nil, aerr
			}
			newAttrs[name] = v
		}
	}
	// attrsOK checks the new attributes as writeAttributesLocked will:
	// writable, within the user's budget, aliases free. e.mu must be held.
	attrsOK := func(s *authSession) error {
		if err := checkAttrBudgetLocked(s.user, newAttrs); err != nil {
			return err
		}
		return claimAliasesLocked(s.pool, s.user, newAttrs)
	}
	var s *authSession
	err := e.locked(func() error {
		var err error
		if s, err = r.sessionLocked(); err != nil {
			return err
		}
		for _, a := range s.user.required {
			if newAttrs[a] == "" && s.user.attrs[a] == "" {
				return invalidParam("Invalid attributes given, %s is missing", a)
			}
		}
		if err := attrsOK(s); err != nil {
			return err
		}
		e.dropSessionLocked(s)
		return nil
	})
	if err != nil {
		return nil, err
	}

	v, err := srp.NewVerifier(s.pool.id, s.user.name, pw)
	if err != nil {
		return nil, err
	}
	var out *authOutput
	var pt *pendingTokens
	err = e.resume(s, func() error {
		// Checked again: e.mu was released.
		u, _, err := e.writeAttributesLocked(s.pool, s.user, attrWrite{client: r.c}, newAttrs, r.rc.now)
		if err != nil {
			return err
		}
		e.setPasswordLocked(u, v)
		u.status = statusConfirmed
		u.modified = r.rc.now
		s.newPasswordDone = true
		out, pt, err = e.advanceLocked(r.rc, s)
		return err
	})
	return e.finish(out, pt, err)
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
	return e.stepThenSign(func() (*authOutput, *pendingTokens, error) {
		s, aerr := r.sessionLocked()
		if aerr != nil {
			return nil, nil, aerr
		}
		if err := s.user.reserveCodeLocked(r.rc.now); err != nil {
			return nil, nil, err
		}
		var ok bool
		if r.in.ChallengeName == chSoftwareTokenMFA {
			ok = s.user.totpSecret != nil && checkTOTP(s.user.totpSecret, code, r.rc.now)
		} else {
			ok = s.code != "" && subtle.ConstantTimeCompare([]byte(s.code), []byte(code)) == 1
		}
		if !ok {
			s.attempts++
			if s.attempts >= maxCodeAttempts {
				e.dropSessionLocked(s)
			}
			if r.in.ChallengeName == chSoftwareTokenMFA {
				return nil, nil, newError(errCodeMismatch, msgTOTPMismatch)
			}
			return nil, nil, newError(errCodeMismatch, msgCodeMismatch)
		}
		s.user.codeFails.succeed()
		e.dropSessionLocked(s)
		if s.otpFirstFactor && !s.otpDone {
			s.otpDone = true
		} else {
			s.mfaDone = true
		}
		return e.advanceLocked(r.rc, s)
	})
}

// selectMFAType answers SELECT_MFA_TYPE.
func (r *responder) selectMFAType() (any, error) {
	e := r.e
	if err := r.require("USERNAME", "ANSWER"); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	s, aerr := r.sessionLocked()
	if aerr != nil {
		return nil, aerr
	}
	ans := r.cr["ANSWER"]
	if !slices.Contains(s.mfaChoices, ans) {
		return nil, invalidParam("Invalid ANSWER: %s is not one of the MFA types the user can choose.", truncate(ans, 64))
	}
	e.dropSessionLocked(s)
	return e.mfaChallengeLocked(r.rc, s, ans)
}

// mfaSetup answers MFA_SETUP after AssociateSoftwareToken and
// VerifySoftwareToken.
func (r *responder) mfaSetup() (any, error) {
	e := r.e
	if r.in.Session == "" {
		return nil, missingParam("Session")
	}
	return e.stepThenSign(func() (*authOutput, *pendingTokens, error) {
		s, aerr := r.sessionLocked()
		if aerr != nil {
			return nil, nil, aerr
		}
		if !s.setupChecked {
			return nil, nil, newError(errSoftwareTokenNotFound, "Software Token MFA has not been verified for the user.")
		}
		e.dropSessionLocked(s)
		u := s.user
		u.totpSecret = s.setupSecret
		if !slices.Contains(u.factors, mfaTOTP) {
			u.factors = append(u.factors, mfaTOTP)
		}
		u.preferred = mfaTOTP
		s.mfaDone = true
		return e.advanceLocked(r.rc, s)
	})
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
	var s *authSession
	var otp *authOutput
	err := e.locked(func() error {
		var err error
		if s, err = r.sessionLocked(); err != nil {
			return err
		}
		if !slices.Contains(s.available, ans) {
			return invalidParam("Invalid ANSWER: %s is not an available challenge.", truncate(ans, 64))
		}
		e.dropSessionLocked(s)
		if ans == chEmailOTP || ans == chSMSOTP {
			otp, err = e.otpChallengeLocked(r.rc, s, ans, true)
		}
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case otp != nil:
		return otp, nil
	case ans == chPasswordSRP:
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
	return e.stepThenSign(func() (*authOutput, *pendingTokens, error) {
		s, aerr := r.sessionLocked()
		if aerr != nil {
			return nil, nil, aerr
		}
		// The answer stands in for a Lambda trigger's secret: wrong answers
		// are counted with wrong codes, so that it cannot be guessed across
		// sessions either.
		if err := s.user.reserveCodeLocked(r.rc.now); err != nil {
			return nil, nil, err
		}
		e.dropSessionLocked(s)
		if subtle.ConstantTimeCompare([]byte(s.pool.customAnswer), []byte(r.cr["ANSWER"])) != 1 {
			return nil, nil, notAuthorized(msgIncorrect)
		}
		s.user.codeFails.succeed()
		s.customDone = true
		return e.advanceLocked(r.rc, s)
	})
}
