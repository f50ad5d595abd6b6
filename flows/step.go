package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

// A Flow is how [Client.Start] signs a user in: [UserSRP], [CustomAuth],
// [UserAuth], or, with a Client from [NewAdmin], [AdminUserPassword].
type Flow interface {
	authFlow() (types.AuthFlowType, string, string)
}

// UserSRP is the USER_SRP_AUTH flow, as [Client.Login] runs it: the
// password never leaves the process, only an SRP-6a proof of it. Username
// is what the user typed: the user name or an alias such as an email
// address.
type UserSRP struct {
	Username, Password string
}

// CustomAuth is the CUSTOM_AUTH flow, as [Client.LoginCustom] runs it:
// with a Password, it starts with SRP (CHALLENGE_NAME=SRP_A); without, with
// the user name only.
type CustomAuth struct {
	Username, Password string
}

// UserAuth is the USER_AUTH flow (choice-based sign-in), as
// [Client.LoginUserAuth] runs it: with a Password, PASSWORD_SRP; without,
// the first factor that PreferredChallenge names (such as
// types.ChallengeNameTypeEmailOtp), if any, or else a SELECT_CHALLENGE step
// whose options are the factors available to the user.
type UserAuth struct {
	Username, Password string
	PreferredChallenge types.ChallengeNameType
}

func (f UserSRP) authFlow() (types.AuthFlowType, string, string) {
	return types.AuthFlowTypeUserSrpAuth, f.Username, f.Password
}

func (f CustomAuth) authFlow() (types.AuthFlowType, string, string) {
	return types.AuthFlowTypeCustomAuth, f.Username, f.Password
}

func (f UserAuth) authFlow() (types.AuthFlowType, string, string) {
	return types.AuthFlowTypeUserAuth, f.Username, f.Password
}

// Step is where a sign-in stands after [Client.Start] or [Client.Resume]:
// either done, with Result set, or waiting for the user's answer to a
// challenge, with Pending set.
type Step struct {
	// Result holds the tokens of a finished sign-in.
	Result *Result
	// Pending is the challenge that waits for the user.
	Pending *Pending
}

// Done reports whether the sign-in is over: s.Result is set.
func (s *Step) Done() bool { return s != nil && s.Result != nil }

// Start begins a sign-in with flow f and runs it as far as it goes without
// the user: InitiateAuth, the SRP proof of the password, device
// authentication with a remembered device. It returns a [Step] that holds
// either the tokens or a [Pending] challenge, which the user answers, maybe
// in another request or process, through [Client.Resume]. The Client's
// [Options.Handler] is not used.
//
// With a [DeviceStore], a remembered device of the user is offered and
// authenticated (DEVICE_SRP_AUTH); if Cognito no longer knows it, Start
// signs in once more without it and removes it from the store. A new device
// is confirmed and stored according to [Options.RememberDevices]. If the
// sign-in succeeded but its new device could not be remembered, Start
// returns the done Step together with a [*DeviceError].
func (c *Client) Start(ctx context.Context, f Flow, optFns ...func(*Options)) (*Step, error) {
	return c.start(ctx, c.options(optFns), f)
}

func (c *Client) start(ctx context.Context, o *Options, f Flow) (*Step, error) {
	if f == nil {
		return nil, errors.New("flows: Start: nil Flow")
	}
	s := c.newSignIn(o, f)
	s.lookup = true
	step, err := s.initiate(ctx)
	if step != nil || !s.offered() || !isResourceNotFound(err) {
		return step, err
	}
	// Cognito does not know a device we offered: sign in once more without
	// any, and, if that gets further, forget the user's stale devices. (If
	// it fails, the device may not have been the cause; it stays stored and
	// is tried again next time.)
	first := s
	s = c.newSignIn(o, f)
	s.forgot = true
	step, err = s.initiate(ctx)
	if step == nil {
		return nil, err
	}
	owner := first.internal
	if owner == "" && step.Result != nil {
		owner = step.Result.Username
	}
	for _, d := range []*Device{first.initDevice, first.device} {
		if derr := s.forgetStale(ctx, d, owner); derr != nil && err == nil {
			err = derr
		}
	}
	return step, err
}

// Resume answers the pending challenge p with a and runs the sign-in on as
// far as it goes without the user: like [Client.Start], it returns the
// tokens or the next pending challenge. What a must hold depends on the
// challenge: see [ChallengeHandler]. p may come from another Client value
// or process, through [Pending.MarshalBinary] and
// [Pending.UnmarshalBinary], but it must be for c's user pool and app
// client, else Resume returns [ErrWrongClient]. Device authentication that
// follows the answer uses the device password in c's [DeviceStore]. p is
// answered with the operation its sign-in started with: a Pending of a
// Client from [NewAdmin] with AdminRespondToAuthChallenge, which needs c to
// be from NewAdmin too (else [ErrAdminRequired]).
//
// Resume returns an error matching [ErrStepExpired] when p has expired,
// checked against [Options.Clock] before calling Cognito, or when Cognito
// says that the session expired. When Cognito rejects a code
// (*types.CodeMismatchException), p stays valid and can be answered again:
// Cognito accepts three codes per session. Any other error ends the sign-in.
//
// Per-call options apply to this call only: a new device that the sign-in
// ends with is remembered according to the RememberDevices of Resume's
// options, and Resume's ClientMetadata is sent.
func (c *Client) Resume(ctx context.Context, p *Pending, a Answer, optFns ...func(*Options)) (*Step, error) {
	return c.resume(ctx, c.options(optFns), p, a)
}

func (c *Client) resume(ctx context.Context, o *Options, p *Pending, a Answer) (*Step, error) {
	if p == nil || p.Challenge == nil {
		return nil, fmt.Errorf("%w: nil or empty Pending", ErrInvalidPending)
	}
	st := &p.st
	if st.Pool != c.userPoolID || st.Client != c.clientID {
		return nil, ErrWrongClient
	}
	if st.Admin && c.admin == nil {
		return nil, errAdminPending
	}
	name := st.Challenge
	if !o.Clock().Before(st.Expires) {
		return nil, &ChallengeError{Name: name, Err: ErrStepExpired}
	}
	if st.Answered >= o.MaxChallenges {
		return nil, ErrChallengeLoop
	}
	s := &signIn{
		c: c, o: o, flow: st.Flow, admin: st.Admin, typed: st.Typed, internal: st.Username,
		deviceProved: st.DeviceProved, forgot: st.Forgot, answered: st.Answered,
	}
	for _, n := range st.Available {
		s.avail = append(s.avail, types.ChallengeNameType(n))
	}
	if st.DeviceKey != "" {
		d, err := s.storedDevice(ctx, st.DeviceKey)
		if err != nil {
			return nil, err
		}
		if d == nil {
			// Not in this Client's store: DEVICE_KEY is still sent, but
			// device authentication, should Cognito ask for it, fails.
			d = &Device{UserPoolID: c.userPoolID, Username: s.username(), DeviceKey: st.DeviceKey, DeviceGroupKey: st.DeviceGroupKey}
		}
		s.device = d
	}
	if err := ctx.Err(); err != nil {
		return nil, &ChallengeError{Name: name, Err: err}
	}
	session := optString(st.Session)
	responses, session, err := s.userResponses(ctx, name, p.Challenge, a, session)
	if err != nil {
		return nil, &ChallengeError{Name: name, Err: sessionError(err)}
	}
	s.answered++
	out, err := s.respond(ctx, name, responses, session)
	if err != nil {
		if s.device != nil && isResourceNotFound(err) {
			// The device is stale: forget it, so that the next sign-in
			// goes without.
			if derr := s.forgetStale(ctx, s.device, s.username()); derr != nil {
				err = errors.Join(err, derr)
			}
		}
		return nil, &ChallengeError{Name: name, Err: sessionError(err)}
	}
	return s.drive(ctx, out)
}

// offered reports whether the sign-in offered a remembered device.
func (s *signIn) offered() bool { return s.initDevice != nil || s.device != nil }

// forgetStale removes the device d that Cognito no longer knows from the
// store, if it belongs to owner.
func (s *signIn) forgetStale(ctx context.Context, d *Device, owner string) error {
	if d == nil || s.store() == nil || d.Username != owner {
		return nil
	}
	if err := s.store().Delete(ctx, s.c.userPoolID, d.DeviceKey); err != nil {
		return &DeviceError{Op: "forget", Err: err}
	}
	return nil
}

// storedDevice returns the user's device deviceKey from the store, or nil.
func (s *signIn) storedDevice(ctx context.Context, deviceKey string) (*Device, error) {
	if s.store() == nil {
		return nil, nil
	}
	for _, name := range []string{s.internal, s.typed} {
		if name == "" {
			continue
		}
		d, err := s.store().Get(ctx, s.c.userPoolID, name)
		if err != nil {
			return nil, fmt.Errorf("flows: device store: %w", err)
		}
		if d != nil && d.DeviceKey == deviceKey {
			return d, nil
		}
	}
	return nil, nil
}

// sessionExpired is the message of Cognito's NotAuthorizedException for an
// expired Session, as the local server also words it.
const sessionExpired = "session is expired"

// sessionError adds [ErrStepExpired] to err if Cognito said that the
// session expired.
func sessionError(err error) error {
	var nae *types.NotAuthorizedException
	if errors.As(err, &nae) && strings.Contains(nae.ErrorMessage(), sessionExpired) {
		return fmt.Errorf("%w: %w", ErrStepExpired, err)
	}
	return err
}

// signIn is the state of one attempt at a sign-in, within one call of
// Start or Resume.
type signIn struct {
	c        *Client
	o        *Options
	flow     types.AuthFlowType
	admin    bool   // call AdminInitiateAuth and AdminRespondToAuthChallenge
	typed    string // the name the user typed
	password string // only during Start
	pref     types.ChallengeNameType
	lookup   bool // look up a remembered device in the store

	internal     string         // the internal user name, once known
	initDevice   *Device        // the remembered device offered with InitiateAuth
	device       *Device        // the remembered device offered now
	eph          *srp.Ephemeral // for the password claim
	devEph       *srp.Ephemeral // for the device claim
	avail        []types.ChallengeNameType
	deviceProved bool // DEVICE_PASSWORD_VERIFIER was answered
	forgot       bool // a stale device was dropped and the sign-in retried
	answered     int  // challenges answered
}

func (c *Client) newSignIn(o *Options, f Flow) *signIn {
	flow, user, pw := f.authFlow()
	s := &signIn{c: c, o: o, flow: flow, admin: c.admin != nil, typed: user, password: pw}
	if ua, ok := f.(UserAuth); ok {
		s.pref = ua.PreferredChallenge
	}
	return s
}

func (s *signIn) store() DeviceStore { return s.o.DeviceStore }

// challengeOut is a challenge or tokens, from InitiateAuth or
// RespondToAuthChallenge.
type challengeOut struct {
	name    types.ChallengeNameType
	params  map[string]string
	session *string
	result  *types.AuthenticationResultType
	avail   []types.ChallengeNameType
}

// initiate calls InitiateAuth and drives the sign-in as far as it goes.
func (s *signIn) initiate(ctx context.Context) (*Step, error) {
	c := s.c
	if s.typed == "" {
		return nil, errors.New("flows: empty user name")
	}
	if s.flow == types.AuthFlowTypeAdminUserPasswordAuth && !s.admin {
		return nil, ErrAdminRequired
	}
	if s.lookup && s.store() != nil {
		d, err := s.store().Get(ctx, c.userPoolID, s.typed)
		if err != nil {
			return nil, fmt.Errorf("flows: device store: %w", err)
		}
		s.device, s.initDevice = d, d
	}

	params := map[string]string{"USERNAME": s.typed}
	if s.flow == types.AuthFlowTypeAdminUserPasswordAuth {
		if s.password == "" {
			return nil, ErrNoPassword
		}
		params["PASSWORD"] = s.password
	} else if s.password != "" {
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
	} else if s.pref != "" {
		params["PREFERRED_CHALLENGE"] = string(s.pref)
	}
	if s.o.ClientSecret != "" {
		params["SECRET_HASH"] = secrethash.Compute(c.clientID, s.o.ClientSecret, s.typed)
	}
	if s.device != nil {
		params["DEVICE_KEY"] = s.device.DeviceKey
	}
	out, err := s.initiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       s.flow,
		ClientId:       aws.String(c.clientID),
		AuthParameters: params,
		ClientMetadata: s.o.ClientMetadata,
	})
	if err != nil {
		return nil, fmt.Errorf("flows: %w", err)
	}
	return s.drive(ctx, out)
}

// drive answers the challenges that need no user until the tokens or a
// challenge for the user.
func (s *signIn) drive(ctx context.Context, out *challengeOut) (*Step, error) {
	for {
		if out.result != nil {
			res, err := s.finish(ctx, out.result)
			return &Step{Result: res}, err
		}
		name := out.name
		if name == "" {
			return nil, fmt.Errorf("%w: neither tokens nor a challenge", ErrMalformedChallenge)
		}
		if s.answered >= s.o.MaxChallenges {
			return nil, ErrChallengeLoop
		}
		if err := ctx.Err(); err != nil {
			return nil, &ChallengeError{Name: name, Err: err}
		}
		// Cognito names the user in USERNAME or USER_ID_FOR_SRP ("the
		// actual username value ... even if you specified an alias", AWS
		// CLI reference, admin-respond-to-auth-challenge): after a first
		// factor without SRP, such as ADMIN_USER_PASSWORD_AUTH, only the
		// latter may be there.
		if u := out.params["USERNAME"]; u != "" {
			s.internal = u
		} else if u := out.params["USER_ID_FOR_SRP"]; u != "" {
			s.internal = u
		}
		s.avail = out.avail
		responses, err := s.autoResponses(ctx, name, out.params)
		if err != nil {
			if _, ok := err.(*UnsupportedChallengeError); ok {
				return nil, err
			}
			return nil, &ChallengeError{Name: name, Err: err}
		}
		if responses == nil {
			p, err := s.pending(ctx, name, out.params, out.session)
			if err != nil {
				return nil, &ChallengeError{Name: name, Err: err}
			}
			return &Step{Pending: p}, nil
		}
		s.answered++
		if out, err = s.respond(ctx, name, responses, out.session); err != nil {
			return nil, &ChallengeError{Name: name, Err: err}
		}
	}
}

// respond sends the responses to the challenge name, with USERNAME,
// SECRET_HASH and DEVICE_KEY added.
func (s *signIn) respond(ctx context.Context, name types.ChallengeNameType, responses map[string]string, session *string) (*challengeOut, error) {
	c := s.c
	username := s.username()
	responses["USERNAME"] = username
	if s.o.ClientSecret != "" {
		responses["SECRET_HASH"] = secrethash.Compute(c.clientID, s.o.ClientSecret, username)
	}
	if s.device != nil {
		responses["DEVICE_KEY"] = s.device.DeviceKey
	}
	return s.respondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName:      name,
		ClientId:           aws.String(c.clientID),
		ChallengeResponses: responses,
		Session:            session,
		ClientMetadata:     s.o.ClientMetadata,
	})
}

// username is the name that challenge responses carry and SECRET_HASH
// covers: the challenges' USERNAME once one was seen.
func (s *signIn) username() string {
	if s.internal != "" {
		return s.internal
	}
	return s.typed
}

// userChallenges are the challenges that wait for the user.
var userChallenges = []types.ChallengeNameType{
	types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSmsOtp, types.ChallengeNameTypeEmailOtp,
	types.ChallengeNameTypeSoftwareTokenMfa, types.ChallengeNameTypeSelectMfaType,
	types.ChallengeNameTypeCustomChallenge, types.ChallengeNameTypeNewPasswordRequired,
	types.ChallengeNameTypeSelectChallenge, types.ChallengeNameTypeMfaSetup,
}

// autoResponses computes the responses to a challenge that needs no user,
// except USERNAME, SECRET_HASH and DEVICE_KEY. It returns nil responses and
// no error for a challenge that waits for the user.
func (s *signIn) autoResponses(ctx context.Context, name types.ChallengeNameType, params map[string]string) (map[string]string, error) {
	c := s.c
	switch name {
	case types.ChallengeNameTypePasswordVerifier:
		if s.eph == nil {
			return nil, ErrNoPassword
		}
		ch, err := srp.ParseChallengeParameters(params)
		if err != nil {
			return nil, err
		}
		userID := ch.UserIDForSRP()
		if userID == "" {
			return nil, fmt.Errorf("%w: USER_ID_FOR_SRP is missing", ErrMalformedChallenge)
		}
		if s.internal == "" {
			s.internal = userID
		}
		if err := s.resolveDevice(ctx); err != nil {
			return nil, err
		}
		claim, err := s.eph.PasswordClaim(c.userPoolID, userID, s.password, ch, s.o.Clock())
		if err != nil {
			return nil, err
		}
		return claimResponses(claim), nil

	case types.ChallengeNameTypeDeviceSrpAuth:
		if s.device == nil {
			return nil, ErrNoDevice
		}
		eph, err := srp.NewEphemeral()
		if err != nil {
			return nil, err
		}
		s.devEph = eph
		return map[string]string{"SRP_A": eph.SRPA()}, nil

	case types.ChallengeNameTypeDevicePasswordVerifier:
		if s.device == nil || s.devEph == nil || s.device.DevicePassword == "" {
			return nil, ErrNoDevice
		}
		ch, err := srp.ParseChallengeParameters(params)
		if err != nil {
			return nil, err
		}
		d := s.device
		claim, err := s.devEph.DeviceClaim(d.DeviceGroupKey, d.DeviceKey, d.DevicePassword, ch, s.o.Clock())
		if err != nil {
			return nil, err
		}
		s.deviceProved = true
		return claimResponses(claim), nil

	case types.ChallengeNameTypeSelectChallenge:
		if s.password != "" && slices.Contains(s.avail, types.ChallengeNameTypePasswordSrp) {
			return s.selectPasswordSRP()
		}
		return nil, nil

	default:
		if slices.Contains(userChallenges, name) {
			return nil, nil
		}
		return nil, &UnsupportedChallengeError{Name: name}
	}
}

// codeResponseKeys are the challenge responses that carry the answers to the
// challenges that wait for the user.
var codeResponseKeys = map[types.ChallengeNameType]string{
	types.ChallengeNameTypeSmsMfa:              "SMS_MFA_CODE",
	types.ChallengeNameTypeSmsOtp:              "SMS_OTP_CODE",
	types.ChallengeNameTypeEmailOtp:            "EMAIL_OTP_CODE",
	types.ChallengeNameTypeSoftwareTokenMfa:    "SOFTWARE_TOKEN_MFA_CODE",
	types.ChallengeNameTypeSelectMfaType:       "ANSWER",
	types.ChallengeNameTypeCustomChallenge:     "ANSWER",
	types.ChallengeNameTypeNewPasswordRequired: "NEW_PASSWORD",
	types.ChallengeNameTypeSelectChallenge:     "ANSWER",
}

// userResponses computes the responses to a challenge that waits for the
// user from the user's answer a, and the session to send them with.
func (s *signIn) userResponses(ctx context.Context, name types.ChallengeNameType, ch *Challenge, a Answer, session *string) (map[string]string, *string, error) {
	switch name {
	case types.ChallengeNameTypeMfaSetup:
		ver, err := s.c.api.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{
			Session:  session,
			UserCode: aws.String(a.Value),
		}, singleUseOptions(s.o)...)
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
	case types.ChallengeNameTypeSelectChallenge:
		if a.Value == string(types.ChallengeNameTypePasswordSrp) {
			// PASSWORD_SRP needs the password, which a Pending does not
			// hold; the flows with a password choose it during Start.
			return nil, nil, ErrNoPassword
		}
	case types.ChallengeNameTypeSelectMfaType:
		if len(ch.Options) > 0 && !slices.Contains(ch.Options, a.Value) {
			return nil, nil, fmt.Errorf("flows: %q is not one of the MFA types offered", a.Value)
		}
	}
	key, ok := codeResponseKeys[name]
	if !ok {
		return nil, nil, &UnsupportedChallengeError{Name: name}
	}
	responses := map[string]string{key: a.Value}
	if name == types.ChallengeNameTypeNewPasswordRequired {
		for k, v := range a.UserAttributes {
			responses["userAttributes."+k] = v
		}
	}
	return responses, session, nil
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
func (s *signIn) selectPasswordSRP() (map[string]string, error) {
	eph, err := srp.NewEphemeral()
	if err != nil {
		return nil, err
	}
	s.eph = eph
	return map[string]string{"ANSWER": string(types.ChallengeNameTypePasswordSrp), "SRP_A": eph.SRPA()}, nil
}

// pending turns a challenge that waits for the user into a Pending. For
// MFA_SETUP it first associates a TOTP secret (AssociateSoftwareToken),
// which the user adds to an authenticator app.
func (s *signIn) pending(ctx context.Context, name types.ChallengeNameType, params map[string]string, session *string) (*Pending, error) {
	ch, err := newChallenge(name, s.username(), params, s.avail)
	if err != nil {
		return nil, err
	}
	if name == types.ChallengeNameTypeMfaSetup {
		if len(ch.Options) > 0 && !slices.Contains(ch.Options, string(types.ChallengeNameTypeSoftwareTokenMfa)) {
			return nil, ErrMFASetupUnsupported
		}
		assoc, err := s.c.api.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: session}, singleUseOptions(s.o)...)
		if err != nil {
			return nil, err
		}
		if assoc.SecretCode == nil || *assoc.SecretCode == "" {
			return nil, fmt.Errorf("%w: AssociateSoftwareToken returned no secret", ErrMalformedChallenge)
		}
		if assoc.Session != nil {
			session = assoc.Session
		}
		ch.SecretCode = *assoc.SecretCode
	}
	p := &Pending{
		Challenge: ch,
		Expires:   s.o.Clock().Add(s.o.SessionValidity).UTC().Truncate(time.Second),
		st: pendingState{
			V:            pendingVersion,
			Pool:         s.c.userPoolID,
			Client:       s.c.clientID,
			Flow:         s.flow,
			Admin:        s.admin,
			Session:      aws.ToString(session),
			Challenge:    name,
			Params:       params,
			Typed:        s.typed,
			Username:     s.internal,
			DeviceProved: s.deviceProved,
			Forgot:       s.forgot,
			Answered:     s.answered,
		},
	}
	p.st.Expires = p.Expires
	if name == types.ChallengeNameTypeSelectChallenge {
		for _, a := range s.avail {
			p.st.Available = append(p.st.Available, string(a))
		}
	}
	if s.device != nil {
		p.st.DeviceKey, p.st.DeviceGroupKey = s.device.DeviceKey, s.device.DeviceGroupKey
	}
	return p, nil
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
	res := &Result{AuthenticationResult: ar, Username: usernameFromIDToken(ar.IdToken), DeviceForgotten: s.forgot}
	if res.Username == "" {
		res.Username = s.username()
	}
	store := s.store()
	if d := s.device; d != nil && s.deviceProved {
		res.Device = d
		res.DeviceEvent = DeviceAuthenticated
	}
	if store == nil {
		return res, nil
	}
	if ar.NewDeviceMetadata != nil {
		return s.rememberNew(ctx, res, ar)
	}
	if d := res.Device; d != nil && d.DevicePassword != "" && d.Username == res.Username && !d.hasName(s.typed) {
		d = d.clone()
		d.Aliases = append(d.Aliases, s.typed)
		if err := store.Put(ctx, d); err != nil {
			return res, &DeviceError{Op: "store", Err: err}
		}
		res.Device = d
	}
	return res, nil
}

// rememberNew confirms, remembers and stores the device that Cognito
// announced in NewDeviceMetadata, if the policy says so. The device is
// stored only once Cognito has confirmed (and, where needed, remembered) it.
func (s *signIn) rememberNew(ctx context.Context, res *Result, ar *types.AuthenticationResultType) (*Result, error) {
	c := s.c
	if s.o.RememberDevices != RememberAlways {
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
	if s.o.DeviceName != "" {
		in.DeviceName = aws.String(s.o.DeviceName)
	}
	out, err := c.api.ConfirmDevice(ctx, in, callOptions(s.o)...)
	if err != nil {
		return res, &DeviceError{Op: "ConfirmDevice", Err: err}
	}
	if out.UserConfirmationNecessary {
		_, err := c.api.UpdateDeviceStatus(ctx, &cip.UpdateDeviceStatusInput{
			AccessToken:            ar.AccessToken,
			DeviceKey:              aws.String(key),
			DeviceRememberedStatus: types.DeviceRememberedStatusTypeRemembered,
		}, callOptions(s.o)...)
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
	res.DeviceEvent = DeviceConfirmed
	return res, nil
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
