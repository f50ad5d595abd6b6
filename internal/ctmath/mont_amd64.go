//go:build amd64 && !purego

package ctmath

import "golang.org/x/sys/cpu"

// useADX selects the assembly kernel, which needs MULX (BMI2) and ADCX/ADOX.
var useADX = cpu.X86.HasADX && cpu.X86.HasBMI2

// addMulVVW48 sets z[0:48] += x·y and returns the carry limb.
//
//go:noescape
func addMulVVW48(z *uint64, x *uint64, y uint64) (c uint64)

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
