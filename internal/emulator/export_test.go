package emulator

// withLimits lowers the emulator's bounds on sessions and concurrent
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
		if l.inFlight != 0 {
			o.limits.inFlight = l.inFlight
		}
	}
}
