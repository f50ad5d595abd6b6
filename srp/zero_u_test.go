package srp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cognitosrp/cognitosrp/srp"
)

// TestZeroU forces u = 0, which SHA-256 never yields for real inputs, and
// checks that both sides refuse to go on.
func TestZeroU(t *testing.T) {
	e, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	ch, err := srp.ParseChallenge("abcdef", "1234", "AAAA")
	if err != nil {
		t.Fatal(err)
	}
	claim, err := e.PasswordClaimZeroU("us-east-1_X", "u", "p", ch)
	if claim != nil || !errors.Is(err, srp.ErrSafetyCheck) || !strings.Contains(err.Error(), "u = 0") {
		t.Fatalf("client with u = 0: %v, %v", claim, err)
	}
	v, err := srp.NewVerifier("us-east-1_X", "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := srp.NewServerZeroU(v, e.SRPA())
	if srv != nil || !errors.Is(err, srp.ErrSafetyCheck) || !strings.Contains(err.Error(), "u = 0") {
		t.Fatalf("server with u = 0: %v, %v", srv, err)
	}
}
