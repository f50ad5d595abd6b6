//go:build amd64 && !purego && !noifma

package ctmath

// noIFMA is set by the build tag noifma, which leaves the IFMA kernel out
// where the processor has it: to test and measure the ADX kernel through
// the packages above, as on a machine without AVX-512 IFMA.
const noIFMA = false
