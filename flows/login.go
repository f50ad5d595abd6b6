package flows

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

// Result is the outcome of a successful sign-in or refresh.
type Result struct {
	// AuthenticationResult holds the tokens, as Cognito returned them.
	// After a refresh it has no RefreshToken unless the app client rotates
	// refresh tokens.
	AuthenticationResult *types.AuthenticationResultType

	// Username is the user's internal user name in the user pool: the
	// cognito:username claim of the ID token (read without verifying the
	// token), or else the challenges' USERNAME. It differs from what the
	// user typed when signing in with an alias, and is what [Client.Refresh]
	// needs.
	Username string

	// Device is the remembered device that this sign-in proved with
	// device authentication, or the new device that it confirmed and
	// stored; nil if none. After a refresh, it is the device whose
	// DEVICE_KEY was sent.
	Device *Device
}

// Login signs the user in with USER_SRP_AUTH: the password never leaves
// the process, only an SRP-6a proof of it. username is what the user typed:
// the user name or an alias such as an email address.
//
// With a [DeviceStore], a remembered device of the user is sent along and
// authenticated (DEVICE_SRP_AUTH), and a new device is confirmed and stored
// according to [Options.RememberDevices]. If Cognito no longer knows the
// remembered device, Login signs in once more without it and, if that
// succeeds, removes it from the store.
//
// Challenges other than SRP and device ones go to the [ChallengeHandler].
// If the sign-in succeeded but its new device could not be remembered,
// Login returns the Result together with a [*DeviceError].
func (c *Client) Login(ctx context.Context, username, password string, opts ...LoginOption) (*Result, error) {
	return c.signIn(ctx, types.AuthFlowTypeUserSrpAuth, username, password, opts)
}

// LoginCustom signs the user in with CUSTOM_AUTH, the user pool's custom
// authentication Lambda triggers, which the [ChallengeHandler] answers
// (CUSTOM_CHALLENGE). If password is not empty, the flow starts with SRP
// (CHALLENGE_NAME=SRP_A), as for [Client.Login]; otherwise it starts with
// the user name only. Devices are handled as by Login.
func (c *Client) LoginCustom(ctx context.Context, username, password string, opts ...LoginOption) (*Result, error) {
	return c.signIn(ctx, types.AuthFlowTypeCustomAuth, username, password, opts)
}

// LoginUserAuth signs the user in with USER_AUTH, choice-based sign-in. If
// password is not empty, it asks for PASSWORD_SRP (PREFERRED_CHALLENGE)
// and, should Cognito offer a choice instead (SELECT_CHALLENGE), chooses
// PASSWORD_SRP when available. Without a password, the [ChallengeHandler]
// chooses among the available challenges, such as EMAIL_OTP, and answers
// them. Devices are handled as by [Client.Login].
func (c *Client) LoginUserAuth(ctx context.Context, username, password string, opts ...LoginOption) (*Result, error) {
	return c.signIn(ctx, types.AuthFlowTypeUserAuth, username, password, opts)
}

func (c *Client) loginOptions(opts []LoginOption) *loginOptions {
	lo := &loginOptions{handler: c.opts.Handler}
	for _, o := range opts {
		o(lo)
	}
	return lo
}

func (c *Client) signIn(ctx context.Context, flow types.AuthFlowType, username, password string, opts []LoginOption) (*Result, error) {
	lo := c.loginOptions(opts)
	s := &signIn{c: c, lo: lo, flow: flow, typed: username, password: password, lookup: true}
	res, err := s.run(ctx)
	if res != nil || (s.initDevice == nil && s.device == nil) || !isResourceNotFound(err) {
		return res, err
	}
	// Cognito does not know a device we offered: sign in once more without
	// any, and, if that succeeds, forget the user's stale devices. (If it
	// fails, the device may not have been the cause; it stays stored and is
	// tried again next time.)
	first := s
	s = &signIn{c: c, lo: lo, flow: flow, typed: username, password: password}
	res, err = s.run(ctx)
	if res == nil {
		return res, err
	}
	owner := first.internal
	if owner == "" {
		owner = res.Username
	}
	for _, d := range []*Device{first.initDevice, first.device} {
		if d == nil || d.Username != owner {
			continue
		}
		if derr := c.opts.DeviceStore.Delete(ctx, c.userPoolID, d.DeviceKey); derr != nil && err == nil {
			err = &DeviceError{Op: "forget", Err: derr}
		}
	}
	return res, err
}

func isResourceNotFound(err error) bool {
	var rnf *types.ResourceNotFoundException
	return errors.As(err, &rnf)
}

// signIn is the state of one attempt at a sign-in.
type signIn struct {
	c        *Client
	lo       *loginOptions
	flow     types.AuthFlowType
	typed    string // the name the user typed
	password string
	lookup   bool // look up a remembered device in the store

	internal     string         // the internal user name, once known
	initDevice   *Device        // the remembered device offered with InitiateAuth
	device       *Device        // the remembered device offered now
	eph          *srp.Ephemeral // for the password claim
	devEph       *srp.Ephemeral // for the device claim
	avail        []types.ChallengeNameType
	deviceProved bool  // DEVICE_PASSWORD_VERIFIER was answered
	lastErr      error // Cognito's rejection of the last answer to this challenge
	attempts     int   // rejected answers to this challenge
}

func (s *signIn) store() DeviceStore { return s.c.opts.DeviceStore }

func (s *signIn) run(ctx context.Context) (*Result, error) {
	c := s.c
	if s.lookup && s.store() != nil {
		d, err := s.store().Get(ctx, c.userPoolID, s.typed)
		if err != nil {
			return nil, fmt.Errorf("flows: device store: %w", err)
		}
		s.device, s.initDevice = d, d
	}

	params := map[string]string{"USERNAME": s.typed}
	if s.password != "" {
		eph, err := srp.NewEphemeral()
		if err != nil {
			return nil, fmt.Errorf("flows: %w", err)
		}
		s.eph = eph
		switch s.flow {
		case types.AuthFlowTypeUserSrpAuth:
			params["SRP_A"] = eph.SRPA()
		case types.AuthFlowTypeCustomAuth:
			params["CHALLENGE_NAME"] = "SRP_A"
			params["SRP_A"] = eph.SRPA()
		case types.AuthFlowTypeUserAuth:
			params["PREFERRED_CHALLENGE"] = string(types.ChallengeNameTypePasswordSrp)
			params["SRP_A"] = eph.SRPA()
		}
	} else if s.flow == types.AuthFlowTypeUserSrpAuth {
		return nil, ErrNoPassword
	}
	if c.opts.ClientSecret != "" {
		params["SECRET_HASH"] = secrethash.Compute(c.clientID, c.opts.ClientSecret, s.typed)
	}
	if s.device != nil {
		params["DEVICE_KEY"] = s.device.DeviceKey
	}
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       s.flow,
		ClientId:       aws.String(c.clientID),
		AuthParameters: params,
		ClientMetadata: s.lo.clientMetadata,
	}, c.callOptions(s.lo)...)
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	s.avail = out.AvailableChallenges
	name, cparams, session, result := out.ChallengeName, out.ChallengeParameters, out.Session, out.AuthenticationResult

	for n := 0; ; n++ {
		if result != nil {
			return s.finish(ctx, result)
		}
		if name == "" {
			return nil, fmt.Errorf("%w: neither tokens nor a challenge", ErrMalformedChallenge)
		}
		if n >= c.opts.MaxChallenges {
			return nil, ErrChallengeLoop
		}
		if err := ctx.Err(); err != nil {
			return nil, &ChallengeError{Name: name, Err: err}
		}
		if u := cparams["USERNAME"]; u != "" {
			s.internal = u
		}
		responses, newSession, err := s.answer(ctx, name, cparams, session)
		if err != nil {
			if _, ok := err.(*UnsupportedChallengeError); ok {
				return nil, err
			}
			return nil, &ChallengeError{Name: name, Err: err}
		}
		if newSession != nil {
			session = newSession
		}
		username := s.username()
		responses["USERNAME"] = username
		if c.opts.ClientSecret != "" {
			responses["SECRET_HASH"] = secrethash.Compute(c.clientID, c.opts.ClientSecret, username)
		}
		if s.device != nil {
			responses["DEVICE_KEY"] = s.device.DeviceKey
		}
		rout, err := c.api.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
			ChallengeName:      name,
			ClientId:           aws.String(c.clientID),
			ChallengeResponses: responses,
			Session:            session,
			ClientMetadata:     s.lo.clientMetadata,
		}, c.singleUseOptions(s.lo)...)
		if err != nil {
			if s.retryCode(name, err) {
				// Ask again for the same challenge, in the same session.
				continue
			}
			return nil, &ChallengeError{Name: name, Err: err}
		}
		s.lastErr, s.attempts = nil, 0
		// The next answer carries this response's Session, or none.
		name, cparams, result, session = rout.ChallengeName, rout.ChallengeParameters, rout.AuthenticationResult, rout.Session
		s.avail = nil
	}
}

// maxCodeAttempts is how many codes a sign-in tries for one challenge,
// as many as Cognito accepts in one session.
const maxCodeAttempts = 3

// retryCode reports whether the handler should be asked again for a code
// that Cognito rejected with err, and records err for it.
func (s *signIn) retryCode(name types.ChallengeNameType, err error) bool {
	switch name {
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp,
		types.ChallengeNameTypeEmailOtp, types.ChallengeNameTypeSoftwareTokenMfa:
	default:
		return false
	}
	var mismatch *types.CodeMismatchException
	if !errors.As(err, &mismatch) {
		return false
	}
	s.attempts++
	if s.attempts >= maxCodeAttempts {
		return false
	}
	s.lastErr = err
	return true
}

// username is the name that challenge responses carry and SECRET_HASH
// covers: the challenges' USERNAME once one was seen.
func (s *signIn) username() string {
	if s.internal != "" {
		return s.internal
	}
	return s.typed
}

// answer computes the challenge responses to the challenge name, except
// USERNAME, SECRET_HASH and DEVICE_KEY. It returns a new session if the
// answer needed other calls that replaced it (MFA_SETUP).
func (s *signIn) answer(ctx context.Context, name types.ChallengeNameType, params map[string]string, session *string) (map[string]string, *string, error) {
	c := s.c
	switch name {
	case types.ChallengeNameTypePasswordVerifier:
		if s.eph == nil {
			return nil, nil, ErrNoPassword
		}
		userID := params["USER_ID_FOR_SRP"]
		if userID == "" {
			return nil, nil, fmt.Errorf("%w: USER_ID_FOR_SRP is missing", ErrMalformedChallenge)
		}
		if s.internal == "" {
			s.internal = userID
		}
		ch, err := srp.ParseChallengeParameters(params)
		if err != nil {
			return nil, nil, err
		}
		if err := s.resolveDevice(ctx); err != nil {
			return nil, nil, err
		}
		claim, err := s.eph.PasswordClaim(c.userPoolID, userID, s.password, ch, c.opts.Clock())
		if err != nil {
			return nil, nil, err
		}
		return claimResponses(claim), nil, nil

	case types.ChallengeNameTypeDeviceSrpAuth:
		if s.device == nil {
			return nil, nil, ErrNoDevice
		}
		eph, err := srp.NewEphemeral()
		if err != nil {
			return nil, nil, err
		}
		s.devEph = eph
		return map[string]string{"SRP_A": eph.SRPA()}, nil, nil

	case types.ChallengeNameTypeDevicePasswordVerifier:
		if s.device == nil || s.devEph == nil {
			return nil, nil, ErrNoDevice
		}
		ch, err := srp.ParseChallengeParameters(params)
		if err != nil {
			return nil, nil, err
		}
		d := s.device
		claim, err := s.devEph.DeviceClaim(d.DeviceGroupKey, d.DeviceKey, d.DevicePassword, ch, c.opts.Clock())
		if err != nil {
			return nil, nil, err
		}
		s.deviceProved = true
		return claimResponses(claim), nil, nil

	case types.ChallengeNameTypeSelectChallenge:
		if s.password != "" && slices.Contains(s.avail, types.ChallengeNameTypePasswordSrp) {
			return s.selectPasswordSRP()
		}
		a, err := s.ask(ctx, name, params)
		if err != nil {
			return nil, nil, err
		}
		if a.Value == string(types.ChallengeNameTypePasswordSrp) {
			if s.password == "" {
				return nil, nil, ErrNoPassword
			}
			return s.selectPasswordSRP()
		}
		return map[string]string{"ANSWER": a.Value}, nil, nil

	case types.ChallengeNameTypeMfaSetup:
		return s.setUpTOTP(ctx, params, session)

	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp, types.ChallengeNameTypeEmailOtp,
		types.ChallengeNameTypeSoftwareTokenMfa, types.ChallengeNameTypeSelectMfaType,
		types.ChallengeNameTypeCustomChallenge, types.ChallengeNameTypeNewPasswordRequired:
		a, err := s.ask(ctx, name, params)
		if err != nil {
			return nil, nil, err
		}
		key := map[types.ChallengeNameType]string{
			types.ChallengeNameTypeSmsMfa:              "SMS_MFA_CODE",
			types.ChallengeNameTypeSmsOtp:              "SMS_OTP_CODE",
			types.ChallengeNameTypeEmailOtp:            "EMAIL_OTP_CODE",
			types.ChallengeNameTypeSoftwareTokenMfa:    "SOFTWARE_TOKEN_MFA_CODE",
			types.ChallengeNameTypeSelectMfaType:       "ANSWER",
			types.ChallengeNameTypeCustomChallenge:     "ANSWER",
			types.ChallengeNameTypeNewPasswordRequired: "NEW_PASSWORD",
		}[name]
		responses := map[string]string{key: a.Value}
		if name == types.ChallengeNameTypeNewPasswordRequired {
			for k, v := range a.UserAttributes {
				responses["userAttributes."+k] = v
			}
		}
		return responses, nil, nil

	default:
		return nil, nil, &UnsupportedChallengeError{Name: name}
	}
}

func claimResponses(claim *srp.Claim) map[string]string {
	return map[string]string{
		"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
		"PASSWORD_CLAIM_SECRET_BLOCK": claim.SecretBlock,
		"TIMESTAMP":                   claim.Timestamp,
	}
}

// selectPasswordSRP answers SELECT_CHALLENGE with PASSWORD_SRP and a fresh
// SRP_A, for the PASSWORD_VERIFIER challenge that follows.
func (s *signIn) selectPasswordSRP() (map[string]string, *string, error) {
	eph, err := srp.NewEphemeral()
	if err != nil {
		return nil, nil, err
	}
	s.eph = eph
	return map[string]string{"ANSWER": string(types.ChallengeNameTypePasswordSrp), "SRP_A": eph.SRPA()}, nil, nil
}

// ask parses a challenge and passes it to the handler.
func (s *signIn) ask(ctx context.Context, name types.ChallengeNameType, params map[string]string) (Answer, error) {
	if s.lo.handler == nil {
		return Answer{}, ErrNoHandler
	}
	ch, err := newChallenge(name, s.username(), params, s.avail)
	if err != nil {
		return Answer{}, err
	}
	ch.Err = s.lastErr
	return s.askParsed(ctx, ch)
}

func (s *signIn) askParsed(ctx context.Context, ch *Challenge) (Answer, error) {
	if s.lo.handler == nil {
		return Answer{}, ErrNoHandler
	}
	if err := ctx.Err(); err != nil {
		return Answer{}, err
	}
	return s.lo.handler.HandleChallenge(ctx, ch)
}

// setUpTOTP answers MFA_SETUP by associating an authenticator app: the
// handler shows the secret and returns the app's code.
func (s *signIn) setUpTOTP(ctx context.Context, params map[string]string, session *string) (map[string]string, *string, error) {
	c := s.c
	ch, err := newChallenge(types.ChallengeNameTypeMfaSetup, s.username(), params, nil)
	if err != nil {
		return nil, nil, err
	}
	if len(ch.Options) > 0 && !slices.Contains(ch.Options, string(types.ChallengeNameTypeSoftwareTokenMfa)) {
		return nil, nil, ErrMFASetupUnsupported
	}
	if s.lo.handler == nil {
		return nil, nil, ErrNoHandler
	}
	assoc, err := c.api.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: session}, c.singleUseOptions(s.lo)...)
	if err != nil {
		return nil, nil, err
	}
	if assoc.SecretCode == nil || *assoc.SecretCode == "" {
		return nil, nil, fmt.Errorf("%w: AssociateSoftwareToken returned no secret", ErrMalformedChallenge)
	}
	if assoc.Session != nil {
		session = assoc.Session
	}
	ch.SecretCode = *assoc.SecretCode
	a, err := s.askParsed(ctx, ch)
	if err != nil {
		return nil, nil, err
	}
	ver, err := c.api.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{
		Session:  session,
		UserCode: aws.String(a.Value),
	}, c.singleUseOptions(s.lo)...)
	if err != nil {
		return nil, nil, err
	}
	if ver.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		return nil, nil, ErrSoftwareTokenNotVerified
	}
	if ver.Session != nil {
		session = ver.Session
	}
	return map[string]string{}, session, nil
}

// resolveDevice makes sure, once the internal user name is known, that the
// offered device is the internal user's: a device found by the typed name
// may belong to another user (an alias that moved), and then loses that
// alias in the store; and a device of the internal user may not have been
// found by an alias not yet recorded.
func (s *signIn) resolveDevice(ctx context.Context) error {
	if !s.lookup || s.store() == nil || s.internal == "" {
		return nil
	}
	if s.device != nil && s.device.Username == s.internal {
		return nil
	}
	store := s.store()
	if m := s.device; m != nil && slices.Contains(m.Aliases, s.typed) {
		m = m.clone()
		m.Aliases = slices.DeleteFunc(m.Aliases, func(a string) bool { return a == s.typed })
		if err := store.Put(ctx, m); err != nil {
			return fmt.Errorf("flows: device store: %w", err)
		}
	}
	d, err := store.Get(ctx, s.c.userPoolID, s.internal)
	if err != nil {
		return fmt.Errorf("flows: device store: %w", err)
	}
	if d != nil && d.Username != s.internal {
		d = nil
	}
	s.device = d
	return nil
}

// finish turns the tokens into a Result and remembers devices.
func (s *signIn) finish(ctx context.Context, ar *types.AuthenticationResultType) (*Result, error) {
	res := &Result{AuthenticationResult: ar, Username: usernameFromIDToken(ar.IdToken)}
	if res.Username == "" {
		res.Username = s.username()
	}
	store := s.store()
	if store == nil {
		return res, nil
	}

	if ar.NewDeviceMetadata != nil {
		return s.rememberNew(ctx, res, ar)
	}
	if d := s.device; d != nil && s.deviceProved {
		res.Device = d
		if d.Username == res.Username && !d.hasName(s.typed) {
			d = d.clone()
			d.Aliases = append(d.Aliases, s.typed)
			if err := store.Put(ctx, d); err != nil {
				return res, &DeviceError{Op: "store", Err: err}
			}
			res.Device = d
		}
	}
	return res, nil
}

// rememberNew confirms, remembers and stores the device that Cognito
// announced in NewDeviceMetadata, if the policy says so. The device is
// stored only once Cognito has confirmed (and, where needed, remembered) it.
func (s *signIn) rememberNew(ctx context.Context, res *Result, ar *types.AuthenticationResultType) (*Result, error) {
	c := s.c
	remember := c.opts.RememberDevices == RememberAlways
	if s.lo.remember != nil {
		remember = *s.lo.remember
	}
	if !remember {
		return res, nil
	}
	md := ar.NewDeviceMetadata
	key, group := aws.ToString(md.DeviceKey), aws.ToString(md.DeviceGroupKey)
	if key == "" || group == "" || aws.ToString(ar.AccessToken) == "" {
		return res, &DeviceError{Op: "ConfirmDevice", Err: fmt.Errorf("%w: incomplete NewDeviceMetadata", ErrMalformedChallenge)}
	}
	v, err := srp.NewDeviceVerifier(group, key)
	if err != nil {
		return res, &DeviceError{Op: "ConfirmDevice", Err: err}
	}
	in := &cip.ConfirmDeviceInput{
		AccessToken: ar.AccessToken,
		DeviceKey:   aws.String(key),
		DeviceSecretVerifierConfig: &types.DeviceSecretVerifierConfigType{
			PasswordVerifier: aws.String(v.PasswordVerifier),
			Salt:             aws.String(v.Salt),
		},
	}
	name := c.opts.DeviceName
	if s.lo.deviceName != nil {
		name = *s.lo.deviceName
	}
	if name != "" {
		in.DeviceName = aws.String(name)
	}
	out, err := c.api.ConfirmDevice(ctx, in, c.callOptions(s.lo)...)
	if err != nil {
		return res, &DeviceError{Op: "ConfirmDevice", Err: err}
	}
	if out.UserConfirmationNecessary {
		_, err := c.api.UpdateDeviceStatus(ctx, &cip.UpdateDeviceStatusInput{
			AccessToken:            ar.AccessToken,
			DeviceKey:              aws.String(key),
			DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered,
		}, c.callOptions(s.lo)...)
		if err != nil {
			return res, &DeviceError{Op: "UpdateDeviceStatus", Err: err}
		}
	}

	d := &Device{
		UserPoolID:     c.userPoolID,
		Username:       res.Username,
		DeviceKey:      key,
		DeviceGroupKey: group,
		DevicePassword: v.DevicePassword,
	}
	// Keep the aliases of the user's previous device.
	if old, err := s.store().Get(ctx, c.userPoolID, res.Username); err == nil && old != nil && old.Username == res.Username {
		d.Aliases = old.Aliases
	}
	if s.typed != d.Username && !slices.Contains(d.Aliases, s.typed) {
		d.Aliases = append(d.Aliases, s.typed)
	}
	if err := s.store().Put(ctx, d); err != nil {
		return res, &DeviceError{Op: "store", Err: err}
	}
	res.Device = d
	return res, nil
}

// Refresh gets new tokens with REFRESH_TOKEN_AUTH. username is the user's
// internal user name ([Result.Username]), which SECRET_HASH covers when the
// app client has a secret; with a [DeviceStore], an alias under which the
// user's device is stored works too. The user's remembered device, if any,
// is sent as DEVICE_KEY, which Cognito requires for refresh tokens issued
// to a remembered device. If Cognito no longer knows the device, Refresh
// tries once more without it and, if that succeeds, forgets it. Of the
// options, [WithClientMetadata] and [WithClientOptions] apply.
func (c *Client) Refresh(ctx context.Context, username, refreshToken string, opts ...LoginOption) (*Result, error) {
	lo := c.loginOptions(opts)
	var d *Device
	if c.opts.DeviceStore != nil {
		var err error
		if d, err = c.opts.DeviceStore.Get(ctx, c.userPoolID, username); err != nil {
			return nil, fmt.Errorf("flows: device store: %w", err)
		}
	}
	res, err := c.refresh(ctx, lo, username, refreshToken, d)
	if err == nil || d == nil || !isResourceNotFound(err) {
		return res, err
	}
	res, err = c.refresh(ctx, lo, d.Username, refreshToken, nil)
	if err != nil {
		return nil, err
	}
	if derr := c.opts.DeviceStore.Delete(ctx, c.userPoolID, d.DeviceKey); derr != nil {
		return res, &DeviceError{Op: "forget", Err: derr}
	}
	return res, nil
}

func (c *Client) refresh(ctx context.Context, lo *loginOptions, username, refreshToken string, d *Device) (*Result, error) {
	if d != nil {
		username = d.Username
	}
	params := map[string]string{"REFRESH_TOKEN": refreshToken}
	if c.opts.ClientSecret != "" {
		params["SECRET_HASH"] = secrethash.Compute(c.clientID, c.opts.ClientSecret, username)
	}
	if d != nil {
		params["DEVICE_KEY"] = d.DeviceKey
	}
	out, err := c.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		ClientId:       aws.String(c.clientID),
		AuthParameters: params,
		ClientMetadata: lo.clientMetadata,
	}, c.callOptions(lo)...)
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	if out.AuthenticationResult == nil {
		if out.ChallengeName != "" {
			return nil, &UnsupportedChallengeError{Name: out.ChallengeName}
		}
		return nil, fmt.Errorf("%w: neither tokens nor a challenge", ErrMalformedChallenge)
	}
	res := &Result{AuthenticationResult: out.AuthenticationResult, Username: usernameFromIDToken(out.AuthenticationResult.IdToken), Device: d}
	if res.Username == "" {
		res.Username = username
	}
	return res, nil
}

// ForgetDevice makes Cognito forget the device d (with the access token of
// a session of its user) and removes it from the [DeviceStore]. A device
// that Cognito no longer knows is removed from the store all the same. Of
// the options, [WithClientOptions] applies.
func (c *Client) ForgetDevice(ctx context.Context, accessToken string, d *Device, opts ...LoginOption) error {
	lo := c.loginOptions(opts)
	_, err := c.api.ForgetDevice(ctx, &cip.ForgetDeviceInput{
		AccessToken: aws.String(accessToken),
		DeviceKey:   aws.String(d.DeviceKey),
	}, c.callOptions(lo)...)
	if err != nil && !isResourceNotFound(err) {
		return fmt.Errorf("flows: %w", err)
	}
	if c.opts.DeviceStore != nil {
		if err := c.opts.DeviceStore.Delete(ctx, d.UserPoolID, d.DeviceKey); err != nil {
			return fmt.Errorf("flows: device store: %w", err)
		}
	}
	return nil
}

// usernameFromIDToken returns the cognito:username claim of a JWT, read
// without verifying the token, or "".
func usernameFromIDToken(tok *string) string {
	if tok == nil {
		return ""
	}
	parts := strings.Split(*tok, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		Username string `json:"cognito:username"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.Username
}
