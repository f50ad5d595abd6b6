//go:build ctcheck

// Command ctcheck tests package srp for timing leaks with dudect's method
// (package bench/internal/dudect): for each target and test it times the
// operation on secrets of two classes, chosen at random for each
// measurement, and prints Welch's |t| between the classes' timings, raw and
// cropped at a few percentiles, every -report measurements.
//
//	go run -tags ctcheck ./bench/cmd/ctcheck [-impl ct|mathbig] [-target client,device,server] [-test fixed,sparse] [-n 100000]
//
// Targets:
//
//   - client: the claim for a fixed challenge, with the secrets a and x:
//     S = (B − k·g^x)^(a+u·x), padHex(S), the HKDF key, the HMAC.
//   - device: the device verifier from the secret x: g^x, padHex, base64.
//   - server: one server sign-in with the secrets b and v: B = k·v + g^b,
//     u, S = (A·v^u)^b, the key, the signature check.
//
// Tests:
//
//   - fixed: class 0 is one fixed secret, class 1 fresh uniform secrets.
//     The fixed secret is random but for its first -fixed-zeros bytes
//     (default 8), which are zero: a short secret is the corner case that
//     variable-time arithmetic treats differently (math/big drops leading
//     zero words), so it is the fixed value most likely to show a leak.
//   - sparse: class 0 is fresh secrets with each bit set with probability
//     1/-sparse (default 1/32), class 1 fresh uniform secrets. Zero windows
//     of the exponents are then the rule, and whole zero 64-bit words
//     common (13% of them at 1/32, leading ones included): value-dependent
//     shortcuts and lengths both show. (At 1/16 only 1.6% of the words are
//     zero, and math/big's leak in the client and the server, which is in
//     the number of words of the exponents, stays below what 100,000
//     measurements per class resolve on a loaded machine.)
//
// The implementation -impl ct is package srp (through the hooks of
// srp/ctcheck_hooks.go); -impl mathbig is the variable-time math/big
// reference of bench/internal/mathbig, which must leak: it shows that the
// test can find a leak. The verdict: ct passes when every |t| stays below 4.5
// with at least -n measurements per class; mathbig passes when |t| exceeds
// 4.5 ("LEAK FOUND") for every selected target and test. The exit status is
// 0 when the expectation holds and 1 otherwise.
//
// The measuring goroutine holds its OS thread, the garbage collector runs
// only between batches, every input is prepared (a fresh allocation, for
// both classes) before the timed region, and the clock is the monotonic
// clock. Load on the machine costs power but makes no leak appear, since it
// slows both classes alike; a quiet machine gives sharper figures (see the
// resolution in the summary). It takes milliseconds per measurement for the
// client and the server: run those in the background, with nice.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/cognitosrp/cognitosrp/bench/internal/dudect"
	"github.com/cognitosrp/cognitosrp/bench/internal/mathbig"
	"github.com/cognitosrp/cognitosrp/srp"
)

const (
	pool      = "Ctcheck123"
	user      = "5a1b0c2d-ctcheck"
	timestamp = "Sat Nov 21 13:04:05 UTC 2026"
	// badSignature is well-formed base64 of 32 bytes that never verifies, so
	// that the server computes and compares the whole HMAC every time and
	// the outcome (which is public anyway) is the same for both classes.
	badSignature = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)

var block = []byte("secret block from the server")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ctcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	impl := fs.String("impl", "ct", "implementation: ct (package srp) or mathbig (the variable-time reference)")
	targets := fs.String("target", "client,device,server", "comma-separated targets: client, device, server")
	tests := fs.String("test", "fixed,sparse", "comma-separated tests: fixed (fixed vs random), sparse (sparse vs dense)")
	n := fs.Int("n", 100000, "measurements per class, at least")
	report := fs.Int("report", 10000, "measurements between two progress lines")
	batch := fs.Int("batch", 1000, "measurements between two garbage collections")
	seed := fs.Uint64("seed", 0, "seed of the fixed secrets and of the class choices (0: random)")
	zeros := fs.Int("fixed-zeros", 8, "leading zero bytes of the fixed secrets of the test fixed")
	density := fs.Int("sparse", 32, "the test sparse sets each bit of its class-0 secrets with probability 1/`N`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run -tags ctcheck ./bench/cmd/ctcheck [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *impl != "ct" && *impl != "mathbig" {
		fmt.Fprintf(stderr, "ctcheck: error: unknown -impl %q\n", *impl)
		return 2
	}
	tgts, ok := parseList(*targets, "client", "device", "server")
	tsts, ok2 := parseList(*tests, "fixed", "sparse")
	if !ok || !ok2 || *zeros < 0 || *zeros > 32 || *density < 2 || *n < 2 || *report < 1 || *batch < 100 {
		fs.Usage()
		return 2
	}
	if *seed == 0 {
		var b [8]byte
		rand.Read(b[:])
		*seed = binary.LittleEndian.Uint64(b[:]) | 1
	}

	runtime.LockOSThread()
	debug.SetGCPercent(-1)
	fmt.Fprintf(stdout, "ctcheck: impl=%s targets=%s tests=%s n=%d fixed-zeros=%d sparse=1/%d seed=%d %s/%s GOMAXPROCS=%d %s\n",
		*impl, strings.Join(tgts, ","), strings.Join(tsts, ","), *n, *zeros, *density, *seed,
		runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.Version())

	f := newFixture(*seed, *zeros)
	if err := f.selfCheck(); err != nil {
		fmt.Fprintf(stderr, "ctcheck: error: srp and the math/big reference disagree: %v\n", err)
		return 1
	}

	type result struct {
		name  string
		tests *dudect.Tests
	}
	var results []result
	for _, tg := range tgts {
		for _, ts := range tsts {
			name := fmt.Sprintf("%-6s %-6s impl=%s", tg, ts, *impl)
			rng := mrand.New(mrand.NewChaCha8(seedBytes(*seed, tg+"/"+ts)))
			cfg := dudect.Config{
				N: *n, Batch: *batch, Report: *report, Rand: rng,
				Progress: func(t *dudect.Tests) {
					fmt.Fprintf(stdout, "%s %s  %s\n", time.Now().Format("15:04:05"), name, t)
				},
			}
			start := time.Now()
			t := f.measure(cfg, tg, ts, *impl, rng, *density)
			fmt.Fprintf(stdout, "%s done in %v\n", name, time.Since(start).Round(time.Second))
			results = append(results, result{name, t})
		}
	}

	fmt.Fprintf(stdout, "\nsummary (threshold |t| = %g, at least %d measurements per class;\n"+
		"resolution: the smallest difference of mean times that a test would have flagged):\n", dudect.Threshold, *n)
	pass := true
	for _, r := range results {
		m := r.tests.MaxAbsT()
		leak := m > dudect.Threshold
		verdict := "no leak"
		if leak {
			verdict = "LEAK FOUND"
		}
		expected := leak == (*impl == "mathbig")
		pass = pass && expected
		mark := "ok  "
		if !expected {
			mark = "FAIL"
		}
		fmt.Fprintf(stdout, "%s %s  max |t| = %7.2f  n = %d/%d  mean %.1f µs, resolution %.0f ns  %s\n",
			mark, r.name, m, r.tests.Raw.N(0), r.tests.Raw.N(1), r.tests.Raw.Mean(0)/1e3, r.tests.Resolution(), verdict)
	}
	if *impl == "ct" {
		if pass {
			fmt.Fprintln(stdout, "PASS: no timing leak found")
		} else {
			fmt.Fprintln(stdout, "FAIL: timing leak found in package srp")
		}
	} else {
		if pass {
			fmt.Fprintln(stdout, "PASS: LEAK FOUND in the math/big reference, as expected: the test has power")
		} else {
			fmt.Fprintln(stdout, "FAIL: the math/big reference's leak was not found everywhere: the test lacks power")
		}
	}
	if !pass {
		return 1
	}
	return 0
}

func parseList(s string, known ...string) ([]string, bool) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "all" {
			return known, true
		}
		if !slices.Contains(known, v) {
			return nil, false
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, len(out) > 0
}

// seedBytes derives a ChaCha8 seed for one use from the run's seed.
func seedBytes(seed uint64, label string) [32]byte {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	copy(s[8:], label)
	return s
}

// fixture holds the public values and the fixed secrets of a run.
type fixture struct {
	ch     *srp.Challenge
	bigB   *big.Int
	u      []byte // H(padHex(A) ‖ padHex(B)) for a fixed A
	srpA   string
	fixedA []byte // 128 bytes
	fixedX []byte // 32 bytes
	fixedB []byte // 32 bytes
	fixedV []byte // 384 bytes
}

func newFixture(seed uint64, zeros int) *fixture {
	r := mrand.New(mrand.NewChaCha8(seedBytes(seed, "fixture")))
	f := &fixture{
		fixedA: uniform(r, 128),
		fixedX: uniform(r, 32),
		fixedB: uniform(r, 32),
		fixedV: belowN(r, uniform),
	}
	for _, s := range [][]byte{f.fixedA, f.fixedX, f.fixedB, f.fixedV} {
		clear(s[:zeros])
	}
	// A challenge as our server would send it: B = k·v + g^b.
	v := mathbig.Verifier(pool, user, "password", big.NewInt(12345))
	srv := mathbig.NewServerWithB(pool, user, v, "2", uniform(r, 32))
	f.bigB = srv.B
	var err error
	if f.ch, err = srp.ParseChallenge(srv.B.Text(16), "3039", base64.StdEncoding.EncodeToString(block)); err != nil {
		panic(err)
	}
	bigA := new(big.Int).Exp(mathbig.G, new(big.Int).SetBytes(uniform(r, 128)), mathbig.N)
	f.srpA = bigA.Text(16)
	f.u = mathbig.Hash(mathbig.Pad(bigA), mathbig.Pad(srv.B))
	return f
}

// uniform returns n uniformly random bytes.
func uniform(r *mrand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], r.Uint64())
		copy(b[i:], w[:])
	}
	return b
}

// sparse returns a generator of n random bytes whose bits are each set with
// probability 1/density, so that zero bytes and words, leading ones
// included, are common.
func sparse(density int) func(*mrand.Rand, int) []byte {
	return func(r *mrand.Rand, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			for bit := 0; bit < 8; bit++ {
				if r.Uint32N(uint32(density)) == 0 {
					b[i] |= 1 << bit
				}
			}
		}
		return b
	}
}

// belowN draws 384-byte values from gen until one is below N.
func belowN(r *mrand.Rand, gen func(*mrand.Rand, int) []byte) []byte {
	for {
		v := gen(r, 384)
		if new(big.Int).SetBytes(v).Cmp(mathbig.N) < 0 {
			return v
		}
	}
}

// clientIn, serverIn are the secrets of one measurement.
type clientIn struct{ a, x []byte }
type serverIn struct{ b, v []byte }

// gen0 returns the class-0 generator of a test: a fresh copy of the fixed
// secret (a fresh allocation, like class 1's) or a sparse secret.
func gen0(test string, fixed []byte, density int) func(*mrand.Rand, int) []byte {
	if test == "fixed" {
		return func(*mrand.Rand, int) []byte { return bytes.Clone(fixed) }
	}
	return sparse(density)
}

var sink any

func (f *fixture) measure(cfg dudect.Config, target, test, impl string, r *mrand.Rand, density int) *dudect.Tests {
	ct := impl == "ct"
	switch target {
	case "client":
		genA, genX := gen0(test, f.fixedA, density), gen0(test, f.fixedX, density)
		prep := func(c int) clientIn {
			if c == 0 {
				return clientIn{genA(r, 128), genX(r, 32)}
			}
			return clientIn{uniform(r, 128), uniform(r, 32)}
		}
		op := func(in clientIn) { sink = mathbig.ClientClaim(in.a, in.x, f.u, f.bigB, pool, user, block, timestamp) }
		if ct {
			op = func(in clientIn) { sink = srp.CTClientClaim(in.a, in.x, f.u, f.ch, pool, user, timestamp) }
		}
		warm(prep, op)
		return dudect.Measure(cfg, prep, op)
	case "device":
		genX := gen0(test, f.fixedX, density)
		prep := func(c int) []byte {
			if c == 0 {
				return genX(r, 32)
			}
			return uniform(r, 32)
		}
		op := func(x []byte) { sink = mathbig.DeviceVerifierFromX(x) }
		if ct {
			op = func(x []byte) { sink = srp.CTDeviceVerifier(x) }
		}
		warm(prep, op)
		return dudect.Measure(cfg, prep, op)
	case "server":
		genB, genV := gen0(test, f.fixedB, density), gen0(test, f.fixedV, density)
		prep := func(c int) serverIn {
			if c == 0 {
				return serverIn{genB(r, 32), belowN(r, genV)}
			}
			return serverIn{uniform(r, 32), belowN(r, uniform)}
		}
		op := func(in serverIn) {
			sink, _ = mathbig.ServerVerify(in.b, in.v, f.srpA, pool, user, block, timestamp, badSignature)
		}
		if ct {
			op = func(in serverIn) {
				sink, _ = srp.CTServer(in.b, in.v, f.srpA, pool, user, block, timestamp, badSignature)
			}
		}
		warm(prep, op)
		return dudect.Measure(cfg, prep, op)
	}
	panic("unknown target " + target)
}

// warm runs op a few times on both classes before measuring, so that lazily
// built state (srp's fixed-base table of g, after eight powers of g) exists
// before the first timing.
func warm[In any](prep func(int) In, op func(In)) {
	for i := 0; i < 20; i++ {
		op(prep(i & 1))
	}
	runtime.GC()
}

// selfCheck checks, on a few random secrets, that the hooks and the math/big
// reference compute the same values, and that a claim computed by one
// verifies at the other's server: the harness times the real computation.
func (f *fixture) selfCheck() error {
	r := mrand.New(mrand.NewChaCha8([32]byte{1}))
	for i := 0; i < 3; i++ {
		a, x, b := uniform(r, 128), uniform(r, 32), uniform(r, 32)
		if i == 1 {
			sp := sparse(16)
			a, x, b = sp(r, 128), sp(r, 32), sp(r, 32)
		}
		if ct, ref := srp.CTDeviceVerifier(x), mathbig.DeviceVerifierFromX(x); ct != ref {
			return fmt.Errorf("device verifier: %s… vs %s…", ct[:16], ref[:16])
		}
		v := new(big.Int).Exp(mathbig.G, new(big.Int).SetBytes(x), mathbig.N).FillBytes(make([]byte, 384))
		bigA := new(big.Int).Exp(mathbig.G, new(big.Int).SetBytes(a), mathbig.N)
		srpA := bigA.Text(16)
		srpB, _ := srp.CTServer(b, v, srpA, pool, user, block, timestamp, badSignature)
		refB, _ := mathbig.ServerVerify(b, v, srpA, pool, user, block, timestamp, badSignature)
		if srpB != refB {
			return fmt.Errorf("server B: %s… vs %s…", srpB[:16], refB[:16])
		}
		ch, err := srp.ParseChallenge(srpB, "3039", base64.StdEncoding.EncodeToString(block))
		if err != nil {
			return err
		}
		u := mathbig.Hash(mathbig.Pad(bigA), mathbig.Pad(mathbig.ParseHex(srpB)))
		claim := srp.CTClientClaim(a, x, u, ch, pool, user, timestamp)
		if ref := mathbig.ClientClaim(a, x, u, mathbig.ParseHex(srpB), pool, user, block, timestamp); !bytes.Equal(claim, ref) {
			return fmt.Errorf("client claim: %x vs %x", claim, ref)
		}
		sig := base64.StdEncoding.EncodeToString(claim)
		if _, ok := srp.CTServer(b, v, srpA, pool, user, block, timestamp, sig); !ok {
			return fmt.Errorf("srp server rejects the claim")
		}
		if _, ok := mathbig.ServerVerify(b, v, srpA, pool, user, block, timestamp, sig); !ok {
			return fmt.Errorf("math/big server rejects the claim")
		}
		if _, ok := srp.CTServer(b, v, srpA, pool, user, block, timestamp, badSignature); ok {
			return fmt.Errorf("srp server accepts a bad signature")
		}
	}
	// The fixture's challenge: both sides agree on it too.
	ct := srp.CTClientClaim(f.fixedA, f.fixedX, f.u, f.ch, pool, user, timestamp)
	if ref := mathbig.ClientClaim(f.fixedA, f.fixedX, f.u, f.bigB, pool, user, block, timestamp); !bytes.Equal(ct, ref) {
		return fmt.Errorf("fixture claim: %x vs %x", ct, ref)
	}
	return nil
}
