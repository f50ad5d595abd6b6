package srp

import "github.com/cognitosrp/cognitosrp/internal/ctmath"

// Test hooks: fixed ephemerals and the intermediate values of the vectors.

type (
	ClaimValues  = claimValues
	ServerValues = serverValues
)

func (cv *ClaimValues) U() []byte   { return cv.u }
func (cv *ClaimValues) X() []byte   { return cv.x }
func (cv *ClaimValues) S() []byte   { return cv.s }
func (cv *ClaimValues) Key() []byte { return cv.key }
func (cv *ClaimValues) Sig() []byte { return cv.sig }

func (sv *ServerValues) U() []byte   { return sv.u }
func (sv *ServerValues) S() []byte   { return sv.s }
func (sv *ServerValues) Key() []byte { return sv.key }

// NewEphemeralForTest returns the ephemeral with the given secret a
// (big-endian, at least 128 bytes long after padding).
func NewEphemeralForTest(a []byte) (*Ephemeral, error) {
	buf := make([]byte, max(ephemeralSize, len(a)))
	copy(buf[len(buf)-len(a):], a)
	return newEphemeral(buf)
}

// ComputeForTest runs the whole client computation with an explicit timestamp.
func (e *Ephemeral) ComputeForTest(poolName, userID, password string, ch *Challenge, timestamp string) (*ClaimValues, error) {
	return e.compute(hashU, poolName, userID, password, ch, timestamp)
}

// DeviceVerifierForTest computes a device verifier from a fixed password and salt.
func DeviceVerifierForTest(groupKey, key, password, saltHex string) (*DeviceVerifier, error) {
	salt, err := parseSignedHex(saltHex)
	if err != nil {
		return nil, err
	}
	return deviceVerifier(groupKey, key, password, salt), nil
}

// VerifierForTest computes a user verifier from a fixed salt.
func VerifierForTest(poolName, userID, password, saltHex string) (*Verifier, error) {
	salt, err := parseSignedHex(saltHex)
	if err != nil {
		return nil, err
	}
	return newVerifier(poolName, userID, password, salt), nil
}

// VerifierBytes returns v as a 384-byte big-endian string.
func (v *Verifier) VerifierBytes() []byte { return cognito().bytes(&v.v) }

// NewServerForTest starts a server side with a fixed b.
func NewServerForTest(v *Verifier, srpA string, b []byte) (*Server, *ServerValues, error) {
	return newServer(hashU, v, srpA, b, []byte("test block"))
}

// zeroU is a uFunc that makes u = 0, which SHA-256 never yields for real
// inputs.
func zeroU(a, b signedInt) []byte { return make([]byte, 32) }

// PasswordClaimZeroU is PasswordClaim with u = 0.
func (e *Ephemeral) PasswordClaimZeroU(userPoolID, userID, password string, ch *Challenge) (*Claim, error) {
	poolName, err := PoolName(userPoolID)
	if err != nil {
		return nil, err
	}
	return e.claimU(zeroU, poolName, userID, password, ch, "Tue Jan 1 06:06:09 UTC 2019")
}

// NewServerZeroU is NewServer with u = 0.
func NewServerZeroU(v *Verifier, srpA string) (*Server, error) {
	s, _, err := newServer(zeroU, v, srpA, make([]byte, 32), []byte("block"))
	return s, err
}

// The reasons of ParameterError, for tests.
var (
	ErrMissing            = errMissing
	ErrMalformedHex       = errMalformedHex
	ErrMalformedBase64    = errMalformedBase64
	ErrTooLong            = errTooLong
	ErrInvalidPoolID      = errInvalidPoolID
	ErrMalformedTimestamp = errMalformedTimestamp
)

// PadHex exposes padHex for the pad_hex vectors.
func PadHex(signedHex string) ([]byte, error) {
	v, err := parseSignedHex(signedHex)
	if err != nil {
		return nil, err
	}
	return v.padded(), nil
}

var (
	EncodeBase64 = encodeBase64
	DecodeBase64 = decodeBase64
	AddMul       = addMul
)

// RFC5054ForTest runs the generic SRP-6a arithmetic in the group (N, g) with
// multiplier k: A = g^a, B = k·v + g^b, the client's S = (B − k·g^x)^(a+u·x)
// and the server's S = (A·v^u)^b, all as big-endian bytes of N's size.
func RFC5054ForTest(n, g, k, x, v, a, b, u []byte) (bigA, bigB, sClient, sServer []byte) {
	gr := newGroup(n, g)
	gr.setK(k)
	var vn ctmath.Nat
	if err := gr.n.SetBytes(&vn, v); err != nil {
		panic(err)
	}
	an := gr.expG(a)
	bn := gr.serverB(&vn, b)
	sc := gr.clientS(&bn, a, u, x)
	ss := gr.serverS(&an, &vn, u, b)
	return gr.bytes(&an), gr.bytes(&bn), gr.bytes(&sc), gr.bytes(&ss)
}
