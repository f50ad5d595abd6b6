package cognitotest

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

type attributeType struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type deviceType struct {
	DeviceAttributes            []attributeType `json:"DeviceAttributes"`
	DeviceCreateDate            float64         `json:"DeviceCreateDate"`
	DeviceKey                   string          `json:"DeviceKey"`
	DeviceLastAuthenticatedDate float64         `json:"DeviceLastAuthenticatedDate"`
	DeviceLastModifiedDate      float64         `json:"DeviceLastModifiedDate"`
}

// epochSeconds is how AWS JSON 1.1 sends timestamps.
func epochSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }

func describeDevice(d *device) deviceType {
	status := "not_remembered"
	if d.remembered {
		status = "remembered"
	}
	attrs := []attributeType{{Name: "device_status", Value: "valid"}}
	if d.name != "" {
		attrs = append(attrs, attributeType{Name: "device_name", Value: d.name})
	}
	attrs = append(attrs, attributeType{Name: "dev:device_remembered_status", Value: status})
	if d.lastIP != "" {
		attrs = append(attrs, attributeType{Name: "last_ip_used", Value: d.lastIP})
	}
	return deviceType{
		DeviceAttributes:            attrs,
		DeviceCreateDate:            epochSeconds(d.created),
		DeviceKey:                   d.key,
		DeviceLastAuthenticatedDate: epochSeconds(d.lastAuth),
		DeviceLastModifiedDate:      epochSeconds(d.modified),
	}
}

type confirmDeviceInput struct {
	AccessToken                string `json:"AccessToken"`
	DeviceKey                  string `json:"DeviceKey"`
	DeviceName                 string `json:"DeviceName"`
	DeviceSecretVerifierConfig *struct {
		PasswordVerifier string `json:"PasswordVerifier"`
		Salt             string `json:"Salt"`
	} `json:"DeviceSecretVerifierConfig"`
}

// confirmDevice stores the verifier of a device handed out in
// NewDeviceMetadata.
func (e *Handler) confirmDevice(rc *reqCtx, body []byte) (any, error) {
	var in confirmDeviceInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if in.DeviceKey == "" {
		return nil, nullMember("deviceKey")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := g.user.devices[in.DeviceKey]
	if d == nil {
		return nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	cfg := in.DeviceSecretVerifierConfig
	if cfg == nil {
		return nil, invalidParam("DeviceSecretVerifierConfig is required to confirm a device.")
	}
	v, err := srp.ParseDeviceVerifierConfig(d.groupKey, d.key, cfg.Salt, cfg.PasswordVerifier)
	if err != nil {
		return nil, srpError(err)
	}
	d.verifier = v
	d.name = in.DeviceName
	d.modified = rc.now
	d.remembered = g.pool.tracking == "always"
	return map[string]bool{"UserConfirmationNecessary": g.pool.tracking == "opt-in"}, nil
}

type deviceInput struct {
	AccessToken            string `json:"AccessToken"`
	DeviceKey              string `json:"DeviceKey"`
	DeviceRememberedStatus string `json:"DeviceRememberedStatus"`
}

// userDevice authenticates a device call and finds the device. On success
// e.mu is held and the caller must release it.
func (e *Handler) userDevice(rc *reqCtx, body []byte, in *deviceInput) (*grant, *device, error) {
	if err := decode(body, in); err != nil {
		return nil, nil, err
	}
	if in.AccessToken == "" {
		return nil, nil, nullMember("accessToken")
	}
	if in.DeviceKey == "" {
		return nil, nil, nullMember("deviceKey")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, nil, aerr
	}
	e.mu.Lock()
	d := g.user.devices[in.DeviceKey]
	if d == nil {
		e.mu.Unlock()
		return nil, nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	return g, d, nil
}

func (e *Handler) updateDeviceStatus(rc *reqCtx, body []byte) (any, error) {
	var in deviceInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch in.DeviceRememberedStatus {
	case "remembered", "not_remembered":
	case "":
		return nil, nullMember("deviceRememberedStatus")
	default:
		return nil, validationError("'"+truncate(in.DeviceRememberedStatus, 64)+"'", "deviceRememberedStatus", enumConstraint([]string{"remembered", "not_remembered"}))
	}
	_, d, err := e.userDevice(rc, body, &in)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	d.remembered = in.DeviceRememberedStatus == "remembered"
	d.modified = rc.now
	return struct{}{}, nil
}

func (e *Handler) forgetDevice(rc *reqCtx, body []byte) (any, error) {
	var in deviceInput
	g, d, err := e.userDevice(rc, body, &in)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	delete(g.user.devices, d.key)
	return struct{}{}, nil
}

func (e *Handler) getDevice(rc *reqCtx, body []byte) (any, error) {
	var in deviceInput
	_, d, err := e.userDevice(rc, body, &in)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	return map[string]deviceType{"Device": describeDevice(d)}, nil
}

type listDevicesInput struct {
	AccessToken     string `json:"AccessToken"`
	Limit           *int   `json:"Limit"`
	PaginationToken string `json:"PaginationToken"`
}

type listDevicesOutput struct {
	Devices         []deviceType `json:"Devices"`
	PaginationToken string       `json:"PaginationToken,omitempty"`
}

// maxListDevices is the largest Limit of ListDevices, as in Cognito.
const maxListDevices = 60

// listDevices lists the user's confirmed devices, oldest first.
func (e *Handler) listDevices(rc *reqCtx, body []byte) (any, error) {
	var in listDevicesInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	limit := maxListDevices
	if in.Limit != nil {
		if *in.Limit < 0 || *in.Limit > maxListDevices {
			return nil, validationError(strconv.Itoa(*in.Limit), "limit", "Member must have value less than or equal to 60")
		}
		if *in.Limit > 0 {
			limit = *in.Limit
		}
	}
	start := 0
	if in.PaginationToken != "" {
		n, err := strconv.Atoi(in.PaginationToken)
		if err != nil || n < 0 {
			return nil, invalidParam("Invalid pagination token.")
		}
		start = n
	}
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var ds []*device
	for _, d := range g.user.devices {
		if d.confirmed() {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b *device) int {
		return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.key, b.key))
	})
	out := listDevicesOutput{Devices: []deviceType{}}
	for i := start; i < len(ds) && len(out.Devices) < limit; i++ {
		out.Devices = append(out.Devices, describeDevice(ds[i]))
	}
	if end := start + len(out.Devices); end < len(ds) {
		out.PaginationToken = strconv.Itoa(end)
	}
	return out, nil
}

type accessTokenInput struct {
	AccessToken string `json:"AccessToken"`
}

func (e *Handler) authenticated(rc *reqCtx, body []byte) (*grant, error) {
	var in accessTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	return g, nil
}

type mfaOption struct {
	AttributeName  string `json:"AttributeName"`
	DeliveryMedium string `json:"DeliveryMedium"`
}

type getUserOutput struct {
	MFAOptions          []mfaOption     `json:"MFAOptions,omitempty"`
	PreferredMfaSetting string          `json:"PreferredMfaSetting,omitempty"`
	UserAttributes      []attributeType `json:"UserAttributes"`
	UserMFASettingList  []string        `json:"UserMFASettingList,omitempty"`
	Username            string          `json:"Username"`
}

func (e *Handler) getUser(rc *reqCtx, body []byte) (any, error) {
	g, err := e.authenticated(rc, body)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := g.user
	out := getUserOutput{Username: u.name, UserAttributes: []attributeType{{Name: "sub", Value: u.sub}}}
	names := make([]string, 0, len(u.attrs))
	for k := range u.attrs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		out.UserAttributes = append(out.UserAttributes, attributeType{Name: k, Value: u.attrs[k]})
	}
	out.UserMFASettingList = slices.Clone(u.factors)
	if u.preferred != "" {
		out.PreferredMfaSetting = u.preferred
	} else if len(u.factors) == 1 {
		out.PreferredMfaSetting = u.factors[0]
	}
	return out, nil
}

// globalSignOut revokes every refresh token of the user, and with them the
// access tokens issued from them.
func (e *Handler) globalSignOut(rc *reqCtx, body []byte) (any, error) {
	g, err := e.authenticated(rc, body)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, other := range e.grants {
		if other.user == g.user {
			other.revoked = true
		}
	}
	return struct{}{}, nil
}

type revokeTokenInput struct {
	ClientId     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret"`
	Token        string `json:"Token"`
}

// revokeToken revokes a refresh token and the access tokens issued from it.
func (e *Handler) revokeToken(rc *reqCtx, body []byte) (any, error) {
	var in revokeTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.Token == "" {
		return nil, nullMember("token")
	}
	c, aerr := e.lookupClient(in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	if c.secret != "" && !constantTimeEqual(c.secret, in.ClientSecret) {
		return nil, notAuthorized("Client secret is not valid")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	g := e.refresh[in.Token]
	if g == nil {
		return struct{}{}, nil // RFC 7009: revoking an unknown token succeeds
	}
	if g.client != c {
		return nil, notAuthorized("Token does not belong to this client")
	}
	g.revoked = true
	return struct{}{}, nil
}

type softwareTokenInput struct {
	AccessToken        string `json:"AccessToken"`
	Session            string `json:"Session"`
	UserCode           string `json:"UserCode"`
	FriendlyDeviceName string `json:"FriendlyDeviceName"`
}

// associateSoftwareToken hands out a new TOTP secret, during MFA_SETUP (with
// the Session) or for a signed-in user (with the AccessToken).
func (e *Handler) associateSoftwareToken(rc *reqCtx, body []byte) (any, error) {
	var in softwareTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	key, code := newTOTPSecret()
	if in.Session != "" {
		e.mu.Lock()
		defer e.mu.Unlock()
		s, aerr := e.findSession(in.Session, rc.now)
		if aerr != nil {
			return nil, aerr
		}
		if s.challenge != chMFASetup {
			return nil, notAuthorized(msgInvalidSession)
		}
		e.dropSession(s)
		n := stepFrom(s, chMFASetup)
		n.setupSecret = key
		n.setupChecked = false
		tok, err := e.putSession(n, rc.now)
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
func (e *Handler) verifySoftwareToken(rc *reqCtx, body []byte) (any, error) {
	var in softwareTokenInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if in.UserCode == "" {
		return nil, nullMember("userCode")
	}
	if in.Session != "" {
		e.mu.Lock()
		defer e.mu.Unlock()
		s, aerr := e.findSession(in.Session, rc.now)
		if aerr != nil {
			return nil, aerr
		}
		if s.challenge != chMFASetup || s.setupSecret == nil {
			return nil, notAuthorized(msgInvalidSession)
		}
		if s.user.codeFails.locked(rc.now) {
			return nil, errCodeAttempts()
		}
		if !checkTOTP(s.setupSecret, in.UserCode, rc.now) {
			s.user.codeFails.fail(rc.now)
			return nil, newError(errEnableSoftwareToken, msgEnableTOTP)
		}
		s.user.codeFails.succeed()
		e.dropSession(s)
		n := stepFrom(s, chMFASetup)
		n.setupChecked = true
		tok, err := e.putSession(n, rc.now)
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
	if u.codeFails.locked(rc.now) {
		return nil, errCodeAttempts()
	}
	if !checkTOTP(u.pendingTOTP, in.UserCode, rc.now) {
		u.codeFails.fail(rc.now)
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
func (e *Handler) setUserMFAPreference(rc *reqCtx, body []byte) (any, error) {
	var in setUserMFAPreferenceInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
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
