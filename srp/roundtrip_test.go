package srp_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

func TestRoundTrip(t *testing.T) {
	const pool = "us-east-1_AbC123"
	v, err := srp.NewVerifier(pool, "internal-user", "p4ssw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	e, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := srp.NewServer(v, e.SRPA())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := srp.ParseChallenge(srv.SRPB(), srv.Salt(), srv.SecretBlock())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 2, 29, 13, 4, 5, 0, time.UTC)
	claim, err := e.PasswordClaim(pool, "internal-user", "p4ssw0rd!", ch, now)
	if err != nil {
		t.Fatal(err)
	}
	if claim.Timestamp != "Thu Feb 29 13:04:05 UTC 2024" {
		t.Errorf("timestamp %q", claim.Timestamp)
	}
	if err := srv.Verify(parseClaim(t, claim)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	bad, err := e.PasswordClaim(pool, "internal-user", "wrong", ch, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Verify(parseClaim(t, bad)); !errors.Is(err, srp.ErrVerification) {
		t.Fatalf("wrong password: got %v", err)
	}
	if !v.CheckPassword("p4ssw0rd!") || v.CheckPassword("p4ssw0rd") {
		t.Error("CheckPassword")
	}
}

func TestDeviceRoundTrip(t *testing.T) {
	dv, err := srp.NewDeviceVerifier("-group", "us-east-1_device-key")
	if err != nil {
		t.Fatal(err)
	}
	v, err := srp.ParseDeviceVerifierConfig("-group", "us-east-1_device-key", dv.Salt, dv.PasswordVerifier)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := srp.NewEphemeral()
	srv, err := srp.NewServer(v, e.SRPA())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := srp.ParseChallenge(srv.SRPB(), srv.Salt(), srv.SecretBlock())
	if err != nil {
		t.Fatal(err)
	}
	claim, err := e.DeviceClaim("-group", "us-east-1_device-key", dv.DevicePassword, ch, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Verify(parseClaim(t, claim)); err != nil {
		t.Fatal(err)
	}
}

func parseClaim(t *testing.T, c *srp.Claim) *srp.ClaimResponse {
	t.Helper()
	cr, err := srp.ParseClaim(c.SecretBlock, c.Timestamp, c.Signature)
	if err != nil {
		t.Fatal(err)
	}
	return cr
}

// TestServerClaim checks the server's parsing of a claim and the echoed
// secret block.
func TestServerClaim(t *testing.T) {
	const pool = "us-east-1_AbC123"
	v, err := srp.NewVerifier(pool, "bob", "pw")
	if err != nil {
		t.Fatal(err)
	}
	e, _ := srp.NewEphemeral()
	srv, err := srp.NewServer(v, e.SRPA())
	if err != nil {
		t.Fatal(err)
	}
	other, err := srp.NewServer(v, e.SRPA())
	if err != nil {
		t.Fatal(err)
	}
	if srv.SecretBlock() == other.SecretBlock() {
		t.Fatal("two servers issued the same SECRET_BLOCK")
	}
	ch, err := srp.ParseChallengeParameters(map[string]string{"SRP_B": srv.SRPB(), "SALT": srv.Salt(), "SECRET_BLOCK": srv.SecretBlock(), "USER_ID_FOR_SRP": "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.UserIDForSRP() != "bob" {
		t.Errorf("UserIDForSRP = %q", ch.UserIDForSRP())
	}
	now := time.Date(2024, 3, 5, 14, 4, 5, 0, time.UTC)
	claim, err := e.PasswordClaim(pool, ch.UserIDForSRP(), "pw", ch, now)
	if err != nil {
		t.Fatal(err)
	}
	cr := parseClaim(t, claim)
	if !cr.Time().Equal(now) || cr.SecretBlock() != srv.SecretBlock() {
		t.Errorf("claim: time %v, block %.10s", cr.Time(), cr.SecretBlock())
	}
	// The claim of one sign-in does not verify against another's server,
	// whose block it does not echo.
	var pe *srp.ParameterError
	if err := other.Verify(cr); !errors.As(err, &pe) || pe.Param != "PASSWORD_CLAIM_SECRET_BLOCK" {
		t.Errorf("other server: %v", err)
	}
	for _, c := range []struct{ block, ts, sig, param string }{
		{"", claim.Timestamp, claim.Signature, "PASSWORD_CLAIM_SECRET_BLOCK"},
		{"!!!!", claim.Timestamp, claim.Signature, "PASSWORD_CLAIM_SECRET_BLOCK"},
		{claim.SecretBlock, "", claim.Signature, "TIMESTAMP"},
		{claim.SecretBlock, "Tue Mar 05 14:04:05 UTC 2024", claim.Signature, "TIMESTAMP"},
		{claim.SecretBlock, claim.Timestamp, "", "PASSWORD_CLAIM_SIGNATURE"},
		{claim.SecretBlock, claim.Timestamp, "AAA", "PASSWORD_CLAIM_SIGNATURE"},
	} {
		cr, err := srp.ParseClaim(c.block, c.ts, c.sig)
		if cr != nil || !errors.As(err, &pe) || pe.Param != c.param {
			t.Errorf("ParseClaim(%.8q, %q, %.8q) = %v, %v; want a ParameterError for %s", c.block, c.ts, c.sig, cr, err, c.param)
		}
	}
	// A signature over another TIMESTAMP fails.
	cr2, err := srp.ParseClaim(claim.SecretBlock, srp.FormatTimestamp(now.Add(time.Second)), claim.Signature)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Verify(cr2); !errors.Is(err, srp.ErrVerification) {
		t.Errorf("other timestamp: %v", err)
	}
}
