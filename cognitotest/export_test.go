package cognitotest

import (
	"net/http"
	"sync/atomic"
	"time"
)

// WithTimeouts sets the server's timeouts, so that tests of them are fast.
func WithTimeouts(readHeader, read, write, idle time.Duration) Option {
	return func(o *options) {
		o.timeouts = func(s *http.Server) {
			s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout = readHeader, read, write, idle
		}
	}
}

// withLimits lowers the handler's bounds on sessions and concurrent
// requests, so that tests can reach them quickly. Zero fields keep their
// defaults.
func withLimits(l limits) Option {
	return func(o *options) {
		if l.sessions != 0 {
			o.limits.sessions = l.sessions
		}
		if l.userSessions != 0 {
			o.limits.userSessions = l.userSessions
		}
		if l.clientSessions != 0 {
			o.limits.clientSessions = l.clientSessions
		}
		if l.grants != 0 {
			o.limits.grants = l.grants
		}
		if l.userGrants != 0 {
			o.limits.userGrants = l.userGrants
		}
		if l.clientGrants != 0 {
			o.limits.clientGrants = l.clientGrants
		}
		if l.users != 0 {
			o.limits.users = l.users
		}
		if l.poolUsers != 0 {
			o.limits.poolUsers = l.poolUsers
		}
		if l.groups != 0 {
			o.limits.groups = l.groups
		}
		if l.poolGroups != 0 {
			o.limits.poolGroups = l.poolGroups
		}
		if l.clients != 0 {
			o.limits.clients = l.clients
		}
		if l.poolClients != 0 {
			o.limits.poolClients = l.poolClients
		}
		if l.inFlight != 0 {
			o.limits.inFlight = l.inFlight
		}
	}
}

// onResume makes f run, once, before the nth re-taking of e.mu by a
// sign-in step that worked without it (resume), counted from now: a test
// changes state between a step's two locks.
func (e *Handler) onResume(n int, f func()) {
	var calls atomic.Int64
	hook := func() {
		if calls.Add(1) == int64(n) {
			f()
		}
	}
	e.testHookResume.Store(&hook)
}
