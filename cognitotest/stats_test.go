package cognitotest

import (
	"fmt"
	"testing"
	"time"
)

// TestStats follows the counts of Stats through a sign-in, an abandoned one
// and the expiry of everything.
func TestStats(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	want := func(want Stats) {
		t.Helper()
		if got := h.e.Stats(); got != want {
			t.Fatalf("Stats() = %+v, want %+v", got, want)
		}
	}
	want(Stats{})

	ch, eph := h.startSRP("always", "frank", nil)
	want(Stats{Sessions: 1})
	h.tokens(h.respond("always", "PASSWORD_VERIFIER", ch.Session, h.claim(poolAlways, ch, eph, pw, h.clock.now())))
	want(Stats{UsedSessions: 1, RefreshTokens: 1, Devices: 1})

	h.startSRP("always", "frank", nil) // abandoned
	want(Stats{Sessions: 1, UsedSessions: 1, RefreshTokens: 1, Devices: 1})

	// Expired sessions are purged by the next request, not by Stats.
	h.clock.advance(defaultTTL + purgeInterval + time.Second)
	want(Stats{Sessions: 1, UsedSessions: 1, RefreshTokens: 1, Devices: 1})
	h.raw(target+"InitiateAuth", `{}`)
	want(Stats{UsedSessions: 2, RefreshTokens: 1, Devices: 1})

	h.clock.advance(usedRetention + time.Second)
	h.raw(target+"InitiateAuth", `{}`)
	want(Stats{RefreshTokens: 1, Devices: 1})

	h.clock.advance(refreshLifetime)
	h.raw(target+"InitiateAuth", `{}`)
	want(Stats{Devices: 1})
}

// TestUsedSessionLimit fills the table of used Session tokens to its cap:
// it stays at the cap while replays are still refused.
func TestUsedSessionLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testConfig())
	later := h.clock.now().Add(time.Hour)
	h.e.mu.Lock()
	for i := range maxSessions {
		h.e.used[fmt.Sprintf("used-filler-%d", i)] = spentSession{expires: later}
	}
	h.e.mu.Unlock()

	ch, eph := h.startSRP("plain", "alice", nil)
	resp := h.claim(poolPlain, ch, eph, pw, h.clock.now())
	h.tokens(h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp))
	if st := h.e.Stats(); st.UsedSessions != maxSessions {
		t.Errorf("%d used sessions remembered, want the cap %d", st.UsedSessions, maxSessions)
	}
	_, err := h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session can only be used once.")

	// Forgotten used tokens are still refused, as unknown sessions.
	h.e.mu.Lock()
	clear(h.e.used)
	h.e.mu.Unlock()
	_, err = h.respond("plain", "PASSWORD_VERIFIER", ch.Session, resp)
	wantAPIError(t, err, "NotAuthorizedException", msgInvalidSession)
}
