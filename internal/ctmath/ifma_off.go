//go:build amd64 && !purego && noifma

package ctmath

// noIFMA is set by the build tag noifma; see ifma_on.go.
const noIFMA = true
