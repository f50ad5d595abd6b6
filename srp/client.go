package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/cognitosrp/cognitosrp/internal/ctmath"
)

// ephemeralSize is the size of the client's secret exponent a, in bytes, as
// in AWS's clients.
const ephemeralSize = 128

// Ephemeral is a client's ephemeral key pair for one sign-in: the secret a and
// the public A = g^a mod N. Use a new one for every InitiateAuth (or
// DEVICE_SRP_AUTH answer). An Ephemeral is safe for concurrent use; its
// methods do not change it.
type Ephemeral struct {
	a    []byte // big-endian; ephemeralSize bytes except in tests
	pubA signedInt
}

// NewEphemeral returns a fresh ephemeral key pair read from crypto/rand.
func NewEphemeral() (*Ephemeral, error) {
	var a [ephemeralSize]byte
	if _, err := rand.Read(a[:]); err != nil {
		return nil, fmt.Errorf("srp: reading randomness: %w", err)
	}
	return newEphemeral(a[:])
}

func newEphemeral(a []byte) (*Ephemeral, error) {
	gr := cognito()
	pub := gr.expG(a)
	if ctmath.IsZero(&pub) == 1 { // impossible for g^a with g a generator, checked anyway
		return nil, safetyErr("A mod N = 0")
	}
	return &Ephemeral{a: a, pubA: signedInt{mag: trimZeros(gr.bytes(&pub))}}, nil
}

// SRPA returns A as the SRP_A authentication parameter: lowercase hexadecimal
// without leading zeros.
func (e *Ephemeral) SRPA() string { return e.pubA.hexString() }

// String returns a description of e without its secret. It has a value
// receiver, so that printing an Ephemeral or a pointer to one never prints a.
func (e Ephemeral) String() string { return "srp.Ephemeral{A: " + e.pubA.hexString() + "}" }

// GoString is like String, so that %#v prints no secret.
func (e Ephemeral) GoString() string { return e.String() }

// Challenge is a parsed PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER
// challenge: the server's public ephemeral B, the salt, the secret block and,
// for PASSWORD_VERIFIER, the internal user name USER_ID_FOR_SRP. It holds
// only public values and is safe for concurrent use.
type Challenge struct {
	b              signedInt
	bModN          ctmath.Nat
	salt           signedInt
	secretBlock    []byte
	secretBlockB64 string
	userID         string
}

// ParseChallenge parses the SRP_B, SALT and SECRET_BLOCK challenge parameters.
// SRP_B and SALT are hexadecimal signed integers of any length parity and case;
// SECRET_BLOCK is standard base64. It rejects B ≡ 0 (mod N) with
// [ErrSafetyCheck] and malformed values with a [*ParameterError].
func ParseChallenge(srpB, salt, secretBlock string) (*Challenge, error) {
	b, err := parseParamHex("SRP_B", srpB)
	if err != nil {
		return nil, err
	}
	s, err := parseParamHex("SALT", salt)
	if err != nil {
		return nil, err
	}
	if secretBlock == "" {
		return nil, paramErr("SECRET_BLOCK", errMissing)
	}
	sb, err := base64.StdEncoding.DecodeString(secretBlock)
	if err != nil {
		return nil, paramErr("SECRET_BLOCK", errMalformedBase64)
	}
	bModN := cognito().reduce(b)
	if ctmath.IsZero(&bModN) == 1 {
		return nil, safetyErr("B mod N = 0")
	}
	return &Challenge{b: b, bModN: bModN, salt: s, secretBlock: sb, secretBlockB64: secretBlock}, nil
}

// ParseChallengeParameters is [ParseChallenge] on a challenge's
// ChallengeParameters map (the keys SRP_B, SALT and SECRET_BLOCK), which
// also keeps USER_ID_FOR_SRP, if present, for [Challenge.UserIDForSRP].
// PASSWORD_VERIFIER carries it; DEVICE_PASSWORD_VERIFIER does not.
func ParseChallengeParameters(params map[string]string) (*Challenge, error) {
	ch, err := ParseChallenge(params["SRP_B"], params["SALT"], params["SECRET_BLOCK"])
	if err != nil {
		return nil, err
	}
	ch.userID = params["USER_ID_FOR_SRP"]
	return ch, nil
}

// UserIDForSRP returns the challenge's USER_ID_FOR_SRP, the internal user
// name that [Ephemeral.PasswordClaim] signs for, or "" when the challenge
// was parsed by [ParseChallenge] or carried none.
func (ch *Challenge) UserIDForSRP() string { return ch.userID }

func parseParamHex(name, s string) (signedInt, error) {
	if s == "" {
		return signedInt{}, paramErr(name, errMissing)
	}
	v, err := parseSignedHex(s)
	if err != nil {
		return signedInt{}, paramErr(name, err)
	}
	return v, nil
}

// Claim is the answer to a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER
// challenge. All three fields are sent to Cognito and are not secret.
type Claim struct {
	// Signature is PASSWORD_CLAIM_SIGNATURE.
	Signature string
	// SecretBlock is PASSWORD_CLAIM_SECRET_BLOCK, the challenge's SECRET_BLOCK.
	SecretBlock string
	// Timestamp is TIMESTAMP, in the layout [TimestampLayout].
	Timestamp string
}

// PasswordClaim answers a PASSWORD_VERIFIER challenge for the user whose
// USER_ID_FOR_SRP is userIDForSRP (the internal user name, which differs from
// what the user typed when signing in by alias, and which
// [Challenge.UserIDForSRP] returns) in the user pool userPoolID (such as
// "us-east-1_AbC123"). now is the signing time, normally time.Now().
func (e *Ephemeral) PasswordClaim(userPoolID, userIDForSRP, password string, ch *Challenge, now time.Time) (*Claim, error) {
	poolName, err := PoolName(userPoolID)
	if err != nil {
		return nil, err
	}
	if userIDForSRP == "" {
		return nil, paramErr("USER_ID_FOR_SRP", errMissing)
	}
	return e.claim(poolName, userIDForSRP, password, ch, FormatTimestamp(now))
}

// DeviceClaim answers a DEVICE_PASSWORD_VERIFIER challenge for a remembered
// device, with the device group key, the device key and the device password
// that were stored when the device was confirmed.
func (e *Ephemeral) DeviceClaim(deviceGroupKey, deviceKey, devicePassword string, ch *Challenge, now time.Time) (*Claim, error) {
	if deviceGroupKey == "" {
		return nil, paramErr("DeviceGroupKey", errMissing)
	}
	if deviceKey == "" {
		return nil, paramErr("DEVICE_KEY", errMissing)
	}
	return e.claim(deviceGroupKey, deviceKey, devicePassword, ch, FormatTimestamp(now))
}

// PoolName returns the part of a user pool id after the underscore, which
// Cognito's SRP hashes ("us-east-1_AbC123" → "AbC123").
func PoolName(userPoolID string) (string, error) {
	_, name, ok := strings.Cut(userPoolID, "_")
	if !ok || name == "" {
		return "", paramErr("user pool id", errInvalidPoolID)
	}
	return name, nil
}

// claimValues holds a claim's intermediate values, for the test vectors.
type claimValues struct {
	u, x []byte
	s    []byte // padHex(S)
	key  []byte
	sig  []byte
}

func (e *Ephemeral) claim(poolName, userID, password string, ch *Challenge, timestamp string) (*Claim, error) {
	return e.claimU(hashU, poolName, userID, password, ch, timestamp)
}

func (e *Ephemeral) claimU(uf uFunc, poolName, userID, password string, ch *Challenge, timestamp string) (*Claim, error) {
	if ch == nil {
		return nil, paramErr("challenge", errMissing)
	}
	cv, err := e.compute(uf, poolName, userID, password, ch, timestamp)
	if err != nil {
		return nil, err
	}
	return &Claim{
		Signature:   base64.StdEncoding.EncodeToString(cv.sig),
		SecretBlock: ch.secretBlockB64,
		Timestamp:   timestamp,
	}, nil
}

func (e *Ephemeral) compute(uf uFunc, poolName, userID, password string, ch *Challenge, timestamp string) (*claimValues, error) {
	gr := cognito()
	u := uf(e.pubA, ch.b)
	if zeroBytes(u) {
		return nil, safetyErr("u = 0")
	}
	x := hashX(ch.salt, poolName, userID, password)
	s := gr.clientS(&ch.bModN, e.a, u, x)
	sPad := padPositiveVarTime(gr.bytes(&s))
	key := deriveKey(sPad, u)
	return &claimValues{u: u, x: x, s: sPad, key: key, sig: signClaim(key, poolName, userID, ch.secretBlock, timestamp)}, nil
}

// hashU computes u = H(padHex(A) ‖ padHex(B)). The functions that use it
// take it as a parameter (a uFunc), so that a test can make u = 0, which no
// real input reaches.
func hashU(a, b signedInt) []byte {
	var buf [2*(maxHexDigits/2) + 4]byte
	msg := a.appendPadded(buf[:0])
	msg = b.appendPadded(msg)
	u := sha256.Sum256(msg)
	return u[:]
}

// hashX computes x = H(padHex(salt) ‖ H(poolName ‖ userID ‖ ":" ‖ password)).
func hashX(salt signedInt, poolName, userID, password string) []byte {
	inner := sha256.New()
	inner.Write([]byte(poolName))
	inner.Write([]byte(userID))
	inner.Write([]byte{':'})
	inner.Write([]byte(password))
	var buf [maxHexDigits/2 + 2 + sha256.Size]byte
	msg := salt.appendPadded(buf[:0])
	msg = inner.Sum(msg)
	x := sha256.Sum256(msg)
	return x[:]
}

// deriveKey computes HKDF-SHA256(padHex(S), padHex(u), "Caldera Derived Key")
// truncated to 16 bytes.
func deriveKey(paddedS, u []byte) []byte {
	key, err := hkdf.Key(sha256.New, paddedS, padPositiveVarTime(u), "Caldera Derived Key", 16)
	if err != nil {
		panic("srp: internal error: " + err.Error())
	}
	return key
}

// signClaim computes HMAC-SHA256(key, poolName ‖ userID ‖ secretBlock ‖ timestamp).
func signClaim(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// uFunc computes u from A and B: hashU, except in tests.
type uFunc func(a, b signedInt) []byte

// zeroBytes reports whether the public b is all zeros.
func zeroBytes(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}
