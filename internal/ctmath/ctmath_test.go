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

// forEachKernel runs f as a subtest for every kernel that runs here, so
// that the fallbacks are tested on a machine that has the fastest kernel.
func forEachKernel(t *testing.T, f func(t *testing.T, k kernel)) {
	for _, k := range kernels() {
		t.Run("kernel="+k.String(), func(t *testing.T) { f(t, k) })
	}
}

func TestArithmeticAgainstBig(t *testing.T) { forEachKernel(t, testArithmeticAgainstBig) }

func testArithmeticAgainstBig(t *testing.T, k kernel) {
	r := mrand.New(mrand.NewPCG(7, 8))
	for _, n := range moduli(t) {
		m, err := newModulus(n.Bytes(), k)
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
			m.toMont(&xm, toNat(x))
			m.montSqr(&sq, &xm)
			m.montMul(&mu, &xm, &xm)
			if sq != mu {
				t.Fatalf("montSqr != montMul for %x mod %x", x, n)
			}
		}
	}
}

func TestExpAgainstBig(t *testing.T) { forEachKernel(t, testExpAgainstBig) }

func testExpAgainstBig(t *testing.T, k kernel) {
	r := mrand.New(mrand.NewPCG(9, 10))
	for _, n := range moduli(t) {
		m, err := newModulus(n.Bytes(), k)
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
func TestExpAgainstBigmod(t *testing.T) { forEachKernel(t, testExpAgainstBigmod) }

func testExpAgainstBigmod(t *testing.T, k kernel) {
	bm, err := bigmod.NewModulus(rfc3526.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	m, _ := newModulus(rfc3526.Bytes(), k)
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

// FuzzMul checks Mul on every kernel against math/big, the squarings
// against the multiplications, and the IFMA kernel's almost Montgomery
// multiplication against its definition on unreduced inputs too.
func FuzzMul(f *testing.F) {
	f.Add([]byte{1}, []byte{2})
	f.Add(bytes.Repeat([]byte{0xff}, 384), bytes.Repeat([]byte{0xff}, 384))
	f.Add(bytes.Repeat([]byte{0xff}, 385), bytes.Repeat([]byte{0x80}, 385))
	var ms []*Modulus
	for _, k := range kernels() {
		m, _ := newModulus(rfc3526.Bytes(), k)
		ms = append(ms, m)
	}
	twoN := new(big.Int).Lsh(rfc3526, 1)
	f.Fuzz(func(t *testing.T, xb, yb []byte) {
		if len(xb) > MaxBytes+1 || len(yb) > MaxBytes+1 {
			return
		}
		x := new(big.Int).Mod(new(big.Int).SetBytes(xb), rfc3526)
		y := new(big.Int).Mod(new(big.Int).SetBytes(yb), rfc3526)
		want := new(big.Int).Mod(new(big.Int).Mul(x, y), rfc3526)
		for _, m := range ms {
			var z, xm, s1, s2 Nat
			m.Mul(&z, toNat(x), toNat(y))
			if fromNat(&z).Cmp(want) != 0 {
				t.Fatalf("kernel %v: Mul(%x, %x) = %x, want %x", m.kernel, x, y, fromNat(&z), want)
			}
			if m.kernel == kernelIFMA {
				// Inputs below 4m: what ExpBase2's doubling makes.
				xa := new(big.Int).Mod(new(big.Int).SetBytes(xb), new(big.Int).Lsh(twoN, 1))
				ya := new(big.Int).Mod(new(big.Int).SetBytes(yb), new(big.Int).Lsh(twoN, 1))
				checkAMM(t, m, xa, ya)
				continue
			}
			m.toMont(&xm, toNat(x))
			m.montSqr(&s1, &xm)
			m.montMul(&s2, &xm, &xm)
			if s1 != s2 {
				t.Fatalf("kernel %v: montSqr != montMul", m.kernel)
			}
		}
	})
}

// r52 is R' = 2^3120, the IFMA kernel's Montgomery constant.
var r52 = new(big.Int).Lsh(big.NewInt(1), 52*digits52)

// ammWant is almost Montgomery multiplication by its definition: (x·y +
// q·n)/R' for the q in [0, R') that makes the division exact, which is
// what the digit-by-digit algorithm computes.
func ammWant(x, y, n *big.Int) *big.Int {
	ninv := new(big.Int).ModInverse(n, r52)
	xy := new(big.Int).Mul(x, y)
	q := new(big.Int).Mul(xy, ninv)
	q.Neg(q).Mod(q, r52)
	q.Mul(q, n).Add(q, xy)
	return q.Rsh(q, 52*digits52)
}

func toNat52Big(v *big.Int) *nat52 {
	var z nat52
	for j := 0; j < digits52; j++ {
		z[j] = new(big.Int).And(new(big.Int).Rsh(v, uint(52*j)), big.NewInt(mask52)).Uint64()
	}
	return &z
}

func fromNat52Big(z *nat52) *big.Int {
	v := new(big.Int)
	for j := len(z) - 1; j >= 0; j-- {
		v.Lsh(v, 52).Add(v, new(big.Int).SetUint64(z[j]))
	}
	return v
}

// checkAMM checks m.amm(x, y) against ammWant, that it is below 2m, and
// that its digits are normalized with the padding lanes zero.
func checkAMM(t *testing.T, m *Modulus, x, y *big.Int) {
	t.Helper()
	n := fromNat(&m.m)
	var z nat52
	m.amm(&z, toNat52Big(x), toNat52Big(y))
	for j, d := range z {
		if d > mask52 || (j >= digits52 && d != 0) {
			t.Fatalf("amm(%x, %x): digit %d is %#x", x, y, j, d)
		}
	}
	got := fromNat52Big(&z)
	if want := ammWant(x, y, n); got.Cmp(want) != 0 {
		t.Fatalf("amm(%x, %x) mod %x = %x, want %x", x, y, n, got, want)
	}
	if got.Cmp(new(big.Int).Lsh(n, 1)) >= 0 {
		t.Fatalf("amm(%x, %x) mod %x = %x, not below 2m", x, y, n, got)
	}
}

// TestAMM checks the IFMA kernel's multiplication against its definition,
// with inputs up to 4m, digits at their extremes, and aliasing.
func TestAMM(t *testing.T) {
	r := mrand.New(mrand.NewPCG(13, 14))
	for _, n := range moduli(t) {
		m, err := newModulus(n.Bytes(), kernelIFMA)
		if err != nil {
			t.Fatal(err)
		}
		four := new(big.Int).Lsh(n, 2)
		vals := edge(n, r)
		vals = append(vals, new(big.Int).Sub(four, big.NewInt(1)), new(big.Int).Sub(new(big.Int).Lsh(n, 1), big.NewInt(1)))
		for i := 0; i < 4; i++ {
			b := make([]byte, len(four.Bytes()))
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			vals = append(vals, new(big.Int).Mod(new(big.Int).SetBytes(b), four))
		}
		if 4*n.BitLen() <= 52*digits52 { // every digit 2^52 − 1, below 4m for n > 2^3118/4
			vals = append(vals, new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(n.BitLen()+1)), big.NewInt(1)))
		}
		for _, x := range vals {
			for _, y := range vals {
				if x.Cmp(four) >= 0 || y.Cmp(four) >= 0 {
					continue
				}
				checkAMM(t, m, x, y)
			}
			// Aliasing: z = x·x in place.
			z := *toNat52Big(x)
			m.amm(&z, &z, &z)
			if got, want := fromNat52Big(&z), ammWant(x, x, n); got.Cmp(want) != 0 {
				t.Fatalf("amm in place: %x, want %x", got, want)
			}
		}
	}
}

func TestNat52Conversion(t *testing.T) {
	r := mrand.New(mrand.NewPCG(15, 16))
	for i := 0; i < 100; i++ {
		var x Nat
		for j := range x {
			x[j] = r.Uint64()
		}
		var d nat52
		toNat52(&d, &x)
		if fromNat52Big(&d).Cmp(fromNat(&x)) != 0 {
			t.Fatal("toNat52 disagrees with math/big")
		}
		var y Nat
		if hi := fromNat52(&y, &d); hi != 0 || y != x {
			t.Fatal("fromNat52(toNat52(x)) != x")
		}
		d[digits52-1] |= 1 << 4 // bit 3072
		if hi := fromNat52(&y, &d); hi != 1 || y != x {
			t.Fatalf("fromNat52: bit 3072 gives hi = %d", hi)
		}
	}
}

// TestAMMTwin checks the assembly against its portable twin.
func TestAMMTwin(t *testing.T) {
	if !hasIFMA {
		t.Skip("no AVX-512 IFMA here")
	}
	r := mrand.New(mrand.NewPCG(19, 20))
	for _, n := range moduli(t) {
		m, _ := newModulus(n.Bytes(), kernelIFMA)
		four := new(big.Int).Lsh(n, 2)
		for i := 0; i < 50; i++ {
			var xs [2]*nat52
			for k := range xs {
				b := make([]byte, len(four.Bytes()))
				for j := range b {
					b[j] = byte(r.Uint32())
				}
				xs[k] = toNat52Big(new(big.Int).Mod(new(big.Int).SetBytes(b), four))
			}
			var z1, z2 nat52
			ammIFMA(&z1, xs[0], xs[1], &m.m52, m.k0)
			ammGeneric(&z2, xs[0], xs[1], &m.m52, m.k0)
			if z1 != z2 {
				t.Fatalf("ammIFMA and ammGeneric disagree mod %x", n)
			}
		}
	}
}

// TestLookupZ checks the table lookups of the IFMA kernel (the vector ones
// where it runs) against the entries.
func TestLookupZ(t *testing.T) {
	r := mrand.New(mrand.NewPCG(17, 18))
	var table [32]nat52
	var tableN [16]Nat
	for i := range table {
		for j := range table[i] {
			table[i][j] = r.Uint64()
		}
	}
	for i := range tableN {
		for j := range tableN[i] {
			tableN[i][j] = r.Uint64()
		}
	}
	for k := range table {
		var z nat52
		lookup52(&z, table[:], uint64(k))
		if z != table[k] {
			t.Fatalf("lookup52(%d) wrong", k)
		}
	}
	for k := range tableN {
		var z, want Nat
		lookupNat(&z, tableN[:], uint64(k))
		lookup(&want, tableN[:], uint64(k))
		if z != want || z != tableN[k] {
			t.Fatalf("lookupNat(%d) wrong", k)
		}
	}
}

func TestBestKernel(t *testing.T) {
	m, _ := NewModulus(rfc3526.Bytes())
	if m.kernel != bestKernel() {
		t.Fatalf("NewModulus took kernel %v, not %v", m.kernel, bestKernel())
	}
	if hasIFMA && bestKernel() != kernelIFMA {
		t.Fatal("IFMA is here but not chosen")
	}
	t.Logf("kernels here: %v", kernels())
}

func BenchmarkMontMul(b *testing.B) {
	var x Nat
	setBytes(&x, new(big.Int).Sub(rfc3526, big.NewInt(12345)).Bytes())
	for _, k := range kernels() {
		m, _ := newModulus(rfc3526.Bytes(), k)
		switch k {
		case kernelGo:
			b.Run("kernel=go/op=mul", func(b *testing.B) {
				for b.Loop() {
					m.montMulGeneric(&x, &x, &x)
				}
			})
			b.Run("kernel=go/op=sqr", func(b *testing.B) {
				for b.Loop() {
					m.montSqrGeneric(&x, &x)
				}
			})
		case kernelADX:
			b.Run("kernel=adx/op=mul", func(b *testing.B) {
				for b.Loop() {
					m.montMulADX(&x, &x, &x)
				}
			})
			b.Run("kernel=adx/op=sqr", func(b *testing.B) {
				for b.Loop() {
					m.montSqrADX(&x, &x)
				}
			})
		case kernelIFMA:
			if !hasIFMA {
				continue // the portable twin is for tests, not speed
			}
			var a, c nat52
			toNat52(&a, &x)
			toNat52(&c, &x)
			b.Run("kernel=ifma/op=mul", func(b *testing.B) {
				for b.Loop() {
					m.amm(&a, &a, &c)
				}
			})
			b.Run("kernel=ifma/op=sqr", func(b *testing.B) {
				for b.Loop() {
					m.amm(&a, &a, &a)
				}
			})
		}
	}
	bm, _ := bigmod.NewModulus(rfc3526.Bytes())
	m, _ := NewModulus(rfc3526.Bytes())
	y, _ := bigmod.NewNat().SetBytes(m.Bytes(&x), bm)
	b.Run("kernel=bigmod/op=mul", func(b *testing.B) {
		for b.Loop() {
			y.Mul(y, bm)
		}
	})
}

// BenchmarkExp1024 is a 3072-bit exponentiation with a 1024-bit exponent
// (the size of the client's a) on each kernel; bench/openssl/montmul.c
// prints OpenSSL's BN_mod_exp_mont_consttime under the same name.
func BenchmarkExp1024(b *testing.B) {
	e := make([]byte, 128)
	for i := range e {
		e[i] = byte(i*37 + 11)
	}
	e[0] |= 0x80
	var x Nat
	setBytes(&x, new(big.Int).Sub(rfc3526, big.NewInt(12345)).Bytes())
	for _, k := range kernels() {
		if k == kernelIFMA && !hasIFMA {
			continue
		}
		m, _ := newModulus(rfc3526.Bytes(), k)
		b.Run("kernel="+k.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				m.Exp(&x, &x, e)
			}
		})
	}
}

// TestKernelsAgree checks every kernel's Montgomery multiplication and
// squaring against the portable one, and Mul across all kernels.
func TestKernelsAgree(t *testing.T) {
	r := mrand.New(mrand.NewPCG(11, 12))
	for _, n := range moduli(t) {
		var ms []*Modulus
		for _, k := range kernels() {
			m, _ := newModulus(n.Bytes(), k)
			ms = append(ms, m)
		}
		g := ms[0]
		vals := edge(n, r)
		for _, x := range vals {
			for _, y := range vals {
				var z1, z2 Nat
				g.montMulGeneric(&z1, toNat(x), toNat(y))
				g.montSqrGeneric(&z2, toNat(x))
				var p1 Nat
				g.Mul(&p1, toNat(x), toNat(y))
				for _, m := range ms[1:] {
					var w1, w2, p2 Nat
					m.Mul(&p2, toNat(x), toNat(y))
					if p1 != p2 {
						t.Fatalf("kernel %v: Mul disagrees on %x·%x mod %x", m.kernel, x, y, n)
					}
					if m.kernel != kernelADX {
						continue
					}
					m.montMulADX(&w1, toNat(x), toNat(y))
					m.montSqrADX(&w2, toNat(x))
					if w1 != z1 || w2 != z2 {
						t.Fatalf("kernel %v: montMul/montSqr disagree on %x·%x mod %x", m.kernel, x, y, n)
					}
				}
			}
		}
	}
}
