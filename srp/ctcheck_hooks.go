//go:build ctcheck

package srp

import "encoding/base64"

// Hooks for the timing-leak test, bench/cmd/ctcheck, and nothing else: they
// exist only when building with the tag ctcheck, so that the harness can
// choose the secrets (a, x, b, v) that the public API draws from crypto/rand
// or derives from a password. Each calls the same internal functions as the
// public API, from the secret inputs to the output that leaves the package.

// CTClientClaim is the secret-dependent part of [Ephemeral.PasswordClaim] for
// a fixed challenge: S = (B − k·g^x)^(a + u·x) mod N, padHex(S), the HKDF key
// and the HMAC over poolName ‖ userID ‖ SECRET_BLOCK ‖ timestamp, which it
// returns. a (128 bytes) and x (32 bytes) are the secrets, big-endian; u (32
// bytes) is the public H(A ‖ B).
func CTClientClaim(a, x, u []byte, ch *Challenge, poolName, userID, timestamp string) []byte {
	gr := cognito()
	s := gr.clientS(&ch.bModN, a, u, x)
	sPad := padPositiveVarTime(gr.bytes(&s))
	key := deriveKey(sPad, u)
	return signClaim(key, poolName, userID, ch.secretBlock, timestamp)
}

// CTDeviceVerifier is the secret-dependent part of [NewDeviceVerifier]: the
// PasswordVerifier base64(padHex(g^x mod N)) for the secret x (32 bytes,
// big-endian).
func CTDeviceVerifier(x []byte) string {
	v := cognito().expG(x)
	return encodeBase64(padPositiveVarTime(cognito().bytes(&v)))
}

// CTServer is the server side of one sign-in, [NewServer] then
// [Server.Verify], with the secret b (32 bytes) and the secret verifier v
// (384 bytes, below N), both big-endian: B = k·v + g^b, u = H(A ‖ B),
// S = (A·v^u)^b, the key, and the check of signature over secretBlock and
// timestamp for poolName and userID. It returns SRP_B and whether the
// signature verified, and panics if v is not below N or srpA is rejected.
func CTServer(b, v []byte, srpA, poolName, userID string, secretBlock []byte, timestamp, signature string) (srpB string, ok bool) {
	ver := &Verifier{poolName: poolName, userID: userID}
	if err := cognito().n.SetBytes(&ver.v, v); err != nil {
		panic("srp: CTServer: v not below N")
	}
	s, _, err := newServer(hashU, ver, srpA, b, secretBlock)
	if err != nil {
		panic("srp: CTServer: " + err.Error())
	}
	claim, err := ParseClaim(base64.StdEncoding.EncodeToString(secretBlock), timestamp, signature)
	if err != nil {
		panic("srp: CTServer: " + err.Error())
	}
	return s.SRPB(), s.Verify(claim) == nil
}
