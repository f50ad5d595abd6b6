package cognitotest

import (
	"container/list"
	"time"
)

// putSessionLocked stores s under a fresh token and returns the token. e.mu must be
// held.
//
// Sessions are bounded so that no one can crowd out anyone else: a user has
// at most e.limits.userSessions (a new one ends the user's oldest), an app
// client at most e.limits.clientSessions (beyond which its new sign-ins are
// refused), and all together at most e.limits.sessions (beyond which the
// oldest session of the client with the most is ended).
func (e *Handler) putSessionLocked(s *authSession, now time.Time) (string, error) {
	u, c := s.user, s.client
	for u.sessions.Len() >= e.limits.userSessions {
		e.dropSessionLocked(u.sessions.Front().Value.(*authSession))
	}
	if c.sessions.Len() >= e.limits.clientSessions {
		e.dropExpiredLocked(&c.sessions, now)
		if c.sessions.Len() >= e.limits.clientSessions {
			return "", newError("TooManyRequestsException", "Too many sign-ins in progress for this app client.")
		}
	}
	if len(e.sessions) >= e.limits.sessions {
		e.purgeLocked(now)
		for len(e.sessions) >= e.limits.sessions {
			var largest *appClient
			for _, cl := range e.clients {
				if largest == nil || cl.sessions.Len() > largest.sessions.Len() {
					largest = cl
				}
			}
			if largest == nil || largest.sessions.Len() == 0 {
				return "", newError("TooManyRequestsException", "Too many sign-ins in progress.")
			}
			e.dropSessionLocked(largest.sessions.Front().Value.(*authSession))
		}
	}
	s.token = randomToken(96)
	s.expires = now.Add(e.sessionTTL)
	e.sessions[s.token] = s
	s.userElem = u.sessions.PushBack(s)
	s.clientElem = c.sessions.PushBack(s)
	if s.secretBlock != "" {
		e.secretBlocks[s.secretBlock] = s
	}
	if s.challenge == chDeviceSRPAuth {
		e.deviceSteps[deviceStepKey{s.client.id, s.user.name, s.deviceKey}] = s
	}
	return s.token, nil
}

// dropExpiredLocked ends the expired sessions at the front of l. e.mu must be
// held.
func (e *Handler) dropExpiredLocked(l *list.List, now time.Time) {
	for l.Len() > 0 {
		s := l.Front().Value.(*authSession)
		if !now.After(s.expires) {
			return
		}
		e.dropSessionLocked(s)
	}
}

// dropSessionLocked removes s and remembers its token as used. e.mu must be held.
func (e *Handler) dropSessionLocked(s *authSession) {
	if e.sessions[s.token] != s {
		return
	}
	delete(e.sessions, s.token)
	if s.userElem != nil {
		s.user.sessions.Remove(s.userElem)
		s.userElem = nil
	}
	if s.clientElem != nil {
		s.client.sessions.Remove(s.clientElem)
		s.clientElem = nil
	}
	if len(e.used) >= maxSessions {
		// Forget one: only the error message of a replay depends on it.
		for t := range e.used {
			delete(e.used, t)
			break
		}
	}
	e.used[s.token] = s.expires
	if s.secretBlock != "" && e.secretBlocks[s.secretBlock] == s {
		delete(e.secretBlocks, s.secretBlock)
	}
	k := deviceStepKey{s.client.id, s.user.name, s.deviceKey}
	if e.deviceSteps[k] == s {
		delete(e.deviceSteps, k)
	}
}

// findSessionLocked returns the live session with the given token, or an error in
// Cognito's words. e.mu must be held.
func (e *Handler) findSessionLocked(token string, now time.Time) (*authSession, error) {
	s := e.sessions[token]
	if s == nil {
		if exp, ok := e.used[token]; ok {
			if now.After(exp) {
				return nil, notAuthorized(msgSessionExpired)
			}
			return nil, notAuthorized(msgSessionUsed)
		}
		return nil, notAuthorized(msgInvalidSession)
	}
	if now.After(s.expires) {
		e.dropSessionLocked(s)
		return nil, notAuthorized(msgSessionExpired)
	}
	return s, nil
}

// checkLiveLocked reports the error for a session found by another index,
// and drops it if it expired. e.mu must be held.
func (e *Handler) checkLiveLocked(s *authSession, now time.Time) error {
	if now.After(s.expires) {
		e.dropSessionLocked(s)
		return notAuthorized(msgSessionExpired)
	}
	return nil
}

func (e *Handler) maybePurge(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if now.Sub(e.lastPurge) < purgeInterval && now.After(e.lastPurge) {
		return
	}
	e.purgeLocked(now)
}

// purgeLocked forgets expired sessions, used session tokens and grants. e.mu must
// be held.
func (e *Handler) purgeLocked(now time.Time) {
	e.lastPurge = now
	for _, s := range e.sessions {
		if now.After(s.expires) {
			e.dropSessionLocked(s)
		}
	}
	for t, exp := range e.used {
		// Kept a while after expiry to tell "expired" from "unknown".
		if now.After(exp.Add(usedRetention)) {
			delete(e.used, t)
		}
	}
	for _, g := range e.grants {
		// Kept a while after expiry to answer "Refresh Token has expired".
		if now.After(g.expires.Add(usedRetention)) {
			e.forgetGrantLocked(g)
		}
	}
}
