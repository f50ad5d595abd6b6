// Package bench holds the benchmarks of cognitosrp, each run side by side
// with a straightforward variable-time math/big reference that lives only in
// bench (package bench/internal/mathbig):
//
//	go test -run '^$' -bench 'ClientLogin|ServerVerify|DeviceVerifier' ./bench | tee new.txt
//	benchstat -col /impl new.txt
//
// For figures worth comparing, README.md runs ten interleaved rounds of a
// compiled test binary rather than -count 10, which would run every impl=ct
// round before the impl=mathbig ones, at another moment of a shared machine.
// BenchmarkLoginLoopback and BenchmarkLoginLoopbackParallel time whole
// sign-ins against package cognitotest over 127.0.0.1.
//
// The timing-leak test (dudect's method) is bench/cmd/ctcheck; it needs the
// build tag ctcheck, which exposes srp's internals to it:
//
//	go run -tags ctcheck ./bench/cmd/ctcheck -h
//
// See README.md for the latest figures.
package bench
