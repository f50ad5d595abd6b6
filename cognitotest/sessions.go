package cognitotest

import (
	"github.com/cognitosrp/cognitosrp/srp"

	"container/list"
	"time"
)

// putSessionLocked stores s under a fresh token and returns the token. e.mu must be
// held.
//
// Sessions are bounded so that no one can crowd out anyone else, and a
// sign-in that has proven nothing (no first factor yet,
// authSession.firstFactorDone) never ends one that has:
//
//   - a user has at most e.limits.userSessions; beyond, the user's oldest
//     unproven sign-in is ended, and a new one is refused with
//     TooManyRequestsException only if all are past a first factor (which
//     takes the user's credentials). Anyone who knows a user name can start
//     a sign-in (USER_SRP_AUTH needs no password), so a stranger's flood
//     ends the user's own sign-ins that have proven nothing yet, which the
//     server cannot tell from the stranger's; refusing new ones instead
//     would keep the user out for as long as the flood lasts;
//   - an app client has at most e.limits.clientSessions; beyond, the
//     client's oldest unproven sign-in is ended (strangers who fill the
//     client must not lock out its other users), and a new sign-in is
//     refused only if every one is past a first factor;
//   - all together at most e.limits.sessions; beyond, the oldest unproven
//     sign-in of any client is ended, or the new one refused if none is
//     unproven.
//
// An ended sign-in's Session then answers "session is expired"
// (endSessionLocked).
func (e *Handler) putSessionLocked(s *authSession, now time.Time) (string, error) {
	u, c := s.user, s.client
	if u.sessions.Len() >= e.limits.userSessions {
		e.dropExpiredLocked(&u.sessions, now)
		if u.sessions.Len() >= e.limits.userSessions {
			old := oldestUnproven(&u.sessions)
			if old == nil {
				return "", newError("TooManyRequestsException", "Too many sign-ins in progress for this user.")
			}
			e.endSessionLocked(old)
		}
	}
	if c.sessions.Len() >= e.limits.clientSessions {
		e.dropExpiredLocked(&c.sessions, now)
		if c.sessions.Len() >= e.limits.clientSessions {
			old := oldestUnproven(&c.sessions)
			if old == nil {
				return "", newError("TooManyRequestsException", "Too many sign-ins in progress for this app client.")
			}
			e.endSessionLocked(old)
		}
	}
	if len(e.sessions) >= e.limits.sessions {
		e.purgeLocked(now)
		for len(e.sessions) >= e.limits.sessions {
			old := e.oldestUnprovenLocked()
			if old == nil {
				return "", newError("TooManyRequestsException", "Too many sign-ins in progress.")
			}
			e.endSessionLocked(old)
		}
	}
	s.token = randomToken(96)
	e.sessionSeq++
	s.seq = e.sessionSeq
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

// oldestUnproven returns the oldest session in l (of *authSession, oldest
// first) that has proven no first factor, or nil. e.mu must be held.
func oldestUnproven(l *list.List) *authSession {
	for el := l.Front(); el != nil; el = el.Next() {
		if s := el.Value.(*authSession); !s.firstFactorDone() {
			return s
		}
	}
	return nil
}

// oldestUnprovenLocked returns the oldest stored session of any client
// that has proven no first factor, or nil: the first stored
// (authSession.seq), so that the choice does not depend on map order.
// e.mu must be held.
func (e *Handler) oldestUnprovenLocked() *authSession {
	var old *authSession
	for _, c := range e.clients {
		s := oldestUnproven(&c.sessions)
		if s == nil {
			continue
		}
		if old == nil || s.seq < old.seq {
			old = s
		}
	}
	return old
}

// endSignInsLocked ends every sign-in in progress of u: every change of a
// user's credentials or state (password set, changed or reset, disabled,
// deleted, signed out everywhere) goes through it, so that no sign-in
// started before the change finishes on what the change replaced (an SRP
// session holds the verifier of the password it began with). Their
// Sessions then answer "session is expired". e.mu must be held.
func (e *Handler) endSignInsLocked(u *user) {
	// A sign-in that is not stored while it works outside e.mu is not
	// in u.sessions: the new generation ends it too (resumeLocked).
	u.gen++
	for u.sessions.Len() > 0 {
		e.endSessionLocked(u.sessions.Front().Value.(*authSession))
	}
}

// setPasswordLocked makes v u's password verifier and ends u's sign-ins in
// progress (endSignInsLocked): each was started against the old password,
// and must not finish with it. Every change of a password goes through it.
// e.mu must be held.
func (e *Handler) setPasswordLocked(u *user, v *srp.Verifier) {
	u.verifier = v
	e.endSignInsLocked(u)
}

// resumeLocked is the check of every sign-in step that re-takes e.mu
// after working without it (SRP, password hashing): a step goes on only
// if, meanwhile, its pool was not deleted (ResourceNotFoundException), its
// user not deleted (UserNotFoundException) and nothing ended the user's
// sign-ins (endSignInsLocked: password set or changed, reset, disabled,
// signed out everywhere), which Cognito answers as for any ended
// sign-in, NotAuthorizedException "Invalid session for the user, session
// is expired.". On error the step must write no state. e.mu must be held.
func (e *Handler) resumeLocked(s *authSession) error {
	if s.pool.deleted {
		return newError(errResourceNotFound, "User pool %s does not exist.", truncate(s.pool.id, 128))
	}
	if s.pool.users[s.user.name] != s.user {
		return newError(errUserNotFound, msgUserNotFound)
	}
	if s.user.gen != s.gen {
		return notAuthorized(msgSessionExpired)
	}
	return nil
}

// resume re-takes e.mu for a sign-in step that worked without it and runs
// f under it if resumeLocked lets the sign-in go on. It is the one way back
// under e.mu of every such step.
func (e *Handler) resume(s *authSession, f func() error) error {
	if h := e.testHookResume.Load(); h != nil {
		(*h)()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.resumeLocked(s); err != nil {
		return err
	}
	return f()
}

// endDeviceSignInsLocked ends u's sign-ins in progress that go on with
// the device deviceKey, when the device is forgotten. e.mu must be held.
func (e *Handler) endDeviceSignInsLocked(u *user, deviceKey string) {
	for el := u.sessions.Front(); el != nil; {
		s := el.Value.(*authSession)
		el = el.Next()
		if s.deviceKey == deviceKey {
			e.endSessionLocked(s)
		}
	}
}

// forgetDeviceLocked forgets u's device d and ends the sign-ins that go on
// with it. e.mu must be held.
func (e *Handler) forgetDeviceLocked(u *user, d *device) {
	delete(u.devices, d.key)
	e.endDeviceSignInsLocked(u, d.key)
}

// endSessionLocked removes s, which was neither answered nor expired, and
// remembers its token as ended: Cognito's answer to a Session it no longer
// accepts before its expiry is not documented, and "session is expired"
// describes an ended one better than "can only be used once". e.mu must be
// held.
func (e *Handler) endSessionLocked(s *authSession) {
	if e.sessions[s.token] != s {
		return
	}
	e.dropSessionLocked(s)
	if sp, ok := e.used[s.token]; ok {
		sp.ended = true
		e.used[s.token] = sp
	}
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

// spentSession is what the server remembers of a Session token it no longer
// accepts: until when it would have been valid, and whether it was ended
// (endSessionLocked) rather than answered.
type spentSession struct {
	expires time.Time
	ended   bool
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
	e.used[s.token] = spentSession{expires: s.expires}
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
		if sp, ok := e.used[token]; ok {
			if sp.ended || now.After(sp.expires) {
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
	for t, sp := range e.used {
		// Kept a while after expiry to tell "expired" from "unknown".
		if now.After(sp.expires.Add(usedRetention)) {
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
