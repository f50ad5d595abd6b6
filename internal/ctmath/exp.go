package ctmath

// window is the width of the fixed-base windows, in bits; expWindow that
// of variable-base exponentiation, where a wider table pays for itself.
const (
	window    = 4
	expWindow = 5
)

// lookup sets z = table[k] in constant time by reading every entry.
func lookup(z *Nat, table []Nat, k uint64) {
	*z = Nat{}
	for i := range table {
		// mask is all ones when i == k.
		d := uint64(i) ^ k
		mask := ((d | -d) >> 63) - 1
		t := &table[i]
		for j := 0; j < Limbs; j++ {
			z[j] |= t[j] & mask
		}
	}
}

// bitsAt returns the w bits of the big-endian e that start at bit position
// pos, counted from the least significant bit. Positions past either end
// read as zero. The positions are public; the bits are not branched on.
func bitsAt(e []byte, pos, w int) uint64 {
	var v uint64
	for i := w - 1; i >= 0; i-- {
		p := pos + i
		var bit uint64
		if p < 8*len(e) { // public: depends on lengths only
			bit = uint64(e[len(e)-1-p/8]>>(p%8)) & 1
		}
		v = v<<1 | bit
	}
	return v
}

// Exp sets z = x^e mod m, for x < m and a big-endian exponent e, with
// fixed 5-bit windows. Only the length of e leaks.
func (m *Modulus) Exp(z, x *Nat, e []byte) {
	if m.kernel == kernelIFMA {
		m.exp52(z, x, e)
		return
	}
	var table [1 << expWindow]Nat // x^i·R
	table[0] = m.one
	m.toMont(&table[1], x)
	for i := 2; i < len(table); i++ {
		if i%2 == 0 {
			m.montSqr(&table[i], &table[i/2])
		} else {
			m.montMul(&table[i], &table[i-1], &table[1])
		}
	}
	nbits := 8 * len(e)
	// The first window takes the bits left over above a multiple of 5.
	pos := nbits - nbits%expWindow
	if pos == nbits && pos > 0 {
		pos -= expWindow
	}
	acc := m.one
	var sel Nat
	lookup(&acc, table[:], bitsAt(e, pos, expWindow))
	for pos -= expWindow; pos >= 0; pos -= expWindow {
		for i := 0; i < expWindow; i++ {
			m.montSqr(&acc, &acc)
		}
		lookup(&sel, table[:], bitsAt(e, pos, expWindow))
		m.montMul(&acc, &acc, &sel)
	}
	m.fromMont(z, &acc)
}

// ExpBase2 sets z = 2^e mod m with one squaring and one doubling per bit of
// e, and no table: the cheapest fixed-base exponentiation without
// precomputation. Only the length of e leaks.
func (m *Modulus) ExpBase2(z *Nat, e []byte) {
	if m.kernel == kernelIFMA {
		m.expBase2_52(z, e)
		return
	}
	acc := m.one
	var d Nat
	for _, b := range e {
		for s := 7; s >= 0; s-- {
			m.montSqr(&acc, &acc)
			d = acc
			m.double(&d)
			selectNat(&acc, uint64(b>>s)&1, &d, &acc)
		}
	}
	m.fromMont(z, &acc)
}

// FixedBase holds the window tables of a fixed base g: entry [i][k] is
// g^(k·16^i) in the Montgomery domain of the modulus's kernel. A table for exponents of n bytes
// takes 2n·16·384 bytes (192 KiB per 16 bytes of exponent).
type FixedBase struct {
	m      *Modulus
	tables [][1 << window]Nat
}

// NewFixedBase precomputes the tables of g for exponents of up to maxBytes
// bytes, at the cost of about 30·maxBytes multiplications.
func NewFixedBase(m *Modulus, g *Nat, maxBytes int) *FixedBase {
	fb := &FixedBase{m: m, tables: make([][1 << window]Nat, 2*maxBytes)}
	if m.kernel == kernelIFMA {
		fb.init52(g)
		return fb
	}
	var base Nat
	m.toMont(&base, g)
	for i := range fb.tables {
		t := &fb.tables[i]
		t[0] = m.one
		t[1] = base
		for k := 2; k < len(t); k++ {
			m.montMul(&t[k], &t[k-1], &base)
		}
		m.montMul(&base, &t[len(t)-1], &base) // g^(16^(i+1))
	}
	return fb
}

// MaxBytes returns the longest exponent that fb can raise its base to.
func (fb *FixedBase) MaxBytes() int { return len(fb.tables) / 2 }

// Exp sets z = g^e mod m, one multiplication per four bits of e and no
// squaring. It panics if e is longer than fb.MaxBytes(). Only the length of
// e leaks.
func (fb *FixedBase) Exp(z *Nat, e []byte) {
	if len(e) > fb.MaxBytes() {
		panic("ctmath: internal error: exponent longer than the fixed-base table")
	}
	m := fb.m
	if m.kernel == kernelIFMA {
		fb.exp52(z, e)
		return
	}
	acc := m.one
	var sel Nat
	for i := range e {
		b := e[len(e)-1-i]
		lookup(&sel, fb.tables[2*i][:], uint64(b&15))
		m.montMul(&acc, &acc, &sel)
		lookup(&sel, fb.tables[2*i+1][:], uint64(b>>4))
		m.montMul(&acc, &acc, &sel)
	}
	m.fromMont(z, &acc)
}
