// Package testvectors holds test vectors for Amazon Cognito's SRP-6a
// sign-in, device remembering, SECRET_HASH, TIMESTAMP and padHex, produced
// by AWS's own reference client, amazon-cognito-identity-js, and embedded
// in this package.
//
// For most uses, range over [Files], [Load] each file and run every
// [Test] as a subtest, switching on [Test.Type]:
//
//	for _, name := range testvectors.Files() {
//		f, err := testvectors.Load(name)
//		if err != nil {
//			t.Fatal(err)
//		}
//		for _, tc := range f.Tests {
//			t.Run(fmt.Sprintf("%s/%d", name, tc.TcID), func(t *testing.T) { ... })
//		}
//	}
//
// README.md in this directory is the full specification of the format, of
// every type, field and flag, and of how the files are regenerated
// (testvectors/_generate). Vector files of the same format from elsewhere
// can be read with [Parse].
//
// # Format
//
// A file is a JSON object {"algorithm", "source", "notes", "tests"}, in the
// shape of C2SP Wycheproof's vectors. Every test has a tcId (1..n within a
// file), a type, a comment, flags (each defined in the file's notes) and a
// result, "valid" or "invalid", plus the fields of its type. Numbers are hex
// strings of signed integers as Cognito sends them and are compared as
// numbers; base64 and text fields are compared exactly. An invalid test has
// no output fields: the operation must fail.
//
// [Parse] is strict: it rejects unknown fields, fields that do not belong to
// the test's type, missing fields, unknown types and results, flags that the
// file's notes do not define, and tcIds out of sequence.
package testvectors

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
)

// FS holds the vector files, *.json at its root.
//
//go:embed *.json
var FS embed.FS

// The types of [Test].
const (
	// TypePasswordClaim is a PASSWORD_VERIFIER (or, for devices,
	// DEVICE_PASSWORD_VERIFIER) claim computed by the client.
	TypePasswordClaim = "password_claim"
	// TypeDeviceVerifier is the DeviceSecretVerifierConfig that
	// ConfirmDevice sends for a new device.
	TypeDeviceVerifier = "device_verifier"
	// TypeServer is the server side of a sign-in.
	TypeServer = "server"
	// TypeSecretHash is a SECRET_HASH.
	TypeSecretHash = "secret_hash"
	// TypeTimestamp is a TIMESTAMP.
	TypeTimestamp = "timestamp"
	// TypePadHex is the padHex encoding of an integer.
	TypePadHex = "pad_hex"
	// TypeRFC5054 is RFC 5054's Appendix B test vector, for the generic
	// SRP-6a arithmetic.
	TypeRFC5054 = "rfc5054"
)

// The results of [Test].
const (
	// ResultValid: the operation succeeds with the test's outputs.
	ResultValid = "valid"
	// ResultInvalid: the operation fails with an error and no output.
	ResultInvalid = "invalid"
)

// A File is one vector file.
type File struct {
	// Algorithm names what the file's tests exercise.
	Algorithm string `json:"algorithm"`
	// Source says where the expected values come from.
	Source string `json:"source"`
	// Notes maps each flag used in the file to its meaning. It may hold
	// further notes that no test uses as a flag.
	Notes map[string]string `json:"notes"`
	// Tests are the test cases, in tcId order.
	Tests []Test `json:"tests"`
}

// A Test is one test case. Which fields it has depends on its Type (see
// README.md); the others are empty. Hex fields are hex strings of signed
// integers, to be compared as numbers.
type Test struct {
	// TcID is the test's number, 1..n within its file.
	TcID int `json:"tcId"`
	// Type is one of the Type constants.
	Type string `json:"type"`
	// Comment says what the test is about and where it comes from.
	Comment string `json:"comment"`
	// Flags name the test's notable properties; each is defined in the
	// file's Notes.
	Flags []string `json:"flags"`
	// Result is ResultValid or ResultInvalid.
	Result string `json:"result"`

	// PoolName is the part of the user pool id after "_" (for device
	// claims: the device group key). Input of password_claim and server.
	PoolName string `json:"poolName"`
	// UserID is USER_ID_FOR_SRP (for device claims: the device key).
	// Input of password_claim and server.
	UserID string `json:"userId"`
	// Password is the password (for device claims: the device password).
	// Input of password_claim and server.
	Password string `json:"password"`
	// SmallA is the client's private ephemeral a, hex. Input of
	// password_claim and rfc5054.
	SmallA string `json:"a"`
	// SrpB is SRP_B as Cognito sends it, hex. Input of password_claim;
	// output of server.
	SrpB string `json:"srpB"`
	// Salt is SALT as Cognito sends it, hex (device_verifier: the salt
	// the device drew). Input of password_claim, server and device_verifier.
	Salt string `json:"salt"`
	// SecretBlock is SECRET_BLOCK, base64. Input of password_claim.
	SecretBlock string `json:"secretBlock"`
	// Timestamp is TIMESTAMP. Input of password_claim; output of timestamp.
	Timestamp string `json:"timestamp"`
	// SrpA is SRP_A, hex. Output of password_claim; input of server.
	SrpA string `json:"srpA"`
	// U is u = H(padHex(A) || padHex(B)), hex. Output of password_claim
	// and server; input of rfc5054.
	U string `json:"u"`
	// X is the private key x, hex. Output of password_claim; input of
	// rfc5054.
	X string `json:"x"`
	// S is the premaster secret, hex. Output of password_claim, server
	// and rfc5054.
	S string `json:"S"`
	// Key is the 16-byte HKDF key, hex. Output of password_claim and
	// server.
	Key string `json:"key"`
	// Signature is PASSWORD_CLAIM_SIGNATURE, base64. Output of
	// password_claim.
	Signature string `json:"signature"`

	// DeviceGroupKey is NewDeviceMetadata.DeviceGroupKey. Input of
	// device_verifier.
	DeviceGroupKey string `json:"deviceGroupKey"`
	// DeviceKey is NewDeviceMetadata.DeviceKey. Input of device_verifier.
	DeviceKey string `json:"deviceKey"`
	// DevicePassword is the device password. Input of device_verifier.
	DevicePassword string `json:"devicePassword"`
	// PasswordVerifier is DeviceSecretVerifierConfig.PasswordVerifier,
	// base64. Output of device_verifier.
	PasswordVerifier string `json:"passwordVerifier"`
	// SaltBase64 is DeviceSecretVerifierConfig.Salt, base64. Output of
	// device_verifier.
	SaltBase64 string `json:"saltBase64"`

	// SmallB is the server's private ephemeral b, hex. Input of server
	// and rfc5054.
	SmallB string `json:"b"`
	// Verifier is the password verifier v = g^x mod N, hex. Output of
	// server.
	Verifier string `json:"verifier"`

	// ClientID is the app client id. Input of secret_hash.
	ClientID string `json:"clientId"`
	// ClientSecret is the app client secret. Input of secret_hash.
	ClientSecret string `json:"clientSecret"`
	// Username is the username the hash is for. Input of secret_hash.
	Username string `json:"username"`
	// SecretHash is SECRET_HASH, base64. Output of secret_hash.
	SecretHash string `json:"secretHash"`

	// UnixMillis is the time, in milliseconds since the Unix epoch.
	// Input of timestamp.
	UnixMillis int64 `json:"unixMillis"`

	// Value is an integer, hex. Input of pad_hex.
	Value string `json:"value"`
	// Padded is padHex(Value), hex of bytes. Output of pad_hex.
	Padded string `json:"padded"`

	// N is the group's prime, hex. Input of rfc5054.
	N string `json:"N"`
	// G is the generator, hex. Input of rfc5054.
	G string `json:"g"`
	// K is the multiplier k, hex. Input of rfc5054.
	K string `json:"k"`
	// V is the verifier v, hex. Input of rfc5054.
	V string `json:"v"`
	// LargeA is the client's public ephemeral A, hex. Output of rfc5054.
	LargeA string `json:"A"`
	// LargeB is the server's public ephemeral B, hex. Output of rfc5054.
	LargeB string `json:"B"`
}

// HasFlag reports whether the test carries flag.
func (t *Test) HasFlag(flag string) bool {
	return slices.Contains(t.Flags, flag)
}

// fields lists, per type, the input fields and the output fields (which an
// invalid test must not have).
var fields = map[string]struct{ inputs, outputs []string }{
	TypePasswordClaim: {
		[]string{"poolName", "userId", "password", "a", "srpB", "salt", "secretBlock", "timestamp"},
		[]string{"srpA", "u", "x", "S", "key", "signature"},
	},
	TypeDeviceVerifier: {
		[]string{"deviceGroupKey", "deviceKey", "devicePassword", "salt"},
		[]string{"passwordVerifier", "saltBase64"},
	},
	TypeServer: {
		[]string{"poolName", "userId", "password", "salt", "b", "srpA"},
		[]string{"verifier", "srpB", "u", "S", "key"},
	},
	TypeSecretHash: {
		[]string{"clientId", "clientSecret", "username"},
		[]string{"secretHash"},
	},
	TypeTimestamp: {
		[]string{"unixMillis"},
		[]string{"timestamp"},
	},
	TypePadHex: {
		[]string{"value"},
		[]string{"padded"},
	},
	TypeRFC5054: {
		[]string{"N", "g", "k", "x", "v", "a", "b", "u"},
		[]string{"A", "B", "S"},
	},
}

var commonFields = []string{"tcId", "type", "comment", "flags", "result"}

// Parse decodes a vector file strictly: see the package documentation.
func Parse(data []byte) (*File, error) {
	f, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("testvectors: %w", err)
	}
	return f, nil
}

func parse(data []byte) (*File, error) {
	var raw struct {
		Algorithm *string            `json:"algorithm"`
		Source    *string            `json:"source"`
		Notes     map[string]string  `json:"notes"`
		Tests     *[]json.RawMessage `json:"tests"`
	}
	if err := decodeStrict(data, &raw); err != nil {
		return nil, err
	}
	if err := checkKeys(data, []string{"algorithm", "source", "notes", "tests"}, nil); err != nil {
		return nil, err
	}
	if raw.Algorithm == nil || raw.Source == nil || raw.Notes == nil || raw.Tests == nil {
		return nil, errors.New("a file needs algorithm, source, notes and tests")
	}
	f := &File{Algorithm: *raw.Algorithm, Source: *raw.Source, Notes: raw.Notes, Tests: make([]Test, 0, len(*raw.Tests))}
	for i, rt := range *raw.Tests {
		t, err := parseTest(rt, f.Notes)
		if err != nil {
			return nil, fmt.Errorf("test %d: %w", i+1, err)
		}
		if t.TcID != i+1 {
			return nil, fmt.Errorf("test %d has tcId %d, want %d", i+1, t.TcID, i+1)
		}
		f.Tests = append(f.Tests, t)
	}
	return f, nil
}

func parseTest(data json.RawMessage, notes map[string]string) (Test, error) {
	var t Test
	var head struct {
		Type   string `json:"type"`
		Result string `json:"result"`
	}
	// The type and result decide which fields the test may have.
	if err := json.Unmarshal(data, &head); err != nil {
		return t, err
	}
	tf, ok := fields[head.Type]
	if !ok {
		return t, fmt.Errorf("unknown type %q", head.Type)
	}
	var outputs []string
	switch head.Result {
	case ResultValid:
		outputs = tf.outputs
	case ResultInvalid:
	default:
		return t, fmt.Errorf("unknown result %q", head.Result)
	}
	want := slices.Concat(commonFields, tf.inputs, outputs)
	if err := checkKeys(data, want, tf.outputs); err != nil {
		return t, fmt.Errorf("%s %s test: %w", head.Result, head.Type, err)
	}
	if err := decodeStrict(data, &t); err != nil {
		return t, err
	}
	if t.Flags == nil {
		return t, errors.New("flags is null")
	}
	for _, fl := range t.Flags {
		if _, ok := notes[fl]; !ok {
			return t, fmt.Errorf("flag %q is not defined in the file's notes", fl)
		}
	}
	return t, nil
}

// decodeStrict decodes one JSON value into v, rejecting unknown fields and
// trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// checkKeys checks that the JSON object data has exactly the keys in want,
// spelled exactly so (encoding/json itself matches keys case-insensitively)
// and each once. Keys in forbidden but not in want get their own message.
func checkKeys(data []byte, want, forbidden []string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("not a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		if seen[key] {
			return fmt.Errorf("field %q appears twice", key)
		}
		seen[key] = true
		if !slices.Contains(want, key) {
			if slices.Contains(forbidden, key) {
				return fmt.Errorf("output field %q in an invalid test", key)
			}
			return fmt.Errorf("field %q does not belong here", key)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	for _, k := range want {
		if !seen[k] {
			return fmt.Errorf("field %q is missing", k)
		}
	}
	return nil
}

// Files returns the names of the embedded vector files, sorted.
func Files() []string {
	names, err := fs.Glob(FS, "*.json")
	if err != nil {
		panic("testvectors: internal error: " + err.Error())
	}
	slices.Sort(names)
	return names
}

// Load parses the embedded vector file name (one of [Files]).
func Load(name string) (*File, error) {
	data, err := FS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("testvectors: %w", err)
	}
	f, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("testvectors: %s: %w", name, err)
	}
	return f, nil
}
