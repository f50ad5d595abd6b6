package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

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
		return nil, paramErr("USER_ID_FOR_SRP", errMissing)
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
		return nil, paramErr("DeviceGroupKey", errMissing)
	}
	if deviceKey == "" {
		return nil, paramErr("DeviceKey", errMissing)
	}
	if saltBase64 == "" {
		return nil, paramErr("Salt", errMissing)
	}
	if passwordVerifierBase64 == "" {
		return nil, paramErr("PasswordVerifier", errMissing)
	}
	salt, err := base64.StdEncoding.DecodeString(saltBase64)
	if err != nil {
		return nil, paramErr("Salt", errMalformedBase64)
	}
	if len(salt) > maxHexDigits/2 {
		return nil, paramErr("Salt", errTooLong)
	}
	vb, err := decodeBase64(passwordVerifierBase64)
	if err != nil {
		return nil, paramErr("PasswordVerifier", err)
	}
	gr := cognito()
	if len(vb) > gr.size+1 {
		return nil, paramErr("PasswordVerifier", errTooLong)
	}
	// The verifier is padHex(v): up to one leading zero byte before 384 bytes.
	var v ctmath.Nat
	if len(vb) == gr.size+1 {
		if vb[0] != 0 {
			return nil, paramErr("PasswordVerifier", errTooLong)
		}
		vb = vb[1:]
	}
	if err := gr.n.SetBytes(&v, vb); err != nil {
		return nil, paramErr("PasswordVerifier", errTooLong)
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

// secretBlockSize is the number of random bytes in the SECRET_BLOCK that a
// [Server] issues. Cognito's blocks are longer and carry encrypted state; a
// Server keeps its state and only needs the block to be unguessable and
// unique.
const secretBlockSize = 512

// Server is the server side of one SRP sign-in: created from the stored
// verifier and the client's SRP_A, it issues SRP_B, SALT and SECRET_BLOCK and
// verifies the claim that answers them. A Server is safe for concurrent use.
type Server struct {
	ver         *Verifier
	pubB        signedInt
	key         []byte
	secretBlock []byte
}

// NewServer starts the server side of a sign-in from the client's SRP_A. It
// rejects A ≡ 0 (mod N) with [ErrSafetyCheck] and malformed A with a
// [*ParameterError].
func NewServer(v *Verifier, srpA string) (*Server, error) {
	var b [serverEphemeralSize]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	block := make([]byte, secretBlockSize)
	if _, err := rand.Read(block); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	s, _, err := newServer(hashU, v, srpA, b[:], block)
	return s, err
}

// serverValues holds a server's intermediate values, for the test vectors.
type serverValues struct {
	u, s, key []byte
}

func newServer(uf uFunc, v *Verifier, srpA string, b, secretBlock []byte) (*Server, *serverValues, error) {
	if v == nil {
		return nil, nil, paramErr("verifier", errMissing)
	}
	a, err := parseParamHex("SRP_A", srpA)
	if err != nil {
		return nil, nil, err
	}
	gr := cognito()
	aModN := gr.reduce(a)
	if ctmath.IsZero(&aModN) == 1 {
		return nil, nil, safetyErr("A mod N = 0")
	}
	bigB := gr.serverB(&v.v, b)
	pubB := signedInt{mag: trimZeros(gr.bytes(&bigB))}
	u := uf(a, pubB)
	if zeroBytes(u) {
		return nil, nil, safetyErr("u = 0")
	}
	sNat := gr.serverS(&aModN, &v.v, u, b)
	s := padPositiveVarTime(gr.bytes(&sNat))
	key := deriveKey(s, u)
	return &Server{ver: v, pubB: pubB, key: key, secretBlock: secretBlock}, &serverValues{u: u, s: s, key: key}, nil
}

// SRPB returns B as the SRP_B challenge parameter: lowercase hexadecimal
// without leading zeros.
func (s *Server) SRPB() string { return s.pubB.hexString() }

// Salt returns the SALT challenge parameter of the verifier.
func (s *Server) Salt() string { return s.ver.Salt() }

// SecretBlock returns the SECRET_BLOCK challenge parameter: standard base64
// of random bytes that the client echoes as PASSWORD_CLAIM_SECRET_BLOCK and
// signs. It identifies the sign-in, but is not a secret.
func (s *Server) SecretBlock() string { return base64.StdEncoding.EncodeToString(s.secretBlock) }

// ClaimResponse is a client's answer to a PASSWORD_VERIFIER or
// DEVICE_PASSWORD_VERIFIER challenge as a server receives it, parsed once by
// [ParseClaim]: the echoed secret block (decoded), the TIMESTAMP (checked
// and parsed) and the signature (decoded). It holds only public values.
type ClaimResponse struct {
	secretBlock    []byte
	secretBlockB64 string
	timestamp      string
	time           time.Time
	signature      []byte
}

// ParseClaim parses the challenge responses PASSWORD_CLAIM_SECRET_BLOCK and
// PASSWORD_CLAIM_SIGNATURE (standard base64) and TIMESTAMP (exactly as
// [FormatTimestamp] writes it). A value that is missing or malformed is
// reported as a [*ParameterError] naming it.
func ParseClaim(secretBlock, timestamp, signature string) (*ClaimResponse, error) {
	if secretBlock == "" {
		return nil, paramErr("PASSWORD_CLAIM_SECRET_BLOCK", errMissing)
	}
	if timestamp == "" {
		return nil, paramErr("TIMESTAMP", errMissing)
	}
	if signature == "" {
		return nil, paramErr("PASSWORD_CLAIM_SIGNATURE", errMissing)
	}
	block, err := base64.StdEncoding.DecodeString(secretBlock)
	if err != nil {
		return nil, paramErr("PASSWORD_CLAIM_SECRET_BLOCK", errMalformedBase64)
	}
	t, err := ParseTimestamp(timestamp)
	if err != nil {
		return nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return nil, paramErr("PASSWORD_CLAIM_SIGNATURE", errMalformedBase64)
	}
	return &ClaimResponse{secretBlock: block, secretBlockB64: secretBlock, timestamp: timestamp, time: t, signature: sig}, nil
}

// ParseClaimResponses is [ParseClaim] on a RespondToAuthChallenge's
// ChallengeResponses map.
func ParseClaimResponses(responses map[string]string) (*ClaimResponse, error) {
	return ParseClaim(responses["PASSWORD_CLAIM_SECRET_BLOCK"], responses["TIMESTAMP"], responses["PASSWORD_CLAIM_SIGNATURE"])
}

// Time returns the claim's TIMESTAMP. A server checks its age: Cognito
// refuses claims signed more than a few minutes away from its clock.
func (c *ClaimResponse) Time() time.Time { return c.time }

// SecretBlock returns PASSWORD_CLAIM_SECRET_BLOCK as the client sent it.
func (c *ClaimResponse) SecretBlock() string { return c.secretBlockB64 }

// Verify checks a client's claim: that its secret block is the one s issued
// (compared with [hmac.Equal]), else a [*ParameterError] for
// PASSWORD_CLAIM_SECRET_BLOCK, and that its signature over that block and
// its TIMESTAMP is right for the verifier's password, else
// [ErrVerification]. It does not check the TIMESTAMP's age: see
// [ClaimResponse.Time].
func (s *Server) Verify(c *ClaimResponse) error {
	if c == nil {
		return paramErr("claim", errMissing)
	}
	if !hmac.Equal(c.secretBlock, s.secretBlock) {
		return paramErr("PASSWORD_CLAIM_SECRET_BLOCK", errNotIssued)
	}
	want := signClaim(s.key, s.ver.poolName, s.ver.userID, c.secretBlock, c.timestamp)
	if !hmac.Equal(c.signature, want) {
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
