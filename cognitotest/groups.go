package cognitotest

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Groups: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser
// and ListUsersInGroup; the groups of a user are listed in the
// cognito:groups claim of its ID and access tokens.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html
// https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-user-groups.html

func init() {
	maps.Copy(handlers, map[string]handler{
		"CreateGroup":              op((*Handler).createGroup),
		"GetGroup":                 op((*Handler).getGroup),
		"UpdateGroup":              op((*Handler).updateGroup),
		"ListGroups":               op((*Handler).listGroups),
		"DeleteGroup":              op((*Handler).deleteGroup),
		"AdminAddUserToGroup":      op((*Handler).adminAddUserToGroup),
		"AdminRemoveUserFromGroup": op((*Handler).adminRemoveUserFromGroup),
		"AdminListGroupsForUser":   op((*Handler).adminListGroupsForUser),
		"ListUsersInGroup":         op((*Handler).listUsersInGroup),
	})
}

// maxUserGroups caps the groups one user belongs to, so that memberships
// stay bounded (users × groups could not grow beyond it).
const maxUserGroups = 100

const (
	errGroupExists   = "GroupExistsException"
	msgGroupNotFound = "Group not found."
)

type group struct {
	name, description, roleArn string
	precedence                 *int
	created, modified          time.Time
	members                    map[*user]bool
}

// addConfigGroups creates the groups of the config and their members.
func (p *pool) addConfigGroups(pc UserPool) error {
	created := p.settings.created
	for _, gc := range pc.Groups {
		g := &group{name: gc.GroupName, description: gc.Description, roleArn: gc.RoleArn, created: created, modified: created, members: map[*user]bool{}}
		if gc.Precedence != nil {
			v := *gc.Precedence
			g.precedence = &v
		}
		p.groups[g.name] = g
	}
	for _, uc := range pc.Users {
		u := p.users[uc.Username]
		for _, name := range uc.Groups {
			if g := p.groups[name]; g != nil && u != nil {
				joinLocked(u, g)
			}
		}
	}
	return nil
}

func joinLocked(u *user, g *group) {
	if u.groups == nil {
		u.groups = map[string]*group{}
	}
	u.groups[g.name] = g
	g.members[u] = true
}

// byPrecedence orders groups as cognito:groups lists them: lowest
// precedence first, groups without one last, then by name. (Cognito
// documents that the lowest precedence wins cognito:preferred_role; the
// order of cognito:groups itself is not documented.)
func byPrecedence(a, b *group) int {
	switch {
	case a.precedence != nil && b.precedence != nil:
		if c := cmp.Compare(*a.precedence, *b.precedence); c != 0 {
			return c
		}
	case a.precedence != nil:
		return -1
	case b.precedence != nil:
		return 1
	}
	return cmp.Compare(a.name, b.name)
}

// addGroupClaimsLocked adds cognito:groups to both tokens and, for groups with
// a role, cognito:roles and cognito:preferred_role to the ID token. e.mu
// must be held.
func addGroupClaimsLocked(u *user, access, id map[string]any) {
	if len(u.groups) == 0 {
		return
	}
	gs := slices.SortedFunc(maps.Values(u.groups), byPrecedence)
	names := make([]string, len(gs))
	var roles []string
	for i, g := range gs {
		names[i] = g.name
		if g.roleArn != "" && !slices.Contains(roles, g.roleArn) {
			roles = append(roles, g.roleArn)
		}
	}
	access["cognito:groups"] = names
	id["cognito:groups"] = slices.Clone(names)
	if len(roles) > 0 {
		id["cognito:roles"] = roles
		id["cognito:preferred_role"] = roles[0]
	}
}

type groupType struct {
	GroupName        string  `json:"GroupName"`
	UserPoolId       string  `json:"UserPoolId"`
	Description      string  `json:"Description,omitempty"`
	RoleArn          string  `json:"RoleArn,omitempty"`
	Precedence       *int    `json:"Precedence,omitempty"`
	CreationDate     float64 `json:"CreationDate"`
	LastModifiedDate float64 `json:"LastModifiedDate"`
}

func describeGroup(p *pool, g *group) groupType {
	return groupType{
		GroupName: g.name, UserPoolId: p.id, Description: g.description, RoleArn: g.roleArn,
		Precedence: g.precedence, CreationDate: epochSeconds(g.created), LastModifiedDate: epochSeconds(g.modified),
	}
}

type groupInput struct {
	GroupName   string  `json:"GroupName"`
	UserPoolId  string  `json:"UserPoolId"`
	Username    string  `json:"Username"`
	Description *string `json:"Description"`
	RoleArn     *string `json:"RoleArn"`
	Precedence  *int    `json:"Precedence"`
	Limit       *int    `json:"Limit"`
	NextToken   string  `json:"NextToken"`
}

// checkGroupInput validates the members of a group operation.
func checkGroupInput(in *groupInput, needName bool) error {
	if in.UserPoolId == "" {
		return nullMember("userPoolId")
	}
	if needName {
		if in.GroupName == "" {
			return nullMember("groupName")
		}
		if len(in.GroupName) > 128 || !validUsername(in.GroupName) {
			return validationError("'"+truncate(in.GroupName, 64)+"'", "groupName", `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
		}
	}
	// The lengths of Description and RoleArn are checked by the decoder
	// (lengthLimits).
	if in.Precedence != nil && *in.Precedence < 0 {
		return validationError("'"+strconv.Itoa(*in.Precedence)+"'", "precedence", "Member must have value greater than or equal to 0")
	}
	return nil
}

// poolGroupLocked finds the pool and the group of a group operation. e.mu
// must be held.
func (e *Handler) poolGroupLocked(in *groupInput) (*pool, *group, error) {
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, nil, aerr
	}
	g := p.groups[in.GroupName]
	if g == nil {
		return nil, nil, newError(errResourceNotFound, msgGroupNotFound)
	}
	return p, g, nil
}

func (e *Handler) createGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	if p.groups[in.GroupName] != nil {
		return nil, newError(errGroupExists, "A group with the name %s already exists.", in.GroupName)
	}
	if aerr := e.checkCapLocked(p, "groups", func(q *pool) int { return len(q.groups) }, e.limits.poolGroups, e.limits.groups); aerr != nil {
		return nil, aerr
	}
	g := &group{name: in.GroupName, created: rc.now, modified: rc.now, members: map[*user]bool{}, precedence: in.Precedence}
	if in.Description != nil {
		g.description = *in.Description
	}
	if in.RoleArn != nil {
		g.roleArn = *in.RoleArn
	}
	p.groups[g.name] = g
	return map[string]groupType{"Group": describeGroup(p, g)}, nil
}

func (e *Handler) getGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, g, aerr := e.poolGroupLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	return map[string]groupType{"Group": describeGroup(p, g)}, nil
}

// updateGroup changes the members given; absent ones stay as they are.
func (e *Handler) updateGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, g, aerr := e.poolGroupLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	if in.Description != nil {
		g.description = *in.Description
	}
	if in.RoleArn != nil {
		g.roleArn = *in.RoleArn
	}
	if in.Precedence != nil {
		g.precedence = in.Precedence
	}
	g.modified = rc.now
	return map[string]groupType{"Group": describeGroup(p, g)}, nil
}

func (e *Handler) listGroups(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, false); aerr != nil {
		return nil, aerr
	}
	limit, aerr := checkLimit(in.Limit, "limit", 0, 60)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, aerr
	}
	gs := slices.SortedFunc(maps.Values(p.groups), func(a, b *group) int { return cmp.Compare(a.name, b.name) })
	return groupPage(p, gs, in.NextToken, limit)
}

func groupPage(p *pool, gs []*group, token string, limit int) (any, error) {
	start, end, next, aerr := page(len(gs), token, limit)
	if aerr != nil {
		return nil, aerr
	}
	out := struct {
		Groups    []groupType `json:"Groups"`
		NextToken string      `json:"NextToken,omitempty"`
	}{Groups: []groupType{}, NextToken: next}
	for _, g := range gs[start:end] {
		out.Groups = append(out.Groups, describeGroup(p, g))
	}
	return out, nil
}

// deleteGroup deletes a group; its members leave it (their next tokens
// no longer list it).
func (e *Handler) deleteGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, g, aerr := e.poolGroupLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	for u := range g.members {
		delete(u.groups, g.name)
	}
	delete(p.groups, g.name)
	return struct{}{}, nil
}

// groupUserLocked finds the group and the user (by user name or alias) of
// an Admin*Group operation. e.mu must be held.
func (e *Handler) groupUserLocked(in *groupInput) (*pool, *group, *user, error) {
	p, aerr := e.lookupPoolLocked(in.UserPoolId)
	if aerr != nil {
		return nil, nil, nil, aerr
	}
	u, aerr := poolUserLocked(p, in.Username)
	if aerr != nil {
		return nil, nil, nil, aerr
	}
	g := p.groups[in.GroupName]
	if g == nil && in.GroupName != "" {
		return nil, nil, nil, newError(errResourceNotFound, msgGroupNotFound)
	}
	return p, g, u, nil
}

func (e *Handler) adminAddUserToGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	if aerr := checkUsername(in.Username); aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, g, u, aerr := e.groupUserLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	if u.groups[g.name] == nil && len(u.groups) >= maxUserGroups {
		return nil, newError(errLimitExceeded, "A user can belong to at most %d groups in this local server.", maxUserGroups)
	}
	joinLocked(u, g)
	return struct{}{}, nil
}

func (e *Handler) adminRemoveUserFromGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	if aerr := checkUsername(in.Username); aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, g, u, aerr := e.groupUserLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	delete(u.groups, g.name)
	delete(g.members, u)
	return struct{}{}, nil
}

func (e *Handler) adminListGroupsForUser(rc *reqCtx, in *groupInput) (any, error) {
	in.GroupName = ""
	if aerr := checkGroupInput(in, false); aerr != nil {
		return nil, aerr
	}
	if aerr := checkUsername(in.Username); aerr != nil {
		return nil, aerr
	}
	limit, aerr := checkLimit(in.Limit, "limit", 0, 60)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, _, u, aerr := e.groupUserLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	return groupPage(p, slices.SortedFunc(maps.Values(u.groups), byPrecedence), in.NextToken, limit)
}

func (e *Handler) listUsersInGroup(rc *reqCtx, in *groupInput) (any, error) {
	if aerr := checkGroupInput(in, true); aerr != nil {
		return nil, aerr
	}
	limit, aerr := checkLimit(in.Limit, "limit", 0, 60)
	if aerr != nil {
		return nil, aerr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, g, aerr := e.poolGroupLocked(in)
	if aerr != nil {
		return nil, aerr
	}
	us := slices.SortedFunc(maps.Keys(g.members), byCreation)
	start, end, next, aerr := page(len(us), in.NextToken, limit)
	if aerr != nil {
		return nil, aerr
	}
	out := struct {
		Users     []userType `json:"Users"`
		NextToken string     `json:"NextToken,omitempty"`
	}{Users: []userType{}, NextToken: next}
	for _, u := range us[start:end] {
		out.Users = append(out.Users, describeUserLocked(u, nil))
	}
	return out, nil
}
