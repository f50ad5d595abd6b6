package ctmath

import "math/bits"

// montMul sets z = x·y·R⁻¹ mod m, for x, y < m. z may alias x or y.
func (m *Modulus) montMul(z, x, y *Nat) {
	if hasADX && m.kernel != kernelGo { // the IFMA kernel's moduli too
		m.montMulADX(z, x, y)
		return
	}
	m.montMulGeneric(z, x, y)
}

// montMulADX is montMul on the assembly kernel: for each limb of y, two
// multiply-accumulate passes (x·y[i], then m·mᵢ) over a sliding window of a
// double-width buffer.
func (m *Modulus) montMulADX(z, x, y *Nat) {
	var t [2 * Limbs]uint64
	carry := montMulADX48(&t, &x[0], &y[0], &m.m[0], m.m0inv)
	m.reduceOnce(z, carry, (*Nat)(t[Limbs:]))
}

// montSqrADX is montSqr on the assembly squaring: the off-diagonal
// products once, doubled, plus the squares, then the reduction.
func (m *Modulus) montSqrADX(z, x *Nat) {
	var t [2 * Limbs]uint64
	carry := montSqrADX48(&t, &x[0], &m.m[0], m.m0inv)
	m.reduceOnce(z, carry, (*Nat)(t[Limbs:]))
}

// montMulGeneric is montMul in portable Go (coarsely integrated operand
// scanning, CIOS).
func (m *Modulus) montMulGeneric(z, x, y *Nat) {
	var t [Limbs + 1]uint64
	n := &m.m
	for i := 0; i < Limbs; i++ {
		yi := y[i]
		hi1, lo1 := bits.Mul64(x[0], yi)
		var c uint64
		lo1, c = bits.Add64(lo1, t[0], 0)
		hi1 += c
		mi := lo1 * m.m0inv
		hi2, lo2 := bits.Mul64(mi, n[0])
		_, c = bits.Add64(lo2, lo1, 0)
		hi2 += c
		c1, c2 := hi1, hi2
		for j := 1; j < Limbs; j++ {
			hi1, lo1 = bits.Mul64(x[j], yi)
			lo1, c = bits.Add64(lo1, t[j], 0)
			hi1 += c
			lo1, c = bits.Add64(lo1, c1, 0)
			hi1 += c
			c1 = hi1
			hi2, lo2 = bits.Mul64(mi, n[j])
			lo2, c = bits.Add64(lo2, lo1, 0)
			hi2 += c
			lo2, c = bits.Add64(lo2, c2, 0)
			hi2 += c
			t[j-1] = lo2
			c2 = hi2
		}
		s, c := bits.Add64(t[Limbs], c1, 0)
		top := c
		s, c = bits.Add64(s, c2, 0)
		top += c
		t[Limbs-1] = s
		t[Limbs] = top
	}
	m.reduceOnce(z, t[Limbs], (*Nat)(t[:Limbs]))
}

// montSqr sets z = x²·R⁻¹ mod m.
func (m *Modulus) montSqr(z, x *Nat) {
	if hasADX && m.kernel != kernelGo { // the IFMA kernel's moduli too
		m.montSqrADX(z, x)
		return
	}
	m.montSqrGeneric(z, x)
}

// montSqrGeneric computes the off-diagonal products once, doubles them, adds
// the squares and reduces.
func (m *Modulus) montSqrGeneric(z, x *Nat) {
	var t [2 * Limbs]uint64
	// Off-diagonal products x[i]·x[j], i < j.
	for i := 0; i < Limbs-1; i++ {
		xi := x[i]
		var c uint64
		for j := i + 1; j < Limbs; j++ {
			hi, lo := bits.Mul64(xi, x[j])
			var cc uint64
			lo, cc = bits.Add64(lo, t[i+j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[i+j] = lo
			c = hi
		}
		t[i+Limbs] = c
	}
	// Double them.
	var c uint64
	for i := 1; i < 2*Limbs; i++ {
		nc := t[i] >> 63
		t[i] = t[i]<<1 | c
		c = nc
	}
	// Add the squares x[i]².
	c = 0
	for i := 0; i < Limbs; i++ {
		hi, lo := bits.Mul64(x[i], x[i])
		t[2*i], c = bits.Add64(t[2*i], lo, c)
		t[2*i+1], c = bits.Add64(t[2*i+1], hi, c)
	}
	m.montReduce(z, &t)
}

// montReduce sets z = t·R⁻¹ mod m for t < m·R.
func (m *Modulus) montReduce(z *Nat, t *[2 * Limbs]uint64) {
	n := &m.m
	var carry uint64 // carry into t[i+Limbs] from the previous rounds
	for i := 0; i < Limbs; i++ {
		mi := t[i] * m.m0inv
		var c uint64
		for j := 0; j < Limbs; j++ {
			hi, lo := bits.Mul64(mi, n[j])
			var cc uint64
			lo, cc = bits.Add64(lo, t[i+j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[i+j] = lo
			c = hi
		}
		var cc uint64
		t[i+Limbs], cc = bits.Add64(t[i+Limbs], c, carry)
		carry = cc
	}
	m.reduceOnce(z, carry, (*Nat)(t[Limbs:]))
}

// toMont sets z = x·R mod m (x < m).
func (m *Modulus) toMont(z, x *Nat) { m.montMul(z, x, &m.rr) }

// fromMont sets z = x·R⁻¹ mod m.
func (m *Modulus) fromMont(z, x *Nat) {
	var one Nat
	one[0] = 1
	m.montMul(z, x, &one)
}

// Mul sets z = x·y mod m (x, y < m, normal representation).
func (m *Modulus) Mul(z, x, y *Nat) {
	if m.kernel == kernelIFMA {
		m.mul52(z, x, y)
		return
	}
	var t Nat
	m.montMul(&t, x, y)     // x·y·R⁻¹
	m.montMul(z, &t, &m.rr) // x·y
}
