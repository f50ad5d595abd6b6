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
	block := []byte("secret block from the server")
	ch, err := srp.ParseChallenge(srv.SRPB(), srv.Salt(), "c2VjcmV0IGJsb2NrIGZyb20gdGhlIHNlcnZlcg==")
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
	if err := srv.Verify(block, claim.Timestamp, claim.Signature); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	bad, err := e.PasswordClaim(pool, "internal-user", "wrong", ch, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Verify(block, bad.Timestamp, bad.Signature); !errors.Is(err, srp.ErrVerification) {
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
	ch, err := srp.ParseChallenge(srv.SRPB(), srv.Salt(), "AAEC")
	if err != nil {
		t.Fatal(err)
	}
	claim, err := e.DeviceClaim("-group", "us-east-1_device-key", dv.DevicePassword, ch, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Verify([]byte{0, 1, 2}, claim.Timestamp, claim.Signature); err != nil {
		t.Fatal(err)
	}
}
