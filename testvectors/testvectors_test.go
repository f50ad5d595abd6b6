package testvectors

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func loadAll(t *testing.T) map[string]*File {
	t.Helper()
	files := map[string]*File{}
	for _, name := range Files() {
		f, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	return files
}

func TestFiles(t *testing.T) {
	want := []string{"device.json", "invalid.json", "pad_hex.json", "password_claim.json", "published.json", "rfc5054.json", "secret_hash.json", "server.json", "timestamp.json"}
	got := Files()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Files() = %v, want %v", got, want)
	}
}

// TestCounts checks the coverage the vectors promise.
func TestCounts(t *testing.T) {
	files := loadAll(t)
	count := func(file, typ, result string, flag string) int {
		n := 0
		for name, f := range files {
			if file != "" && name != file {
				continue
			}
			for i := range f.Tests {
				tc := &f.Tests[i]
				if tc.Type == typ && tc.Result == result && (flag == "" || tc.HasFlag(flag)) {
					n++
				}
			}
		}
		return n
	}
	for _, c := range []struct {
		file, typ, result, flag string
		min                     int
	}{
		{"password_claim.json", TypePasswordClaim, ResultValid, "", 150},
		{"device.json", TypeDeviceVerifier, ResultValid, "", 30},
		{"device.json", TypePasswordClaim, ResultValid, "Device", 30},
		{"server.json", TypeServer, ResultValid, "", 24},
		{"invalid.json", TypePasswordClaim, ResultInvalid, "", 20},
		{"invalid.json", TypeServer, ResultInvalid, "", 6},
		{"secret_hash.json", TypeSecretHash, ResultValid, "", 10},
		{"timestamp.json", TypeTimestamp, ResultValid, "", 40},
		{"pad_hex.json", TypePadHex, ResultValid, "", 40},
		{"rfc5054.json", TypeRFC5054, ResultValid, "", 1},
		{"published.json", TypePasswordClaim, ResultValid, "", 10},
		{"published.json", TypePadHex, ResultValid, "Published", 500},
		{"", TypePasswordClaim, ResultValid, "Published", 10},
	} {
		if n := count(c.file, c.typ, c.result, c.flag); n < c.min {
			t.Errorf("%s: %d %s %s tests with flag %q, want at least %d", c.file, n, c.result, c.typ, c.flag, c.min)
		}
	}
	random := 0
	for _, tc := range files["password_claim.json"].Tests {
		if strings.HasPrefix(tc.Comment, "random sign-in ") {
			random++
		}
	}
	if random < 32 {
		t.Errorf("password_claim.json: %d random sign-ins, want at least 32", random)
	}
	// Every deliberately chosen property occurs.
	for _, flag := range []string{
		"TopBitA", "LeadingZeroA", "TopBitB", "LeadingZeroB", "OddLengthB", "TopBitS", "LeadingZeroS",
		"TopBitU", "LeadingZeroU", "NegativeSalt", "TopBitSalt", "LeadingZeroSalt", "OddLengthSalt",
		"UpperCaseHex", "ZeroPaddedHex", "NegativeB", "UnreducedB", "NonASCIIPassword", "EmptyPassword",
		"LongPassword", "ColonInPassword", "NonASCIIUserId", "ColonInUserId", "Alias", "SingleDigitDay",
		"AfternoonHour", "MidnightHour", "December31", "LeapDay", "TruncatedMillis",
	} {
		if n := count("password_claim.json", TypePasswordClaim, ResultValid, flag); n == 0 {
			t.Errorf("no password_claim with flag %s", flag)
		}
	}
	for _, flag := range []string{"TopBitVerifier", "LeadingZeroVerifier", "TopBitSalt", "LeadingZeroSalt"} {
		if count("device.json", TypeDeviceVerifier, ResultValid, flag) == 0 {
			t.Errorf("no device_verifier with flag %s", flag)
		}
	}
	for _, flag := range []string{"ZeroB", "BIsN", "BIs2N", "BIsMinusN", "EmptySrpB", "MalformedSrpB", "MalformedSalt", "InvalidSecretBlock"} {
		if count("invalid.json", TypePasswordClaim, ResultInvalid, flag) == 0 {
			t.Errorf("no invalid password_claim with flag %s", flag)
		}
	}
	for _, flag := range []string{"ZeroA", "AIsN", "AIs2N", "AIsMinusN", "EmptySrpA", "MalformedSrpA"} {
		if count("invalid.json", TypeServer, ResultInvalid, flag) == 0 {
			t.Errorf("no invalid server test with flag %s", flag)
		}
	}
}

// TestREADMEDefinesFlags checks that README.md documents every flag a file
// uses, with the same meaning class (the README is the specification).
func TestREADMEDefinesFlags(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range loadAll(t) {
		for flag := range f.Notes {
			if !strings.Contains(string(readme), "`"+flag+"`") {
				t.Errorf("%s: flag %s is not documented in README.md", name, flag)
			}
		}
	}
}

// readmeFlags returns the flags README.md's "## Flags" section defines, in
// the order of its tables (rows of the form "| `Name` | meaning |").
func readmeFlags(readme string) []string {
	_, section, ok := strings.Cut(readme, "\n## Flags\n")
	if !ok {
		return nil
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var flags []string
	for _, m := range flagRow.FindAllStringSubmatch(section, -1) {
		flags = append(flags, m[1])
	}
	return flags
}

var flagRow = regexp.MustCompile("(?m)^\\| `([A-Za-z0-9]+)` \\|")

// uncoveredFlags returns the flags of README.md that no test of files
// carries.
func uncoveredFlags(readme string, files map[string]*File) []string {
	carried := map[string]bool{}
	for _, f := range files {
		for i := range f.Tests {
			for _, flag := range f.Tests[i].Flags {
				carried[flag] = true
			}
		}
	}
	var out []string
	for _, flag := range readmeFlags(readme) {
		if !carried[flag] {
			out = append(out, flag)
		}
	}
	return out
}

// TestEveryFlagCovered checks that every flag the specification defines is
// carried by at least one test, so that no edge case is lost when the
// vectors are regenerated.
func TestEveryFlagCovered(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	flags := readmeFlags(string(readme))
	// The tables define 61 flags; fewer means the section was not found or
	// its format changed, and the check would pass vacuously.
	if len(flags) < 61 {
		t.Fatalf("README.md defines %d flags, want at least 61: %v", len(flags), flags)
	}
	if missing := uncoveredFlags(string(readme), loadAll(t)); len(missing) > 0 {
		t.Errorf("no test carries the flag(s) %v that README.md defines", missing)
	}
	// The check fails when a flag is not carried.
	extra := strings.Replace(string(readme), "\n## Flags\n", "\n## Flags\n\n| `NoSuchFlag` | never carried |\n", 1)
	if got := uncoveredFlags(extra, loadAll(t)); len(got) != 1 || got[0] != "NoSuchFlag" {
		t.Errorf("with an uncarried flag added to README.md, uncoveredFlags = %v, want [NoSuchFlag]", got)
	}
}

// TestREADMEFlagsMatchGenerator checks that README.md defines exactly the
// flags the generator knows (_generate/flags.js), so that the coverage
// check above covers every flag the generator can compute.
func TestREADMEFlagsMatchGenerator(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("_generate/flags.js")
	if err != nil {
		t.Fatal(err)
	}
	_, descriptions, ok := strings.Cut(string(src), "\nconst DESCRIPTIONS = {\n")
	if !ok {
		t.Fatal("_generate/flags.js: no DESCRIPTIONS")
	}
	body, _, _ := strings.Cut(descriptions, "\n};\n")
	var generator []string
	for _, m := range regexp.MustCompile(`(?m)^\t([A-Za-z0-9]+): '`).FindAllStringSubmatch(body, -1) {
		generator = append(generator, m[1])
	}
	spec := readmeFlags(string(readme))
	slices.Sort(generator)
	slices.Sort(spec)
	if !slices.Equal(generator, spec) {
		t.Errorf("README.md defines the flags\n%v\n_generate/flags.js knows\n%v", spec, generator)
	}
}

var signedHex = regexp.MustCompile(`^-?[0-9a-fA-F]+$`)

func parseHex(t *testing.T, where, s string) *big.Int {
	t.Helper()
	if !signedHex.MatchString(s) {
		t.Fatalf("%s: %q is not signed hex", where, s)
	}
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("%s: %q", where, s)
	}
	return n
}

// padHex is the minimal two's-complement big-endian encoding of n.
func padHex(n *big.Int) []byte {
	if n.Sign() >= 0 {
		b := n.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			b = append([]byte{0}, b...)
		}
		return b
	}
	l := 1
	for {
		min := new(big.Int).Lsh(big.NewInt(1), uint(8*l-1))
		if n.Cmp(min.Neg(min)) >= 0 {
			break
		}
		l++
	}
	v := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), uint(8*l)), n)
	return v.FillBytes(make([]byte, l))
}

// TestConsistency checks, independently of the generator, the parts of the
// vectors that need no SRP arithmetic: signatures are HMACs of the given
// key, secret hashes, timestamps, padHex, and the shape of every value.
func TestConsistency(t *testing.T) {
	for name, f := range loadAll(t) {
		for i := range f.Tests {
			tc := &f.Tests[i]
			where := name + "#" + itoa(tc.TcID)
			switch tc.Type {
			case TypePasswordClaim:
				for _, s := range []string{tc.SmallA} {
					parseHex(t, where, s)
				}
				if tc.Result == ResultInvalid {
					continue
				}
				for _, s := range []string{tc.SrpB, tc.Salt, tc.SrpA, tc.U, tc.X, tc.S} {
					parseHex(t, where, s)
				}
				key, err := hex.DecodeString(tc.Key)
				if err != nil || len(key) != 16 {
					t.Errorf("%s: key %q is not 16 bytes of hex", where, tc.Key)
					continue
				}
				block, err := base64.StdEncoding.DecodeString(tc.SecretBlock)
				if err != nil {
					t.Errorf("%s: secretBlock: %v", where, err)
					continue
				}
				mac := hmac.New(sha256.New, key)
				mac.Write([]byte(tc.PoolName))
				mac.Write([]byte(tc.UserID))
				mac.Write(block)
				mac.Write([]byte(tc.Timestamp))
				if got := base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != tc.Signature {
					t.Errorf("%s: signature %s, HMAC gives %s", where, tc.Signature, got)
				}
				// u, padded, is the HKDF salt: check the key derivation too.
				u := parseHex(t, where, tc.U)
				S := parseHex(t, where, tc.S)
				prk := hmac.New(sha256.New, padHex(u))
				prk.Write(padHex(S))
				okm := hmac.New(sha256.New, prk.Sum(nil))
				okm.Write([]byte("Caldera Derived Key\x01"))
				if got := hex.EncodeToString(okm.Sum(nil)[:16]); got != strings.ToLower(tc.Key) {
					t.Errorf("%s: key %s, HKDF(padHex(S), padHex(u)) gives %s", where, tc.Key, got)
				}
			case TypeDeviceVerifier:
				salt := parseHex(t, where, tc.Salt)
				if got := base64.StdEncoding.EncodeToString(padHex(salt)); got != tc.SaltBase64 {
					t.Errorf("%s: saltBase64 %s, base64(padHex(salt)) is %s", where, tc.SaltBase64, got)
				}
				if _, err := base64.StdEncoding.DecodeString(tc.PasswordVerifier); err != nil {
					t.Errorf("%s: passwordVerifier: %v", where, err)
				}
			case TypeServer:
				parseHex(t, where, tc.SmallB)
				if tc.Result == ResultInvalid {
					continue
				}
				for _, s := range []string{tc.Salt, tc.SrpA, tc.Verifier, tc.SrpB, tc.U, tc.S} {
					parseHex(t, where, s)
				}
			case TypeSecretHash:
				mac := hmac.New(sha256.New, []byte(tc.ClientSecret))
				mac.Write([]byte(tc.Username + tc.ClientID))
				if got := base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != tc.SecretHash {
					t.Errorf("%s: secretHash %s, HMAC gives %s", where, tc.SecretHash, got)
				}
			case TypeTimestamp:
				got := time.UnixMilli(tc.UnixMillis).UTC().Format("Mon Jan 2 15:04:05 UTC 2006")
				if got != tc.Timestamp {
					t.Errorf("%s: timestamp %q, Go formats %q", where, tc.Timestamp, got)
				}
			case TypePadHex:
				v := parseHex(t, where, tc.Value)
				want, err := hex.DecodeString(tc.Padded)
				if err != nil {
					t.Errorf("%s: padded: %v", where, err)
				} else if got := padHex(v); hex.EncodeToString(got) != hex.EncodeToString(want) {
					t.Errorf("%s: padded %s, two's complement is %x", where, tc.Padded, got)
				}
			case TypeRFC5054:
				for _, s := range []string{tc.N, tc.G, tc.K, tc.X, tc.V, tc.SmallA, tc.SmallB, tc.U, tc.LargeA, tc.LargeB, tc.S} {
					parseHex(t, where, s)
				}
			}
		}
	}
}

// TestDevicePairs checks that each device_verifier in device.json is
// followed by the claim of the same device.
func TestDevicePairs(t *testing.T) {
	f, err := Load("device.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Tests {
		v := &f.Tests[i]
		if v.Type != TypeDeviceVerifier {
			continue
		}
		if i+1 >= len(f.Tests) {
			t.Fatalf("device.json#%d: no claim follows", v.TcID)
		}
		c := &f.Tests[i+1]
		if c.Type != TypePasswordClaim || !c.HasFlag("Device") || c.PoolName != v.DeviceGroupKey || c.UserID != v.DeviceKey || c.Password != v.DevicePassword {
			t.Errorf("device.json#%d: not followed by the claim of the same device", v.TcID)
		}
	}
}

func itoa(n int) string {
	return big.NewInt(int64(n)).String()
}

const okFile = `{
  "algorithm": "x",
  "source": "y",
  "notes": {"Flag": "a flag"},
  "tests": [
    {"tcId": 1, "type": "secret_hash", "comment": "", "flags": ["Flag"], "result": "valid",
     "clientId": "c", "clientSecret": "s", "username": "u", "secretHash": "h"},
    {"tcId": 2, "type": "timestamp", "comment": "", "flags": [], "result": "invalid", "unixMillis": 5}
  ]
}`

func TestParse(t *testing.T) {
	f, err := Parse([]byte(okFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tests) != 2 || f.Tests[0].SecretHash != "h" || f.Tests[1].UnixMillis != 5 || !f.Tests[0].HasFlag("Flag") {
		t.Errorf("Parse(okFile) = %+v", f)
	}
}

func TestParseRejects(t *testing.T) {
	for _, c := range []struct{ name, old, new string }{
		{"unknown top-level field", `"source": "y",`, `"source": "y", "extra": 1,`},
		{"missing top-level field", `"source": "y",`, ``},
		{"unknown test field", `"secretHash": "h"`, `"secretHash": "h", "bogus": "1"`},
		{"field of another type", `"secretHash": "h"`, `"secretHash": "h", "srpB": "1"`},
		{"missing input", `"clientId": "c", `, ``},
		{"missing output", `, "secretHash": "h"`, ``},
		{"output in an invalid test", `"unixMillis": 5}`, `"unixMillis": 5, "timestamp": "t"}`},
		{"unknown type", `"type": "timestamp"`, `"type": "clock"`},
		{"unknown result", `"result": "invalid"`, `"result": "acceptable"`},
		{"undefined flag", `"flags": ["Flag"]`, `"flags": ["Flag", "Other"]`},
		{"null flags", `"flags": []`, `"flags": null`},
		{"tcId out of sequence", `"tcId": 2`, `"tcId": 3`},
		{"field name in another case", `"clientId": "c"`, `"ClientId": "c"`},
		{"duplicate field", `"clientId": "c"`, `"clientId": "c", "clientId": "d"`},
		{"number for a string", `"username": "u"`, `"username": 7`},
		{"string for a number", `"unixMillis": 5`, `"unixMillis": "5"`},
		{"trailing data", "]\n}", "]\n}\n{}"},
		{"not an object", `{`, `[{`},
	} {
		if !strings.Contains(okFile, c.old) {
			t.Fatalf("%s: %q not in okFile", c.name, c.old)
		}
		bad := strings.Replace(okFile, c.old, c.new, 1)
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("%s: Parse accepted\n%s", c.name, bad)
		}
	}
}
