package secrethash_test

import (
	"testing"

	"github.com/cognitosrp/cognitosrp/secrethash"
)

// The expected values were computed independently, with
//
//	printf '%s' "$username$clientID" | openssl dgst -sha256 -hmac "$clientSecret" -binary | base64
//
// and checked with Python's hmac module.
func TestCompute(t *testing.T) {
	tests := []struct {
		name, clientID, clientSecret, username, want string
	}{
		{"alias", "client-id-123", "s3cr3t", "johndoe@example.com", "O3SoaT0pqLf36Fwd7FCibKbo7i9mna3DqhKPKtTKSK4="},
		{"empty secret", "abc", "", "bob", "uyA56nPYmQP7wTMYumLyb5JSWmC3+/B/Cj+mW/cIWLM="},
		{"utf-8", "7x", "key", "Ünïcode", "nBRNqVXAy3hfd53ZLC0PoVBRg1WM1k2jZs239g9Oo5s="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := secrethash.Compute(tt.clientID, tt.clientSecret, tt.username); got != tt.want {
				t.Errorf("Compute(%q, %q, %q) = %q, want %q", tt.clientID, tt.clientSecret, tt.username, got, tt.want)
			}
		})
	}
}

// The message is username ‖ clientID, so swapping the two arguments must
// change the hash (unless they are equal).
func TestComputeOrder(t *testing.T) {
	if secrethash.Compute("a", "k", "b") == secrethash.Compute("b", "k", "a") {
		t.Error("Compute does not depend on the order of client id and user name")
	}
}
