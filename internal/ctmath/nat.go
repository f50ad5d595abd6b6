// Package ctmath is fixed-width constant-time modular arithmetic for moduli
// of up to 3072 bits, written for Cognito's SRP group: 48 64-bit limbs held
// in arrays, Montgomery multiplication (CIOS) and a dedicated squaring, no
// heap allocation in the hot path, and fixed-base window tables.
//
// # Kernels
//
// Three Montgomery kernels compute the same results: portable Go; MULX,
// ADCX and ADOX assembly (amd64 with BMI2 and ADX); and an AVX-512 IFMA
// kernel on 52-bit digits (amd64 with AVX512F, AVX512VL and AVX512IFMA),
// which keeps values in its own form through whole exponentiations. A
// [Modulus] takes the fastest one the processor has when it is made; the
// build tag noifma leaves the IFMA kernel out (to test the ADX kernel
// through the packages above on a machine that has IFMA), and purego
// leaves only the portable one. The assembly is generated
// by _asm (go generate).
//
// # Constant time
//
// No function branches on, or indexes memory by, the value of a Nat or of an
// exponent byte: conditional subtractions and table lookups use masks, and
// table lookups read every entry. Exponents are byte strings whose length
// (but nothing more) leaks. The modulus is public, and so is everything
// derived from it alone.
package ctmath

import (
	"errors"
	"math/bits"
)

// Limbs is the number of 64-bit limbs in a [Nat].
const Limbs = 48

// MaxBytes is the size in bytes of the largest modulus.
const MaxBytes = Limbs * 8

// Nat is a non-negative integer below 2^3072, as little-endian 64-bit limbs.
type Nat [Limbs]uint64

// Modulus is an odd modulus below 2^3072 with its Montgomery constants,
// R = 2^3072.
type Modulus struct {
	m     Nat
	m0inv uint64 // −m⁻¹ mod 2^64
	rr    Nat    // R² mod m
	one   Nat    // R mod m, 1 in the Montgomery domain
	size  int    // bytes in m's minimal encoding

	kernel kernel
	// The IFMA kernel's constants, R' = 2^3120 (kernel == kernelIFMA).
	m52   nat52
	rr52  nat52  // R'² mod m
	one52 nat52  // R' mod m
	k0    uint64 // −m⁻¹ mod 2^52
}

// kernel names a Montgomery multiplication kernel.
type kernel uint8

const (
	kernelGo   kernel = iota // portable Go
	kernelADX                // MULX/ADCX/ADOX assembly
	kernelIFMA               // AVX-512 IFMA assembly on 52-bit digits
)

func (k kernel) String() string {
	if k == kernelIFMA && !hasIFMA {
		return "ifma-portable"
	}
	return [...]string{"go", "adx", "ifma"}[k]
}

// kernels returns the kernels that run here: the portable one, ADX where
// the processor has it, and the IFMA kernel, through the portable twin of
// its assembly where the processor lacks AVX-512 IFMA (for the tests).
func kernels() []kernel {
	ks := []kernel{kernelGo}
	if hasADX {
		ks = append(ks, kernelADX)
	}
	return append(ks, kernelIFMA)
}

// bestKernel is the kernel that NewModulus chooses.
func bestKernel() kernel {
	switch {
	case hasIFMA:
		return kernelIFMA
	case hasADX:
		return kernelADX
	}
	return kernelGo
}

// NewModulus returns the odd modulus whose big-endian encoding is b.
func NewModulus(b []byte) (*Modulus, error) { return newModulus(b, bestKernel()) }

// newModulus is NewModulus with the kernel k, which must run here.
func newModulus(b []byte, k kernel) (*Modulus, error) {
	for len(b) > 0 && b[0] == 0 {
		b = b[1:]
	}
	if len(b) > MaxBytes {
		return nil, errors.New("ctmath: modulus too large")
	}
	if len(b) == 0 || b[len(b)-1]&1 == 0 || (len(b) == 1 && b[0] == 1) {
		return nil, errors.New("ctmath: modulus must be odd and greater than one")
	}
	m := &Modulus{size: len(b), kernel: k}
	setBytes(&m.m, b)
	// Newton's iteration for m⁻¹ mod 2^64.
	inv := m.m[0]
	for i := 0; i < 6; i++ {
		inv *= 2 - m.m[0]*inv
	}
	m.m0inv = -inv
	// R mod m and R² mod m by doubling 1: modulus-only, so public.
	var x Nat
	x[0] = 1
	for i := 0; i < 2*Limbs*64; i++ {
		m.double(&x)
		if i == Limbs*64-1 {
			m.one = x
		}
	}
	m.rr = x
	if k == kernelIFMA {
		m.initIFMA()
	}
	return m, nil
}

// Size returns the length in bytes of the modulus's minimal encoding.
func (m *Modulus) Size() int { return m.size }

// Nat returns the modulus itself.
func (m *Modulus) Nat() *Nat { n := m.m; return &n }

func setBytes(z *Nat, b []byte) {
	*z = Nat{}
	for i := range b {
		z[i/8] |= uint64(b[len(b)-1-i]) << (8 * (i % 8))
	}
}

// SetBytes sets z to the big-endian b, which must be shorter than [MaxBytes]
// and below m. It returns an error otherwise; only the length of b leaks, and
// whether it is below m.
func (m *Modulus) SetBytes(z *Nat, b []byte) error {
	if len(b) > MaxBytes {
		return errors.New("ctmath: value too long")
	}
	var t Nat
	setBytes(&t, b)
	var d Nat
	if sub(&d, &t, &m.m) == 0 {
		return errors.New("ctmath: value not below the modulus")
	}
	*z = t
	return nil
}

// Bytes returns x as a big-endian byte string of exactly m.Size() bytes.
// x must be below m.
func (m *Modulus) Bytes(x *Nat) []byte {
	out := make([]byte, m.size)
	for i := range out {
		out[m.size-1-i] = byte(x[i/8] >> (8 * (i % 8)))
	}
	return out
}

// sub sets z = x − y and returns the borrow.
func sub(z, x, y *Nat) uint64 {
	var b uint64
	for i := 0; i < Limbs; i++ {
		z[i], b = bits.Sub64(x[i], y[i], b)
	}
	return b
}

// add sets z = x + y and returns the carry.
func add(z, x, y *Nat) uint64 {
	var c uint64
	for i := 0; i < Limbs; i++ {
		z[i], c = bits.Add64(x[i], y[i], c)
	}
	return c
}

// selectNat sets z = x if on == 1 and z = y if on == 0.
func selectNat(z *Nat, on uint64, x, y *Nat) {
	mask := -on
	for i := 0; i < Limbs; i++ {
		z[i] = y[i] ^ (mask & (x[i] ^ y[i]))
	}
}

// reduceOnce sets z = x − m if x + hi·2^3072 ≥ m, else z = x, where the value
// x + hi·2^3072 is below 2m.
func (m *Modulus) reduceOnce(z *Nat, hi uint64, x *Nat) {
	var d Nat
	b := sub(&d, x, &m.m)
	_, b = bits.Sub64(hi, 0, b)
	selectNat(z, b, x, &d)
}

// double sets z = 2z mod m (z < m).
func (m *Modulus) double(z *Nat) {
	var t Nat
	c := add(&t, z, z)
	m.reduceOnce(z, c, &t)
}

// Add sets z = x + y mod m.
func (m *Modulus) Add(z, x, y *Nat) {
	var t Nat
	c := add(&t, x, y)
	m.reduceOnce(z, c, &t)
}

// Sub sets z = x − y mod m.
func (m *Modulus) Sub(z, x, y *Nat) {
	var t, u Nat
	b := sub(&t, x, y)
	add(&u, &t, &m.m)
	selectNat(z, b, &u, &t)
}

// IsZero returns 1 if x is zero and 0 otherwise.
func IsZero(x *Nat) uint64 {
	var acc uint64
	for i := 0; i < Limbs; i++ {
		acc |= x[i]
	}
	return 1 ^ ((acc | -acc) >> 63)
}

// Equal returns 1 if x == y and 0 otherwise.
func Equal(x, y *Nat) uint64 {
	var acc uint64
	for i := 0; i < Limbs; i++ {
		acc |= x[i] ^ y[i]
	}
	return 1 ^ ((acc | -acc) >> 63)
}
