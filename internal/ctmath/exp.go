package ctmath

// window is the width of the exponent windows, in bits.
const window = 4

// lookup sets z = table[k] in constant time by reading every entry.
func lookup(z *Nat, table *[1 << window]Nat, k uint64) {
	*z = Nat{}
	for i := range table {
		// mask is all ones when i == k.
		d := uint64(i) ^ k
		mask := ((d | -d) >> 63) - 1
		for j := 0; j < Limbs; j++ {
			z[j] |= table[i][j] & mask
		}
	}
}

// Exp sets z = x^e mod m, for x < m and a big-endian exponent e. Only the
// length of e leaks.
func (m *Modulus) Exp(z, x *Nat, e []byte) {
	var table [1 << window]Nat // x^i·R
	table[0] = m.one
	m.ToMont(&table[1], x)
	for i := 2; i < len(table); i++ {
		if i%2 == 0 {
			m.montSqr(&table[i], &table[i/2])
		} else {
			m.montMul(&table[i], &table[i-1], &table[1])
		}
	}
	acc := m.one
	var sel Nat
	for i, b := range e {
		for h, k := range [2]uint64{uint64(b >> 4), uint64(b & 15)} {
			if i > 0 || h > 0 { // the first window starts from 1: nothing to square
				m.montSqr(&acc, &acc)
				m.montSqr(&acc, &acc)
				m.montSqr(&acc, &acc)
				m.montSqr(&acc, &acc)
			}
			lookup(&sel, &table, k)
			m.montMul(&acc, &acc, &sel)
		}
	}
	m.FromMont(z, &acc)
}

// ExpBase2 sets z = 2^e mod m with one squaring and one doubling per bit of
// e, and no table: the cheapest fixed-base exponentiation without
// precomputation. Only the length of e leaks.
func (m *Modulus) ExpBase2(z *Nat, e []byte) {
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
	m.FromMont(z, &acc)
}

// FixedBase holds the window tables of a fixed base g: entry [i][k] is
// g^(k·16^i) in the Montgomery domain. A table for exponents of n bytes
// takes 2n·16·384 bytes (192 KiB per 16 bytes of exponent).
type FixedBase struct {
	m      *Modulus
	tables [][1 << window]Nat
}

// NewFixedBase precomputes the tables of g for exponents of up to maxBytes
// bytes, at the cost of about 30·maxBytes multiplications.
func NewFixedBase(m *Modulus, g *Nat, maxBytes int) *FixedBase {
	fb := &FixedBase{m: m, tables: make([][1 << window]Nat, 2*maxBytes)}
	var base Nat
	m.ToMont(&base, g)
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
		panic("ctmath: exponent longer than the fixed-base table")
	}
	m := fb.m
	acc := m.one
	var sel Nat
	for i := range e {
		b := e[len(e)-1-i]
		lookup(&sel, &fb.tables[2*i], uint64(b&15))
		m.montMul(&acc, &acc, &sel)
		lookup(&sel, &fb.tables[2*i+1], uint64(b>>4))
		m.montMul(&acc, &acc, &sel)
	}
	m.FromMont(z, &acc)
}
