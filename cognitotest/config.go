package cognitotest

import (
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Config is the server's configuration: the JSON that `cognitosrp serve
// --config FILE` reads (see [LoadConfig]).
type Config struct {
	// Region is the AWS region the server pretends to be in, such as
	// "us-east-1". Every user pool id starts with it.
	Region string `json:"region"`
	// UserPools are the user pools the server serves. There may be
	// none: CreateUserPool adds pools.
	UserPools []UserPool `json:"userPools"`
}

// UserPool configures one user pool.
type UserPool struct {
	// ID is the user pool id, "<region>_<name>", such as "us-east-1_Example".
	ID string `json:"id"`
	// DeviceTracking is "always", "opt-in" or "off" (the default).
	DeviceTracking string `json:"deviceTracking,omitempty"`
	// MFA is "OFF", "OPTIONAL" or "ON". ON makes a user without a factor set
	// up TOTP (MFA_SETUP) when signing in. When empty, it is OPTIONAL if a
	// user of the pool has a factor and OFF otherwise.
	MFA string `json:"mfa,omitempty"`
	// CustomChallengeAnswer is the answer that CUSTOM_AUTH's CUSTOM_CHALLENGE
	// expects, standing in for Cognito's Lambda triggers. CUSTOM_AUTH fails
	// when it is empty.
	CustomChallengeAnswer string `json:"customChallengeAnswer,omitempty"`
	// SignInPolicy is the pool's sign-in policy, Cognito's
	// Policies.SignInPolicy: the first factors that choice-based sign-in
	// (USER_AUTH) may offer. Without it only PASSWORD is allowed, as in
	// Cognito.
	SignInPolicy *SignInPolicy `json:"signInPolicy,omitempty"`
	// Clients are the app clients of the pool (there may be none:
	// CreateUserPoolClient adds clients). Their ids are unique across all
	// pools, since a sign-in names only the client.
	Clients []AppClient `json:"clients"`
	// Users are the users of the pool.
	Users []User `json:"users"`
	// Name is the pool's name, as DescribeUserPool shows it. The default is
	// the part of ID after the "_".
	Name string `json:"name,omitempty"`
	// PasswordPolicy is the rule that new passwords (SignUp, ChangePassword,
	// NEW_PASSWORD_REQUIRED, AdminSetUserPassword and the rest) must
	// follow. The passwords of Users are not checked against it. When
	// absent, passwords need at least 8 characters and nothing else (what
	// the server has always checked); CreateUserPool's default is
	// Cognito's default policy instead.
	PasswordPolicy *PasswordPolicy `json:"passwordPolicy,omitempty"`
	// AutoVerifiedAttributes are the attributes, "email" and
	// "phone_number", to which SignUp sends a confirmation code and
	// UpdateUserAttributes a verification code (Cognito's
	// AutoVerifiedAttributes). When absent, it is ["email"]; use [] for
	// none, so that sign-ups must be confirmed with AdminConfirmSignUp.
	AutoVerifiedAttributes []string `json:"autoVerifiedAttributes,omitempty"`
	// UsernameAttributes, "email" and "phone_number", make users of SignUp
	// and AdminCreateUser sign up with an email address or phone number
	// instead of a user name (Cognito's UsernameAttributes): their internal
	// user name is then a UUID, equal to their sub. The users of Users keep
	// the user names configured.
	UsernameAttributes []string `json:"usernameAttributes,omitempty"`
	// Groups are the pool's groups. Users join them with their Groups
	// field or AdminAddUserToGroup; their tokens list them in
	// cognito:groups.
	Groups []Group `json:"groups,omitempty"`
}

// PasswordPolicy is Cognito's PasswordPolicyType: the rule that new
// passwords must follow.
type PasswordPolicy struct {
	// MinimumLength is the least number of characters, 6 to 99; 0 means 8.
	MinimumLength int `json:"minimumLength,omitempty"`
	// RequireUppercase, RequireLowercase, RequireNumbers and RequireSymbols
	// require at least one character of each kind. Symbols are Cognito's:
	// ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and
	// the space.
	RequireUppercase bool `json:"requireUppercase,omitempty"`
	RequireLowercase bool `json:"requireLowercase,omitempty"`
	RequireNumbers   bool `json:"requireNumbers,omitempty"`
	RequireSymbols   bool `json:"requireSymbols,omitempty"`
	// TemporaryPasswordValidityDays is how long the temporary password of
	// a user in FORCE_CHANGE_PASSWORD stays valid, 0 to 365; 0 means 7.
	TemporaryPasswordValidityDays int `json:"temporaryPasswordValidityDays,omitempty"`
}

// Group configures a group of users (Cognito's GroupType).
type Group struct {
	// GroupName names the group, unique in its pool.
	GroupName string `json:"groupName"`
	// Description is free text.
	Description string `json:"description,omitempty"`
	// Precedence orders the groups of a user: lower comes first in
	// cognito:groups and wins cognito:preferred_role. Absent sorts last.
	Precedence *int `json:"precedence,omitempty"`
	// RoleArn is the IAM role of the group, listed in the id token's
	// cognito:roles (nothing checks it).
	RoleArn string `json:"roleArn,omitempty"`
}

// SignInPolicy is a user pool's sign-in policy.
type SignInPolicy struct {
	// AllowedFirstAuthFactors are the first factors USER_AUTH may offer:
	// "PASSWORD" (PASSWORD and PASSWORD_SRP), "EMAIL_OTP" (users with an
	// email) and "SMS_OTP" (users with a phone_number). "WEB_AUTHN" is
	// accepted, so that a policy copied from Cognito loads, but never
	// offered: the server has no passkeys.
	AllowedFirstAuthFactors []string `json:"allowedFirstAuthFactors"`
}

// AppClient configures an app client.
type AppClient struct {
	// ID is the client id.
	ID string `json:"id"`
	// Secret is the client secret; when set, requests need SECRET_HASH.
	Secret string `json:"secret,omitempty"`
	// ExplicitAuthFlows are the allowed flows, such as "ALLOW_USER_SRP_AUTH".
	// The default is ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH,
	// ALLOW_CUSTOM_AUTH and ALLOW_USER_AUTH.
	ExplicitAuthFlows []string `json:"explicitAuthFlows,omitempty"`
	// ClientName is the client's name, as DescribeUserPoolClient shows it.
	ClientName string `json:"clientName,omitempty"`
	// WriteAttributes are the user attributes the client may write, as in
	// NEW_PASSWORD_REQUIRED's userAttributes.*: standard attribute names
	// and "custom:..." names. The default, as Cognito's, is every standard
	// attribute except the email_verified and phone_number_verified flags,
	// which a client can never write; sub, "cognito:" names and JWT claim
	// names are never writable either.
	WriteAttributes []string `json:"writeAttributes,omitempty"`
	// RefreshTokenRotation turns refresh token rotation on or off (off by
	// default), as Cognito's RefreshTokenRotationType does. With rotation
	// ENABLED, ExplicitAuthFlows must not list ALLOW_REFRESH_TOKEN_AUTH (the
	// default flows then leave it out), and refreshes go through
	// GetTokensFromRefreshToken only.
	RefreshTokenRotation *RefreshTokenRotation `json:"refreshTokenRotation,omitempty"`
	// AccessTokenValidity is how long access tokens last, in
	// TokenValidityUnits.AccessToken (hours by default): 5 minutes to 1 day.
	// Zero or absent means 1 hour.
	AccessTokenValidity int `json:"accessTokenValidity,omitempty"`
	// IdTokenValidity is how long ID tokens last, in
	// TokenValidityUnits.IdToken (hours by default): 5 minutes to 1 day.
	// Zero or absent means 1 hour.
	IdTokenValidity int `json:"idTokenValidity,omitempty"`
	// RefreshTokenValidity is how long refresh tokens last, in
	// TokenValidityUnits.RefreshToken (days by default): 60 minutes to 10
	// years (3650 days). Zero or absent means 30 days, as in Cognito.
	RefreshTokenValidity int `json:"refreshTokenValidity,omitempty"`
	// TokenValidityUnits are the units of the three validities.
	TokenValidityUnits *TokenValidityUnits `json:"tokenValidityUnits,omitempty"`
}

// RefreshTokenRotation is Cognito's RefreshTokenRotationType
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RefreshTokenRotationType.html).
type RefreshTokenRotation struct {
	// Feature is "ENABLED" or "DISABLED"; it is required. ENABLED makes
	// every GetTokensFromRefreshToken return a new refresh token.
	Feature string `json:"feature"`
	// RetryGracePeriodSeconds (0 to 60, default 0) is how long a refresh
	// token that was rotated out stays usable, for client retries.
	RetryGracePeriodSeconds int `json:"retryGracePeriodSeconds,omitempty"`
}

// TokenValidityUnits is Cognito's TokenValidityUnitsType: each unit is
// "seconds", "minutes", "hours" or "days". The defaults are hours for the
// access and ID tokens and days for the refresh token.
type TokenValidityUnits struct {
	// AccessToken is the unit of AppClient.AccessTokenValidity ("hours"
	// when empty).
	AccessToken string `json:"accessToken,omitempty"`
	// IdToken is the unit of AppClient.IdTokenValidity ("hours" when
	// empty).
	IdToken string `json:"idToken,omitempty"`
	// RefreshToken is the unit of AppClient.RefreshTokenValidity ("days"
	// when empty).
	RefreshToken string `json:"refreshToken,omitempty"`
}

// User configures a user.
type User struct {
	// Username is the internal user name (USER_ID_FOR_SRP).
	Username string `json:"username"`
	// Password is the user's password. The server keeps only an SRP
	// verifier computed from it.
	Password string `json:"password"`
	// Attributes are the user's attributes, such as "email". The attributes
	// email, phone_number and preferred_username are aliases the user can
	// sign in with; unlike those set through the API, the config's email
	// and phone_number are aliases even when not verified, unless
	// email_verified (or phone_number_verified) is "false". A "sub" attribute fixes the user's sub; otherwise a
	// random UUID is used.
	Attributes map[string]string `json:"attributes,omitempty"`
	// Status is "CONFIRMED" (the default), "FORCE_CHANGE_PASSWORD" (the
	// password is temporary: sign-in asks NEW_PASSWORD_REQUIRED),
	// "UNCONFIRMED" (signed up, not confirmed: sign-in fails with
	// UserNotConfirmedException) or "RESET_REQUIRED" (sign-in fails with
	// PasswordResetRequiredException until ConfirmForgotPassword).
	Status string `json:"status,omitempty"`
	// Enabled false disables the user: sign-in fails with
	// NotAuthorizedException "User is disabled.". The default is true.
	Enabled *bool `json:"enabled,omitempty"`
	// Groups are the names of the pool's groups the user belongs to.
	Groups []string `json:"groups,omitempty"`
	// TOTPSecret is the base32 secret of the user's software token; it
	// enables SOFTWARE_TOKEN_MFA.
	TOTPSecret string `json:"totpSecret,omitempty"`
	// MFA lists the user's enabled factors: "SOFTWARE_TOKEN_MFA" (needs
	// TOTPSecret), "SMS_MFA" (needs phone_number) and "EMAIL_OTP" (needs
	// email). With more than one, sign-in asks SELECT_MFA_TYPE.
	MFA []string `json:"mfa,omitempty"`
	// RequiredAttributes are the attributes that NEW_PASSWORD_REQUIRED asks
	// for when they are not set yet.
	RequiredAttributes []string `json:"requiredAttributes,omitempty"`
}

// Flow names of AppClient.ExplicitAuthFlows.
const (
	flowAllowUserSRP      = "ALLOW_USER_SRP_AUTH"
	flowAllowRefresh      = "ALLOW_REFRESH_TOKEN_AUTH"
	flowAllowCustom       = "ALLOW_CUSTOM_AUTH"
	flowAllowUserPassword = "ALLOW_USER_PASSWORD_AUTH"
	flowAllowAdminUserPw  = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	flowAllowUserAuth     = "ALLOW_USER_AUTH"
)

var (
	defaultAuthFlows = []string{flowAllowUserSRP, flowAllowRefresh, flowAllowCustom, flowAllowUserAuth}
	knownAuthFlows   = []string{flowAllowUserSRP, flowAllowRefresh, flowAllowCustom, flowAllowUserPassword, flowAllowAdminUserPw, flowAllowUserAuth}
	deviceTrackings  = []string{"always", "opt-in", "off"}
	poolMFAs         = []string{"OFF", "OPTIONAL", "ON"}
	userStatuses     = []string{"CONFIRMED", "FORCE_CHANGE_PASSWORD", "UNCONFIRMED", "RESET_REQUIRED"}
	userFactors      = []string{mfaTOTP, mfaSMS, mfaEmail}
	aliasAttributes  = []string{"email", "phone_number", "preferred_username"}
	firstAuthFactors = []string{factorPassword, factorEmailOTP, factorSMSOTP, factorWebAuthn}

	// standardAttributes are Cognito's standard user attributes (OpenID
	// Connect's standard claims), without sub and the verified flags:
	// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
	standardAttributes = []string{"address", "birthdate", "email", "family_name", "gender", "given_name", "locale",
		"middle_name", "name", "nickname", "phone_number", "picture", "preferred_username", "profile",
		"updated_at", "website", "zoneinfo"}
)

// First factors of SignInPolicy.AllowedFirstAuthFactors.
const (
	factorPassword = "PASSWORD"
	factorEmailOTP = "EMAIL_OTP"
	factorSMSOTP   = "SMS_OTP"
	factorWebAuthn = "WEB_AUTHN"
)

// reservedClaims are the names of claims that Cognito's tokens set
// themselves; no client may write an attribute of these names.
var reservedClaims = []string{"sub", "iss", "aud", "exp", "nbf", "iat", "jti", "token_use", "auth_time",
	"origin_jti", "event_id", "client_id", "username", "scope", "device_key", "at_hash", "identities",
	"email_verified", "phone_number_verified"}

// writableName reports whether a client may ever be allowed to write the
// attribute name: a standard attribute or a custom one.
func writableName(name string) bool {
	if custom, ok := strings.CutPrefix(name, "custom:"); ok {
		return custom != "" && !slices.Contains(reservedClaims, custom)
	}
	return slices.Contains(standardAttributes, name)
}

// maxConfigSize bounds the configuration that LoadConfig reads.
const maxConfigSize = 16 << 20

// LoadConfig reads a JSON configuration strictly: unknown fields, trailing
// data and wrong types are errors. It does not validate the result;
// [NewHandler] and [NewServer] do (see [Config.Validate]).
func LoadConfig(r io.Reader) (Config, error) {
	var cfg Config
	dec := json.NewDecoder(io.LimitReader(r, maxConfigSize+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("cognitotest: reading config: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, errors.New("cognitotest: reading config: data after the top-level object")
	}
	return cfg, nil
}

// Validate reports the first problem of c, naming the bad field by its JSON
// path, such as `userPools[0].clients[1].id: empty`.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
	}
	if c.Region == "" {
		bad("region", "empty")
	} else if !validName(c.Region) || strings.Contains(c.Region, "_") {
		bad("region", "%q is not a region name like us-east-1", c.Region)
	}
	poolIDs := map[string]bool{}
	clientIDs := map[string]string{}
	for i, p := range c.UserPools {
		pp := fmt.Sprintf("userPools[%d]", i)
		switch {
		case p.ID == "":
			bad(pp+".id", "empty")
		case !strings.HasPrefix(p.ID, c.Region+"_") || len(p.ID) == len(c.Region)+1 || !validName(p.ID[len(c.Region)+1:]):
			bad(pp+".id", "%q is not of the form %s_<name> (letters and digits)", p.ID, c.Region)
		case poolIDs[p.ID]:
			bad(pp+".id", "%q is used twice", p.ID)
		}
		poolIDs[p.ID] = true
		// The parsers that newPool uses: what loads is what runs.
		if _, err := parseDeviceTracking(p.DeviceTracking); err != nil {
			bad(pp+".deviceTracking", "%v", err)
		}
		if _, err := parseMFAMode(p.MFA, nil); err != nil {
			bad(pp+".mfa", "%v", err)
		}
		if sp := p.SignInPolicy; sp != nil {
			if len(sp.AllowedFirstAuthFactors) == 0 {
				bad(pp+".signInPolicy.allowedFirstAuthFactors", "empty")
			}
			for k, f := range sp.AllowedFirstAuthFactors {
				if !slices.Contains(firstAuthFactors, f) {
					bad(fmt.Sprintf("%s.signInPolicy.allowedFirstAuthFactors[%d]", pp, k), "%q is not one of %s", f, strings.Join(firstAuthFactors, ", "))
				}
			}
		}
		validatePoolAdditions(p, pp, bad)
		for j, cl := range p.Clients {
			cp := fmt.Sprintf("%s.clients[%d]", pp, j)
			switch {
			case cl.ID == "":
				bad(cp+".id", "empty")
			case !validName(cl.ID):
				bad(cp+".id", "%q has characters other than letters, digits, '-' and '.'", cl.ID)
			case clientIDs[cl.ID] != "":
				bad(cp+".id", "%q is already used by %s", cl.ID, clientIDs[cl.ID])
			default:
				clientIDs[cl.ID] = cp
			}
			for k, f := range cl.ExplicitAuthFlows {
				if !slices.Contains(knownAuthFlows, f) {
					bad(fmt.Sprintf("%s.explicitAuthFlows[%d]", cp, k), "%q is not one of %s", f, strings.Join(knownAuthFlows, ", "))
				}
			}
			for k, a := range cl.WriteAttributes {
				if !writableName(a) {
					bad(fmt.Sprintf("%s.writeAttributes[%d]", cp, k), "%q is not a standard attribute (other than sub and the verified flags) or custom:<name>", a)
				}
			}
			if _, err := parseClientTokens(cl); err != nil {
				for _, fe := range err.(interface{ Unwrap() []error }).Unwrap() {
					fe := fe.(*fieldError)
					bad(cp+"."+fe.field, "%s", fe.msg)
				}
			}
		}
		names := map[string]string{}
		emails := map[string]string{}
		for j, u := range p.Users {
			up := fmt.Sprintf("%s.users[%d]", pp, j)
			switch {
			case u.Username == "":
				bad(up+".username", "empty")
			case names[u.Username] != "":
				bad(up+".username", "%q is already used by %s", u.Username, names[u.Username])
			default:
				names[u.Username] = up + ".username"
			}
			if u.Password == "" {
				bad(up+".password", "empty")
			}
			if u.Status != "" && !slices.Contains(userStatuses, u.Status) {
				bad(up+".status", "%q is not one of %s", u.Status, strings.Join(userStatuses, ", "))
			}
			for name := range u.Attributes {
				if name == "" {
					bad(up+".attributes", "an attribute name is empty")
				}
			}
			for _, a := range aliasAttributes {
				v := u.Attributes[a]
				if v == "" {
					continue
				}
				if other := names[v]; other != "" && other != up+".username" {
					bad(fmt.Sprintf("%s.attributes.%s", up, a), "%q is already used by %s", v, other)
					continue
				}
				names[v] = fmt.Sprintf("%s.attributes.%s", up, a)
				if a == "email" {
					// Cognito matches email aliases without regard to case.
					if other := emails[strings.ToLower(v)]; other != "" {
						bad(fmt.Sprintf("%s.attributes.email", up), "%q is already used by %s (emails are compared without regard to case)", v, other)
					}
					emails[strings.ToLower(v)] = fmt.Sprintf("%s.attributes.email", up)
				}
			}
			if u.TOTPSecret != "" {
				if _, err := decodeTOTPSecret(u.TOTPSecret); err != nil {
					bad(up+".totpSecret", "not base32")
				}
			}
			for k, f := range u.MFA {
				fp := fmt.Sprintf("%s.mfa[%d]", up, k)
				switch {
				case !slices.Contains(userFactors, f):
					bad(fp, "%q is not one of %s", f, strings.Join(userFactors, ", "))
				case f == mfaTOTP && u.TOTPSecret == "":
					bad(fp, "SOFTWARE_TOKEN_MFA needs totpSecret")
				case f == mfaSMS && u.Attributes["phone_number"] == "":
					bad(fp, "SMS_MFA needs the phone_number attribute")
				case f == mfaEmail && u.Attributes["email"] == "":
					bad(fp, "EMAIL_OTP needs the email attribute")
				}
			}
			if p.MFA == "OFF" && (len(u.MFA) > 0 || u.TOTPSecret != "") {
				bad(up+".mfa", "the user has MFA factors but the pool's mfa is OFF")
			}
			for k, a := range u.RequiredAttributes {
				if a == "" {
					bad(fmt.Sprintf("%s.requiredAttributes[%d]", up, k), "empty")
				}
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("cognitotest: invalid config: %w", errors.Join(errs...))
	}
	return nil
}

// validName reports whether s is a non-empty string of letters, digits, '-',
// '.' and '_'.
func validName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '.', r == '_':
		default:
			return false
		}
	}
	return true
}

// decodeTOTPSecret decodes a base32 TOTP secret, upper or lower case, with
// or without padding and spaces.
func decodeTOTPSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	s = strings.TrimRight(s, "=")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, errors.New("empty")
	}
	return b, nil
}
