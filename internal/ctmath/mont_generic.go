//go:build !amd64 || purego

package ctmath

const useADX = false

func montMulADX48(t *[2 * Limbs]uint64, x, y, m *uint64, m0inv uint64) uint64 {
	panic("ctmath: internal error: no assembly kernel")
}

func montSqrADX48(t *[2 * Limbs]uint64, x, m *uint64, m0inv uint64) uint64 {
	panic("ctmath: internal error: no assembly kernel")
}
