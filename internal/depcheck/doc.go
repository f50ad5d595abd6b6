// Package depcheck holds no code: its test enforces the import policy of
// DESIGN.md §1, in the manner of Go's go/build/deps_test.go.
package depcheck
