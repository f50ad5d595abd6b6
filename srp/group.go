package srp

import (
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"strings"
	"sync"

	"sync/atomic"

	"github.com/cognitosrp/cognitosrp/internal/ctmath"
)

// nHex is the 3072-bit MODP prime of RFC 3526, section 4 (group 15):
// 2^3072 − 2^3008 − 1 + 2^64·(⌊2^2942·π⌋ + 1690314).
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

// group holds the public parameters of an SRP group. Cognito uses only
// [cognito]; other groups exist for the RFC 5054 test vectors.
type group struct {
	n    *ctmath.Modulus
	size int // bytes in N
	g    ctmath.Nat
	k    ctmath.Nat

	// gTable is the fixed-base table of g, built once g has been raised to
	// a power gTableAfter times: a one-off sign-in (a command-line login)
	// does not pay for building it, a server or a long-lived client does.
	gUses  atomic.Int32
	gOnce  sync.Once
	gTable atomic.Pointer[ctmath.FixedBase]
}

const (
	// gTableBytes is the longest exponent of g that the table covers: the
	// client's a. The table takes 2·128·16·384 bytes = 1.5 MiB.
	gTableBytes = ephemeralSize
	// gTableAfter is how many powers of g are computed without the table
	// before it is built. Building costs about 4,000 multiplications and
	// saves about 1,000 per sign-in, so it pays after a few sign-ins.
	gTableAfter = 8
)

var cognito = sync.OnceValue(func() *group {
	nBytes := mustHex(nHex)
	gr := newGroup(nBytes, []byte{2})
	// k = H(padHex(N) ‖ padHex(g))
	h := sha256.New()
	h.Write(padPositiveVarTime(nBytes))
	h.Write([]byte{2})
	gr.setK(h.Sum(nil))
	return gr
})

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.ToLower(s))
	if err != nil {
		panic("srp: internal error: bad constant")
	}
	return b
}

func newGroup(n, g []byte) *group {
	m, err := ctmath.NewModulus(n)
	if err != nil || len(trimZeros(n)) < 2 {
		panic("srp: internal error: bad modulus")
	}
	gr := &group{n: m, size: m.Size()}
	if err := m.SetBytes(&gr.g, g); err != nil {
		panic("srp: internal error: bad generator")
	}
	return gr
}

func (gr *group) setK(k []byte) {
	gr.k = gr.reduceMagnitude(k)
}

// reduce returns v mod N (as a non-negative residue) for a public v.
func (gr *group) reduce(v signedInt) ctmath.Nat {
	r := gr.reduceMagnitude(v.mag)
	if v.neg {
		var zero ctmath.Nat
		gr.n.Sub(&r, &zero, &r) // 0 − r mod N
	}
	return r
}

// reduceMagnitude returns the public big-endian mag modulo N.
func (gr *group) reduceMagnitude(mag []byte) ctmath.Nat {
	var r ctmath.Nat
	if gr.n.SetBytes(&r, mag) == nil {
		return r
	}
	// Horner's rule, one byte at a time: r = 256·r + byte. Public values
	// only, bounded by maxHexDigits.
	var b ctmath.Nat
	for _, c := range mag {
		for i := 0; i < 8; i++ {
			gr.n.Add(&r, &r, &r)
		}
		b[0] = uint64(c) // below N: every modulus here has more than one byte
		gr.n.Add(&r, &r, &b)
	}
	return r
}

// exp returns base^e mod N; e is a fixed-length big-endian exponent and only
// its length leaks.
func (gr *group) exp(base *ctmath.Nat, e []byte) ctmath.Nat {
	var z ctmath.Nat
	gr.n.Exp(&z, base, e)
	return z
}

// expG returns g^e mod N, through the fixed-base table once it is built.
func (gr *group) expG(e []byte) ctmath.Nat {
	var z ctmath.Nat
	if len(e) <= gTableBytes {
		if t := gr.gTable.Load(); t != nil {
			t.Exp(&z, e)
			return z
		}
		if gr.gUses.Add(1) > gTableAfter {
			gr.gOnce.Do(func() { gr.gTable.Store(ctmath.NewFixedBase(gr.n, &gr.g, gTableBytes)) })
			gr.gTable.Load().Exp(&z, e)
			return z
		}
	}
	if gr.g == (ctmath.Nat{2}) {
		gr.n.ExpBase2(&z, e)
		return z
	}
	gr.n.Exp(&z, &gr.g, e)
	return z
}

// bytes returns x as a big-endian byte string of exactly the size of N.
func (gr *group) bytes(x *ctmath.Nat) []byte { return gr.n.Bytes(x) }

// clientS computes S = (B − k·g^x)^(a + u·x) mod N.
func (gr *group) clientS(b *ctmath.Nat, a, u, x []byte) ctmath.Nat {
	gx := gr.expG(x)
	var base ctmath.Nat
	gr.n.Mul(&gx, &gr.k, &gx)
	gr.n.Sub(&base, b, &gx)
	return gr.exp(&base, addMul(a, u, x))
}

// serverB computes B = (k·v + g^b) mod N.
func (gr *group) serverB(v *ctmath.Nat, b []byte) ctmath.Nat {
	var kv ctmath.Nat
	gr.n.Mul(&kv, &gr.k, v)
	gb := gr.expG(b)
	gr.n.Add(&kv, &kv, &gb)
	return kv
}

// serverS computes S = (A·v^u)^b mod N.
func (gr *group) serverS(a, v *ctmath.Nat, u, b []byte) ctmath.Nat {
	base := gr.exp(v, u)
	gr.n.Mul(&base, &base, a)
	return gr.exp(&base, b)
}

// addMul returns a + u·x as a big-endian byte string of
// max(len(a), len(u)+len(x)) + 1 bytes, in time that depends only on the
// lengths of its inputs.
func addMul(a, u, x []byte) []byte {
	al, ul, xl := limbs(a), limbs(u), limbs(x)
	r := make([]uint64, max(len(al), len(ul)+len(xl))+1)
	copy(r, al)
	for i, ui := range ul {
		var carry uint64
		for j, xj := range xl {
			hi, lo := bits.Mul64(ui, xj)
			var c uint64
			lo, c = bits.Add64(lo, r[i+j], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			r[i+j], carry = lo, hi
		}
		for k := i + len(xl); k < len(r); k++ {
			r[k], carry = bits.Add64(r[k], carry, 0)
		}
	}
	n := max(len(a), len(u)+len(x)) + 1
	out := make([]byte, n)
	for i := range out {
		out[n-1-i] = byte(r[i/8] >> (8 * (i % 8)))
	}
	return out
}

// limbs reads a big-endian byte string into little-endian 64-bit limbs.
func limbs(b []byte) []uint64 {
	l := make([]uint64, (len(b)+7)/8)
	for i := range b {
		l[i/8] |= uint64(b[len(b)-1-i]) << (8 * (i % 8))
	}
	return l
}
