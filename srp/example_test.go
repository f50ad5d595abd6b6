package srp_test

import (
	"fmt"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

// A whole USER_SRP_AUTH exchange, with this package's server side standing in
// for Cognito.
func Example() {
	const poolID, user, password = "us-east-1_Example", "alice", "correct horse battery staple"

	// Server side: the stored verifier.
	verifier, err := srp.NewVerifier(poolID, user, password)
	if err != nil {
		panic(err)
	}

	// Client: InitiateAuth with SRP_A.
	eph, err := srp.NewEphemeral()
	if err != nil {
		panic(err)
	}

	// Server: the PASSWORD_VERIFIER challenge.
	server, err := srp.NewServer(verifier, eph.SRPA())
	if err != nil {
		panic(err)
	}
	params := map[string]string{
		"SRP_B":           server.SRPB(),
		"SALT":            server.Salt(),
		"SECRET_BLOCK":    server.SecretBlock(),
		"USER_ID_FOR_SRP": user,
	}

	// Client: the claim.
	ch, err := srp.ParseChallengeParameters(params)
	if err != nil {
		panic(err)
	}
	claim, err := eph.PasswordClaim(poolID, ch.UserIDForSRP(), password, ch,
		time.Date(2019, 1, 1, 6, 6, 9, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println("TIMESTAMP:", claim.Timestamp)

	// Server: verification of the challenge responses.
	responses := map[string]string{
		"PASSWORD_CLAIM_SECRET_BLOCK": claim.SecretBlock,
		"PASSWORD_CLAIM_SIGNATURE":    claim.Signature,
		"TIMESTAMP":                   claim.Timestamp,
	}
	cr, err := srp.ParseClaimResponses(responses)
	if err != nil {
		panic(err)
	}
	fmt.Println("verified:", server.Verify(cr) == nil)
	// Output:
	// TIMESTAMP: Tue Jan 1 06:06:09 UTC 2019
	// verified: true
}

// When Cognito returns NewDeviceMetadata, the client makes a device password
// and the DeviceSecretVerifierConfig for ConfirmDevice.
func ExampleNewDeviceVerifier() {
	dv, err := srp.NewDeviceVerifier("-abcdEFGH", "us-east-1_1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718")
	if err != nil {
		panic(err)
	}
	// Keep dv.DevicePassword secret, with the device key and group key.
	fmt.Println(len(dv.DevicePassword), "characters of device password")
	fmt.Println(dv.Salt != "" && dv.PasswordVerifier != "")
	// Output:
	// 56 characters of device password
	// true
}

func ExampleFormatTimestamp() {
	fmt.Println(srp.FormatTimestamp(time.Date(2024, 2, 29, 15, 4, 5, 0, time.UTC)))
	// Output: Thu Feb 29 15:04:05 UTC 2024
}
