// Package bench holds the benchmarks of cognitosrp, each run side by side
// with a straightforward variable-time math/big reference that lives only in
// this package's tests:
//
//	go test -run '^$' -bench . -count 10 ./bench | tee new.txt
//	benchstat -col /impl new.txt
//
// See README.md for the latest figures.
package bench
