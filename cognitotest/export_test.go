package cognitotest

import (
	"net/http"
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
