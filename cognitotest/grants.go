package cognitotest

import "time"

// Grants (sign-ins that hold a refresh token) are bounded as sessions are
// (sessions.go), so that no one can grow the server without end and no
// client's sign-ins crowd out another client's:
//
//   - a user keeps at most e.limits.userGrants (maxUserGrants) sign-ins:
//     a new one ends the user's oldest, like a limit on devices. Cognito
//     documents no such limit; a real user signed in on more than
//     maxUserGrants devices at once would see the oldest one's refresh
//     token answered "Invalid Refresh Token";
//   - an app client keeps at most e.limits.clientGrants (maxClientGrants):
//     a new sign-in ends the client's oldest;
//   - all together at most e.limits.grants (maxGrants): a new sign-in ends
//     the oldest of the client with the most, after a purge of the expired.
//
// An ended grant is forgotten whole (forgetGrantLocked): its refresh
// tokens, rotated ones included, are then unknown, and the access tokens
// issued from it are invalid.
const (
	maxUserGrants   = 50
	maxClientGrants = 50_000
	maxGrants       = 100_000
)

// putGrantLocked stores a new grant, first ending the grants that the
// bounds above make room for. e.mu must be held.
func (e *Handler) putGrantLocked(g *grant, now time.Time) {
	u, c := g.user, g.client
	for u.grants.Len() >= e.limits.userGrants {
		e.forgetGrantLocked(u.grants.Front().Value.(*grant))
	}
	for c.grants.Len() >= e.limits.clientGrants {
		e.forgetGrantLocked(c.grants.Front().Value.(*grant))
	}
	if len(e.grants) >= e.limits.grants {
		e.purgeLocked(now)
		for len(e.grants) >= e.limits.grants {
			var largest *appClient
			for _, cl := range e.clients {
				if largest == nil || cl.grants.Len() > largest.grants.Len() {
					largest = cl
				}
			}
			if largest == nil || largest.grants.Len() == 0 {
				panic("cognitotest: internal error: grants held by no client")
			}
			e.forgetGrantLocked(largest.grants.Front().Value.(*grant))
		}
	}
	e.grants[g.originJTI] = g
	e.refresh[g.refreshToken] = g
	g.userElem = u.grants.PushBack(g)
	g.clientElem = c.grants.PushBack(g)
}

// forgetGrantLocked removes g and every refresh token it issued (the first
// and each rotated one): the one way a grant is dropped, whether its user,
// client or pool is deleted, it expires or a bound ends it. e.mu must be
// held.
func (e *Handler) forgetGrantLocked(g *grant) {
	if e.grants[g.originJTI] == g {
		delete(e.grants, g.originJTI)
	}
	delete(e.refresh, g.refreshToken)
	for _, t := range g.issued {
		delete(e.refresh, t)
	}
	if g.userElem != nil {
		g.user.grants.Remove(g.userElem)
		g.userElem = nil
	}
	if g.clientElem != nil {
		g.client.grants.Remove(g.clientElem)
		g.clientElem = nil
	}
}
