package ctmath

import (
	"bytes"
	"crypto/rand"
	"math/big"
	mrand "math/rand/v2"
	"testing"

	"filippo.io/bigmod"
)

// rfc3526 is the 3072-bit MODP prime of RFC 3526 (group 15).
var rfc3526, _ = new(big.Int).SetString("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", 16)

func moduli(t testing.TB) []*big.Int {
	r := mrand.New(mrand.NewPCG(5, 6))
	ms := []*big.Int{rfc3526, big.NewInt(3), new(big.Int).SetUint64(0xffffffffffffffc5),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 3072), big.NewInt(1)), // all ones
		new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 3071), big.NewInt(1)), // 2^3071 + 1
	}
	for _, bitsN := range []int{65, 1024, 2047, 3000, 3072} {
		b := make([]byte, (bitsN+7)/8)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		n := new(big.Int).SetBytes(b)
		n.SetBit(n, bitsN-1, 1)
		n.SetBit(n, 0, 1)
		ms = append(ms, n)
	}
	return ms
}

func toNat(v *big.Int) *Nat {
	var z Nat
	setBytes(&z, v.Bytes())
	return &z
}

func fromNat(z *Nat) *big.Int {
	var b [MaxBytes]byte
	for i := range b {
		b[MaxBytes-1-i] = byte(z[i/8] >> (8 * (i % 8)))
	}
	return new(big.Int).SetBytes(b[:])
}

// edge returns 0, 1, 2, n−1, n−2, values with leading zero limbs, and random
// values below n.
func edge(n *big.Int, r *mrand.Rand) []*big.Int {
	one := big.NewInt(1)
	vs := []*big.Int{big.NewInt(0), one, big.NewInt(2), new(big.Int).Sub(n, one), new(big.Int).Sub(n, big.NewInt(2)),
		new(big.Int).Rsh(n, 1), new(big.Int).Rsh(n, 1000), new(big.Int).Lsh(one, 64)}
	for i := 0; i < 6; i++ {
		b := make([]byte, r.IntN(len(n.Bytes())+1))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		vs = append(vs, new(big.Int).SetBytes(b))
	}
	out := vs[:0]
	for _, v := range vs {
		if v.Sign() >= 0 && v.Cmp(n) < 0 {
			out = append(out, new(big.Int).Mod(v, n))
		}
	}
	return out
}

func TestArithmeticAgainstBig(t *testing.T) {
	r := mrand.New(mrand.NewPCG(7, 8))
	for _, n := range moduli(t) {
		m, err := NewModulus(n.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		vals := edge(n, r)
		for _, x := range vals {
			for _, y := range vals {
				var z Nat
				m.Mul(&z, toNat(x), toNat(y))
				if want := new(big.Int).Mod(new(big.Int).Mul(x, y), n); fromNat(&z).Cmp(want) != 0 {
					t.Fatalf("Mul mod %d bits: got %x, want %x", n.BitLen(), fromNat(&z), want)
				}
				m.Add(&z, toNat(x), toNat(y))
				if want := new(big.Int).Mod(new(big.Int).Add(x, y), n); fromNat(&z).Cmp(want) != 0 {
					t.Fatalf("Add: got %x, want %x", fromNat(&z), want)
				}
				m.Sub(&z, toNat(x), toNat(y))
				if want := new(big.Int).Mod(new(big.Int).Sub(x, y), n); fromNat(&z).Cmp(want) != 0 {
					t.Fatalf("Sub: got %x, want %x", fromNat(&z), want)
				}
			}
			var xm, sq, mu Nat
			m.ToMont(&xm, toNat(x))
			m.montSqr(&sq, &xm)
			m.montMul(&mu, &xm, &xm)
			if sq != mu {
				t.Fatalf("montSqr != montMul for %x mod %x", x, n)
			}
		}
	}
}

func TestExpAgainstBig(t *testing.T) {
	r := mrand.New(mrand.NewPCG(9, 10))
	for _, n := range moduli(t) {
		m, err := NewModulus(n.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var fb *FixedBase
		two := big.NewInt(2)
		if n.Cmp(two) > 0 {
			fb = NewFixedBase(m, toNat(two), 40)
		}
		for _, x := range edge(n, r)[:8] {
			for _, el := range []int{0, 1, 3, 32, 40} {
				e := make([]byte, el)
				for i := range e {
					e[i] = byte(r.Uint32())
				}
				if el == 40 {
					e[0] = 0 // leading zero bytes in the exponent
				}
				want := new(big.Int).Exp(x, new(big.Int).SetBytes(e), n)
				if n.Cmp(big.NewInt(1)) == 0 {
					want.SetInt64(0)
				}
				var z Nat
				m.Exp(&z, toNat(x), e)
				if fromNat(&z).Cmp(want) != 0 {
					t.Fatalf("Exp(%x, %x) mod %d bits: got %x, want %x", x, e, n.BitLen(), fromNat(&z), want)
				}
				if fb == nil {
					continue
				}
				want2 := new(big.Int).Exp(two, new(big.Int).SetBytes(e), n)
				fb.Exp(&z, e)
				if fromNat(&z).Cmp(want2) != 0 {
					t.Fatalf("FixedBase.Exp(%x) mod %d bits: got %x, want %x", e, n.BitLen(), fromNat(&z), want2)
				}
				m.ExpBase2(&z, e)
				if fromNat(&z).Cmp(want2) != 0 {
					t.Fatalf("ExpBase2(%x): got %x, want %x", e, fromNat(&z), want2)
				}
			}
		}
	}
}

// TestExpAgainstBigmod checks the 3072-bit exponentiation against
// filippo.io/bigmod, a second independent constant-time implementation.
func TestExpAgainstBigmod(t *testing.T) {
	bm, err := bigmod.NewModulus(rfc3526.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewModulus(rfc3526.Bytes())
	for i := 0; i < 5; i++ {
		xb := make([]byte, 384)
		rand.Read(xb)
		xb[0] = 0x7f
		e := make([]byte, 129)
		rand.Read(e)
		x, err := bigmod.NewNat().SetBytes(xb, bm)
		if err != nil {
			t.Fatal(err)
		}
		want := bigmod.NewNat().Exp(x, e, bm).Bytes(bm)
		var xn, z Nat
		if err := m.SetBytes(&xn, xb); err != nil {
			t.Fatal(err)
		}
		m.Exp(&z, &xn, e)
		if got := m.Bytes(&z); !bytes.Equal(got, want) {
			t.Fatalf("Exp disagrees with bigmod")
		}
	}
}

func TestSetBytes(t *testing.T) {
	m, _ := NewModulus(rfc3526.Bytes())
	var z Nat
	if m.SetBytes(&z, rfc3526.Bytes()) == nil {
		t.Error("SetBytes(N) accepted")
	}
	if m.SetBytes(&z, make([]byte, MaxBytes+1)) == nil {
		t.Error("SetBytes(too long) accepted")
	}
	nm1 := new(big.Int).Sub(rfc3526, big.NewInt(1))
	if err := m.SetBytes(&z, nm1.Bytes()); err != nil || fromNat(&z).Cmp(nm1) != 0 {
		t.Errorf("SetBytes(N-1) = %v", err)
	}
	for _, bad := range [][]byte{nil, {2}, {1}, {0, 0}} {
		if _, err := NewModulus(bad); err == nil {
			t.Errorf("NewModulus(%x) accepted", bad)
		}
	}
}

func FuzzMul(f *testing.F) {
	f.Add([]byte{1}, []byte{2})
	f.Add(bytes.Repeat([]byte{0xff}, 384), bytes.Repeat([]byte{0xff}, 384))
	m, _ := NewModulus(rfc3526.Bytes())
	f.Fuzz(func(t *testing.T, xb, yb []byte) {
		if len(xb) > MaxBytes || len(yb) > MaxBytes {
			return
		}
		x := new(big.Int).Mod(new(big.Int).SetBytes(xb), rfc3526)
		y := new(big.Int).Mod(new(big.Int).SetBytes(yb), rfc3526)
		var z, xm, s1, s2 Nat
		m.Mul(&z, toNat(x), toNat(y))
		if want := new(big.Int).Mod(new(big.Int).Mul(x, y), rfc3526); fromNat(&z).Cmp(want) != 0 {
			t.Fatalf("Mul(%x, %x) = %x, want %x", x, y, fromNat(&z), want)
		}
		m.ToMont(&xm, toNat(x))
		m.montSqr(&s1, &xm)
		m.montMul(&s2, &xm, &xm)
		if s1 != s2 {
			t.Fatal("montSqr != montMul")
		}
	})
}

func BenchmarkMontMul(b *testing.B) {
	m, _ := NewModulus(rfc3526.Bytes())
	var x Nat
	setBytes(&x, new(big.Int).Sub(rfc3526, big.NewInt(12345)).Bytes())
	b.Run("kernel=go", func(b *testing.B) {
		for b.Loop() {
			m.montMulGeneric(&x, &x, &x)
		}
	})
	b.Run("kernel=go-sqr", func(b *testing.B) {
		for b.Loop() {
			m.montSqrGeneric(&x, &x)
		}
	})
	if useADX {
		b.Run("kernel=adx", func(b *testing.B) {
			for b.Loop() {
				m.montMulADX(&x, &x, &x)
			}
		})
		b.Run("kernel=adx-sqr", func(b *testing.B) {
			for b.Loop() {
				m.montSqrADX(&x, &x)
			}
		})
	}
	bm, _ := bigmod.NewModulus(rfc3526.Bytes())
	y, _ := bigmod.NewNat().SetBytes(m.Bytes(&x), bm)
	b.Run("kernel=bigmod", func(b *testing.B) {
		for b.Loop() {
			y.Mul(y, bm)
		}
	})
}

// TestKernelsAgree checks every Montgomery kernel against the portable one.
func TestKernelsAgree(t *testing.T) {
	if !useADX {
		t.Skip("no ADX on this machine")
	}
	r := mrand.New(mrand.NewPCG(11, 12))
	for _, n := range moduli(t) {
		m, _ := NewModulus(n.Bytes())
		vals := edge(n, r)
		for _, x := range vals {
			for _, y := range vals {
				var z1, z2, z3, z4 Nat
				m.montMulGeneric(&z1, toNat(x), toNat(y))
				m.montMulADX(&z2, toNat(x), toNat(y))
				if z1 != z2 {
					t.Fatalf("kernels disagree on %x·%x mod %x", x, y, n)
				}
				m.montSqrGeneric(&z4, toNat(x))
				m.montMulADX(&z2, toNat(x), toNat(x))
				m.montSqrADX(&z3, toNat(x))
				if z4 != z2 || z4 != z3 {
					t.Fatalf("squaring kernels disagree on %x mod %x", x, n)
				}
			}
		}
	}
}
