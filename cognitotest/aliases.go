package cognitotest

import (
	"maps"
	"slices"
	"strings"
)

// Sign-in aliases. A pool has one key space of sign-in names: user names
// (pool.users, exact) and the aliases (pool.aliases, by aliasKey), which
// both the look-up (lookupUserLocked) and every uniqueness check
// (claimAliasesLocked, through aliasHolderLocked) use, so that a name that
// signs in as one user can never be taken by another.
//
// Which attributes are aliases follows Cognito's developer guide, "Overview
// of aliases"
// (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-aliases):
// a user signs in with a verified email address or a verified phone number
// and with a preferred_username; an email or phone number that is not
// verified is no alias, is not unique, and takes nothing from anyone (the
// AdminCreateUser reference: ForceAliasCreation "is used only if the
// phone_number_verified or email_verified attribute is set to True"). When
// it becomes verified (ConfirmSignUp, VerifyUserAttribute, an
// administrator's email_verified=true) and another user holds it, that is
// an AliasExistsException, or with ConfirmSignUp's and AdminCreateUser's
// ForceAliasCreation the alias moves and the other user's address becomes
// unverified. In pools with UsernameAttributes the email or phone number
// is the user's sign-in name and so always an alias.
//
// Users of the configuration file keep the meaning they always had: their
// email and phone_number are aliases, verified or not (user.seeded),
// unless the config sets email_verified or phone_number_verified to
// "false". Once the API changes the value, the new one is an alias only
// when verified.

// aliasKey is the key of a sign-in name in pool.aliases. Names that may be
// email addresses (with an "@") are in lower case, since Cognito matches
// email addresses without regard to case; so a preferred_username
// "Erin@Example.org" and an email "erin@example.org" are the same name.
// Phone numbers and other names are kept as they are.
func aliasKey(value string) string {
	if strings.Contains(value, "@") {
		return strings.ToLower(value)
	}
	return value
}

// aliasActive reports whether attribute a (one of aliasAttributes) of a
// user whose attributes are attrs, and config aliases seeded, is a sign-in
// alias in p.
func (p *pool) aliasActive(attrs, seeded map[string]string, a string) bool {
	v := attrs[a]
	switch {
	case v == "":
		return false
	case a == "preferred_username", slices.Contains(p.settings.usernameAttrs, a):
		return true
	case attrs[a+"_verified"] == "true":
		return true
	}
	return seeded[a] == v && attrs[a+"_verified"] != "false"
}

// lookupUserLocked finds a user by user name or alias. User names come
// first, exactly; then the one alias key space. The answer never depends on
// map order. e.mu must be held.
func (p *pool) lookupUserLocked(name string) *user {
	if u := p.users[name]; u != nil {
		return u
	}
	return p.aliases[aliasKey(name)]
}

// aliasHolderLocked returns the user other than u (nil for a new user) who
// holds value as a user name or an alias, or nil. e.mu must be held.
func (p *pool) aliasHolderLocked(u *user, value string) *user {
	if o := p.users[value]; o != nil && o != u {
		return o
	}
	if o := p.aliases[aliasKey(value)]; o != nil && o != u {
		return o
	}
	return nil
}

// withChanges returns attrs with changes applied as writeAttributesLocked
// applies them: in name order, a changed email or phone number losing its
// verified flag unless the changes set it, empty values deleting.
func withChanges(attrs, changes map[string]string) map[string]string {
	m := maps.Clone(attrs)
	if m == nil {
		m = map[string]string{}
	}
	for _, k := range slices.Sorted(maps.Keys(changes)) {
		v := changes[k]
		if slices.Contains(verifiableAttributes, k) && m[k] != v {
			delete(m, k+"_verified")
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// claimAliasesLocked checks that the aliases u would have with changes
// applied (u nil: a new user with attributes changes) belong to no other
// user of p, in a fixed order. e.mu must be held.
func claimAliasesLocked(p *pool, u *user, changes map[string]string) error {
	var attrs, seeded map[string]string
	if u != nil {
		attrs, seeded = u.attrs, u.seeded
	}
	next := withChanges(attrs, changes)
	for _, a := range aliasAttributes {
		if p.aliasActive(next, seeded, a) && p.aliasHolderLocked(u, next[a]) != nil {
			return errAliasTaken(a)
		}
	}
	return nil
}

// forceAliasesLocked moves to u (nil: a new user) the aliases that changes
// would give it and that other users hold as a verified email or phone
// number, as ForceAliasCreation does: the other user's address becomes
// unverified and is no longer an alias. User names and preferred_username
// do not move. e.mu must be held.
func forceAliasesLocked(p *pool, u *user, changes map[string]string) {
	var attrs, seeded map[string]string
	if u != nil {
		attrs, seeded = u.attrs, u.seeded
	}
	next := withChanges(attrs, changes)
	for _, a := range aliasAttributes {
		if !p.aliasActive(next, seeded, a) {
			continue
		}
		o := p.aliases[aliasKey(next[a])]
		if o == nil || o == u {
			continue
		}
		for _, b := range verifiableAttributes {
			if o.aliasKeys[b] == aliasKey(next[a]) && !slices.Contains(p.settings.usernameAttrs, b) {
				o.attrs[b+"_verified"] = "false"
				delete(o.seeded, b)
			}
		}
		p.reindexAliasesLocked(o)
	}
}

// reindexAliasesLocked makes pool.aliases hold exactly u's active aliases,
// in the order of aliasAttributes; one that another user holds (which the
// callers' checks prevent, but a configuration may have) stays with that
// user. e.mu must be held.
func (p *pool) reindexAliasesLocked(u *user) {
	p.unindexAliasesLocked(u)
	for _, a := range aliasAttributes {
		if !p.aliasActive(u.attrs, u.seeded, a) {
			continue
		}
		v := u.attrs[a]
		k := aliasKey(v)
		if p.aliasHolderLocked(u, v) != nil {
			continue
		}
		p.aliases[k] = u
		if u.aliasKeys == nil {
			u.aliasKeys = map[string]string{}
		}
		u.aliasKeys[a] = k
	}
}

// unindexAliasesLocked removes u's aliases from pool.aliases. e.mu must be
// held.
func (p *pool) unindexAliasesLocked(u *user) {
	for a, k := range u.aliasKeys {
		if p.aliases[k] == u {
			delete(p.aliases, k)
		}
		delete(u.aliasKeys, a)
	}
}
