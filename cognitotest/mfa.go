package cognitotest

import "slices"

type softwareTokenInput struct {
	AccessToken        string `json:"AccessToken"`
	Session            string `json:"Session"`
	UserCode           string `json:"UserCode"`
	FriendlyDeviceName string `json:"FriendlyDeviceName"`
}

// associateSoftwareToken hands out a new TOTP secret, during MFA_SETUP (with
// the Session) or for a signed-in user (with the AccessToken).
func (e *Handler) associateSoftwareToken(rc *reqCtx, in *softwareTokenInput) (any, error) {
	key, code := newTOTPSecret()
	if in.Session != "" {
		e.mu.Lock()
		defer e.mu.Unlock()
		s, aerr := e.findSessionLocked(in.Session, rc.now)
		if aerr != nil {
			return nil, aerr
		}
		if s.challenge != chMFASetup {
			return nil, notAuthorized(msgInvalidSession)
		}
		e.dropSessionLocked(s)
		n := stepFrom(s, chMFASetup)
		n.setupSecret = key
		n.setupChecked = false
		tok, err := e.putSessionLocked(n, rc.now)
		if err != nil {
			return nil, err
		}
		return map[string]string{"SecretCode": code, "Session": tok}, nil
	}
	if in.AccessToken == "" {
		return nil, invalidParam("Either AccessToken or Session is required.")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g.user.pendingTOTP = key
	return map[string]string{"SecretCode": code}, nil
}

// verifySoftwareToken checks a code of the secret from
// AssociateSoftwareToken.
func (e *Handler) verifySoftwareToken(rc *reqCtx, in *softwareTokenInput) (any, error) {
	if in.UserCode == "" {
		return nil, nullMember("userCode")
	}
	if in.Session != "" {
		e.mu.Lock()
		defer e.mu.Unlock()
		s, aerr := e.findSessionLocked(in.Session, rc.now)
		if aerr != nil {
			return nil, aerr
		}
		if s.challenge != chMFASetup || s.setupSecret == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
		if err := s.user.reserveCodeLocked(rc.now); err != nil {
			return nil, err
		}
		if !checkTOTP(s.setupSecret, in.UserCode, rc.now) {
			return nil, newError(errEnableSoftwareToken, msgEnableTOTP)
		}
		s.user.codeFails.succeed()
		e.dropSessionLocked(s)
		n := stepFrom(s, chMFASetup)
		n.setupChecked = true
		tok, err := e.putSessionLocked(n, rc.now)
		if err != nil {
			return nil, err
		}
		return map[string]string{"Status": "SUCCESS", "Session": tok}, nil
	}
	if in.AccessToken == "" {
		return nil, invalidParam("Either AccessToken or Session is required.")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := g.user
	if u.pendingTOTP == nil {
		return nil, newError(errSoftwareTokenNotFound, "Software Token MFA has not been associated with the user.")
	}
	if err := u.reserveCodeLocked(rc.now); err != nil {
		return nil, err
	}
	if !checkTOTP(u.pendingTOTP, in.UserCode, rc.now) {
		return nil, newError(errEnableSoftwareToken, msgEnableTOTP)
	}
	u.codeFails.succeed()
	u.totpSecret, u.pendingTOTP = u.pendingTOTP, nil
	if !slices.Contains(u.factors, mfaTOTP) {
		u.factors = append(u.factors, mfaTOTP)
	}
	return map[string]string{"Status": "SUCCESS"}, nil
}

type mfaSettings struct {
	Enabled      *bool `json:"Enabled"`
	PreferredMfa *bool `json:"PreferredMfa"`
}

type setUserMFAPreferenceInput struct {
	AccessToken              string       `json:"AccessToken"`
	SoftwareTokenMfaSettings *mfaSettings `json:"SoftwareTokenMfaSettings"`
	SMSMfaSettings           *mfaSettings `json:"SMSMfaSettings"`
	EmailMfaSettings         *mfaSettings `json:"EmailMfaSettings"`
}

// setUserMFAPreference enables, disables and prefers MFA factors.
func (e *Handler) setUserMFAPreference(rc *reqCtx, in *setUserMFAPreferenceInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := g.user
	type change struct {
		factor string
		s      *mfaSettings
		ok     bool
		why    string
	}
	changes := []change{
		{mfaTOTP, in.SoftwareTokenMfaSettings, u.totpSecret != nil, "User has not verified software token mfa"},
		{mfaSMS, in.SMSMfaSettings, u.attrs["phone_number"] != "", "User does not have delivery config set to turn on SMS_MFA"},
		{mfaEmail, in.EmailMfaSettings, u.attrs["email"] != "", "User does not have delivery config set to turn on EMAIL_OTP"},
	}
	for _, c := range changes {
		if c.s != nil && ((c.s.Enabled != nil && *c.s.Enabled) || (c.s.PreferredMfa != nil && *c.s.PreferredMfa)) && !c.ok {
			return nil, invalidParam("%s", c.why)
		}
	}
	// As in Cognito, a settings object that is present sets the factor's
	// state: absent members are false (the SDKs leave out false booleans).
	for _, c := range changes {
		if c.s == nil {
			continue
		}
		preferred := c.s.PreferredMfa != nil && *c.s.PreferredMfa
		enabled := preferred || (c.s.Enabled != nil && *c.s.Enabled)
		if enabled {
			if !slices.Contains(u.factors, c.factor) {
				u.factors = append(u.factors, c.factor)
			}
		} else {
			u.factors = slices.DeleteFunc(u.factors, func(f string) bool { return f == c.factor })
		}
		if preferred {
			u.preferred = c.factor
		} else if u.preferred == c.factor {
			u.preferred = ""
		}
	}
	slices.SortFunc(u.factors, func(a, b string) int {
		return slices.Index(userFactors, a) - slices.Index(userFactors, b)
	})
	return struct{}{}, nil
}
