package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/cognitosrp/cognitosrp/internal/ctmath"
)

// Verifier is what a server stores for a user or a device: the salt and the
// verifier v = g^x mod N, bound to the names that the claims sign (the pool
// name and internal user name, or the device group key and device key).
// A Verifier is safe for concurrent use.
type Verifier struct {
	poolName, userID string
	salt             signedInt
	v                ctmath.Nat
}

// NewVerifier computes a verifier for a user with a fresh 16-byte salt, as
// Cognito does when a password is set. userID is the internal user name
// (USER_ID_FOR_SRP).
func NewVerifier(userPoolID, userID, password string) (*Verifier, error) {
	poolName, err := PoolName(userPoolID)
	if err != nil {
		return nil, err
	}
	if userID == "" {
		return nil, paramErr("USER_ID_FOR_SRP", ErrMissing)
	}
	var salt [saltSize]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	return newVerifier(poolName, userID, password, signedInt{mag: trimZeros(salt[:])}), nil
}

func newVerifier(poolName, userID, password string, salt signedInt) *Verifier {
	return &Verifier{poolName: poolName, userID: userID, salt: salt, v: computeVerifier(salt, poolName, userID, password)}
}

// ParseDeviceVerifierConfig reads the DeviceSecretVerifierConfig that a client
// sent with ConfirmDevice (both fields base64) into the verifier of the device
// with the given group key and key. Like Cognito, it reads the salt's bytes
// as a two's-complement integer.
func ParseDeviceVerifierConfig(deviceGroupKey, deviceKey, saltBase64, passwordVerifierBase64 string) (*Verifier, error) {
	if deviceGroupKey == "" {
		return nil, paramErr("DeviceGroupKey", ErrMissing)
	}
	if deviceKey == "" {
		return nil, paramErr("DeviceKey", ErrMissing)
	}
	if saltBase64 == "" {
		return nil, paramErr("Salt", ErrMissing)
	}
	if passwordVerifierBase64 == "" {
		return nil, paramErr("PasswordVerifier", ErrMissing)
	}
	salt, err := base64.StdEncoding.DecodeString(saltBase64)
	if err != nil {
		return nil, paramErr("Salt", ErrMalformedBase64)
	}
	if len(salt) > maxHexDigits/2 {
		return nil, paramErr("Salt", ErrTooLong)
	}
	vb, err := decodeBase64(passwordVerifierBase64)
	if err != nil {
		return nil, paramErr("PasswordVerifier", err)
	}
	gr := cognito()
	if len(vb) > gr.size+1 {
		return nil, paramErr("PasswordVerifier", ErrTooLong)
	}
	// The verifier is padHex(v): up to one leading zero byte before 384 bytes.
	var v ctmath.Nat
	if len(vb) == gr.size+1 {
		if vb[0] != 0 {
			return nil, paramErr("PasswordVerifier", ErrTooLong)
		}
		vb = vb[1:]
	}
	if err := gr.n.SetBytes(&v, vb); err != nil {
		return nil, paramErr("PasswordVerifier", ErrTooLong)
	}
	return &Verifier{poolName: deviceGroupKey, userID: deviceKey, salt: fromTwosComplement(salt), v: v}, nil
}

// Salt returns the salt as the SALT challenge parameter: a signed hexadecimal
// integer, as Cognito sends it.
func (v *Verifier) Salt() string { return v.salt.hexString() }

// CheckPassword reports, in constant time, whether password is the one that
// v was computed from. The local server uses it for USER_PASSWORD_AUTH.
func (v *Verifier) CheckPassword(password string) bool {
	c := computeVerifier(v.salt, v.poolName, v.userID, password)
	return ctmath.Equal(&c, &v.v) == 1
}

// String describes v without its secret. Like every String and GoString
// method of this package, it has a value receiver, so that no fmt verb
// prints a secret.
func (v Verifier) String() string {
	return fmt.Sprintf("srp.Verifier{pool: %q, user: %q}", v.poolName, v.userID)
}

// serverEphemeralSize is the size of the server's secret exponent b.
const serverEphemeralSize = 32

// Server is the server side of one SRP sign-in: created from the stored
// verifier and the client's SRP_A, it issues SRP_B and verifies the claim.
// A Server is safe for concurrent use.
type Server struct {
	ver  *Verifier
	pubB signedInt
	key  []byte
}

// NewServer starts the server side of a sign-in from the client's SRP_A. It
// rejects A ≡ 0 (mod N) with a [*SafetyError] and malformed A with a
// [*ParameterError].
func NewServer(v *Verifier, srpA string) (*Server, error) {
	var b [serverEphemeralSize]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	s, _, err := newServer(v, srpA, b[:])
	return s, err
}

// serverValues holds a server's intermediate values, for the test vectors.
type serverValues struct {
	u, s, key []byte
}

func newServer(v *Verifier, srpA string, b []byte) (*Server, *serverValues, error) {
	if v == nil {
		return nil, nil, paramErr("verifier", ErrMissing)
	}
	a, err := parseParamHex("SRP_A", srpA)
	if err != nil {
		return nil, nil, err
	}
	gr := cognito()
	aModN := gr.reduce(a)
	if ctmath.IsZero(&aModN) == 1 {
		return nil, nil, &SafetyError{Check: "A mod N = 0"}
	}
	bigB := gr.serverB(&v.v, b)
	pubB := signedInt{mag: trimZeros(gr.bytes(&bigB))}
	u := hashU(a, pubB)
	if isZero(u) {
		return nil, nil, &SafetyError{Check: "u = 0"}
	}
	sNat := gr.serverS(&aModN, &v.v, u, b)
	s := padPositiveVarTime(gr.bytes(&sNat))
	key := deriveKey(s, u)
	return &Server{ver: v, pubB: pubB, key: key}, &serverValues{u: u, s: s, key: key}, nil
}

// SRPB returns B as the SRP_B challenge parameter: lowercase hexadecimal
// without leading zeros.
func (s *Server) SRPB() string { return s.pubB.hexString() }

// Salt returns the SALT challenge parameter of the verifier.
func (s *Server) Salt() string { return s.ver.Salt() }

// Verify checks a client's PASSWORD_CLAIM_SIGNATURE (base64) over the secret
// block that the server issued (decoded) and the client's TIMESTAMP. It checks
// neither the timestamp's format nor its age: see [ParseTimestamp]. It returns
// [ErrVerification] for any signature that does not match.
func (s *Server) Verify(secretBlock []byte, timestamp, signature string) error {
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return ErrVerification
	}
	want := signClaim(s.key, s.ver.poolName, s.ver.userID, secretBlock, timestamp)
	if !hmac.Equal(sig, want) {
		return ErrVerification
	}
	return nil
}

// String describes s without its secrets.
func (s Server) String() string { return "srp.Server{B: " + s.pubB.hexString() + "}" }

// GoString is like String, so that %#v prints no secret.
func (s Server) GoString() string { return s.String() }

// GoString is like String, so that %#v prints no secret.
func (v Verifier) GoString() string { return v.String() }
