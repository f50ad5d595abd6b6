package srp

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	mrand "math/rand/v2"
	"testing"
)

// javaToByteArray is the reference for padded: Java's BigInteger.toByteArray
// computed with math/big.
func javaToByteArray(n *big.Int) []byte {
	l := 1
	for {
		lo := new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), uint(8*l-1)))
		hi := new(big.Int).Lsh(big.NewInt(1), uint(8*l-1))
		if n.Cmp(lo) >= 0 && n.Cmp(hi) < 0 {
			break
		}
		l++
	}
	m := new(big.Int).Set(n)
	if n.Sign() < 0 {
		m.Add(m, new(big.Int).Lsh(big.NewInt(1), uint(8*l)))
	}
	return m.FillBytes(make([]byte, l))
}

func TestPaddedAgainstJava(t *testing.T) {
	cases := []int64{0, 1, -1, 127, 128, -128, -129, 255, 256, -256, -255, 32767, 32768, -32768, -32769, 1 << 40, -(1 << 40)}
	for _, c := range cases {
		checkPadded(t, big.NewInt(c))
	}
	r := mrand.New(mrand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		b := make([]byte, r.IntN(40))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		if len(b) > 0 && r.IntN(3) == 0 {
			b[0] = 0 // leading zero bytes
		}
		n := new(big.Int).SetBytes(b)
		if r.IntN(2) == 0 {
			n.Neg(n)
		}
		checkPadded(t, n)
	}
}

func checkPadded(t *testing.T, n *big.Int) {
	t.Helper()
	v, err := parseSignedHex(n.Text(16))
	if err != nil {
		t.Fatalf("parseSignedHex(%s): %v", n.Text(16), err)
	}
	if got, want := v.padded(), javaToByteArray(n); !bytes.Equal(got, want) {
		t.Errorf("padded(%s) = %x, want %x", n.Text(16), got, want)
	}
	if got := v.hexString(); got != n.Text(16) {
		t.Errorf("hexString(%s) = %s", n.Text(16), got)
	}
	// toByteArray round trip.
	if got := fromTwosComplement(javaToByteArray(n)); got.hexString() != n.Text(16) {
		t.Errorf("fromTwosComplement(%x) = %s, want %s", javaToByteArray(n), got.hexString(), n.Text(16))
	}
}

func TestParseSignedHex(t *testing.T) {
	good := map[string]string{"0": "0", "-0": "0", "00ff": "ff", "ABC": "abc", "-16e4": "-16e4", "0000": "0"}
	for in, want := range good {
		v, err := parseSignedHex(in)
		if err != nil || v.hexString() != want {
			t.Errorf("parseSignedHex(%q) = %v, %v; want %s", in, v.hexString(), err, want)
		}
	}
	for _, in := range []string{"", "-", "0x12", "12 ", "g", "--1", "+1", string(make([]byte, maxHexDigits+1))} {
		if _, err := parseSignedHex(in); err == nil {
			t.Errorf("parseSignedHex(%q) succeeded", in)
		}
	}
}

func TestBase64AgainstStdlib(t *testing.T) {
	for n := 0; n < 70; n++ {
		b := make([]byte, n)
		rand.Read(b)
		want := base64.StdEncoding.EncodeToString(b)
		if got := encodeBase64(b); got != want {
			t.Fatalf("encodeBase64(%x) = %s, want %s", b, got, want)
		}
		dec, err := decodeBase64(want)
		if err != nil || !bytes.Equal(dec, b) {
			t.Fatalf("decodeBase64(%s) = %x, %v", want, dec, err)
		}
	}
	for c := 0; c < 256; c++ {
		s := string([]byte{'A', 'A', 'A', byte(c)})
		want, werr := base64.StdEncoding.Strict().DecodeString(s)
		got, gerr := decodeBase64(s)
		if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
			t.Errorf("decodeBase64(%q) = %x, %v; stdlib %x, %v", s, got, gerr, want, werr)
		}
	}
	for _, bad := range []string{"A", "AB=", "A===", "AB=C", "====", "QQ=A", "QR==", "QUF=", "Q Q=", "QQ==QQ=="} {
		if _, err := decodeBase64(bad); err == nil {
			t.Errorf("decodeBase64(%q) succeeded", bad)
		}
	}
}

func TestAddMulAgainstBig(t *testing.T) {
	r := mrand.New(mrand.NewPCG(3, 4))
	rnd := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	ff := func(n int) []byte { return bytes.Repeat([]byte{0xff}, n) }
	type tc struct{ a, u, x []byte }
	cases := []tc{
		{ff(128), ff(32), ff(32)},
		{make([]byte, 128), make([]byte, 32), make([]byte, 32)},
		{ff(32), ff(20), ff(20)},
		{rnd(1), rnd(3), rnd(5)},
	}
	for i := 0; i < 500; i++ {
		cases = append(cases, tc{rnd(r.IntN(130)), rnd(r.IntN(33)), rnd(r.IntN(33))})
	}
	for _, c := range cases {
		a, u, x := new(big.Int).SetBytes(c.a), new(big.Int).SetBytes(c.u), new(big.Int).SetBytes(c.x)
		want := new(big.Int).Add(a, new(big.Int).Mul(u, x))
		got := addMul(c.a, c.u, c.x)
		if len(got) != max(len(c.a), len(c.u)+len(c.x))+1 {
			t.Fatalf("addMul length %d", len(got))
		}
		if new(big.Int).SetBytes(got).Cmp(want) != 0 {
			t.Fatalf("addMul(%x, %x, %x) = %x, want %x", c.a, c.u, c.x, got, want)
		}
	}
}

func TestReduceAgainstBig(t *testing.T) {
	gr := cognito()
	n := new(big.Int).SetBytes(gr.bytes(gr.n.Nat()))
	vals := []*big.Int{big.NewInt(0), big.NewInt(1), new(big.Int).Sub(n, big.NewInt(1)), n, new(big.Int).Add(n, big.NewInt(1)),
		new(big.Int).Lsh(n, 1), new(big.Int).Lsh(big.NewInt(1), 3072), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 3072), big.NewInt(1)),
		new(big.Int).Lsh(big.NewInt(7), 8000)}
	for i := 0; i < 20; i++ {
		b := make([]byte, 1+i*37)
		rand.Read(b)
		vals = append(vals, new(big.Int).SetBytes(b))
	}
	for _, v := range vals {
		for _, neg := range []bool{false, true} {
			vv := new(big.Int).Set(v)
			if neg {
				vv.Neg(vv)
			}
			si, err := parseSignedHex(vv.Text(16))
			if err != nil {
				t.Fatal(err)
			}
			r := gr.reduce(si)
			got := new(big.Int).SetBytes(gr.bytes(&r))
			want := new(big.Int).Mod(vv, n)
			if got.Cmp(want) != 0 {
				t.Fatalf("reduce(%s…) = %s…, want %s…", head(vv), head(got), head(want))
			}
		}
	}
}

func head(v *big.Int) string {
	s := v.Text(16)
	if len(s) > 16 {
		return s[:16]
	}
	return s
}

func TestGroupConstants(t *testing.T) {
	gr := cognito()
	if got := hex.EncodeToString(gr.bytes(&gr.k)[gr.size-32:]); got != "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6" {
		t.Errorf("k = %s", got)
	}
	n := new(big.Int).SetBytes(gr.bytes(gr.n.Nat()))
	if n.BitLen() != 3072 || !n.ProbablyPrime(20) || !new(big.Int).Rsh(n, 1).ProbablyPrime(20) {
		t.Error("N is not a 3072-bit safe prime")
	}
}
