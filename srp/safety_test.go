package srp_test

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

var testN, _ = new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)

func multipleOfN(k int64) string {
	return new(big.Int).Mul(testN, big.NewInt(k)).Text(16)
}

func TestUnsafeB(t *testing.T) {
	for _, b := range []string{"0", "-0", "000", multipleOfN(1), strings.ToUpper(multipleOfN(2)), multipleOfN(-1), multipleOfN(1000)} {
		ch, err := srp.ParseChallenge(b, "01", "AAAA")
		if ch != nil || !errors.Is(err, srp.ErrSafetyCheck) || !strings.Contains(err.Error(), "B mod N = 0") {
			t.Errorf("ParseChallenge(B = %.12s…) = %v, %v; want ErrSafetyCheck: B mod N = 0", b, ch, err)
		}
	}
}

func TestUnsafeA(t *testing.T) {
	v, err := srp.NewVerifier("us-east-1_X", "user", "pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"0", "-00", multipleOfN(1), multipleOfN(2), multipleOfN(-3)} {
		s, err := srp.NewServer(v, a)
		if s != nil || !errors.Is(err, srp.ErrSafetyCheck) {
			t.Errorf("NewServer(A = %.12s…) = %v, %v; want ErrSafetyCheck", a, s, err)
		}
	}
}

func TestMalformedParameters(t *testing.T) {
	cases := []struct {
		b, salt, block, param string
		want                  error
	}{
		{"", "01", "AAAA", "SRP_B", srp.ErrMissing},
		{"xyz", "01", "AAAA", "SRP_B", srp.ErrMalformedHex},
		{"0x12", "01", "AAAA", "SRP_B", srp.ErrMalformedHex},
		{"12", "", "AAAA", "SALT", srp.ErrMissing},
		{"12", "-", "AAAA", "SALT", srp.ErrMalformedHex},
		{"12", "01", "", "SECRET_BLOCK", srp.ErrMissing},
		{"12", "01", "!!!!", "SECRET_BLOCK", srp.ErrMalformedBase64},
		{"12", "01", "AAA", "SECRET_BLOCK", srp.ErrMalformedBase64},
		{strings.Repeat("1", 5000), "01", "AAAA", "SRP_B", srp.ErrTooLong},
	}
	for _, c := range cases {
		ch, err := srp.ParseChallenge(c.b, c.salt, c.block)
		var pe *srp.ParameterError
		if ch != nil || !errors.As(err, &pe) || pe.Param != c.param || !errors.Is(err, c.want) {
			t.Errorf("ParseChallenge(%.10q, %q, %q) = %v, %v; want %s: %v", c.b, c.salt, c.block, ch, err, c.param, c.want)
		}
		if err != nil && len(err.Error()) > 100 {
			t.Errorf("error quotes the value: %v", err)
		}
	}
}

func TestBadPoolID(t *testing.T) {
	e, _ := srp.NewEphemeral()
	ch, err := srp.ParseChallenge("1234", "01", "AAAA")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"", "nounderscore", "us-east-1_"} {
		if c, err := e.PasswordClaim(id, "u", "p", ch, time.Now()); c != nil || !errors.Is(err, srp.ErrInvalidPoolID) {
			t.Errorf("PasswordClaim(pool %q) = %v, %v", id, c, err)
		}
	}
}

func TestNoSecretInStrings(t *testing.T) {
	dv, err := srp.NewDeviceVerifier("-g", "k")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{dv.String(), dv.GoString()} {
		if strings.Contains(s, dv.DevicePassword) {
			t.Errorf("DeviceVerifier string leaks its password: %s", s)
		}
	}
}

func TestTimestamp(t *testing.T) {
	cases := map[time.Time]string{
		time.Date(2019, 1, 1, 6, 6, 9, 0, time.UTC):                      "Tue Jan 1 06:06:09 UTC 2019",
		time.Date(2024, 2, 29, 23, 59, 59, 999, time.UTC):                "Thu Feb 29 23:59:59 UTC 2024",
		time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC):                    "Thu Dec 31 00:00:00 UTC 2020",
		time.Date(2021, 6, 9, 15, 4, 5, 0, time.FixedZone("x", 3600*-5)): "Wed Jun 9 20:04:05 UTC 2021",
	}
	for in, want := range cases {
		if got := srp.FormatTimestamp(in); got != want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", in, got, want)
		}
		back, err := srp.ParseTimestamp(want)
		if err != nil || !back.Equal(in.Truncate(time.Second)) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", want, back, err)
		}
	}
	for _, bad := range []string{"", "Tue Jan 01 06:06:09 UTC 2019", "Tue Jan  1 06:06:09 UTC 2019", "Tue Jan 1 6:06:09 UTC 2019",
		"Wed Jan 1 06:06:09 UTC 2019", "Tue Jan 1 06:06:09 GMT 2019", "tue jan 1 06:06:09 UTC 2019", "Tue Jan 1 06:06:09 UTC 2019 "} {
		if _, err := srp.ParseTimestamp(bad); !errors.Is(err, srp.ErrMalformedTimestamp) {
			t.Errorf("ParseTimestamp(%q) = %v", bad, err)
		}
	}
}

// TestNoSecretInFormatting prints every type that holds a secret with every
// fmt verb, as values and as pointers.
func TestNoSecretInFormatting(t *testing.T) {
	const password = "p4ss-W0RD-in-a-test"
	v, err := srp.NewVerifier("us-east-1_X", "user", password)
	if err != nil {
		t.Fatal(err)
	}
	e, err := srp.NewEphemeral()
	if err != nil {
		t.Fatal(err)
	}
	s, err := srp.NewServer(v, e.SRPA())
	if err != nil {
		t.Fatal(err)
	}
	dv, err := srp.NewDeviceVerifier("-g", "k")
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{password, dv.DevicePassword}
	for _, x := range []any{v, *v, e, *e, s, *s, dv, *dv} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, x)
			for _, sec := range secrets {
				if strings.Contains(out, sec) {
					t.Errorf("%s of %T prints a secret: %s", verb, x, out)
				}
			}
			// Raw limbs or bytes of a, b, v, S or the key would show as long
			// runs of numbers.
			if strings.Count(out, " ") > 20 || len(out) > 1000 {
				t.Errorf("%s of %T prints internals: %.200s", verb, x, out)
			}
		}
	}
}
