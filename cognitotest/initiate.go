package cognitotest

import (
	"crypto/hmac"
	"slices"
	"strings"

	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
)

// minPasswordLength is Cognito's default minimum password length, the
// policy of configured pools without a passwordPolicy.
const minPasswordLength = 8

var authFlows = []string{"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH"}

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

// authOutput is the output of InitiateAuth and RespondToAuthChallenge.
type authOutput struct {
	AuthenticationResult *authResult       `json:"AuthenticationResult,omitempty"`
	AvailableChallenges  []string          `json:"AvailableChallenges,omitempty"`
	ChallengeName        string            `json:"ChallengeName,omitempty"`
	ChallengeParameters  map[string]string `json:"ChallengeParameters"`
	Session              string            `json:"Session,omitempty"`
}

// lookupClient finds an app client. e.mu must not be held.
func (e *Handler) lookupClient(id string) (*appClient, error) {
	if id == "" {
		return nil, nullMember("clientId")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.clients[id]
	if c == nil {
		return nil, newError(errResourceNotFound, "User pool client %s does not exist.", truncate(id, 128))
	}
	return c, nil
}

// checkSecretHash checks SECRET_HASH for a client with a secret against any
// of the names (the first is the one Cognito documents).
func checkSecretHash(c *appClient, got string, names ...string) error {
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

func (e *Handler) initiateAuth(rc *reqCtx, in *initiateAuthInput) (any, error) {
	return e.initiate(rc, in)
}

// initiate is InitiateAuth, and AdminInitiateAuth except for
// ADMIN_USER_PASSWORD_AUTH (admin.go).
func (e *Handler) initiate(rc *reqCtx, in *initiateAuthInput) (any, error) {
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
	return e.beginSignIn(rc, c, in.AuthFlow, ap)
}

// beginSignIn starts a sign-in of flow, whose app client c allows it, for
// the user that ap's USERNAME names: InitiateAuth's and AdminInitiateAuth's
// flows other than refresh.
func (e *Handler) beginSignIn(rc *reqCtx, c *appClient, flow string, ap map[string]string) (any, error) {
	username := ap["USERNAME"]
	if username == "" {
		return nil, missingParam("USERNAME")
	}
	if err := checkSecretHash(c, ap["SECRET_HASH"], username); err != nil {
		return nil, err
	}
	u, gen, err := e.signInUser(c.pool, username)
	if err != nil {
		return nil, err
	}
	s := &authSession{pool: c.pool, client: c, user: u, flow: flow, deviceKey: ap["DEVICE_KEY"], gen: gen}
	switch flow {
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
		var out *authOutput
		err := e.resume(s, func() (err error) {
			s.challenge = chCustomChallenge
			out, err = e.putLocked(rc, s, map[string]string{"USERNAME": u.name})
			return err
		})
		return out, err
	case "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if ap["PASSWORD"] == "" {
			return nil, missingParam("PASSWORD")
		}
		return e.passwordFactor(rc, s, ap["PASSWORD"])
	default: // USER_AUTH
		return e.userAuth(rc, s, ap)
	}
}

// signInUser finds the user that a sign-in names, by user name or alias,
// and refuses a disabled one; it also returns the user's generation, that
// the sign-in records (authSession.gen, resumeLocked). It takes e.mu.
func (e *Handler) signInUser(p *pool, name string) (*user, uint64, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p.deleted {
		return nil, 0, newError(errResourceNotFound, "User pool %s does not exist.", truncate(p.id, 128))
	}
	u := p.lookupUserLocked(name)
	if u == nil {
		return nil, 0, newError(errUserNotFound, msgUserNotFound)
	}
	if u.disabled {
		return nil, 0, notAuthorized(msgUserDisabled)
	}
	return u, u.gen, nil
}

// userAuth starts a USER_AUTH (choice-based) sign-in.
func (e *Handler) userAuth(rc *reqCtx, s *authSession, ap map[string]string) (any, error) {
	if err := e.resume(s, func() error {
		s.available = availableChallengesLocked(s.pool, s.user)
		return nil
	}); err != nil {
		return nil, err
	}
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
			var out *authOutput
			err := e.resume(s, func() (err error) {
				out, err = e.otpChallengeLocked(rc, s, pref, true)
				return err
			})
			return out, err
		}
	default:
		return nil, invalidParam("Invalid PREFERRED_CHALLENGE: %s", truncate(pref, 64))
	}
	var out *authOutput
	err := e.resume(s, func() (err error) {
		s.challenge = chSelectChallenge
		// Like every challenge after InitiateAuth, SELECT_CHALLENGE names
		// the user (USERNAME, the internal user name), so that a client
		// that signed in with an alias can compute the SECRET_HASH of its
		// answer, as Amplify's signIn with USER_AUTH does
		// ("ChallengeParameters?.USERNAME ?? username").
		out, err = e.putLocked(rc, s, map[string]string{"USERNAME": s.user.name})
		return err
	})
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
func availableChallengesLocked(p *pool, u *user) []string {
	var av []string
	if p.firstFactors[factorPassword] {
		av = append(av, chPasswordSRP, chPassword)
	}
	passwordless := p.mfa != mfaOn && len(p.mfaFactorsLocked(u)) == 0
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
func (e *Handler) startSRP(rc *reqCtx, s *authSession, srpA string) (any, error) {
	var v *srp.Verifier
	if err := e.resume(s, func() error {
		v = s.user.verifier
		return nil
	}); err != nil {
		return nil, err
	}
	srv, err := srp.NewServer(v, srpA)
	if err != nil {
		return nil, srpError(err)
	}
	var out *authOutput
	err = e.resume(s, func() (err error) {
		n := stepFrom(s, chPasswordVerifier)
		n.srv = srv
		n.secretBlock = srv.SecretBlock()
		n.verifier = v
		out, err = e.putLocked(rc, n, map[string]string{
			"SALT":            srv.Salt(),
			"SECRET_BLOCK":    n.secretBlock,
			"SRP_B":           srv.SRPB(),
			"USERNAME":        s.user.name,
			"USER_ID_FOR_SRP": s.user.name,
		})
		return err
	})
	return out, err
}

// passwordFactor checks a plain password (USER_PASSWORD_AUTH, USER_AUTH's
// PASSWORD) and continues the sign-in. e.mu must not be held.
func (e *Handler) passwordFactor(rc *reqCtx, s *authSession, password string) (any, error) {
	var v *srp.Verifier
	err := e.resume(s, func() error {
		if err := s.user.reservePasswordLocked(rc.now); err != nil {
			return err
		}
		v = s.user.verifier
		return nil
	})
	if err != nil {
		return nil, err
	}
	ok := v.CheckPassword(password)
	var out *authOutput
	var pt *pendingTokens
	err = e.resume(s, func() error {
		if !ok {
			return notAuthorized(msgIncorrect) // counted by the reservation
		}
		s.user.passwordFails.succeed()
		s.passwordDone = true
		var err error
		out, pt, err = e.afterPasswordLocked(rc, s)
		return err
	})
	return e.finish(out, pt, err)
}
