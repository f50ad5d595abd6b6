package srp

import (
	"errors"
	"testing"
	"time"
)

// TestZeroU forces u = 0, which SHA-256 never yields for real inputs, and
// checks that both sides refuse to go on.
func TestZeroU(t *testing.T) {
	saved := hashU
	t.Cleanup(func() { hashU = saved })
	hashU = func(a, b signedInt) []byte { return make([]byte, 32) }

	e, err := NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	ch, err := ParseChallenge("abcdef", "1234", "AAAA")
	if err != nil {
		t.Fatal(err)
	}
	claim, err := e.PasswordClaim("us-east-1_X", "u", "p", ch, time.Now())
	var se *SafetyError
	if claim != nil || !errors.As(err, &se) || se.Check != "u = 0" || !errors.Is(err, ErrSafetyCheck) {
		t.Fatalf("client with u = 0: %v, %v", claim, err)
	}
	v, err := NewVerifier("us-east-1_X", "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(v, e.SRPA())
	if srv != nil || !errors.As(err, &se) || se.Check != "u = 0" {
		t.Fatalf("server with u = 0: %v, %v", srv, err)
	}
}
