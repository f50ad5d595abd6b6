//go:build !unix

package main

// cleanupBinary is a no-op: the tests that build the command run on unix
// only.
func cleanupBinary() {}
