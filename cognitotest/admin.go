package cognitotest

import (
	"cmp"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

// The admin API: AdminCreateUser, AdminSetUserPassword, AdminGetUser,
// AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminDeleteUser,
// AdminConfirmSignUp, AdminDisableUser, AdminEnableUser,
// AdminResetUserPassword, ListUsers, AdminUserGlobalSignOut,
// AdminListDevices, AdminGetDevice, AdminForgetDevice,
// AdminUpdateDeviceStatus, AdminInitiateAuth and
// AdminRespondToAuthChallenge. Cognito requires these to be signed with
// AWS credentials (SigV4); the server requires a signature but accepts
// any: it does not evaluate IAM.
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pools-API-operations.html

func init() {
	maps.Copy(handlers, map[string]handler{
		"AdminCreateUser":             op((*Handler).adminCreateUser),
		"AdminSetUserPassword":        op((*Handler).adminSetUserPassword),
		"AdminGetUser":                op((*Handler).adminGetUser),
		"AdminUpdateUserAttributes":   op((*Handler).adminUpdateUserAttributes),
		"AdminDeleteUserAttributes":   op((*Handler).adminDeleteUserAttributes),
		"AdminDeleteUser":             op((*Handler).adminDeleteUser),
		"AdminConfirmSignUp":          op((*Handler).adminConfirmSignUp),
		"AdminDisableUser":            op((*Handler).adminDisableUser),
		"AdminEnableUser":             op((*Handler).adminEnableUser),
		"AdminResetUserPassword":      op((*Handler).adminResetUserPassword),
		"ListUsers":                   op((*Handler).listUsers),
		"AdminUserGlobalSignOut":      op((*Handler).adminUserGlobalSignOut),
		"AdminListDevices":            op((*Handler).adminListDevices),
		"AdminGetDevice":              op((*Handler).adminGetDevice),
		"AdminForgetDevice":           op((*Handler).adminForgetDevice),
		"AdminUpdateDeviceStatus":     op((*Handler).adminUpdateDeviceStatus),
		"AdminInitiateAuth":           op((*Handler).adminInitiateAuth),
		"AdminRespondToAuthChallenge": op((*Handler).adminRespondToAuthChallenge),
	})
}

// signedOps are the operations besides Admin* that need AWS credentials:
// groups, pools and clients.
var signedOps = map[string]bool{
	"ListUsers": true, "CreateGroup": true, "GetGroup": true, "UpdateGroup": true, "ListGroups": true,
	"DeleteGroup": true, "ListUsersInGroup": true, "CreateUserPool": true, "DescribeUserPool": true,
	"ListUserPools": true, "DeleteUserPool": true, "CreateUserPoolClient": true,
	"DescribeUserPoolClient": true, "UpdateUserPoolClient": true, "ListUserPoolClients": true,
	"DeleteUserPoolClient": true,
}

// needsSignature reports whether Cognito requires AWS credentials for op.
func needsSignature(op string) bool { return signedOps[op] || strings.HasPrefix(op, "Admin") }

// isSigned reports whether r carries a SigV4 signature, in the
// Authorization header or a presigned query. The signature is not checked.
func isSigned(r *http.Request) bool {
	return r.Header.Get("Authorization") != "" || r.URL.Query().Get("X-Amz-Signature") != ""
}

// errMissingAuthentication answers an unsigned call of a signed
// operation. Cognito does not document its answer: the API reference's
// Common Errors page lists MissingAuthenticationToken (HTTP 403) for every
// AWS API, and AWS's JSON 1.1 services (DynamoDB, for one) answer HTTP 400
// with __type MissingAuthenticationTokenException and this message, which
// the SDKs report as that error code.
var errMissingAuthentication = &apiError{Type: errMissingAuthenticationTk, Message: "Request is missing Authentication Token"}

// poolUserLocked finds a user of p by user name or alias. e.mu must be
// held.
func poolUserLocked(p *pool, name string) (*user, error) {
	if aerr := checkUsername(name); aerr != nil {
		return nil, aerr
	}
	u := p.lookupUserLocked(name)
	if u == nil {
		return nil, newError(errUserNotFound, msgUserNotFound)
	}
	return u, nil
}

type adminUserInput struct {
	UserPoolId string `json:"UserPoolId"`
	Username   string `json:"Username"`
}

// adminUserLocked finds the pool and the user (by user name or alias) that
// an admin request names. e.mu must be held.
func (e *Handler) adminUserLocked(poolID, username string) (*pool, *user, error) {
	if poolID == "" {
		return nil, nil, nullMember("userPoolId")
	}
	p, aerr := e.lookupPoolLocked(poolID)
	if aerr != nil {
		return nil, nil, aerr
	}
	u, aerr := poolUserLocked(p, username)
	if aerr != nil {
		return nil, nil, aerr
	}
	return p, u, nil
}

// userType is Cognito's UserType.
type userType struct {
	Username             string          `json:"Username"`
	Attributes           []attributeType `json:"Attributes"`
	UserCreateDate       float64         `json:"UserCreateDate"`
	UserLastModifiedDate float64         `json:"UserLastModifiedDate"`
	Enabled              bool            `json:"Enabled"`
	UserStatus           string          `json:"UserStatus"`
	MFAOptions           []mfaOption     `json:"MFAOptions,omitempty"`
}

// userAttributesLocked lists u's attributes, sub first, then by name; only
// those named in only unless it is nil. e.mu must be held.
func userAttributesLocked(u *user, only []string) []attributeType {
	out := []attributeType{}
	if only == nil || slices.Contains(only, "sub") {
		out = append(out, attributeType{Name: "sub", Value: u.sub})
	}
	for _, k := range slices.Sorted(maps.Keys(u.attrs)) {
		if only == nil || slices.Contains(only, k) {
			out = append(out, attributeType{Name: k, Value: u.attrs[k]})
		}
	}
	return out
}

// describeUserLocked returns u as Cognito's UserType. e.mu must be held.
func describeUserLocked(u *user, only []string) userType {
	return userType{
		Username: u.name, Attributes: userAttributesLocked(u, only),
		UserCreateDate: epochSeconds(u.created), UserLastModifiedDate: epochSeconds(u.modified),
		Enabled: !u.disabled, UserStatus: string(u.status),
	}
}

func byCreation(a, b *user) int {
	return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.name, b.name))
}

type adminCreateUserInput struct {
	UserPoolId             string            `json:"UserPoolId"`
	Username               string            `json:"Username"`
	UserAttributes         []attributeType   `json:"UserAttributes"`
	ValidationData         []attributeType   `json:"ValidationData"`
	TemporaryPassword      string            `json:"TemporaryPassword"`
	ForceAliasCreation     bool              `json:"ForceAliasCreation"`
	MessageAction          string            `json:"MessageAction"`
	DesiredDeliveryMediums []string          `json:"DesiredDeliveryMediums"`
	ClientMetadata         map[string]string `json:"ClientMetadata"`
}

// adminCreateUser creates a user in FORCE_CHANGE_PASSWORD with a
// temporary password and sends the invitation (API_AdminCreateUser.html):
// MessageAction SUPPRESS sends none, RESEND sends a new one to an existing
// user in FORCE_CHANGE_PASSWORD. The invitation's code in the outbox is the
// temporary password.
func (e *Handler) adminCreateUser(rc *reqCtx, in *adminCreateUserInput) (any, error) {
	if in.UserPoolId == "" {
		return nil, nullMember("userPoolId")
	}
	if aerr := checkUsername(in.Username); aerr != nil {
		return nil, aerr
	}
	switch in.MessageAction {
	case "", "RESEND", "SUPPRESS":
	default:
		return nil, validationError("'"+truncate(in.MessageAction, 64)+"'", "messageAction", enumConstraint([]string{"RESEND", "SUPPRESS"}))
	}
	mediums := in.DesiredDeliveryMediums
	for _, m := range mediums {
		if m != "SMS" && m != "EMAIL" {
			return nil, validationError("'"+truncate(m, 64)+"'", "desiredDeliveryMediums", enumConstraint([]string{"SMS", "EMAIL"}))
		}
	}
	if len(mediums) == 0 {
		mediums = []string{"SMS"} // Cognito's default
	}
	if in.TemporaryPassword != "" {
		if aerr := checkPasswordInput(in.TemporaryPassword, "temporaryPassword"); aerr != nil {
			return nil, aerr
		}
	}
	attrs, aerr := parseAttributes(in.UserAttributes, "userAttributes", nil)
	if aerr != nil {
		return nil, aerr
	}
	var p *pool
	var existing *user
	var pol PasswordPolicy
	aerr = e.locked(func() error {
		var err error
		if p, err = e.lookupPoolLocked(in.UserPoolId); err != nil {
			return err
		}
		existing, pol = p.lookupUserLocked(in.Username), p.settings.policy
		return nil
	})
	if aerr != nil {
		return nil, aerr
	}
	switch {
	case in.MessageAction == "RESEND" && existing == nil:
		return nil, newError(errUserNotFound, msgUserNotFound)
	case in.MessageAction == "RESEND" && existing.status != statusForceChange:
		return nil, newError("UnsupportedUserStateException", "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", existing.name)
	case in.MessageAction != "RESEND" && existing != nil:
		return nil, newError(errUsernameExists, msgUserAccountExists)
	}
	temp := in.TemporaryPassword
	if temp == "" {
		temp = temporaryPassword(pol)
	} else if aerr := checkPassword(pol, temp, styleTemp); aerr != nil {
		return nil, aerr
	}
	var name string
	if existing != nil {
		name = existing.name
	} else {
		var nameAttr string
		var aerr error
		if name, nameAttr, aerr = internalName(p, in.Username); aerr != nil {
			return nil, aerr
		}
		if nameAttr != "" {
			attrs[nameAttr] = in.Username
		}
	}
	v, err := srp.NewVerifier(p.id, name, temp)
	if err != nil {
		return nil, invalidParam("Invalid temporary password.")
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pools[p.id] != p {
		return nil, newError(errResourceNotFound, "User pool %s does not exist.", p.id)
	}
	u := p.lookupUserLocked(in.Username)
	if in.MessageAction == "RESEND" {
		if u != existing {
			return nil, newError(errUserNotFound, msgUserNotFound)
		}
	} else {
		if u != nil {
			return nil, newError(errUsernameExists, msgUserAccountExists)
		}
		var aerr error
		u, _, aerr = e.writeAttributesLocked(p, nil, attrWrite{force: in.ForceAliasCreation, create: func() (*user, error) {
			return e.newUserLocked(p, name, v, statusForceChange, rc.now)
		}}, attrs, rc.now)
		if aerr != nil {
			return nil, aerr
		}
	}
	e.setPasswordLocked(u, v)
	u.status = statusForceChange
	u.tempExpires = p.settings.tempPasswordExpiry(rc.now)
	u.modified = rc.now
	if in.MessageAction != "SUPPRESS" {
		for _, m := range mediums {
			attr := "email"
			if m == "SMS" {
				attr = "phone_number"
			}
			if dest := u.attrs[attr]; dest != "" {
				e.sendLocked(Message{UserPoolID: p.id, Username: u.name, Medium: m, Destination: dest, Reason: ReasonAdminCreateUser, Code: temp, Time: rc.now})
			}
		}
	}
	return map[string]userType{"User": describeUserLocked(u, nil)}, nil
}

type adminSetUserPasswordInput struct {
	UserPoolId string `json:"UserPoolId"`
	Username   string `json:"Username"`
	Password   string `json:"Password"`
	Permanent  bool   `json:"Permanent"`
}

// adminSetUserPassword sets a permanent password (CONFIRMED) or a
// temporary one (FORCE_CHANGE_PASSWORD).
func (e *Handler) adminSetUserPassword(rc *reqCtx, in *adminSetUserPasswordInput) (any, error) {
	if aerr := checkPasswordInput(in.Password, "password"); aerr != nil {
		return nil, aerr
	}
	var p *pool
	var u *user
	var pol PasswordPolicy
	err := e.locked(func() error {
		var err error
		if p, u, err = e.adminUserLocked(in.UserPoolId, in.Username); err != nil {
			return err
		}
		pol = p.settings.policy
		return nil
	})
	if err != nil {
		return nil, err
	}
	if aerr := checkPassword(pol, in.Password, styleChange); aerr != nil {
		return nil, aerr
	}
	v, verr := srp.NewVerifier(p.id, u.name, in.Password)
	if verr != nil {
		return nil, invalidParam("Invalid password.")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.setPasswordLocked(u, v)
	if in.Permanent {
		u.status = statusConfirmed
		u.tempExpires = time.Time{}
	} else {
		u.status = statusForceChange
		u.tempExpires = p.settings.tempPasswordExpiry(rc.now)
	}
	u.modified = rc.now
	return struct{}{}, nil
}

type adminGetUserOutput struct {
	Username             string          `json:"Username"`
	UserAttributes       []attributeType `json:"UserAttributes"`
	UserCreateDate       float64         `json:"UserCreateDate"`
	UserLastModifiedDate float64         `json:"UserLastModifiedDate"`
	Enabled              bool            `json:"Enabled"`
	UserStatus           string          `json:"UserStatus"`
	PreferredMfaSetting  string          `json:"PreferredMfaSetting,omitempty"`
	UserMFASettingList   []string        `json:"UserMFASettingList,omitempty"`
}

func (e *Handler) adminGetUser(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	out := adminGetUserOutput{
		Username: u.name, UserAttributes: userAttributesLocked(u, nil),
		UserCreateDate: epochSeconds(u.created), UserLastModifiedDate: epochSeconds(u.modified),
		Enabled: !u.disabled, UserStatus: string(u.status), UserMFASettingList: slices.Clone(u.factors),
	}
	if u.preferred != "" {
		out.PreferredMfaSetting = u.preferred
	} else if len(u.factors) == 1 {
		out.PreferredMfaSetting = u.factors[0]
	}
	return out, nil
}

type adminUpdateAttributesInput struct {
	UserPoolId         string            `json:"UserPoolId"`
	Username           string            `json:"Username"`
	UserAttributes     []attributeType   `json:"UserAttributes"`
	UserAttributeNames []string          `json:"UserAttributeNames"`
	ClientMetadata     map[string]string `json:"ClientMetadata"`
}

// adminUpdateUserAttributes changes a user's attributes; unlike the user
// itself, an administrator may set email_verified and
// phone_number_verified.
func (e *Handler) adminUpdateUserAttributes(rc *reqCtx, in *adminUpdateAttributesInput) (any, error) {
	if in.UserAttributes == nil {
		return nil, nullMember("userAttributes")
	}
	attrs, aerr := parseAttributes(in.UserAttributes, "userAttributes", nil)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, _, aerr := e.writeAttributesLocked(p, u, attrWrite{verify: true}, attrs, rc.now); aerr != nil {
		return nil, aerr
	}
	return struct{}{}, nil
}

func (e *Handler) adminDeleteUserAttributes(rc *reqCtx, in *adminUpdateAttributesInput) (any, error) {
	if in.UserAttributeNames == nil {
		return nil, nullMember("userAttributeNames")
	}
	for _, n := range in.UserAttributeNames {
		if aerr := attributeRules(nil, n); aerr != nil {
			return nil, aerr
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	for _, n := range in.UserAttributeNames {
		setAttributeLocked(p, u, n, "")
	}
	u.modified = rc.now
	return struct{}{}, nil
}

func (e *Handler) adminDeleteUser(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	e.deleteUserLocked(p, u)
	return struct{}{}, nil
}

// adminConfirmSignUp confirms an UNCONFIRMED user without a code.
func (e *Handler) adminConfirmSignUp(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if u.status != statusUnconfirmed {
		return nil, notAuthorized("User cannot be confirmed. Current status is " + string(u.status))
	}
	// Unlike ConfirmSignUp, this verifies no attribute.
	u.status = statusConfirmed
	u.modified = rc.now
	delete(u.codes, purposeSignUp)
	return struct{}{}, nil
}

// adminDisableUser disables a user and revokes its tokens
// (API_AdminDisableUser.html).
func (e *Handler) adminDisableUser(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	u.disabled = true
	u.modified = rc.now
	e.signOutLocked(u, false)
	return struct{}{}, nil
}

func (e *Handler) adminEnableUser(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	u.disabled = false
	u.modified = rc.now
	return struct{}{}, nil
}

// adminResetUserPassword puts a user in RESET_REQUIRED and sends a reset
// code to its verified phone number or email address, if any; the user
// then sets a password with ConfirmForgotPassword.
func (e *Handler) adminResetUserPassword(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if u.status == statusUnconfirmed {
		return nil, notAuthorized("User password cannot be reset in the current state.")
	}
	u.status = statusResetRequired
	u.modified = rc.now
	e.endSignInsLocked(u)
	if a := recoveryDestinationLocked(u); a != "" {
		e.sendCodeLocked(p, u, purposeForgot, a, ReasonForgotPassword, forgotCodeTTL, rc.now)
	}
	return struct{}{}, nil
}

func (e *Handler) adminUserGlobalSignOut(rc *reqCtx, in *adminUserInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	e.signOutLocked(u, false)
	return struct{}{}, nil
}

type listUsersInput struct {
	UserPoolId      string   `json:"UserPoolId"`
	AttributesToGet []string `json:"AttributesToGet"`
	Limit           *int     `json:"Limit"`
	PaginationToken string   `json:"PaginationToken"`
	Filter          string   `json:"Filter"`
}

// searchableAttributes are the attributes ListUsers can filter on
// (API_ListUsers.html).
var searchableAttributes = []string{"username", "email", "phone_number", "name", "given_name", "family_name", "preferred_username", "cognito:user_status", "status", "sub"}

var filterSyntax = regexp.MustCompile(`^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

// userFilter is a parsed ListUsers Filter.
type userFilter struct {
	attr, value string
	prefix      bool
}

func parseFilter(s string) (*userFilter, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	m := filterSyntax.FindStringSubmatch(s)
	if m == nil {
		return nil, invalidParam("Error while parsing filter.")
	}
	if !slices.Contains(searchableAttributes, m[1]) {
		return nil, invalidParam("Invalid search attribute: %s", truncate(m[1], 64))
	}
	var v strings.Builder
	for i := 0; i < len(m[3]); i++ {
		if m[3][i] == '\\' && i+1 < len(m[3]) {
			i++
		}
		v.WriteByte(m[3][i])
	}
	return &userFilter{attr: m[1], value: v.String(), prefix: m[2] == "^="}, nil
}

// matchLocked reports whether u passes f. e.mu must be held.
func (f *userFilter) matchLocked(u *user) bool {
	if f == nil {
		return true
	}
	var got string
	fold := false
	switch f.attr {
	case "username":
		got = u.name
	case "sub":
		got = u.sub
	case "cognito:user_status":
		got, fold = string(u.status), true
	case "status":
		got = "Enabled"
		if u.disabled {
			got = "Disabled"
		}
	default:
		got = u.attrs[f.attr]
		if got == "" {
			return false
		}
	}
	if fold {
		got, want := strings.ToLower(got), strings.ToLower(f.value)
		if f.prefix {
			return strings.HasPrefix(got, want)
		}
		return got == want
	}
	if f.prefix {
		return strings.HasPrefix(got, f.value)
	}
	return got == f.value
}

// listUsers lists a pool's users, oldest first, optionally filtered with
// `attribute = "value"` or `attribute ^= "value"`.
func (e *Handler) listUsers(rc *reqCtx, in *listUsersInput) (any, error) {
	if in.UserPoolId == "" {
		return nil, nullMember("userPoolId")
	}
	limit, aerr := checkLimit(in.Limit, "limit", 0, 60)
	if aerr != nil {
		return nil, aerr
	}
	f, aerr := parseFilter(in.Filter)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	var us []*user
	for _, u := range p.users {
		if f.matchLocked(u) {
			us = append(us, u)
		}
	}
	slices.SortFunc(us, byCreation)
	start, end, next, aerr := page(len(us), in.PaginationToken, limit)
	if aerr != nil {
		return nil, aerr
	}
	out := struct {
		Users           []userType `json:"Users"`
		PaginationToken string     `json:"PaginationToken,omitempty"`
	}{Users: []userType{}, PaginationToken: next}
	for _, u := range us[start:end] {
		out.Users = append(out.Users, describeUserLocked(u, in.AttributesToGet))
	}
	return out, nil
}

type adminDeviceInput struct {
	UserPoolId             string `json:"UserPoolId"`
	Username               string `json:"Username"`
	DeviceKey              string `json:"DeviceKey"`
	DeviceRememberedStatus string `json:"DeviceRememberedStatus"`
	Limit                  *int   `json:"Limit"`
	PaginationToken        string `json:"PaginationToken"`
}

// adminDeviceLocked finds the user and device of an admin device call.
// e.mu must be held.
func (e *Handler) adminDeviceLocked(in *adminDeviceInput) (*user, *device, error) {
	if in.DeviceKey == "" {
		return nil, nil, nullMember("deviceKey")
	}
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, nil, err
	}
	d := u.devices[in.DeviceKey]
	if d == nil {
		return nil, nil, newError(errResourceNotFound, msgDeviceNotFound)
	}
	return u, d, nil
}

func (e *Handler) adminGetDevice(rc *reqCtx, in *adminDeviceInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, d, err := e.adminDeviceLocked(in)
	if err != nil {
		return nil, err
	}
	return map[string]deviceType{"Device": describeDevice(d)}, nil
}

func (e *Handler) adminForgetDevice(rc *reqCtx, in *adminDeviceInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, d, err := e.adminDeviceLocked(in)
	if err != nil {
		return nil, err
	}
	e.forgetDeviceLocked(u, d)
	return struct{}{}, nil
}

func (e *Handler) adminUpdateDeviceStatus(rc *reqCtx, in *adminDeviceInput) (any, error) {
	switch in.DeviceRememberedStatus {
	case "remembered", "not_remembered":
	case "":
		return nil, nullMember("deviceRememberedStatus")
	default:
		return nil, validationError("'"+truncate(in.DeviceRememberedStatus, 64)+"'", "deviceRememberedStatus", enumConstraint([]string{"remembered", "not_remembered"}))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, d, err := e.adminDeviceLocked(in)
	if err != nil {
		return nil, err
	}
	d.remembered = in.DeviceRememberedStatus == "remembered"
	d.modified = rc.now
	return struct{}{}, nil
}

// adminListDevices lists a user's confirmed devices, oldest first.
func (e *Handler) adminListDevices(rc *reqCtx, in *adminDeviceInput) (any, error) {
	limit, aerr := checkLimit(in.Limit, "limit", 0, maxListDevices)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, u, err := e.adminUserLocked(in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	var ds []*device
	for _, d := range u.devices {
		if d.confirmed() {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b *device) int {
		return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.key, b.key))
	})
	start, end, next, aerr := page(len(ds), in.PaginationToken, limit)
	if aerr != nil {
		return nil, aerr
	}
	out := listDevicesOutput{Devices: []deviceType{}, PaginationToken: next}
	for _, d := range ds[start:end] {
		out.Devices = append(out.Devices, describeDevice(d))
	}
	return out, nil
}

// adminInitiateAuthInput is initiateAuthInput with UserPoolId.
type adminInitiateAuthInput struct {
	UserPoolId string `json:"UserPoolId"`
	initiateAuthInput
}

// adminInitiateAuth is InitiateAuth for server-side apps: the same flows,
// through the same code, plus ADMIN_USER_PASSWORD_AUTH (and its old name
// ADMIN_NO_SRP_AUTH), which takes the password itself.
func (e *Handler) adminInitiateAuth(rc *reqCtx, in *adminInitiateAuthInput) (any, error) {
	if in.UserPoolId == "" {
		return nil, nullMember("userPoolId")
	}
	c, aerr := e.adminClient(in.UserPoolId, in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	if in.AuthFlow == "USER_PASSWORD_AUTH" {
		// Not among AdminInitiateAuth's flows (API_AdminInitiateAuth.html).
		return nil, invalidParam("Initiate Auth method not supported.")
	}
	if in.AuthFlow != "ADMIN_USER_PASSWORD_AUTH" && in.AuthFlow != "ADMIN_NO_SRP_AUTH" {
		return e.initiate(rc, &in.initiateAuthInput)
	}
	if !c.allows(flowAllowAdminUserPw) {
		return nil, invalidParam("Auth flow not enabled for this client")
	}
	// Both members are checked before the secret hash.
	ap := in.AuthParameters
	if ap["USERNAME"] == "" {
		return nil, missingParam("USERNAME")
	}
	if ap["PASSWORD"] == "" {
		return nil, missingParam("PASSWORD")
	}
	return e.beginSignIn(rc, c, in.AuthFlow, ap)
}

// adminClient finds a client and checks that it belongs to the pool.
func (e *Handler) adminClient(poolID, clientID string) (*appClient, error) {
	c, aerr := e.lookupClient(clientID)
	if aerr != nil {
		return nil, aerr
	}
	if c.pool.id != poolID {
		return nil, newError(errResourceNotFound, "User pool client %s does not exist.", truncate(clientID, 128))
	}
	return c, nil
}

// adminRespondInput is respondInput with UserPoolId.
type adminRespondInput struct {
	UserPoolId string `json:"UserPoolId"`
	respondInput
}

// adminRespondToAuthChallenge answers every challenge as
// RespondToAuthChallenge does.
func (e *Handler) adminRespondToAuthChallenge(rc *reqCtx, in *adminRespondInput) (any, error) {
	if in.UserPoolId == "" {
		return nil, nullMember("userPoolId")
	}
	if _, aerr := e.adminClient(in.UserPoolId, in.ClientId); aerr != nil {
		return nil, aerr
	}
	return e.respond(rc, &in.respondInput)
}
