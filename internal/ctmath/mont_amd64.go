//go:build amd64 && !purego

package ctmath

//go:generate go run ./_asm/gen.go -out mont_amd64.s

import "golang.org/x/sys/cpu"

// useADX selects the assembly kernel, which needs MULX (BMI2) and ADCX/ADOX.
var useADX = cpu.X86.HasADX && cpu.X86.HasBMI2

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
