package main

import (
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	// The demo ignores the AWS configuration of its environment.
	t.Setenv("AWS_ENDPOINT_URL", closedURL(t))
	r := runCLI(t, nil, "demo")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%v", r)
	}
	// The whole story, in order.
	rest := r.stdout
	for _, want := range []string{
		"cognitosrp demo: a local user pool at http://127.0.0.1:",
		"1. Sign in with USER_SRP_AUTH",
		"-> InitiateAuth", "AuthFlow=USER_SRP_AUTH", "SRP_A=",
		"<- PASSWORD_VERIFIER", "SALT=", "SRP_B=", "SECRET_BLOCK=",
		"-> RespondToAuthChallenge   PASSWORD_VERIFIER", "TIMESTAMP=", "PASSWORD_CLAIM_SIGNATURE=",
		"<- AuthenticationResult", "NewDeviceMetadata.DeviceKey=",
		"-> ConfirmDevice", "PasswordVerifier=(hidden",
		"-> UpdateDeviceStatus", "DeviceRememberedStatus=remembered",
		"2. The ID token's claims", "cognito:username  alice", "token_use         id",
		"3. The remembered device", "DeviceKey       us-east-1_",
		"4. Sign in again", "DEVICE_KEY=",
		"<- DEVICE_SRP_AUTH", "-> RespondToAuthChallenge   DEVICE_SRP_AUTH",
		"<- DEVICE_PASSWORD_VERIFIER", "-> RespondToAuthChallenge   DEVICE_PASSWORD_VERIFIER",
		"device_key claim: us-east-1_",
		"5. Refresh the tokens", "-> GetTokensFromRefreshToken", "DeviceKey=us-east-1_",
		"new ID token for alice",
		"Done.",
	} {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("the demo's output lacks %q after what came before:\n%s", want, r.stdout)
		}
		rest = rest[i+len(want):]
	}
	// Values are shortened, and no line is very long.
	for _, l := range strings.Split(r.stdout, "\n") {
		if len([]rune(l)) > 110 {
			t.Errorf("line of %d characters: %s", len([]rune(l)), l)
		}
	}
}
