//go:build !amd64 || purego

package ctmath

const (
	hasADX  = false
	hasIFMA = false
)

func montMulADX48(t *[2 * Limbs]uint64, x, y, m *uint64, m0inv uint64) uint64 {
	panic("ctmath: internal error: no assembly kernel")
}

func montSqrADX48(t *[2 * Limbs]uint64, x, m *uint64, m0inv uint64) uint64 {
	panic("ctmath: internal error: no assembly kernel")
}

// ammIFMA is the portable twin here.
func ammIFMA(z, a, b, m *nat52, k0 uint64) { ammGeneric(z, a, b, m, k0) }

func lookupZ48(z, table *uint64, n int, k uint64) {
	panic("ctmath: internal error: no assembly kernel")
}

func lookupZ64(z, table *uint64, n int, k uint64) {
	panic("ctmath: internal error: no assembly kernel")
}
