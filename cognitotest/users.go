package cognitotest

import (
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cognitosrp/cognitosrp/srp"
)

// The user life cycle: SignUp, ConfirmSignUp, ResendConfirmationCode,
// ForgotPassword, ConfirmForgotPassword, ChangePassword,
// UpdateUserAttributes, VerifyUserAttribute,
// GetUserAttributeVerificationCode, DeleteUserAttributes and DeleteUser.
// None of them needs AWS credentials. Error types are those of each
// operation's API reference page
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_<Operation>.html);
// the messages are Cognito's as apps quote them, where known.

func init() {
	maps.Copy(handlers, map[string]handler{
		"SignUp":                           op((*Handler).signUp),
		"ConfirmSignUp":                    op((*Handler).confirmSignUp),
		"ResendConfirmationCode":           op((*Handler).resendConfirmationCode),
		"ForgotPassword":                   op((*Handler).forgotPassword),
		"ConfirmForgotPassword":            op((*Handler).confirmForgotPassword),
		"ChangePassword":                   op((*Handler).changePassword),
		"UpdateUserAttributes":             op((*Handler).updateUserAttributes),
		"VerifyUserAttribute":              op((*Handler).verifyUserAttribute),
		"GetUserAttributeVerificationCode": op((*Handler).getUserAttributeVerificationCode),
		"DeleteUserAttributes":             op((*Handler).deleteUserAttributes),
		"DeleteUser":                       op((*Handler).deleteUser),
	})
}

// Error types of the user operations.
const (
	errUsernameExists          = "UsernameExistsException"
	errUserNotConfirmed        = "UserNotConfirmedException"
	errPasswordResetRequired   = "PasswordResetRequiredException"
	errLimitExceeded           = "LimitExceededException"
	errMissingAuthenticationTk = "MissingAuthenticationTokenException"
)

// Messages of the user operations, as Cognito words them (quoted by apps
// that match on them; Cognito does not document its messages).
const (
	msgUserDisabled       = "User is disabled."
	msgUserNotConfirmed   = "User is not confirmed."
	msgResetRequired      = "Password reset required for the user"
	msgUserExists         = "User already exists"
	msgUserAccountExists  = "User account already exists"
	msgClientUserNotFound = "Username/client id combination not found."
	msgCodeInvalid        = "Invalid verification code provided, please try again."
	msgCodeExpired        = "Invalid code provided, please request a code again."
	msgTempExpired        = "Temporary password has expired and must be reset by an administrator."
	msgNoRecovery         = "Cannot reset password for the user as there is no registered/verified email or phone_number"
)

// Code lifetimes: sign-up and attribute verification codes last 24 hours,
// password reset codes 1 hour (developer guide, "Signing up and confirming
// user accounts" and "Forgot password").
const (
	signUpCodeTTL = 24 * time.Hour
	forgotCodeTTL = time.Hour
)

// Limits on user data: Cognito's UsernameType (1 to 128 characters; the
// lengths of the input members are in lengthLimits) plus a cap of the
// server on each user's attributes.
const (
	maxUserAttrs    = 64
	maxUserAttrSize = 16 << 10
	maxUsername     = 128
)

// Code purposes, the keys of user.codes.
const (
	purposeSignUp = "signup"
	purposeForgot = "forgot"
	purposeVerify = "verify:" // + attribute name
)

// pendingCode is a code sent to a user and not used yet. It proves what
// it is bound to and nothing else: its user (it lives in user.codes), its
// purpose (the key there) and the address it went to, attr and value. A
// change of that attribute's value drops it (dropCodesLocked), and
// useCodeLocked refuses it should the value differ all the same.
type pendingCode struct {
	code        string
	expires     time.Time
	attr, value string // where it was sent: "email" or "phone_number", and the address
}

// codeDelivery is Cognito's CodeDeliveryDetailsType.
type codeDelivery struct {
	AttributeName  string `json:"AttributeName"`
	DeliveryMedium string `json:"DeliveryMedium"`
	Destination    string `json:"Destination"`
}

// sendCodeLocked sends a new code for purpose to attr ("email" or
// "phone_number") of u, replacing any earlier one. e.mu must be held.
func (e *Handler) sendCodeLocked(p *pool, u *user, purpose, attr, reason string, ttl time.Duration, now time.Time) *codeDelivery {
	medium := "EMAIL"
	if attr == "phone_number" {
		medium = "SMS"
	}
	code := randomDigits(6)
	if u.codes == nil {
		u.codes = map[string]*pendingCode{}
	}
	dest := u.attrs[attr]
	u.codes[purpose] = &pendingCode{code: code, expires: now.Add(ttl), attr: attr, value: dest}
	e.sendLocked(Message{UserPoolID: p.id, Username: u.name, Medium: medium, Destination: dest, Reason: reason, Code: code, Time: now})
	return &codeDelivery{AttributeName: attr, DeliveryMedium: medium, Destination: maskDestination(medium, dest)}
}

// useCodeLocked checks a code sent for purpose and uses it up when right.
// Wrong codes count towards the user's lockout (hard-server's codeFails),
// across purposes and sign-in challenges. e.mu must be held.
func useCodeLocked(u *user, purpose, code string, now time.Time) error {
	if u.codeFails.locked(now) {
		return errCodeAttempts()
	}
	pc := u.codes[purpose]
	if pc != nil && now.After(pc.expires) {
		return newError(errExpiredCode, msgCodeExpired) // not counted
	}
	if err := u.reserveCodeLocked(now); err != nil {
		return err
	}
	// Not sent, sent to another address than the user has now, or wrong.
	if pc == nil || u.attrs[pc.attr] != pc.value || !constantTimeEqual(pc.code, code) {
		return newError(errCodeMismatch, msgCodeInvalid)
	}
	u.codeFails.succeed()
	delete(u.codes, purpose)
	return nil
}

// codeMatchesLocked reports whether code is the one sent to u for purpose,
// to the address u still has, without using it up or counting a failure.
// e.mu must be held.
func codeMatchesLocked(u *user, purpose, code string) bool {
	pc := u.codes[purpose]
	return pc != nil && u.attrs[pc.attr] == pc.value && constantTimeEqual(pc.code, code)
}

// signUpDestinationLocked is the attribute a sign-up confirmation goes to: the
// phone number when it is auto-verified, else the email address, else
// none. e.mu must be held.
func signUpDestinationLocked(p *pool, u *user) string {
	for _, a := range []string{"phone_number", "email"} {
		if slices.Contains(p.settings.autoVerified, a) && u.attrs[a] != "" {
			return a
		}
	}
	return ""
}

// recoveryDestinationLocked is where a password reset code goes: a verified
// phone number, else a verified email address. e.mu must be held.
func recoveryDestinationLocked(u *user) string {
	for _, a := range []string{"phone_number", "email"} {
		if u.attrs[a] != "" && u.attrs[a+"_verified"] == "true" {
			return a
		}
	}
	return ""
}

// Password policy.

// passwordSymbols are the characters Cognito counts as symbols (developer
// guide, "Adding user pool password requirements"); a space counts too.
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPassword checks pw against the pool's policy. style is how the
// operation words the message: "Password did not conform with policy"
// (SignUp), "Password does not conform to policy" (ChangePassword,
// ConfirmForgotPassword, AdminSetUserPassword, NEW_PASSWORD_REQUIRED) or
// "Password did not conform with password policy" (AdminCreateUser's
// TemporaryPassword). The password never appears in the error.
func checkPassword(pol PasswordPolicy, pw, style string) error {
	fail := func(why string) *apiError { return newError(errInvalidPassword, "%s: %s", style, why) }
	if utf8.RuneCountInString(pw) < pol.MinimumLength {
		return fail("Password not long enough")
	}
	var lower, upper, digit, symbol int
	for _, r := range pw {
		switch {
		case 'a' <= r && r <= 'z':
			lower = 1
		case 'A' <= r && r <= 'Z':
			upper = 1
		case '0' <= r && r <= '9':
			digit = 1
		case strings.ContainsRune(passwordSymbols, r):
			symbol = 1
		}
	}
	switch {
	case pol.RequireLowercase && lower == 0:
		return fail("Password must have lowercase characters")
	case pol.RequireUppercase && upper == 0:
		return fail("Password must have uppercase characters")
	case pol.RequireNumbers && digit == 0:
		return fail("Password must have numeric characters")
	case pol.RequireSymbols && symbol == 0:
		return fail("Password must have symbol characters")
	}
	return nil
}

const (
	styleSignUp = "Password did not conform with policy"
	styleChange = "Password does not conform to policy"
	styleTemp   = "Password did not conform with password policy"
)

// checkPasswordInput checks that a password member is present; the decoder
// checked the length Cognito's PasswordType allows (lengthLimits), without
// echoing the value.
func checkPasswordInput(pw, member string) error {
	if pw == "" {
		return nullMember(member)
	}
	return nil
}

// temporaryPassword returns a random password that satisfies pol.
func temporaryPassword(pol PasswordPolicy) string {
	const (
		lowers  = "abcdefghijkmnopqrstuvwxyz"
		uppers  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits  = "23456789"
		symbols = "!#%&*+-=?@^_~"
	)
	pick := func(set string) byte { return set[uniform(len(set))] }
	b := []byte{pick(lowers), pick(uppers), pick(digits), pick(symbols)}
	for len(b) < max(pol.MinimumLength, 12) {
		b = append(b, pick(lowers+uppers+digits))
	}
	for i := len(b) - 1; i > 0; i-- {
		j := uniform(i + 1)
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// validUsername reports whether s fits Cognito's UsernameType: 1 to 128
// characters of the classes [\p{L}\p{M}\p{S}\p{N}\p{P}].
func validUsername(s string) bool {
	if s == "" || len(s) > maxUsername || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) {
			return false
		}
	}
	return true
}

func checkUsername(name string) error {
	if name == "" {
		return nullMember("username")
	}
	if !validUsername(name) {
		return validationError("'"+truncate(name, 64)+"'", "username", `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
	}
	return nil
}

// internalName returns the internal user name of a new user: typed
// itself, or in pools whose UsernameAttributes name email or phone_number
// (users sign in with those, Cognito's "email address or phone number as
// user name"), a new UUID that is also the user's sub, with typed stored in
// the attribute attr. e.mu need not be held: UsernameAttributes never
// change.
func internalName(p *pool, typed string) (name, attr string, aerr error) {
	ua := p.settings.usernameAttrs
	if len(ua) == 0 {
		return typed, "", nil
	}
	email, phone := slices.Contains(ua, "email"), slices.Contains(ua, "phone_number")
	switch {
	case email && strings.Contains(typed, "@"):
		return newUUID(), "email", nil
	case phone && strings.HasPrefix(typed, "+"):
		return newUUID(), "phone_number", nil
	case email && phone:
		return "", "", invalidParam("Username should be either an email or a phone number.")
	case email:
		return "", "", invalidParam("Username should be an email.")
	default:
		return "", "", invalidParam("Username should be a phone number.")
	}
}

// Attribute rules: those of hard-server's NEW_PASSWORD_REQUIRED check
// (appClient.mayWrite, writableName, aliasHolder), so that SignUp,
// UpdateUserAttributes, AdminCreateUser and AdminUpdateUserAttributes
// accept the same attributes.

// attributeRules says whether the attribute name may be written: through
// an app client c (SignUp, UpdateUserAttributes) when it is one of the
// client's WriteAttributes, else Cognito's NotAuthorizedException; by an
// administrator (c nil) when it is a standard or custom attribute or a
// verified flag.
func attributeRules(c *appClient, name string) error {
	if c != nil {
		if !c.mayWrite(name) {
			return notAuthorized(msgUnauthorizedAttribute)
		}
		return nil
	}
	switch {
	case writableName(name), name == "email_verified", name == "phone_number_verified":
		return nil
	case name == "sub" || strings.HasPrefix(name, "cognito:") || slices.Contains(reservedClaims, name):
		return invalidParam("Invalid user attributes: %s: Attribute cannot be updated.", truncate(name, 64))
	}
	return invalidParam("Attributes did not conform to the schema: %s: Attribute does not exist in the schema.", truncate(name, 64))
}

// parseAttributes checks a UserAttributes list and returns it as a map.
// The write itself goes through writeAttributesLocked, which checks again;
// checking here keeps Cognito's order of errors (the attributes before the
// password, say).
func parseAttributes(list []attributeType, member string, c *appClient) (map[string]string, error) {
	m := make(map[string]string, len(list))
	for _, a := range list {
		switch {
		case a.Name == "":
			return nil, validationError("null", member+".member.name", "Member must not be null")
		}
		// The decoder checked the lengths of names and values (lengthLimits).
		if aerr := checkAttribute(c, a.Name, a.Value); aerr != nil {
			return nil, aerr
		}
		m[a.Name] = a.Value
	}
	return m, nil
}

// checkAttribute checks one attribute that c (nil: an administrator)
// writes: its name by attributeRules, its value's length, and a verified
// flag's value.
func checkAttribute(c *appClient, name, value string) error {
	if aerr := attributeRules(c, name); aerr != nil {
		return aerr
	}
	if len(value) > maxAttributeLen && utf16Len(value) > maxAttributeLen {
		return invalidParam("Invalid attributes given, %s: value is longer than %d characters", truncate(name, 64), maxAttributeLen)
	}
	if name == "email_verified" || name == "phone_number_verified" {
		if value != "true" && value != "false" {
			return invalidParam("Invalid value for %s: must be true or false.", name)
		}
	}
	return nil
}

// utf16Len is the length of s in UTF-16 code units, as Cognito counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// checkAttrBudgetLocked checks that u would stay within the per-user limits
// with attrs applied. e.mu must be held.
func checkAttrBudgetLocked(u *user, attrs map[string]string) error {
	merged := map[string]string{}
	maps.Copy(merged, u.attrs)
	maps.Copy(merged, attrs)
	size := 0
	for k, v := range merged {
		if v != "" {
			size += len(k) + len(v)
		}
	}
	if len(merged) > maxUserAttrs || size > maxUserAttrSize {
		return invalidParam("The user's attributes exceed the emulator's limit of %d attributes or %d bytes.", maxUserAttrs, maxUserAttrSize)
	}
	return nil
}

// attrWrite says who writes a user's attributes and how, for
// writeAttributesLocked.
type attrWrite struct {
	// client is the app client that writes them (SignUp,
	// UpdateUserAttributes, NEW_PASSWORD_REQUIRED), held to its
	// WriteAttributes; nil for an administrator (AdminCreateUser,
	// AdminUpdateUserAttributes), who may also set the verified flags.
	client *appClient
	// force moves aliases that other users hold as a verified address to
	// the user (ForceAliasCreation) rather than answering
	// AliasExistsException.
	force bool
	// verify sends a verification code for each changed auto-verified
	// address that the same call does not mark verified, and returns the
	// deliveries (UpdateUserAttributes, AdminUpdateUserAttributes).
	verify bool
	// create makes the user when the write has u nil (SignUp,
	// AdminCreateUser): it is called once every check has passed.
	create func() (*user, error)
}

// writeAttributesLocked is the one way attributes reach a user of p (u
// nil: the user w.create makes), so that no write path skips a rule. It
// checks every attribute (checkAttribute: writable by w.client, value
// length, verified flags), the user's attribute budget
// (checkAttrBudgetLocked) and the aliases the user would hold
// (claimAliasesLocked, after forceAliasesLocked with w.force), all before
// changing anything; then sets the attributes in name order, so that a
// verified flag set with its address stays set, keeping the alias index.
// It returns the user and, with w.verify, the code deliveries. e.mu must be
// held.
func (e *Handler) writeAttributesLocked(p *pool, u *user, w attrWrite, attrs map[string]string, now time.Time) (*user, []codeDelivery, error) {
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		if aerr := checkAttribute(w.client, k, attrs[k]); aerr != nil {
			return nil, nil, aerr
		}
	}
	budgetUser := u
	if budgetUser == nil {
		budgetUser = &user{}
	}
	if aerr := checkAttrBudgetLocked(budgetUser, attrs); aerr != nil {
		return nil, nil, aerr
	}
	if aerr := claimAliasesLocked(p, u, attrs); aerr != nil {
		if !w.force {
			return nil, nil, aerr
		}
		forceAliasesLocked(p, u, attrs)
		if aerr := claimAliasesLocked(p, u, attrs); aerr != nil {
			return nil, nil, aerr // a user name, which cannot move
		}
	}
	if u == nil {
		var aerr error
		if u, aerr = w.create(); aerr != nil {
			return nil, nil, aerr
		}
	}
	var sent []codeDelivery
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		v := attrs[k]
		changed := u.attrs[k] != v
		setAttributeLocked(p, u, k, v)
		if !w.verify || !changed || !slices.Contains(verifiableAttributes, k) {
			continue
		}
		if _, set := attrs[k+"_verified"]; set {
			continue
		}
		delete(u.attrs, k+"_verified")
		if v != "" && slices.Contains(p.settings.autoVerified, k) {
			sent = append(sent, *e.sendCodeLocked(p, u, purposeVerify+k, k, ReasonVerifyUserAttribute, signUpCodeTTL, now))
		}
	}
	if w.verify {
		u.modified = now
	}
	return u, sent, nil
}

// newUserLocked adds a user to p. e.mu must be held.
func (e *Handler) newUserLocked(p *pool, name string, v *srp.Verifier, status userStatus, now time.Time) (*user, error) {
	if aerr := e.checkCapLocked(p, "users", func(q *pool) int { return len(q.users) }, e.limits.poolUsers, e.limits.users); aerr != nil {
		return nil, aerr
	}
	u := &user{
		name: name, sub: newUUID(), attrs: map[string]string{}, status: status, verifier: v,
		groupKey: "-" + randomAlnum(9), devices: map[string]*device{}, created: now, modified: now,
	}
	if len(p.settings.usernameAttrs) > 0 {
		u.sub = name // a UUID from internalName, as Cognito's
	}
	p.users[name] = u
	return u, nil
}

// deleteUserLocked removes u from p with its aliases, groups, sign-ins in
// progress and tokens. e.mu must be held.
func (e *Handler) deleteUserLocked(p *pool, u *user) {
	p.unindexAliasesLocked(u)
	for _, g := range u.groups {
		delete(g.members, u)
	}
	delete(p.users, u.name)
	p.usersInOrder = slices.DeleteFunc(p.usersInOrder, func(x *user) bool { return x == u })
	e.signOutLocked(u, true)
}

// signOutLocked revokes u's refresh tokens (and the access tokens issued
// from them) and ends u's sign-ins in progress (endSignInsLocked); with
// forget, it also forgets the tokens. e.mu must be held.
func (e *Handler) signOutLocked(u *user, forget bool) {
	for el := u.grants.Front(); el != nil; {
		g := el.Value.(*grant)
		el = el.Next()
		g.revoked = true
		if forget {
			e.forgetGrantLocked(g)
		}
	}
	e.endSignInsLocked(u)
}

// signInStateLocked is the user-state check of a sign-in, the one check of
// every step (advanceLocked): deleted and disabled users fail at once;
// once any first factor is proven (authSession.firstFactorDone: password,
// SRP, one-time password or custom challenge, in every flow), unconfirmed
// users fail with UserNotConfirmedException (amplify-js#11209: an account
// must be confirmed before any authentication), users whose password must
// be reset with PasswordResetRequiredException (API_AdminResetUserPassword:
// any sign-in after the call gets it) and users whose temporary password
// has expired with NotAuthorizedException. A user in FORCE_CHANGE_PASSWORD
// then gets NEW_PASSWORD_REQUIRED (advanceLocked). e.mu must be held.
func signInStateLocked(s *authSession, now time.Time) error {
	u := s.user
	switch {
	case s.pool.users[u.name] != u:
		return newError(errUserNotFound, msgUserNotFound)
	case u.disabled:
		return notAuthorized(msgUserDisabled)
	case !s.firstFactorDone():
		return nil
	case u.status == statusUnconfirmed:
		return newError(errUserNotConfirmed, msgUserNotConfirmed)
	case u.status == statusResetRequired:
		return newError(errPasswordResetRequired, msgResetRequired)
	case u.status == statusForceChange && !s.newPasswordDone && !u.tempExpires.IsZero() && now.After(u.tempExpires):
		return notAuthorized(msgTempExpired)
	}
	return nil
}

// clientUser finds the client and user of an unsigned call that names
// them (ConfirmSignUp, ForgotPassword and the like), checking SECRET_HASH
// over the user name given. On success e.mu is NOT held.
func (e *Handler) clientUser(clientID, username, secretHash string) (*appClient, error) {
	c, aerr := e.lookupClient(clientID)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := checkUsername(username); aerr != nil {
		return nil, aerr
	}
	if aerr := checkSecretHash(c, secretHash, username); aerr != nil {
		return nil, aerr
	}
	return c, nil
}

type signUpInput struct {
	ClientId       string            `json:"ClientId"`
	Username       string            `json:"Username"`
	Password       string            `json:"Password"`
	SecretHash     string            `json:"SecretHash"`
	UserAttributes []attributeType   `json:"UserAttributes"`
	ValidationData []attributeType   `json:"ValidationData"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

type signUpOutput struct {
	UserConfirmed       bool          `json:"UserConfirmed"`
	CodeDeliveryDetails *codeDelivery `json:"CodeDeliveryDetails,omitempty"`
	UserSub             string        `json:"UserSub"`
}

// signUp creates an UNCONFIRMED user and sends the confirmation code to
// the auto-verified attribute (API_SignUp.html). Only an SRP verifier of
// the password is kept.
func (e *Handler) signUp(rc *reqCtx, in *signUpInput) (any, error) {
	if aerr := checkPasswordInput(in.Password, "password"); aerr != nil {
		return nil, aerr
	}
	c, aerr := e.clientUser(in.ClientId, in.Username, in.SecretHash)
	if aerr != nil {
		return nil, aerr
	}
	attrs, aerr := parseAttributes(in.UserAttributes, "userAttributes", c)
	if aerr != nil {
		return nil, aerr
	}
	p := c.pool
	name, nameAttr, aerr := internalName(p, in.Username)
	if aerr != nil {
		return nil, aerr
	}
	if nameAttr != "" {
		attrs[nameAttr] = in.Username
	}
	var pol PasswordPolicy
	var adminOnly, exists bool
	e.locked(func() error {
		pol, adminOnly = p.settings.policy, p.settings.adminCreateOnly
		exists = p.lookupUserLocked(in.Username) != nil
		return nil
	})
	if adminOnly {
		return nil, notAuthorized("SignUp is not permitted for this user pool")
	}
	if exists {
		return nil, newError(errUsernameExists, msgUserExists)
	}
	if aerr := checkPassword(pol, in.Password, styleSignUp); aerr != nil {
		return nil, aerr
	}
	v, err := srp.NewVerifier(p.id, name, in.Password)
	if err != nil {
		return nil, invalidParam("Invalid password.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if p.lookupUserLocked(in.Username) != nil {
		return nil, newError(errUsernameExists, msgUserExists)
	}
	u, _, aerr := e.writeAttributesLocked(p, nil, attrWrite{client: c, create: func() (*user, error) {
		return e.newUserLocked(p, name, v, statusUnconfirmed, rc.now)
	}}, attrs, rc.now)
	if aerr != nil {
		if ae := asAPIError(aerr); ae.Type == errAliasExists {
			// SignUp answers a taken alias as a taken user name.
			return nil, newError(errUsernameExists, "%s", ae.Message)
		}
		return nil, aerr
	}
	out := signUpOutput{UserSub: u.sub}
	if a := signUpDestinationLocked(p, u); a != "" {
		out.CodeDeliveryDetails = e.sendCodeLocked(p, u, purposeSignUp, a, ReasonSignUp, signUpCodeTTL, rc.now)
	}
	return out, nil
}

type confirmSignUpInput struct {
	ClientId           string `json:"ClientId"`
	Username           string `json:"Username"`
	ConfirmationCode   string `json:"ConfirmationCode"`
	SecretHash         string `json:"SecretHash"`
	ForceAliasCreation bool   `json:"ForceAliasCreation"`
}

// confirmSignUp confirms a user with the code from SignUp and marks the
// attribute it went to as verified.
func (e *Handler) confirmSignUp(rc *reqCtx, in *confirmSignUpInput) (any, error) {
	if in.ConfirmationCode == "" {
		return nil, nullMember("confirmationCode")
	}
	c, aerr := e.clientUser(in.ClientId, in.Username, in.SecretHash)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := c.pool.lookupUserLocked(in.Username)
	if u == nil {
		return nil, newError(errUserNotFound, msgClientUserNotFound)
	}
	if u.status != statusUnconfirmed {
		return nil, notAuthorized("User cannot be confirmed. Current status is " + string(u.status))
	}
	pc := u.codes[purposeSignUp]
	verified := map[string]string{}
	if pc != nil {
		verified[pc.attr+"_verified"] = "true"
	}
	if codeMatchesLocked(u, purposeSignUp, in.ConfirmationCode) {
		// The address becomes an alias: AliasExistsException if another
		// user holds it, unless ForceAliasCreation moves it
		// (API_ConfirmSignUp.html). Checked before the code is used up,
		// so that the call can be repeated with ForceAliasCreation.
		if in.ForceAliasCreation {
			forceAliasesLocked(c.pool, u, verified)
		}
		if aerr := claimAliasesLocked(c.pool, u, verified); aerr != nil {
			return nil, aerr
		}
	}
	if aerr := useCodeLocked(u, purposeSignUp, in.ConfirmationCode, rc.now); aerr != nil {
		return nil, aerr
	}
	confirmUserLocked(c.pool, u, pc.attr, rc.now)
	return struct{}{}, nil
}

// confirmUserLocked makes an unconfirmed user CONFIRMED and marks attr,
// the attribute its code went to, as verified. e.mu must be held.
func confirmUserLocked(p *pool, u *user, attr string, now time.Time) {
	u.attrs[attr+"_verified"] = "true"
	p.reindexAliasesLocked(u)
	u.status = statusConfirmed
	u.modified = now
	delete(u.codes, purposeSignUp)
}

type resendInput struct {
	ClientId   string `json:"ClientId"`
	Username   string `json:"Username"`
	SecretHash string `json:"SecretHash"`
}

func (e *Handler) resendConfirmationCode(rc *reqCtx, in *resendInput) (any, error) {
	c, aerr := e.clientUser(in.ClientId, in.Username, in.SecretHash)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := c.pool.lookupUserLocked(in.Username)
	if u == nil {
		return nil, newError(errUserNotFound, msgClientUserNotFound)
	}
	if u.status != statusUnconfirmed {
		return nil, invalidParam("User is already confirmed.")
	}
	a := signUpDestinationLocked(c.pool, u)
	if a == "" {
		return nil, invalidParam("Auto verification not turned on.")
	}
	d := e.sendCodeLocked(c.pool, u, purposeSignUp, a, ReasonResendCode, signUpCodeTTL, rc.now)
	return map[string]*codeDelivery{"CodeDeliveryDetails": d}, nil
}

// forgotPassword sends a password reset code to the user's verified phone
// number or email address.
func (e *Handler) forgotPassword(rc *reqCtx, in *resendInput) (any, error) {
	c, aerr := e.clientUser(in.ClientId, in.Username, in.SecretHash)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := c.pool.lookupUserLocked(in.Username)
	switch {
	case u == nil:
		return nil, newError(errUserNotFound, msgClientUserNotFound)
	case u.disabled:
		return nil, notAuthorized(msgUserDisabled)
	case u.status == statusForceChange:
		return nil, notAuthorized("User password cannot be reset in the current state.")
	}
	a := recoveryDestinationLocked(u)
	if a == "" {
		return nil, invalidParam(msgNoRecovery)
	}
	d := e.sendCodeLocked(c.pool, u, purposeForgot, a, ReasonForgotPassword, forgotCodeTTL, rc.now)
	return map[string]*codeDelivery{"CodeDeliveryDetails": d}, nil
}

type confirmForgotInput struct {
	ClientId         string `json:"ClientId"`
	Username         string `json:"Username"`
	ConfirmationCode string `json:"ConfirmationCode"`
	Password         string `json:"Password"`
	SecretHash       string `json:"SecretHash"`
}

// confirmForgotPassword sets a new password with the code from
// ForgotPassword (or AdminResetUserPassword); the user becomes CONFIRMED.
func (e *Handler) confirmForgotPassword(rc *reqCtx, in *confirmForgotInput) (any, error) {
	if in.ConfirmationCode == "" {
		return nil, nullMember("confirmationCode")
	}
	if aerr := checkPasswordInput(in.Password, "password"); aerr != nil {
		return nil, aerr
	}
	c, aerr := e.clientUser(in.ClientId, in.Username, in.SecretHash)
	if aerr != nil {
		return nil, aerr
	}
	p := c.pool
	var u *user
	var pol PasswordPolicy
	e.locked(func() error {
		u, pol = p.lookupUserLocked(in.Username), p.settings.policy
		return nil
	})
	if u == nil {
		return nil, newError(errUserNotFound, msgClientUserNotFound)
	}
	if aerr := checkPassword(pol, in.Password, styleChange); aerr != nil {
		return nil, aerr
	}
	v, err := srp.NewVerifier(p.id, u.name, in.Password)
	if err != nil {
		return nil, invalidParam("Invalid password.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if p.users[u.name] != u {
		return nil, newError(errUserNotFound, msgClientUserNotFound)
	}
	if aerr := useCodeLocked(u, purposeForgot, in.ConfirmationCode, rc.now); aerr != nil {
		return nil, aerr
	}
	e.setPasswordLocked(u, v)
	if u.status == statusResetRequired || u.status == statusForceChange {
		u.status = statusConfirmed
	}
	u.modified = rc.now
	return struct{}{}, nil
}

// signedInUserLocked returns the pool, user and app client of an access
// token's grant (from checkAccessToken), failing if the user has been
// deleted or disabled since. e.mu must be held.
func signedInUserLocked(g *grant) (*pool, *user, *appClient, error) {
	if g.pool.users[g.user.name] != g.user {
		return nil, nil, nil, notAuthorized(msgInvalidAccess)
	}
	if g.user.disabled {
		return nil, nil, nil, notAuthorized(msgUserDisabled)
	}
	return g.pool, g.user, g.client, nil
}

// withSignedInUser checks an access token (checkAccessToken) and runs f
// with e.mu held on the pool, user and app client of its grant
// (signedInUserLocked), releasing e.mu however f returns.
func (e *Handler) withSignedInUser(rc *reqCtx, accessToken string, f func(p *pool, u *user, c *appClient) (any, error)) (any, error) {
	g, aerr := e.checkAccessToken(rc, accessToken)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, u, c, aerr := signedInUserLocked(g)
	if aerr != nil {
		return nil, aerr
	}
	return f(p, u, c)
}

type changePasswordInput struct {
	AccessToken      string `json:"AccessToken"`
	PreviousPassword string `json:"PreviousPassword"`
	ProposedPassword string `json:"ProposedPassword"`
}

func (e *Handler) changePassword(rc *reqCtx, in *changePasswordInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if aerr := checkPasswordInput(in.PreviousPassword, "previousPassword"); aerr != nil {
		return nil, aerr
	}
	if aerr := checkPasswordInput(in.ProposedPassword, "proposedPassword"); aerr != nil {
		return nil, aerr
	}
	g, aerr := e.checkAccessToken(rc, in.AccessToken)
	if aerr != nil {
		return nil, aerr
	}
	var p *pool
	var u *user
	var old *srp.Verifier
	var pol PasswordPolicy
	aerr = e.locked(func() error {
		var err error
		if p, u, _, err = signedInUserLocked(g); err != nil {
			return err
		}
		// Wrong previous passwords count towards the sign-in lockout, so
		// that an access token does not open an unlimited password oracle.
		if err := u.reservePasswordLocked(rc.now); err != nil {
			return err
		}
		old, pol = u.verifier, p.settings.policy
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	ok := old.CheckPassword(in.PreviousPassword)
	if ok {
		e.locked(func() error {
			u.passwordFails.succeed() // a failure was counted by the reservation
			return nil
		})
	}
	if !ok {
		return nil, notAuthorized(msgIncorrect)
	}
	if aerr := checkPassword(pol, in.ProposedPassword, styleChange); aerr != nil {
		return nil, aerr
	}
	v, err := srp.NewVerifier(p.id, u.name, in.ProposedPassword)
	if err != nil {
		return nil, invalidParam("Invalid password.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setPasswordLocked(u, v)
	u.modified = rc.now
	return struct{}{}, nil
}

type updateAttributesInput struct {
	AccessToken    string            `json:"AccessToken"`
	UserAttributes []attributeType   `json:"UserAttributes"`
	ClientMetadata map[string]string `json:"ClientMetadata"`
}

// updateUserAttributes changes the signed-in user's attributes; a changed
// auto-verified email or phone number becomes unverified and gets a code.
func (e *Handler) updateUserAttributes(rc *reqCtx, in *updateAttributesInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if in.UserAttributes == nil {
		return nil, nullMember("userAttributes")
	}
	return e.withSignedInUser(rc, in.AccessToken, func(p *pool, u *user, c *appClient) (any, error) {
		attrs, aerr := parseAttributes(in.UserAttributes, "userAttributes", c)
		if aerr != nil {
			return nil, aerr
		}
		_, sent, aerr := e.writeAttributesLocked(p, u, attrWrite{client: c, verify: true}, attrs, rc.now)
		if aerr != nil {
			return nil, aerr
		}
		return map[string][]codeDelivery{"CodeDeliveryDetailsList": sent}, nil
	})
}

type attributeNameInput struct {
	AccessToken   string `json:"AccessToken"`
	AttributeName string `json:"AttributeName"`
	Code          string `json:"Code"`
}

func (e *Handler) getUserAttributeVerificationCode(rc *reqCtx, in *attributeNameInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if in.AttributeName == "" {
		return nil, nullMember("attributeName")
	}
	return e.withSignedInUser(rc, in.AccessToken, func(p *pool, u *user, _ *appClient) (any, error) {
		if !slices.Contains(verifiableAttributes, in.AttributeName) || u.attrs[in.AttributeName] == "" {
			return nil, invalidParam("Invalid attribute name: %s cannot be verified.", truncate(in.AttributeName, 64))
		}
		d := e.sendCodeLocked(p, u, purposeVerify+in.AttributeName, in.AttributeName, ReasonVerifyUserAttribute, signUpCodeTTL, rc.now)
		return map[string]*codeDelivery{"CodeDeliveryDetails": d}, nil
	})
}

func (e *Handler) verifyUserAttribute(rc *reqCtx, in *attributeNameInput) (any, error) {
	switch {
	case in.AccessToken == "":
		return nil, nullMember("accessToken")
	case in.AttributeName == "":
		return nil, nullMember("attributeName")
	case in.Code == "":
		return nil, nullMember("code")
	}
	return e.withSignedInUser(rc, in.AccessToken, func(p *pool, u *user, _ *appClient) (any, error) {
		purpose := purposeVerify + in.AttributeName
		if codeMatchesLocked(u, purpose, in.Code) {
			// The verified address becomes an alias: AliasExistsException if
			// another user holds it (API_VerifyUserAttribute.html), before the
			// code is used up.
			if aerr := claimAliasesLocked(p, u, map[string]string{u.codes[purpose].attr + "_verified": "true"}); aerr != nil {
				return nil, aerr
			}
		}
		pc := u.codes[purpose]
		if aerr := useCodeLocked(u, purpose, in.Code, rc.now); aerr != nil {
			return nil, aerr
		}
		u.attrs[pc.attr+"_verified"] = "true"
		p.reindexAliasesLocked(u)
		u.modified = rc.now
		return struct{}{}, nil
	})
}

type deleteAttributesInput struct {
	AccessToken        string   `json:"AccessToken"`
	UserAttributeNames []string `json:"UserAttributeNames"`
}

func (e *Handler) deleteUserAttributes(rc *reqCtx, in *deleteAttributesInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	if in.UserAttributeNames == nil {
		return nil, nullMember("userAttributeNames")
	}
	return e.withSignedInUser(rc, in.AccessToken, func(p *pool, u *user, c *appClient) (any, error) {
		for _, n := range in.UserAttributeNames {
			if aerr := attributeRules(c, n); aerr != nil {
				return nil, aerr
			}
		}
		for _, n := range in.UserAttributeNames {
			setAttributeLocked(p, u, n, "")
		}
		u.modified = rc.now
		return struct{}{}, nil
	})
}

func (e *Handler) deleteUser(rc *reqCtx, in *accessTokenInput) (any, error) {
	if in.AccessToken == "" {
		return nil, nullMember("accessToken")
	}
	return e.withSignedInUser(rc, in.AccessToken, func(p *pool, u *user, _ *appClient) (any, error) {
		e.deleteUserLocked(p, u)
		return struct{}{}, nil
	})
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

// setAttributeLocked changes an attribute, keeping the alias index up to
// date. Only writeAttributesLocked, after its checks, and the deletion of
// attributes call it. e.mu must be held.
func setAttributeLocked(p *pool, u *user, name, value string) {
	defer p.reindexAliasesLocked(u)
	// A new address is not verified: Cognito sets email_verified (or
	// phone_number_verified) to false when the address changes
	// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html).
	if (name == "email" || name == "phone_number") && u.attrs[name] != value {
		delete(u.attrs, name+"_verified")
		delete(u.seeded, name)
		dropCodesLocked(u, name)
	}
	if value == "" {
		delete(u.attrs, name)
		return
	}
	u.attrs[name] = value
}

// dropCodesLocked forgets the codes sent to u's attribute attr, whose value
// is changing: they prove the old address, not the new one. e.mu must be
// held.
func dropCodesLocked(u *user, attr string) {
	for purpose, pc := range u.codes {
		if pc.attr == attr {
			delete(u.codes, purpose)
		}
	}
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

func (e *Handler) getUser(rc *reqCtx, in *accessTokenInput) (any, error) {
	g, err := e.authenticated(rc, in)
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
