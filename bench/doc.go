// Package bench holds the benchmarks of cognitosrp, each run side by side
// with a straightforward variable-time math/big reference that lives only in
// bench (package bench/internal/mathbig):
//
//	go test -run '^$' -bench . -count 10 ./bench | tee new.txt
//	benchstat -col /impl new.txt
//
// The timing-leak test (dudect's method) is bench/cmd/ctcheck; it needs the
// build tag ctcheck, which exposes srp's internals to it:
//
//	go run -tags ctcheck ./bench/cmd/ctcheck -h
//
// See README.md for the latest figures.
package bench
