// Package srp implements the Secure Remote Password protocol (SRP-6a) exactly
// as Amazon Cognito user pools use it for USER_SRP_AUTH, DEVICE_SRP_AUTH and
// ConfirmDevice, in constant time.
//
// For most uses, create an [Ephemeral] with [NewEphemeral], send [Ephemeral.SRPA]
// as the SRP_A authentication parameter, parse the PASSWORD_VERIFIER challenge
// parameters with [ParseChallenge] and answer with [Ephemeral.PasswordClaim].
// Remembered devices use [NewDeviceVerifier] when a device is confirmed and
// [Ephemeral.DeviceClaim] to answer DEVICE_PASSWORD_VERIFIER. The server side,
// used by the local Cognito-compatible server, is [NewVerifier],
// [ParseDeviceVerifierConfig] and [NewServer], which issues the challenge,
// and [ParseClaimResponses] and [Server.Verify], which check the answer.
//
// # The protocol as Cognito runs it
//
// The group is the 3072-bit MODP group of [RFC 3526] (group 15) with g = 2,
// the hash is SHA-256, and every integer that is hashed is first encoded as
// its minimal two's-complement big-endian form (Java's BigInteger.toByteArray,
// "padHex" in AWS's clients). With k = H(N ‖ g):
//
//	A = g^a mod N                                  (a: 1024 random bits)
//	u = H(A ‖ B)                                   (abort if u = 0 or B mod N = 0)
//	x = H(salt ‖ H(poolName ‖ userId ‖ ":" ‖ password))
//	S = (B − k·g^x)^(a + u·x) mod N
//	key = HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key")[:16]
//	PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName ‖ userId ‖ secretBlock ‖ TIMESTAMP))
//
// poolName is the part of the user pool id after the underscore and userId is
// the challenge's USER_ID_FOR_SRP. For devices, poolName is the device group
// key, userId the device key and the password the device password. See
// [RFC 5054] for SRP-6a itself.
//
// # Constant time
//
// The secrets are the ephemeral exponents a and b, x, the password and the
// device password, the verifier v, the premaster secret S and the derived key.
// Modular arithmetic on them uses this module's internal/ctmath: fixed-width
// 3072-bit Montgomery arithmetic (48 limbs in arrays; AVX-512 IFMA and
// MULX/ADCX/ADOX kernels on amd64, chosen at run time, and a pure-Go twin)
// that never branches on, or indexes memory by, the values of its operands; window tables, including the fixed-base tables
// of g, are read whole for every lookup. The exponent a + u·x is computed
// with fixed-width limb arithmetic; base64 encoding and decoding of the
// device password and the verifier use branch-free character arithmetic,
// and claims are compared with [crypto/hmac.Equal]. The tests check the
// arithmetic against math/big and against [filippo.io/bigmod], a second
// independent constant-time implementation.
//
// The fixed-base tables of g take 1.5 MiB. They are built once per process,
// after a few exponentiations of g, so that a one-off sign-in does not pay
// for them; until then powers of g are computed by squaring and doubling.
//
// What does leak, by design:
//
//   - The lengths of all values: the exponents are fixed-length byte strings
//     (128 bytes for a, 32 for b, x and u, 129 for a + u·x), so only those
//     lengths leak.
//   - The length of the minimal encoding of S and of the verifier v (how many
//     leading zero bytes they have, and whether their top bit is set), because
//     Cognito hashes and sends them in that variable-length form. This is one
//     byte of length information about values that are uniformly distributed.
//   - The length of the password and of the user and pool names, through SHA-256.
//   - [ParseDeviceVerifierConfig], which reads a verifier that a client sent,
//     reveals whether it is well formed and below N: it rejects it otherwise.
//   - Public values (A, B, u, the salt, the secret block, the timestamp and
//     the signature that is sent) are handled in variable time.
//
// # Safety checks
//
// SRP-6a's checks are never skipped: a client rejects B ≡ 0 (mod N) and
// u = 0, a server rejects A ≡ 0 (mod N). Both return an error that matches
// [ErrSafetyCheck] and names the check. Malformed input returns a [*ParameterError] naming
// the parameter, never its value, and never panics.
//
// [RFC 3526]: https://www.rfc-editor.org/rfc/rfc3526
// [RFC 5054]: https://www.rfc-editor.org/rfc/rfc5054
package srp
