package srp_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/secrethash"
	"github.com/cognitosrp/cognitosrp/srp"
	"github.com/cognitosrp/cognitosrp/testvectors"
)

// vectorFile is a parsed vector file and where it came from.
type vectorFile struct {
	name string
	file *testvectors.File
}

// loadVectors returns the embedded vector files and those named in
// COGNITOSRP_VECTORS (paths separated by ":").
func loadVectors(tb testing.TB) []vectorFile {
	tb.Helper()
	var out []vectorFile
	for _, name := range testvectors.Files() {
		f, err := testvectors.Load(name)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		out = append(out, vectorFile{name, f})
	}
	if extra := os.Getenv("COGNITOSRP_VECTORS"); extra != "" {
		for _, path := range strings.Split(extra, ":") {
			data, err := os.ReadFile(path)
			if err != nil {
				tb.Fatalf("COGNITOSRP_VECTORS: %v", err)
			}
			f, err := testvectors.Parse(data)
			if err != nil {
				tb.Fatalf("%s: %v", path, err)
			}
			out = append(out, vectorFile{filepath.Base(path), f})
		}
	}
	if len(out) == 0 {
		tb.Fatal("no vector files")
	}
	return out
}

// vectorCases returns the embedded cases of one type, for fuzz seeds.
func vectorCases(tb testing.TB, typ string) []testvectors.Test {
	var out []testvectors.Test
	for _, vf := range loadVectors(tb) {
		for _, tc := range vf.file.Tests {
			if tc.Type == typ {
				out = append(out, tc)
			}
		}
	}
	return out
}

func TestVectors(t *testing.T) {
	counts := map[string]int{}
	for _, vf := range loadVectors(t) {
		for _, tc := range vf.file.Tests {
			counts[tc.Type]++
			t.Run(fmt.Sprintf("%s/%d", vf.name, tc.TcID), func(t *testing.T) {
				t.Parallel()
				if tc.HasFlag("DisagreesWithReference") {
					t.Logf("the published value disagrees with AWS's reference client; checking the reference client's (%s)", tc.Comment)
				}
				if err := checkVector(tc); err != nil {
					t.Errorf("%s: %v", tc.Comment, err)
				}
			})
		}
	}
	t.Logf("vectors by type: %v", counts)
}

// TestCorruptedVectorFails proves that the checks have teeth: one flipped
// signature byte, verifier byte or key byte must fail the case.
func TestCorruptedVectorFails(t *testing.T) {
	corrupt := func(s string, dec func(string) ([]byte, error), enc func([]byte) string) string {
		b, err := dec(s)
		if err != nil || len(b) == 0 {
			t.Fatalf("cannot decode %q", s)
		}
		b[len(b)/2] ^= 0x01
		return enc(b)
	}
	b64dec, b64enc := base64.StdEncoding.DecodeString, base64.StdEncoding.EncodeToString
	seen := map[string]bool{}
	for _, vf := range loadVectors(t) {
		for _, tc := range vf.file.Tests {
			if tc.Result != testvectors.ResultValid || seen[tc.Type] {
				continue
			}
			switch tc.Type {
			case testvectors.TypePasswordClaim:
				tc.Signature = corrupt(tc.Signature, b64dec, b64enc)
			case testvectors.TypeDeviceVerifier:
				tc.PasswordVerifier = corrupt(tc.PasswordVerifier, b64dec, b64enc)
			case testvectors.TypeServer:
				tc.Key = corrupt(tc.Key, hex.DecodeString, hex.EncodeToString)
			case testvectors.TypeSecretHash:
				tc.SecretHash = corrupt(tc.SecretHash, b64dec, b64enc)
			default:
				continue
			}
			seen[tc.Type] = true
			if err := checkVector(tc); err == nil {
				t.Errorf("%s: corrupted %s case %d passed", vf.name, tc.Type, tc.TcID)
			}
		}
	}
	if len(seen) != 4 {
		t.Errorf("corrupted only %v", seen)
	}
	// An invalid case that is treated as valid must fail too.
	for _, tc := range vectorCases(t, testvectors.TypePasswordClaim) {
		if tc.Result == testvectors.ResultInvalid {
			tc.Result = testvectors.ResultValid
			if checkVector(tc) == nil {
				t.Errorf("invalid case %d passed as valid", tc.TcID)
			}
			break
		}
	}
}

// checkVector runs one case and returns what differs from the expectation.
func checkVector(tc testvectors.Test) error {
	valid := tc.Result == testvectors.ResultValid
	switch tc.Type {
	case testvectors.TypePasswordClaim:
		return checkPasswordClaim(tc, valid)
	case testvectors.TypeDeviceVerifier:
		return checkDeviceVerifier(tc, valid)
	case testvectors.TypeServer:
		return checkServer(tc, valid)
	case testvectors.TypePadHex:
		return checkPadHex(tc, valid)
	case testvectors.TypeSecretHash, testvectors.TypeTimestamp, testvectors.TypeRFC5054:
		// No input makes these fail, so an invalid case is a broken vector.
		if !valid {
			return fmt.Errorf("%s has no invalid cases: nothing can make it fail", tc.Type)
		}
	default:
		return fmt.Errorf("unknown vector type %q", tc.Type)
	}
	switch tc.Type {
	case testvectors.TypeSecretHash:
		return expectEqual("secretHash", secrethash.Compute(tc.ClientID, tc.ClientSecret, tc.Username), tc.SecretHash)
	case testvectors.TypeTimestamp:
		return checkTimestamp(tc)
	default:
		return checkRFC5054(tc)
	}
}

// failed reports the outcome of an invalid case: it must fail with an error
// and no output.
func failed(out any, err error) error {
	if err == nil {
		return errors.New("invalid input accepted")
	}
	if out != nil && !reflect.ValueOf(out).IsNil() {
		return fmt.Errorf("output %v along with error %v", out, err)
	}
	return nil
}

func checkPasswordClaim(tc testvectors.Test, valid bool) error {
	a, err := hex.DecodeString(evenHex(tc.SmallA))
	if err != nil {
		return fmt.Errorf("bad a in vector: %v", err)
	}
	e, err := srp.NewEphemeralForTest(a)
	if err != nil {
		return err
	}
	ch, err := srp.ParseChallenge(tc.SrpB, tc.Salt, tc.SecretBlock)
	if !valid && err != nil {
		return failed(ch, err)
	}
	if err != nil {
		return err
	}
	cv, err := e.ComputeForTest(tc.PoolName, tc.UserID, tc.Password, ch, tc.Timestamp)
	if !valid {
		if cv != nil {
			return failed(cv, err)
		}
		return failed(nil, err)
	}
	if err != nil {
		return err
	}
	return errors.Join(
		expectNumber("srpA", e.SRPA(), tc.SrpA),
		expectNumber("u", hex.EncodeToString(cv.U()), tc.U),
		expectNumber("x", hex.EncodeToString(cv.X()), tc.X),
		expectNumber("S", hex.EncodeToString(cv.S()), tc.S),
		expectBytes("key", cv.Key(), tc.Key),
		expectEqual("signature", base64.StdEncoding.EncodeToString(cv.Sig()), tc.Signature),
	)
}

func checkDeviceVerifier(tc testvectors.Test, valid bool) error {
	dv, err := srp.DeviceVerifierForTest(tc.DeviceGroupKey, tc.DeviceKey, tc.DevicePassword, tc.Salt)
	if !valid {
		return failed(dv, err)
	}
	if err != nil {
		return err
	}
	return errors.Join(
		expectEqual("passwordVerifier", dv.PasswordVerifier, tc.PasswordVerifier),
		expectEqual("saltBase64", dv.Salt, tc.SaltBase64),
		expectEqual("devicePassword", dv.DevicePassword, tc.DevicePassword),
	)
}

func checkServer(tc testvectors.Test, valid bool) error {
	v, err := srp.VerifierForTest(tc.PoolName, tc.UserID, tc.Password, tc.Salt)
	if err != nil {
		return fmt.Errorf("verifier: %v", err)
	}
	b, err := hex.DecodeString(evenHex(tc.SmallB))
	if err != nil {
		return fmt.Errorf("bad b in vector: %v", err)
	}
	s, sv, err := srp.NewServerForTest(v, tc.SrpA, b)
	if !valid {
		if s != nil || sv != nil {
			return failed(s, err)
		}
		return failed(nil, err)
	}
	if err != nil {
		return err
	}
	return errors.Join(
		expectNumber("verifier", hex.EncodeToString(v.VerifierBytes()), tc.Verifier),
		expectNumber("srpB", s.SRPB(), tc.SrpB),
		expectNumber("u", hex.EncodeToString(sv.U()), tc.U),
		expectNumber("S", hex.EncodeToString(sv.S()), tc.S),
		expectBytes("key", sv.Key(), tc.Key),
		expectEqual("SALT", s.Salt(), canonicalHex(tc.Salt)),
	)
}

func checkTimestamp(tc testvectors.Test) error {
	got := srp.FormatTimestamp(time.UnixMilli(tc.UnixMillis))
	if err := expectEqual("timestamp", got, tc.Timestamp); err != nil {
		return err
	}
	back, err := srp.ParseTimestamp(tc.Timestamp)
	if err != nil {
		return fmt.Errorf("ParseTimestamp: %v", err)
	}
	sec := tc.UnixMillis / 1000
	if tc.UnixMillis%1000 < 0 {
		sec-- // floor, not truncation toward zero
	}
	if back.Unix() != sec {
		return fmt.Errorf("ParseTimestamp = %d s since the epoch, want %d", back.Unix(), sec)
	}
	return nil
}

func checkPadHex(tc testvectors.Test, valid bool) error {
	got, err := srp.PadHex(tc.Value)
	if !valid {
		return failed(got, err)
	}
	if err != nil {
		return err
	}
	return expectBytes("padded", got, tc.Padded)
}

func checkRFC5054(tc testvectors.Test) error {
	h := func(s string) []byte {
		b, err := hex.DecodeString(evenHex(s))
		if err != nil {
			panic(fmt.Sprintf("bad hex in vector: %q", s))
		}
		return b
	}
	bigA, bigB, sc, ss := srp.RFC5054ForTest(h(tc.N), h(tc.G), h(tc.K), h(tc.X), h(tc.V), h(tc.SmallA), h(tc.SmallB), h(tc.U))
	return errors.Join(
		expectNumber("A", hex.EncodeToString(bigA), tc.LargeA),
		expectNumber("B", hex.EncodeToString(bigB), tc.LargeB),
		expectNumber("S (client)", hex.EncodeToString(sc), tc.S),
		expectNumber("S (server)", hex.EncodeToString(ss), tc.S),
	)
}

func evenHex(s string) string {
	if len(s)%2 == 1 {
		return "0" + s
	}
	return s
}

// canonicalHex formats a signed hex integer as Java's toString(16) does.
func canonicalHex(s string) string {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return "<malformed " + s + ">"
	}
	return n.Text(16)
}

func expectNumber(name, got, want string) error {
	g, ok1 := new(big.Int).SetString(got, 16)
	w, ok2 := new(big.Int).SetString(want, 16)
	if !ok1 || !ok2 || g.Cmp(w) != 0 {
		return fmt.Errorf("%s = %.40s…, want %.40s…", name, got, want)
	}
	return nil
}

func expectBytes(name string, got []byte, wantHex string) error {
	want, err := hex.DecodeString(evenHex(wantHex))
	if err != nil {
		return fmt.Errorf("bad hex for %s in vector: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s = %x, want %x", name, got, want)
	}
	return nil
}

func expectEqual(name, got, want string) error {
	if got != want {
		return fmt.Errorf("%s = %q, want %q", name, got, want)
	}
	return nil
}
