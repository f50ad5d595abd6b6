package srp_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cognitosrp/cognitosrp/srp"
)

// fuzzSeeds adds the SRP_B, SALT and SECRET_BLOCK of the test vectors.
func fuzzChallengeSeeds(f *testing.F) {
	f.Add("abcdef", "1234", "AAAA")
	f.Add("-16e4", "-16e4", "AQID")
	f.Add(multipleOfN(1), "00", "AAAA")
	f.Add("0", "0", "=")
	for _, tc := range vectorCases(f, "password_claim") {
		f.Add(tc.SrpB, tc.Salt, tc.SecretBlock)
	}
}

// FuzzParseChallenge: no panic; nil result on error; a parsed challenge
// always yields a claim (or ErrSafetyCheck) and its values round-trip.
func FuzzParseChallenge(f *testing.F) {
	fuzzChallengeSeeds(f)
	e, err := srp.NewEphemeral()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, srpB, salt, block string) {
		ch, err := srp.ParseChallenge(srpB, salt, block)
		if err != nil {
			if ch != nil {
				t.Fatal("non-nil challenge with an error")
			}
			var pe *srp.ParameterError
			if !errors.As(err, &pe) && !errors.Is(err, srp.ErrSafetyCheck) {
				t.Fatalf("untyped error %v", err)
			}
			if strings.Contains(err.Error(), srpB) && len(srpB) > 8 {
				t.Fatalf("error quotes the input: %v", err)
			}
			return
		}
		if _, ok := new(big.Int).SetString(srpB, 16); !ok {
			t.Fatalf("accepted SRP_B %q that math/big rejects", srpB)
		}
		claim, err := e.PasswordClaim("us-east-1_Fuzz", "user", "pw", ch, time.Unix(0, 0))
		if err != nil {
			if claim != nil {
				t.Fatal("non-nil claim with an error")
			}
			return
		}
		if claim.SecretBlock != block {
			t.Fatal("secret block not echoed")
		}
		if _, err := base64.StdEncoding.DecodeString(claim.Signature); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzNewServer: SRP_A from a client; no panic, nil on error, and A ≡ 0
// (mod N) never accepted.
func FuzzNewServer(f *testing.F) {
	v, err := srp.NewVerifier("us-east-1_Fuzz", "user", "pw")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("0")
	f.Add(multipleOfN(1))
	f.Add("-" + multipleOfN(2))
	f.Add("02")
	for _, tc := range vectorCases(f, "server") {
		f.Add(tc.SrpA)
	}
	f.Fuzz(func(t *testing.T, srpA string) {
		s, err := srp.NewServer(v, srpA)
		if err != nil {
			if s != nil {
				t.Fatal("non-nil server with an error")
			}
			return
		}
		a, ok := new(big.Int).SetString(srpA, 16)
		if !ok {
			t.Fatalf("accepted SRP_A %q that math/big rejects", srpA)
		}
		if new(big.Int).Mod(a, testN).Sign() == 0 {
			t.Fatalf("accepted A ≡ 0 (mod N)")
		}
		claim, err := srp.ParseClaim(s.SecretBlock(), "Tue Jan 1 06:06:09 UTC 2019", "AAAA")
		if err != nil {
			t.Fatal(err)
		}
		if s.Verify(claim) == nil {
			t.Fatal("a wrong signature verified")
		}
	})
}

// FuzzParseDeviceVerifierConfig: the two base64 strings of ConfirmDevice.
func FuzzParseDeviceVerifierConfig(f *testing.F) {
	dv, err := srp.NewDeviceVerifier("-g", "k")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(dv.Salt, dv.PasswordVerifier)
	f.Add("", "")
	f.Add("gA==", "AA==")
	for _, tc := range vectorCases(f, "device_verifier") {
		f.Add(tc.SaltBase64, tc.PasswordVerifier)
	}
	f.Fuzz(func(t *testing.T, salt, verifier string) {
		v, err := srp.ParseDeviceVerifierConfig("-g", "k", salt, verifier)
		if err != nil {
			if v != nil {
				t.Fatal("non-nil verifier with an error")
			}
			return
		}
		if _, err := base64.StdEncoding.DecodeString(verifier); err != nil {
			t.Fatalf("accepted verifier %q that encoding/base64 rejects", verifier)
		}
		if _, ok := new(big.Int).SetString(v.Salt(), 16); !ok {
			t.Fatalf("bad SALT %q", v.Salt())
		}
	})
}

// FuzzParseTimestamp: only the exact layout is accepted, and it round-trips.
func FuzzParseTimestamp(f *testing.F) {
	f.Add("Tue Jan 1 06:06:09 UTC 2019")
	f.Add("Tue Jan 01 06:06:09 UTC 2019")
	for _, tc := range vectorCases(f, "timestamp") {
		f.Add(tc.Timestamp)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := srp.ParseTimestamp(s)
		if err != nil {
			if !ts.IsZero() {
				t.Fatal("non-zero time with an error")
			}
			return
		}
		if got := srp.FormatTimestamp(ts); got != s {
			t.Fatalf("ParseTimestamp(%q) formats back as %q", s, got)
		}
	})
}

// FuzzPadHex compares padHex of any signed hex integer with Java's
// BigInteger.toByteArray, computed with math/big.
func FuzzPadHex(f *testing.F) {
	for _, s := range []string{"0", "-80", "-81", "80", "7f", "-ff", "-100"} {
		f.Add(s)
	}
	for _, tc := range vectorCases(f, "pad_hex") {
		f.Add(tc.Value)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := srp.PadHex(s)
		n, ok := new(big.Int).SetString(s, 16)
		if err != nil {
			if got != nil {
				t.Fatal("output with an error")
			}
			if ok && !strings.HasPrefix(s, "+") && len(strings.TrimPrefix(s, "-")) <= 2048 {
				t.Fatalf("rejected %q that math/big accepts", s)
			}
			return
		}
		if !ok {
			t.Fatalf("accepted %q that math/big rejects", s)
		}
		if want := javaBytes(n); !bytes.Equal(got, want) {
			t.Fatalf("PadHex(%q) = %x, want %x", s, got, want)
		}
	})
}

// javaBytes is Java's BigInteger.toByteArray on math/big.
func javaBytes(n *big.Int) []byte {
	l := n.BitLen()/8 + 1
	m := new(big.Int).Set(n)
	if n.Sign() < 0 {
		m.Add(m, new(big.Int).Lsh(big.NewInt(1), uint(8*l)))
	}
	b := m.FillBytes(make([]byte, l))
	for len(b) > 1 && ((b[0] == 0 && b[1]&0x80 == 0) || (b[0] == 0xff && b[1]&0x80 != 0)) {
		b = b[1:]
	}
	return b
}

// FuzzDecodeBase64 compares our constant-time decoder with encoding/base64's
// strict decoder.
func FuzzDecodeBase64(f *testing.F) {
	for _, s := range []string{"", "AAAA", "QQ==", "QR==", "QUJD", "a+/="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := srp.DecodeBase64(s)
		want, werr := base64.StdEncoding.Strict().DecodeString(s)
		if strings.ContainsAny(s, "\r\n") {
			return // encoding/base64 skips newlines; we do not
		}
		if (err == nil) != (werr == nil) || (err == nil && !bytes.Equal(got, want)) {
			t.Fatalf("DecodeBase64(%q) = %x, %v; encoding/base64: %x, %v", s, got, err, want, werr)
		}
		if err != nil && got != nil {
			t.Fatal("output with an error")
		}
		if err == nil && srp.EncodeBase64(got) != s {
			t.Fatal("round trip")
		}
	})
}

// FuzzParseClaim: a client's claim as a server receives it; no panic, nil
// on error, errors typed and quoting no input, and nothing but the right
// signature over the issued block verifies.
func FuzzParseClaim(f *testing.F) {
	v, err := srp.NewVerifier("us-east-1_Fuzz", "user", "pw")
	if err != nil {
		f.Fatal(err)
	}
	e, err := srp.NewEphemeral()
	if err != nil {
		f.Fatal(err)
	}
	srv, err := srp.NewServer(v, e.SRPA())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(srv.SecretBlock(), "Tue Jan 1 06:06:09 UTC 2019", "AAAA")
	f.Add("AAAA", "Tue Jan 01 06:06:09 UTC 2019", "AAAA")
	f.Add("", "", "")
	f.Add("=", "x", "!")
	f.Fuzz(func(t *testing.T, block, ts, sig string) {
		cr, err := srp.ParseClaim(block, ts, sig)
		if err != nil {
			var pe *srp.ParameterError
			if cr != nil || !errors.As(err, &pe) {
				t.Fatalf("ParseClaim: %v, %v", cr, err)
			}
			if len(block) > 8 && strings.Contains(err.Error(), block) || len(sig) > 8 && strings.Contains(err.Error(), sig) {
				t.Fatalf("error quotes the input: %v", err)
			}
			return
		}
		if srp.FormatTimestamp(cr.Time()) != ts || cr.SecretBlock() != block {
			t.Fatal("claim does not round-trip")
		}
		if srv.Verify(cr) == nil {
			t.Fatal("a claim without the key verified")
		}
	})
}
