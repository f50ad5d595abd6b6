//go:build amd64 && !purego

package ctmath

//go:generate go run ./_asm -out mont_amd64.s

import "golang.org/x/sys/cpu"

// hasADX is whether the MULX/ADCX/ADOX kernel runs here; hasIFMA whether the
// AVX-512 IFMA kernel does (x/sys/cpu also checks that the operating system
// saves the AVX-512 state).
var (
	hasADX  = cpu.X86.HasADX && cpu.X86.HasBMI2
	hasIFMA = !noIFMA && hasADX && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512IFMA
)

// montMulADX48 is the whole Montgomery multiplication loop; see the
// assembly for its contract.
//
//go:noescape
func montMulADX48(t *[2 * Limbs]uint64, x, y, m *uint64, m0inv uint64) (carry uint64)

// montSqrADX48 is the whole Montgomery squaring; see the assembly for its
// contract.
//
//go:noescape
func montSqrADX48(t *[2 * Limbs]uint64, x, m *uint64, m0inv uint64) (carry uint64)

// ammIFMA is the almost Montgomery multiplication on 52-bit digits; see the
// assembly for its contract.
//
//go:noescape
func ammIFMA(z, a, b, m *nat52, k0 uint64)

// lookupZ48 sets z[0:48] to entry k of the n entries of 48 words at table,
// reading them all.
//
//go:noescape
func lookupZ48(z, table *uint64, n int, k uint64)

// lookupZ64 is lookupZ48 for entries of 64 words.
//
//go:noescape
func lookupZ64(z, table *uint64, n int, k uint64)
