//go:build !ctcheck

// Without the build tag ctcheck, srp has no hooks to time: say so.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "ctcheck: error: build with the tag ctcheck: go run -tags ctcheck ./bench/cmd/ctcheck")
	os.Exit(2)
}
