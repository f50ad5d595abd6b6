package ctmath

import "math/bits"

// The IFMA kernel's arithmetic: residues as 60 digits of 52 bits in 64-bit
// lanes (type nat52), Montgomery's R' = 2^3120, and almost Montgomery
// multiplication (Gueron and Krasnov, "Software Implementation of Modular
// Exponentiation, Using Advanced Vector Instructions Architectures", 2012):
// the product (x·y + q·m)/R' is left below x·y/R' + m instead of m, which
// needs no conditional subtraction: it stays below 2m for inputs below 2m
// since 4m < R', and for inputs below 4m (which the doubling of ExpBase2
// makes) since 16m < R'. Values stay in this form
// through a whole exponentiation; the conversion to 64-bit limbs and the one
// conditional subtraction happen at the end.

const (
	digits52 = 60 // 60·52 = 3120 ≥ 3072 + 2 bits
	mask52   = 1<<52 - 1
)

// nat52 is a value as 52-bit digits, little-endian, each below 2^52, lanes
// 60 to 63 zero (padding to eight 64-byte vectors).
type nat52 [64]uint64

// toNat52 sets z to the 52-bit digits of x. Digit positions are public.
func toNat52(z *nat52, x *Nat) {
	for j := 0; j < digits52; j++ {
		bit := 52 * j
		k, s := bit/64, uint(bit%64)
		d := x[k] >> s
		if s > 12 && k+1 < Limbs {
			d |= x[k+1] << (64 - s)
		}
		z[j] = d & mask52
	}
	for j := digits52; j < len(z); j++ {
		z[j] = 0
	}
}

// fromNat52 sets z to the low 3072 bits of x and returns the bits above.
func fromNat52(z *Nat, x *nat52) (hi uint64) {
	for i := 0; i < Limbs; i++ {
		bit := 64 * i
		j, s := bit/52, uint(bit%52)
		w := x[j]>>s | x[j+1]<<(52-s)
		if s > 40 {
			w |= x[j+2] << (104 - s)
		}
		z[i] = w
	}
	return x[digits52-1] >> 4 // 59·52 + 4 = 3072
}

// amm sets z = x·y·R'⁻¹ mod m, below 2m for x·y < R'·m. z may alias x or y.
// Without AVX-512 IFMA (in tests) it runs the portable twin.
func (m *Modulus) amm(z, x, y *nat52) {
	if hasIFMA {
		ammIFMA(z, x, y, &m.m52, m.k0)
		return
	}
	ammGeneric(z, x, y, &m.m52, m.k0)
}

// ammGeneric is the assembly's algorithm in portable Go, step for step but
// for digit 0, which it keeps in the lanes: the twin that the tests check
// the assembly against, and that runs the IFMA kernel's code paths on
// machines without it.
func ammGeneric(z, a, b, m *nat52, k0 uint64) {
	var acc [digits52]uint64 // lanes below 2^60: carries are left in them
	for i := 0; i < digits52; i++ {
		bi := b[i]
		var hiA, hiM [digits52]uint64
		for j := range acc {
			hi, lo := bits.Mul64(a[j], bi)
			acc[j] += lo & mask52
			hiA[j] = hi<<12 | lo>>52
		}
		y := acc[0] * k0 & mask52
		for j := range acc {
			hi, lo := bits.Mul64(m[j], y)
			acc[j] += lo & mask52
			hiM[j] = hi<<12 | lo>>52
		}
		carry := acc[0] >> 52 // acc[0] is a multiple of 2^52 now
		copy(acc[:], acc[1:])
		acc[digits52-1] = 0
		acc[0] += carry
		for j := range acc {
			acc[j] += hiA[j] + hiM[j]
		}
	}
	var c uint64
	for j := range acc {
		v := acc[j] + c
		z[j] = v & mask52
		c = v >> 52
	}
	for j := digits52; j < len(z); j++ {
		z[j] = 0
	}
}

// lookup52 sets z = table[k], reading every entry.
func lookup52(z *nat52, table []nat52, k uint64) {
	if hasIFMA {
		lookupZ64(&z[0], &table[0][0], len(table), k)
		return
	}
	*z = nat52{}
	for i := range table {
		d := uint64(i) ^ k
		mask := ((d | -d) >> 63) - 1
		for j := range z {
			z[j] |= table[i][j] & mask
		}
	}
}

// lookupNat is lookup, with the vector code where the IFMA kernel runs.
func lookupNat(z *Nat, table []Nat, k uint64) {
	if hasIFMA {
		lookupZ48(&z[0], &table[0][0], len(table), k)
		return
	}
	lookup(z, table, k)
}

// reduce52 sets z = x mod m for x < 2m, in 64-bit limbs.
func (m *Modulus) reduce52(z *Nat, x *nat52) {
	var t Nat
	hi := fromNat52(&t, x)
	m.reduceOnce(z, hi, &t)
}

// toMont52 sets z = x·R' mod m (x < m).
func (m *Modulus) toMont52(z *nat52, x *Nat) {
	var t nat52
	toNat52(&t, x)
	m.amm(z, &t, &m.rr52)
}

// fromMont52 sets z = x·R'⁻¹ mod m, fully reduced.
func (m *Modulus) fromMont52(z *Nat, x *nat52) {
	var one, t nat52
	one[0] = 1
	m.amm(&t, x, &one) // at most m: (x + q·m)/R' < 4m/R' + m
	m.reduce52(z, &t)
}

// double52 sets z = 2x, without reduction (x < 2^3119).
func double52(z, x *nat52) {
	var c uint64
	for j := 0; j < digits52; j++ {
		v := x[j]<<1 | c
		z[j] = v & mask52
		c = v >> 52
	}
}

// select52 sets z = x if on == 1 and z = y if on == 0.
func select52(z *nat52, on uint64, x, y *nat52) {
	mask := -on
	for i := range z {
		z[i] = y[i] ^ (mask & (x[i] ^ y[i]))
	}
}

// initIFMA computes the IFMA kernel's constants from the 64-bit ones.
func (m *Modulus) initIFMA() {
	m.k0 = m.m0inv & mask52 // −m⁻¹ mod 2^64, reduced mod 2^52
	toNat52(&m.m52, &m.m)
	// R' mod m = R·2^48 mod m, R'² mod m = R²·2^96 mod m: modulus-only.
	one, rr := m.one, m.rr
	for i := 0; i < 2*(digits52*52-Limbs*64); i++ {
		if i < digits52*52-Limbs*64 {
			m.double(&one)
		}
		m.double(&rr)
	}
	toNat52(&m.one52, &one)
	toNat52(&m.rr52, &rr)
}

// mul52 is Mul on the IFMA kernel.
func (m *Modulus) mul52(z, x, y *Nat) {
	var a, b nat52
	toNat52(&a, x)
	toNat52(&b, y)
	m.amm(&a, &a, &b)      // x·y·R'⁻¹
	m.amm(&a, &a, &m.rr52) // x·y, below 2m
	m.reduce52(z, &a)
}

// exp52 is Exp on the IFMA kernel.
func (m *Modulus) exp52(z, x *Nat, e []byte) {
	var table [1 << expWindow]nat52 // x^i·R'
	table[0] = m.one52
	m.toMont52(&table[1], x)
	for i := 2; i < len(table); i++ {
		if i%2 == 0 {
			m.amm(&table[i], &table[i/2], &table[i/2])
		} else {
			m.amm(&table[i], &table[i-1], &table[1])
		}
	}
	nbits := 8 * len(e)
	pos := nbits - nbits%expWindow
	if pos == nbits && pos > 0 {
		pos -= expWindow
	}
	var acc, sel nat52
	lookup52(&acc, table[:], bitsAt(e, pos, expWindow))
	for pos -= expWindow; pos >= 0; pos -= expWindow {
		for i := 0; i < expWindow; i++ {
			m.amm(&acc, &acc, &acc)
		}
		lookup52(&sel, table[:], bitsAt(e, pos, expWindow))
		m.amm(&acc, &acc, &sel)
	}
	m.fromMont52(z, &acc)
}

// expBase2_52 is ExpBase2 on the IFMA kernel: acc stays below 2m after each
// squaring, so its double is below 4m, which the next squaring accepts.
func (m *Modulus) expBase2_52(z *Nat, e []byte) {
	acc := m.one52
	var d nat52
	for _, b := range e {
		for s := 7; s >= 0; s-- {
			m.amm(&acc, &acc, &acc)
			double52(&d, &acc)
			select52(&acc, uint64(b>>s)&1, &d, &acc)
		}
	}
	m.fromMont52(z, &acc)
}

// init52 fills fb's tables for the IFMA kernel: each entry is
// g^(k·16^i)·R' mod m, fully reduced and in 64-bit limbs, which keeps the
// tables at the size of the other kernels'.
func (fb *FixedBase) init52(g *Nat) {
	m := fb.m
	var base, cur nat52
	m.toMont52(&base, g)
	for i := range fb.tables {
		t := &fb.tables[i]
		m.reduce52(&t[0], &m.one52)
		cur = base
		m.reduce52(&t[1], &cur)
		for k := 2; k < len(t); k++ {
			m.amm(&cur, &cur, &base)
			m.reduce52(&t[k], &cur)
		}
		m.amm(&base, &cur, &base) // g^(16^(i+1))
	}
}

// exp52 is FixedBase.Exp on the IFMA kernel.
func (fb *FixedBase) exp52(z *Nat, e []byte) {
	m := fb.m
	acc := m.one52
	var sel Nat
	var sel52 nat52
	for i := range e {
		b := e[len(e)-1-i]
		lookupNat(&sel, fb.tables[2*i][:], uint64(b&15))
		toNat52(&sel52, &sel)
		m.amm(&acc, &acc, &sel52)
		lookupNat(&sel, fb.tables[2*i+1][:], uint64(b>>4))
		toNat52(&sel52, &sel)
		m.amm(&acc, &acc, &sel52)
	}
	m.fromMont52(z, &acc)
}
