package srp

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

func (sv *ServerValues) U() []byte { return sv.u }
func (sv *ServerValues) S() []byte { return sv.s }

// NewEphemeralForTest returns the ephemeral with the given secret a (at most
// 128 bytes, big-endian).
func NewEphemeralForTest(a []byte) (*Ephemeral, error) {
	var buf [ephemeralSize]byte
	copy(buf[ephemeralSize-len(a):], a)
	return newEphemeral(buf)
}

// ComputeForTest runs the whole client computation with an explicit timestamp.
func (e *Ephemeral) ComputeForTest(poolName, userID, password string, ch *Challenge, timestamp string) (*ClaimValues, error) {
	return e.compute(poolName, userID, password, ch, timestamp)
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
	return newServer(v, srpA, b)
}

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
