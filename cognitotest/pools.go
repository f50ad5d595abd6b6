package cognitotest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Pools and app clients: CreateUserPool, DescribeUserPool, ListUserPools,
// DeleteUserPool, CreateUserPoolClient, DescribeUserPoolClient,
// UpdateUserPoolClient, ListUserPoolClients and DeleteUserPoolClient.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html

func init() {
	maps.Copy(handlers, map[string]handler{
		"CreateUserPool":         op((*Handler).createUserPool),
		"DescribeUserPool":       op((*Handler).describeUserPool),
		"ListUserPools":          op((*Handler).listUserPools),
		"DeleteUserPool":         op((*Handler).deleteUserPool),
		"CreateUserPoolClient":   op((*Handler).createUserPoolClient),
		"DescribeUserPoolClient": op((*Handler).describeUserPoolClient),
		"UpdateUserPoolClient":   op((*Handler).updateUserPoolClient),
		"ListUserPoolClients":    op((*Handler).listUserPoolClients),
		"DeleteUserPoolClient":   op((*Handler).deleteUserPoolClient),
	})
}

// Caps on what the API creates, so that a client cannot grow the
// server's memory without bound. Users, groups and app clients are capped
// per pool, and all together (the total) far above that. Filling some
// pools (with unsigned SignUp calls, say) must never refuse another pool,
// so the total is not a hard wall: see checkCapLocked's fair share.
// Cognito's own quotas are 1000 pools per account, 1000 app clients and
// 10,000 groups per pool, and 40 million users per pool
// (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html).
// Cognito never deletes UNCONFIRMED users by itself, and neither does the
// server: they count until deleted.
const (
	maxPools       = 1000
	maxPoolClients = 1000
	maxClients     = 10_000
	maxPoolUsers   = 10_000
	maxUsers       = 100_000
	maxPoolGroups  = 10_000
	maxGroups      = 100_000
)

// checkCapLocked answers LimitExceededException when p may not hold one
// more thing of a kind (users, groups, app clients); count returns how many
// a pool holds. e.mu must be held.
//
// A pool is refused at perPool. Below that it may add while all pools
// together hold fewer than total; beyond the total it may still add while
// it holds, after the addition, at most its fair share total/n (n the
// number of pools), up to a hard ceiling of 2*total. The ceiling never
// refuses a pool below its share while the set of pools stays the same:
// a pool's things beyond its share F were all added while the sum was
// below total, so they sum to at most total; the things up to F sum to
// less than n*F = total when some pool is below F; together under
// 2*total. Only pools created and deleted in between (signed admin calls)
// can make the ceiling refuse a pool below its share.
func (e *Handler) checkCapLocked(p *pool, what string, count func(*pool) int, perPool, total int) error {
	c := count(p)
	if c >= perPool {
		return newError(errLimitExceeded, "The user pool holds %d %s, the emulator's limit per pool.", perPool, what)
	}
	sum := 0
	for _, q := range e.pools {
		sum += count(q)
	}
	if sum < total {
		return nil
	}
	// Fair share: (c+1) <= total/n, in integers.
	if n := len(e.pools); sum < 2*total && (c+1)*n <= total {
		return nil
	}
	return newError(errLimitExceeded, "The emulator holds %d %s, its limit, and the user pool its share of them.", sum, what)
}

// Cognito's default password policy, for pools made by CreateUserPool
// without one (API_PasswordPolicyType.html; the developer guide's
// "Adding user pool password requirements").
var cognitoDefaultPolicy = PasswordPolicy{
	MinimumLength: 8, RequireUppercase: true, RequireLowercase: true,
	RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7,
}

// poolSettings are the parts of a pool that DescribeUserPool shows and the
// user operations follow.
type poolSettings struct {
	name              string
	policy            PasswordPolicy // with defaults filled in
	autoVerified      []string       // "email", "phone_number"
	adminCreateOnly   bool           // AdminCreateUserConfig.AllowAdminCreateUserOnly
	usernameAttrs     []string       // UsernameAttributes: "email", "phone_number"
	created, modified time.Time
}

// configPoolSettings returns the settings of a pool from the config file.
func configPoolSettings(pc UserPool, now time.Time) *poolSettings {
	st := &poolSettings{name: pc.Name, created: now, modified: now}
	if st.name == "" {
		_, st.name, _ = strings.Cut(pc.ID, "_")
	}
	if pc.PasswordPolicy != nil {
		st.policy = *pc.PasswordPolicy
	}
	if st.policy.MinimumLength == 0 {
		st.policy.MinimumLength = minPasswordLength
	}
	if st.policy.TemporaryPasswordValidityDays == 0 {
		st.policy.TemporaryPasswordValidityDays = 7
	}
	st.usernameAttrs = slices.Clone(pc.UsernameAttributes)
	st.autoVerified = slices.Clone(pc.AutoVerifiedAttributes)
	if pc.AutoVerifiedAttributes == nil {
		st.autoVerified = []string{"email"}
	}
	return st
}

// tempPasswordExpiry is when a temporary password set at t expires.
func (st *poolSettings) tempPasswordExpiry(t time.Time) time.Time {
	return t.Add(time.Duration(st.policy.TemporaryPasswordValidityDays) * 24 * time.Hour)
}

var verifiableAttributes = []string{"email", "phone_number"}

// validatePoolAdditions checks the config fields of this file's
// operations; bad reports a problem at a JSON path.
func validatePoolAdditions(p UserPool, pp string, bad func(path, format string, args ...any)) {
	if len(p.Name) > 128 {
		bad(pp+".name", "longer than 128 characters")
	}
	if pol := p.PasswordPolicy; pol != nil {
		if pol.MinimumLength != 0 && (pol.MinimumLength < 6 || pol.MinimumLength > 99) {
			bad(pp+".passwordPolicy.minimumLength", "%d is not between 6 and 99", pol.MinimumLength)
		}
		if pol.TemporaryPasswordValidityDays < 0 || pol.TemporaryPasswordValidityDays > 365 {
			bad(pp+".passwordPolicy.temporaryPasswordValidityDays", "%d is not between 0 and 365", pol.TemporaryPasswordValidityDays)
		}
	}
	for i, a := range p.UsernameAttributes {
		if !slices.Contains(verifiableAttributes, a) {
			bad(fmt.Sprintf("%s.usernameAttributes[%d]", pp, i), "%q is not one of email, phone_number", a)
		}
	}
	for i, a := range p.AutoVerifiedAttributes {
		if !slices.Contains(verifiableAttributes, a) {
			bad(fmt.Sprintf("%s.autoVerifiedAttributes[%d]", pp, i), "%q is not one of email, phone_number", a)
		}
	}
	groups := map[string]bool{}
	for i, g := range p.Groups {
		gp := fmt.Sprintf("%s.groups[%d].groupName", pp, i)
		switch {
		case g.GroupName == "" || len(g.GroupName) > 128:
			bad(gp, "empty or longer than 128 characters")
		case groups[g.GroupName]:
			bad(gp, "%q is used twice", g.GroupName)
		}
		groups[g.GroupName] = true
	}
	for i, u := range p.Users {
		for k, g := range u.Groups {
			if !groups[g] {
				bad(fmt.Sprintf("%s.users[%d].groups[%d]", pp, i, k), "%q is not one of the pool's groups", g)
			}
		}
	}
}

// clientInfo is what DescribeUserPoolClient shows of a client beyond its
// id, secret and flows.
type clientInfo struct {
	name              string
	created, modified time.Time
	cfg               AppClient           // what newClient was given
	input             clientSettingsInput // as last set by the API
}

// poolArn is the ARN Cognito gives a pool; the account id is made up.
func (e *Handler) poolArn(id string) string {
	return "arn:aws:cognito-idp:" + e.region + ":000000000000:userpool/" + id
}

type passwordPolicyType struct {
	MinimumLength                 *int `json:"MinimumLength,omitempty"`
	RequireUppercase              bool `json:"RequireUppercase"`
	RequireLowercase              bool `json:"RequireLowercase"`
	RequireNumbers                bool `json:"RequireNumbers"`
	RequireSymbols                bool `json:"RequireSymbols"`
	TemporaryPasswordValidityDays *int `json:"TemporaryPasswordValidityDays,omitempty"`
	PasswordHistorySize           *int `json:"PasswordHistorySize,omitempty"`
}

type signInPolicyType struct {
	AllowedFirstAuthFactors []string `json:"AllowedFirstAuthFactors"`
}

type poolPolicies struct {
	PasswordPolicy *passwordPolicyType `json:"PasswordPolicy,omitempty"`
	SignInPolicy   *signInPolicyType   `json:"SignInPolicy,omitempty"`
}

type deviceConfiguration struct {
	ChallengeRequiredOnNewDevice     bool `json:"ChallengeRequiredOnNewDevice"`
	DeviceOnlyRememberedOnUserPrompt bool `json:"DeviceOnlyRememberedOnUserPrompt"`
}

type adminCreateUserConfig struct {
	AllowAdminCreateUserOnly bool `json:"AllowAdminCreateUserOnly"`
}

type createUserPoolInput struct {
	PoolName               string                 `json:"PoolName"`
	Policies               *poolPolicies          `json:"Policies"`
	MfaConfiguration       string                 `json:"MfaConfiguration"`
	DeviceConfiguration    *deviceConfiguration   `json:"DeviceConfiguration"`
	AutoVerifiedAttributes []string               `json:"AutoVerifiedAttributes"`
	UsernameAttributes     []string               `json:"UsernameAttributes"`
	AdminCreateUserConfig  *adminCreateUserConfig `json:"AdminCreateUserConfig"`
}

type userPoolType struct {
	Id                     string                `json:"Id"`
	Name                   string                `json:"Name"`
	Arn                    string                `json:"Arn"`
	CreationDate           float64               `json:"CreationDate"`
	LastModifiedDate       float64               `json:"LastModifiedDate"`
	Policies               poolPolicies          `json:"Policies"`
	MfaConfiguration       string                `json:"MfaConfiguration"`
	DeviceConfiguration    *deviceConfiguration  `json:"DeviceConfiguration,omitempty"`
	AutoVerifiedAttributes []string              `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes        []string              `json:"AliasAttributes,omitempty"`
	UsernameAttributes     []string              `json:"UsernameAttributes,omitempty"`
	EstimatedNumberOfUsers int                   `json:"EstimatedNumberOfUsers"`
	AdminCreateUserConfig  adminCreateUserConfig `json:"AdminCreateUserConfig"`
}

// describePoolLocked returns p as Cognito's UserPoolType. e.mu must be held.
func (e *Handler) describePoolLocked(p *pool) userPoolType {
	st := p.settings
	pol := st.policy
	out := userPoolType{
		Id: p.id, Name: st.name, Arn: e.poolArn(p.id),
		CreationDate: epochSeconds(st.created), LastModifiedDate: epochSeconds(st.modified),
		Policies: poolPolicies{PasswordPolicy: &passwordPolicyType{
			MinimumLength: &pol.MinimumLength, RequireUppercase: pol.RequireUppercase,
			RequireLowercase: pol.RequireLowercase, RequireNumbers: pol.RequireNumbers,
			RequireSymbols: pol.RequireSymbols, TemporaryPasswordValidityDays: &pol.TemporaryPasswordValidityDays,
		}},
		MfaConfiguration:       p.mfa.String(),
		AutoVerifiedAttributes: slices.Clone(st.autoVerified),
		AliasAttributes:        slices.Clone(aliasAttributes),
		UsernameAttributes:     slices.Clone(st.usernameAttrs),
		EstimatedNumberOfUsers: len(p.users),
		AdminCreateUserConfig:  adminCreateUserConfig{AllowAdminCreateUserOnly: st.adminCreateOnly},
	}
	if len(st.usernameAttrs) > 0 {
		out.AliasAttributes = nil // a pool has one or the other
	}
	if p.tracking != trackingOff {
		out.DeviceConfiguration = &deviceConfiguration{DeviceOnlyRememberedOnUserPrompt: p.tracking == trackingOptIn}
	}
	sp := &signInPolicyType{AllowedFirstAuthFactors: []string{}}
	for _, f := range firstAuthFactors {
		if p.firstFactors[f] {
			sp.AllowedFirstAuthFactors = append(sp.AllowedFirstAuthFactors, f)
		}
	}
	out.Policies.SignInPolicy = sp
	return out
}

func (e *Handler) createUserPool(rc *reqCtx, in *createUserPoolInput) (any, error) {
	if in.PoolName == "" {
		return nil, nullMember("poolName")
	}
	if len(in.PoolName) > 128 || !validPoolName(in.PoolName) {
		return nil, validationError("'"+truncate(in.PoolName, 64)+"'", "poolName", `Member must satisfy regular expression pattern: [\w\s+=,.@-]+`)
	}
	pc := UserPool{Name: in.PoolName, MFA: "OFF", DeviceTracking: "off", AutoVerifiedAttributes: []string{}}
	switch in.MfaConfiguration {
	case "":
	case "OFF", "ON", "OPTIONAL":
		pc.MFA = in.MfaConfiguration
	default:
		return nil, validationError("'"+truncate(in.MfaConfiguration, 64)+"'", "mfaConfiguration", enumConstraint(poolMFAs))
	}
	if dc := in.DeviceConfiguration; dc != nil {
		pc.DeviceTracking = "always"
		if dc.DeviceOnlyRememberedOnUserPrompt {
			pc.DeviceTracking = "opt-in"
		}
	}
	for _, a := range in.UsernameAttributes {
		if !slices.Contains(verifiableAttributes, a) {
			return nil, validationError("'"+truncate(a, 64)+"'", "usernameAttributes", enumConstraint([]string{"phone_number", "email"}))
		}
		if !slices.Contains(pc.UsernameAttributes, a) {
			pc.UsernameAttributes = append(pc.UsernameAttributes, a)
		}
	}
	for _, a := range in.AutoVerifiedAttributes {
		if !slices.Contains(verifiableAttributes, a) {
			return nil, validationError("'"+truncate(a, 64)+"'", "autoVerifiedAttributes", enumConstraint([]string{"phone_number", "email"}))
		}
		if !slices.Contains(pc.AutoVerifiedAttributes, a) {
			pc.AutoVerifiedAttributes = append(pc.AutoVerifiedAttributes, a)
		}
	}
	pol := cognitoDefaultPolicy
	if in.Policies != nil && in.Policies.PasswordPolicy != nil {
		pp := in.Policies.PasswordPolicy
		pol = PasswordPolicy{
			MinimumLength: 8, RequireUppercase: pp.RequireUppercase, RequireLowercase: pp.RequireLowercase,
			RequireNumbers: pp.RequireNumbers, RequireSymbols: pp.RequireSymbols, TemporaryPasswordValidityDays: 7,
		}
		if pp.MinimumLength != nil {
			if *pp.MinimumLength < 6 || *pp.MinimumLength > 99 {
				return nil, validationError(strconv.Itoa(*pp.MinimumLength), "policies.passwordPolicy.minimumLength", "Member must have value between 6 and 99")
			}
			pol.MinimumLength = *pp.MinimumLength
		}
		if d := pp.TemporaryPasswordValidityDays; d != nil {
			if *d < 0 || *d > 365 {
				return nil, validationError(strconv.Itoa(*d), "policies.passwordPolicy.temporaryPasswordValidityDays", "Member must have value between 0 and 365")
			}
			if *d > 0 {
				pol.TemporaryPasswordValidityDays = *d
			}
		}
	}
	pc.PasswordPolicy = &pol
	if in.Policies != nil && in.Policies.SignInPolicy != nil {
		fs := in.Policies.SignInPolicy.AllowedFirstAuthFactors
		if len(fs) == 0 {
			return nil, invalidParam("AllowedFirstAuthFactors must not be empty.")
		}
		for _, f := range fs {
			if !slices.Contains(firstAuthFactors, f) {
				return nil, validationError("'"+truncate(f, 64)+"'", "policies.signInPolicy.allowedFirstAuthFactors", enumConstraint(firstAuthFactors))
			}
		}
		pc.SignInPolicy = &SignInPolicy{AllowedFirstAuthFactors: slices.Clone(fs)}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.pools) >= maxPools {
		return nil, newError(errLimitExceeded, "The emulator holds %d user pools, its limit.", maxPools)
	}
	for {
		pc.ID = e.region + "_" + randomAlnum(9)
		if e.pools[pc.ID] == nil {
			break
		}
	}
	p, err := newPool(pc, rc.now)
	if err != nil {
		return nil, err
	}
	p.settings.adminCreateOnly = in.AdminCreateUserConfig != nil && in.AdminCreateUserConfig.AllowAdminCreateUserOnly
	e.pools[p.id] = p
	return map[string]userPoolType{"UserPool": e.describePoolLocked(p)}, nil
}

// validPoolName reports whether s matches [\w\s+=,.@-]+, the pattern of
// pool and client names.
func validPoolName(s string) bool {
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_':
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
		case strings.ContainsRune("+=,.@-", r):
		default:
			return false
		}
	}
	return s != ""
}

type userPoolIDInput struct {
	UserPoolId string `json:"UserPoolId"`
}

// lookupPoolLocked finds a pool by id. e.mu must be held.
func (e *Handler) lookupPoolLocked(id string) (*pool, error) {
	if id == "" {
		return nil, nullMember("userPoolId")
	}
	p := e.pools[id]
	if p == nil {
		return nil, newError(errResourceNotFound, "User pool %s does not exist.", truncate(id, 128))
	}
	return p, nil
}

func (e *Handler) describeUserPool(rc *reqCtx, in *userPoolIDInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	return map[string]userPoolType{"UserPool": e.describePoolLocked(p)}, nil
}

type listInput struct {
	UserPoolId string `json:"UserPoolId"`
	MaxResults *int   `json:"MaxResults"`
	NextToken  string `json:"NextToken"`
}

// page returns the window of n sorted items that a list operation answers:
// from the position in token, at most limit. The token is the position of
// the next item.
func page(n int, token string, limit int) (start, end int, next string, aerr error) {
	if token != "" {
		v, err := strconv.Atoi(token)
		if err != nil || v < 0 || v > n {
			return 0, 0, "", invalidParam("Invalid pagination token.")
		}
		start = v
	}
	end = min(n, start+limit)
	if end < n {
		next = strconv.Itoa(end)
	}
	return start, end, next, nil
}

// checkLimit checks an optional Limit or MaxResults member: 1 to max (0 to
// max when zero is allowed), absent meaning max.
func checkLimit(v *int, member string, minimum, maximum int) (int, error) {
	if v == nil {
		return maximum, nil
	}
	if *v < minimum || *v > maximum {
		return 0, validationError(strconv.Itoa(*v), member, fmt.Sprintf("Member must have value between %d and %d", minimum, maximum))
	}
	if *v == 0 {
		return maximum, nil
	}
	return *v, nil
}

type poolDescription struct {
	Id               string   `json:"Id"`
	Name             string   `json:"Name"`
	CreationDate     float64  `json:"CreationDate"`
	LastModifiedDate float64  `json:"LastModifiedDate"`
	LambdaConfig     struct{} `json:"LambdaConfig"`
}

func (e *Handler) listUserPools(rc *reqCtx, in *listInput) (any, error) {
	if in.MaxResults == nil {
		return nil, nullMember("maxResults")
	}
	limit, aerr := checkLimit(in.MaxResults, "maxResults", 1, 60)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	pools := slices.SortedFunc(maps.Values(e.pools), func(a, b *pool) int {
		return cmp.Or(a.settings.created.Compare(b.settings.created), cmp.Compare(a.id, b.id))
	})
	start, end, next, aerr := page(len(pools), in.NextToken, limit)
	if aerr != nil {
		return nil, aerr
	}
	out := struct {
		UserPools []poolDescription `json:"UserPools"`
		NextToken string            `json:"NextToken,omitempty"`
	}{UserPools: []poolDescription{}, NextToken: next}
	for _, p := range pools[start:end] {
		out.UserPools = append(out.UserPools, poolDescription{
			Id: p.id, Name: p.settings.name,
			CreationDate: epochSeconds(p.settings.created), LastModifiedDate: epochSeconds(p.settings.modified),
		})
	}
	return out, nil
}

// deleteUserPool deletes a pool with its clients, users and groups; its
// tokens stop working and its sign-ins in progress fail.
func (e *Handler) deleteUserPool(rc *reqCtx, in *userPoolIDInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	for _, c := range p.clients {
		e.dropClientLocked(c)
	}
	// Sign-ins working outside e.mu see the pool deleted and its users
	// gone (resumeLocked, signInStateLocked).
	p.deleted = true
	for _, u := range p.users {
		e.endSignInsLocked(u)
	}
	clear(p.users)
	p.usersInOrder = nil
	delete(e.pools, p.id)
	delete(e.outbox, p.id)
	return struct{}{}, nil
}

// dropClientLocked forgets a client with its grants and sessions. e.mu
// must be held.
func (e *Handler) dropClientLocked(c *appClient) {
	delete(e.clients, c.id)
	for c.grants.Len() > 0 {
		e.forgetGrantLocked(c.grants.Front().Value.(*grant))
	}
	for c.sessions.Len() > 0 {
		e.endSessionLocked(c.sessions.Front().Value.(*authSession))
	}
}

type tokenValidityUnitsType struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

type refreshTokenRotationType struct {
	Feature                 string `json:"Feature"`
	RetryGracePeriodSeconds *int   `json:"RetryGracePeriodSeconds,omitempty"`
}

// clientSettingsInput are the members that CreateUserPoolClient and
// UpdateUserPoolClient share.
//
// This one struct is the input of both operations (CreateUserPoolClient
// ignores ClientId, and the stored settings keep one shape).
type clientSettingsInput struct {
	UserPoolId                 string                    `json:"UserPoolId,omitempty"`
	ClientId                   string                    `json:"ClientId,omitempty"` // UpdateUserPoolClient only
	GenerateSecret             bool                      `json:"GenerateSecret,omitempty"`
	ClientName                 string                    `json:"ClientName,omitempty"`
	ExplicitAuthFlows          []string                  `json:"ExplicitAuthFlows,omitempty"`
	RefreshTokenValidity       *int                      `json:"RefreshTokenValidity,omitempty"`
	AccessTokenValidity        *int                      `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity            *int                      `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits         *tokenValidityUnitsType   `json:"TokenValidityUnits,omitempty"`
	ReadAttributes             []string                  `json:"ReadAttributes,omitempty"`
	WriteAttributes            []string                  `json:"WriteAttributes,omitempty"`
	EnableTokenRevocation      *bool                     `json:"EnableTokenRevocation,omitempty"`
	PreventUserExistenceErrors string                    `json:"PreventUserExistenceErrors,omitempty"`
	RefreshTokenRotation       *refreshTokenRotationType `json:"RefreshTokenRotation,omitempty"`
	AuthSessionValidity        *int                      `json:"AuthSessionValidity,omitempty"`
}

// legacyFlows maps the old ExplicitAuthFlows values to the ALLOW_ ones.
var legacyFlows = map[string]string{
	"ADMIN_NO_SRP_AUTH":     flowAllowAdminUserPw,
	"CUSTOM_AUTH_FLOW_ONLY": flowAllowCustom,
	"USER_PASSWORD_AUTH":    flowAllowUserPassword,
}

// cognitoDefaultFlows are the flows of a client created without
// ExplicitAuthFlows (API_CreateUserPoolClient.html).
var cognitoDefaultFlows = []string{flowAllowRefresh, flowAllowUserSRP, flowAllowCustom}

// checkClientSettings validates the shared members and returns the client
// configuration they stand for.
func checkClientSettings(in *clientSettingsInput) (AppClient, error) {
	cc := AppClient{ClientName: in.ClientName}
	if in.ClientName == "" {
		return cc, nullMember("clientName")
	}
	if len(in.ClientName) > 128 || !validPoolName(in.ClientName) {
		return cc, validationError("'"+truncate(in.ClientName, 64)+"'", "clientName", `Member must satisfy regular expression pattern: [\w\s+=,.@-]+`)
	}
	allFlows := append(slices.Clone(knownAuthFlows), "ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH")
	for _, f := range in.ExplicitAuthFlows {
		switch {
		case slices.Contains(knownAuthFlows, f):
		case legacyFlows[f] != "":
			f = legacyFlows[f]
		default:
			return cc, validationError("'"+truncate(f, 64)+"'", "explicitAuthFlows", enumConstraint(allFlows))
		}
		if !slices.Contains(cc.ExplicitAuthFlows, f) {
			cc.ExplicitAuthFlows = append(cc.ExplicitAuthFlows, f)
		}
	}
	rotate := in.RefreshTokenRotation != nil && in.RefreshTokenRotation.Feature == "ENABLED"
	if in.ExplicitAuthFlows == nil {
		cc.ExplicitAuthFlows = slices.Clone(cognitoDefaultFlows)
		if rotate { // rotation excludes REFRESH_TOKEN_AUTH
			cc.ExplicitAuthFlows = slices.DeleteFunc(cc.ExplicitAuthFlows, func(f string) bool { return f == flowAllowRefresh })
		}
	}
	// Token validity, in its units (API_TokenValidityUnitsType.html):
	// access and id tokens 5 minutes to 1 day, refresh tokens 60 minutes
	// to 10 years.
	units := tokenValidityUnitsType{AccessToken: "hours", IdToken: "hours", RefreshToken: "days"}
	if u := in.TokenValidityUnits; u != nil {
		for _, p := range []struct {
			dst *string
			v   string
		}{{&units.AccessToken, u.AccessToken}, {&units.IdToken, u.IdToken}, {&units.RefreshToken, u.RefreshToken}} {
			switch p.v {
			case "":
			case "seconds", "minutes", "hours", "days":
				*p.dst = p.v
			default:
				return cc, validationError("'"+truncate(p.v, 64)+"'", "tokenValidityUnits", enumConstraint([]string{"seconds", "minutes", "hours", "days"}))
			}
		}
	}
	for _, v := range []struct {
		n        *int
		unit     string
		lo, hi   time.Duration
		typeName string
	}{
		{in.AccessTokenValidity, units.AccessToken, 5 * time.Minute, 24 * time.Hour, "access"},
		{in.IdTokenValidity, units.IdToken, 5 * time.Minute, 24 * time.Hour, "id"},
		{in.RefreshTokenValidity, units.RefreshToken, time.Hour, 3650 * 24 * time.Hour, "refresh"},
	} {
		if v.n == nil || *v.n == 0 {
			continue
		}
		d := time.Duration(*v.n) * unitDuration(v.unit)
		if *v.n < 0 || *v.n > 315_360_000 || d < v.lo || d > v.hi {
			return cc, invalidParam("Invalid range for token validity.")
		}
	}
	if r := in.RefreshTokenRotation; r != nil {
		if r.Feature != "ENABLED" && r.Feature != "DISABLED" {
			return cc, validationError("'"+truncate(r.Feature, 64)+"'", "refreshTokenRotation.feature", enumConstraint([]string{"ENABLED", "DISABLED"}))
		}
		if g := r.RetryGracePeriodSeconds; g != nil && (*g < 0 || *g > 60) {
			return cc, validationError(strconv.Itoa(*g), "refreshTokenRotation.retryGracePeriodSeconds", "Member must have value between 0 and 60")
		}
	}
	switch in.PreventUserExistenceErrors {
	case "", "LEGACY", "ENABLED":
	default:
		return cc, validationError("'"+truncate(in.PreventUserExistenceErrors, 64)+"'", "preventUserExistenceErrors", enumConstraint([]string{"LEGACY", "ENABLED"}))
	}
	for _, a := range in.WriteAttributes {
		if !writableName(a) {
			return cc, invalidParam("Invalid write attributes specified while creating a client")
		}
	}
	if in.WriteAttributes != nil {
		cc.WriteAttributes = slices.Clone(in.WriteAttributes)
	}
	// The token members onto the config's fields, which lifetimes.go
	// applies, as for clients of the config file.
	deref := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	cc.AccessTokenValidity, cc.IdTokenValidity, cc.RefreshTokenValidity = deref(in.AccessTokenValidity), deref(in.IdTokenValidity), deref(in.RefreshTokenValidity)
	if u := in.TokenValidityUnits; u != nil {
		cc.TokenValidityUnits = &TokenValidityUnits{AccessToken: u.AccessToken, IdToken: u.IdToken, RefreshToken: u.RefreshToken}
	}
	if r := in.RefreshTokenRotation; r != nil {
		cc.RefreshTokenRotation = &RefreshTokenRotation{Feature: r.Feature, RetryGracePeriodSeconds: deref(r.RetryGracePeriodSeconds)}
	}
	if _, err := parseClientTokens(cc); err != nil {
		// Such as ALLOW_REFRESH_TOKEN_AUTH with rotation ENABLED.
		msg := err.Error()
		if errs, ok := err.(interface{ Unwrap() []error }); ok && len(errs.Unwrap()) > 0 {
			msg = errs.Unwrap()[0].Error()
		}
		return cc, invalidParam("Invalid client settings: %s", msg)
	}
	return cc, nil
}

func unitDuration(u string) time.Duration {
	switch u {
	case "seconds":
		return time.Second
	case "minutes":
		return time.Minute
	case "hours":
		return time.Hour
	default:
		return 24 * time.Hour
	}
}

type userPoolClientType struct {
	UserPoolId                 string                    `json:"UserPoolId"`
	ClientName                 string                    `json:"ClientName"`
	ClientId                   string                    `json:"ClientId"`
	ClientSecret               string                    `json:"ClientSecret,omitempty"`
	CreationDate               float64                   `json:"CreationDate"`
	LastModifiedDate           float64                   `json:"LastModifiedDate"`
	ExplicitAuthFlows          []string                  `json:"ExplicitAuthFlows"`
	RefreshTokenValidity       int                       `json:"RefreshTokenValidity"`
	AccessTokenValidity        int                       `json:"AccessTokenValidity"`
	IdTokenValidity            int                       `json:"IdTokenValidity"`
	TokenValidityUnits         tokenValidityUnitsType    `json:"TokenValidityUnits"`
	ReadAttributes             []string                  `json:"ReadAttributes,omitempty"`
	WriteAttributes            []string                  `json:"WriteAttributes,omitempty"`
	EnableTokenRevocation      bool                      `json:"EnableTokenRevocation"`
	PreventUserExistenceErrors string                    `json:"PreventUserExistenceErrors"`
	RefreshTokenRotation       *refreshTokenRotationType `json:"RefreshTokenRotation,omitempty"`
	AuthSessionValidity        int                       `json:"AuthSessionValidity"`
}

// describeClientLocked returns c as Cognito's UserPoolClientType. e.mu must be
// held.
func describeClientLocked(c *appClient) userPoolClientType {
	in, cfg := c.info.input, c.info.cfg
	out := userPoolClientType{
		UserPoolId: c.pool.id, ClientName: c.info.name, ClientId: c.id, ClientSecret: c.secret,
		CreationDate: epochSeconds(c.info.created), LastModifiedDate: epochSeconds(c.info.modified),
		ReadAttributes:             in.ReadAttributes,
		WriteAttributes:            cfg.WriteAttributes,
		EnableTokenRevocation:      in.EnableTokenRevocation == nil || *in.EnableTokenRevocation,
		PreventUserExistenceErrors: cmp.Or(in.PreventUserExistenceErrors, "LEGACY"),
		AuthSessionValidity:        3,
	}
	for _, f := range knownAuthFlows {
		if c.allows(f) {
			out.ExplicitAuthFlows = append(out.ExplicitAuthFlows, f)
		}
	}
	// The lifetimes in effect, in the configured units (hours, hours and
	// days by default); one that the unit does not divide is shown in
	// hours.
	var units TokenValidityUnits
	if cfg.TokenValidityUnits != nil {
		units = *cfg.TokenValidityUnits
	}
	show := func(d time.Duration, unit, def string) (int, string) {
		unit = cmp.Or(unit, def)
		if u := unitDuration(unit); d%u == 0 {
			return int(d / u), unit
		}
		return int(d / time.Hour), "hours"
	}
	out.AccessTokenValidity, out.TokenValidityUnits.AccessToken = show(c.tokens.access, units.AccessToken, "hours")
	out.IdTokenValidity, out.TokenValidityUnits.IdToken = show(c.tokens.id, units.IdToken, "hours")
	out.RefreshTokenValidity, out.TokenValidityUnits.RefreshToken = show(c.tokens.refresh, units.RefreshToken, "days")
	if r := cfg.RefreshTokenRotation; r != nil {
		g := r.RetryGracePeriodSeconds
		out.RefreshTokenRotation = &refreshTokenRotationType{Feature: r.Feature, RetryGracePeriodSeconds: &g}
	}
	if in.AuthSessionValidity != nil {
		out.AuthSessionValidity = *in.AuthSessionValidity
	}
	return out
}

func (e *Handler) createUserPoolClient(rc *reqCtx, in *clientSettingsInput) (any, error) {
	if in.UserPoolId == "" {
		return nil, nullMember("userPoolId")
	}
	cc, aerr := checkClientSettings(in)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := e.checkCapLocked(p, "app clients", func(q *pool) int { return len(q.clients) }, e.limits.poolClients, e.limits.clients); aerr != nil {
		return nil, aerr
	}
	for {
		cc.ID = randomLower(26)
		if e.clients[cc.ID] == nil {
			break
		}
	}
	if in.GenerateSecret {
		cc.Secret = randomLower(51)
	}
	c, err := newClient(cc, p)
	if err != nil {
		return nil, invalidParam("Invalid client settings: %v", err)
	}
	c.info.created, c.info.modified, c.info.input = rc.now, rc.now, *in
	p.clients = append(p.clients, c)
	e.clients[c.id] = c
	return map[string]userPoolClientType{"UserPoolClient": describeClientLocked(c)}, nil
}

// randomLower returns n random lowercase letters and digits, like
// Cognito's client ids and secrets.
func randomLower(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[uniform(len(alphabet))]
	}
	return string(b)
}

type clientIDInput struct {
	UserPoolId string `json:"UserPoolId"`
	ClientId   string `json:"ClientId"`
}

// poolClientLocked finds a client of a pool. e.mu must be held.
func (e *Handler) poolClientLocked(poolID, clientID string) (*appClient, error) {
	p, aerr := e.lookupPoolLocked(poolID)
	if aerr != nil {
		return nil, aerr
	}
	if clientID == "" {
		return nil, nullMember("clientId")
	}
	c := e.clients[clientID]
	if c == nil || c.pool != p {
		return nil, newError(errResourceNotFound, "User pool client %s does not exist.", truncate(clientID, 128))
	}
	return c, nil
}

func (e *Handler) describeUserPoolClient(rc *reqCtx, in *clientIDInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, aerr := e.poolClientLocked(in.UserPoolId, in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	return map[string]userPoolClientType{"UserPoolClient": describeClientLocked(c)}, nil
}

// updateUserPoolClient replaces a client's settings: as in Cognito, a
// member left out is reset to its default.
func (e *Handler) updateUserPoolClient(rc *reqCtx, in *clientSettingsInput) (any, error) {
	if in.UserPoolId == "" {
		return nil, nullMember("userPoolId")
	}
	if in.ClientId == "" {
		return nil, nullMember("clientId")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, aerr := e.poolClientLocked(in.UserPoolId, in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	if in.ClientName == "" {
		in.ClientName = c.info.name
	}
	cc, aerr := checkClientSettings(in)
	if aerr != nil {
		return nil, aerr
	}
	cc.ID, cc.Secret = c.id, c.secret
	n, err := newClient(cc, c.pool)
	if err != nil {
		return nil, invalidParam("Invalid client settings: %v", err)
	}
	// Replaced whole: sign-ins read the permissions without e.mu. The
	// tokens' lifetimes are read under e.mu.
	c.perms.Store(n.perms.Load())
	c.tokens = n.tokens
	c.info = &clientInfo{name: cc.ClientName, created: c.info.created, modified: rc.now, cfg: cc, input: *in}
	return map[string]userPoolClientType{"UserPoolClient": describeClientLocked(c)}, nil
}

type clientDescription struct {
	ClientId   string `json:"ClientId"`
	ClientName string `json:"ClientName"`
	UserPoolId string `json:"UserPoolId"`
}

func (e *Handler) listUserPoolClients(rc *reqCtx, in *listInput) (any, error) {
	limit, aerr := checkLimit(in.MaxResults, "maxResults", 1, 60)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	start, end, next, aerr := page(len(p.clients), in.NextToken, limit)
	if aerr != nil {
		return nil, aerr
	}
	out := struct {
		UserPoolClients []clientDescription `json:"UserPoolClients"`
		NextToken       string              `json:"NextToken,omitempty"`
	}{UserPoolClients: []clientDescription{}, NextToken: next}
	for _, c := range p.clients[start:end] {
		out.UserPoolClients = append(out.UserPoolClients, clientDescription{c.id, c.info.name, p.id})
	}
	return out, nil
}

func (e *Handler) deleteUserPoolClient(rc *reqCtx, in *clientIDInput) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	c, aerr := e.poolClientLocked(in.UserPoolId, in.ClientId)
	if aerr != nil {
		return nil, aerr
	}
	e.dropClientLocked(c)
	c.pool.clients = slices.DeleteFunc(c.pool.clients, func(x *appClient) bool { return x == c })
	return struct{}{}, nil
}
