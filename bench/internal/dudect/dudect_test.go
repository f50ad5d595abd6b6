package dudect

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestWelchByHand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		x0, x1 []float64
		// Hand-computed: means, sample variances, t.
		mean0, mean1, var0, var1, t float64
	}{
		{
			// means 2.5 and 5, variances 5/3 and 20/3:
			// t = −2.5/√(5/12 + 20/12) = −2.5/√(25/12) = −√3.
			name: "1234 vs 2468", x0: []float64{1, 2, 3, 4}, x1: []float64{2, 4, 6, 8},
			mean0: 2.5, mean1: 5, var0: 5.0 / 3, var1: 20.0 / 3, t: -math.Sqrt(3),
		},
		{
			// means 11 and 2, variances 1 and 1 (n = 3 and 2):
			// t = 9/√(1/3 + 1/2) = 9/√(5/6) = 9·√(6/5).
			name: "unequal sizes", x0: []float64{10, 11, 12}, x1: []float64{2 - math.Sqrt(0.5), 2 + math.Sqrt(0.5)},
			mean0: 11, mean1: 2, var0: 1, var1: 1, t: 9 * math.Sqrt(6.0/5),
		},
		{
			// Equal means: t = 0 whatever the variances.
			name: "equal means", x0: []float64{1, 3}, x1: []float64{0, 2, 4, 2},
			mean0: 2, mean1: 2, var0: 2, var1: 8.0 / 3, t: 0,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w Welch
			// Interleave the classes, as the harness does.
			for i := 0; i < max(len(tc.x0), len(tc.x1)); i++ {
				if i < len(tc.x1) {
					w.Push(1, tc.x1[i])
				}
				if i < len(tc.x0) {
					w.Push(0, tc.x0[i])
				}
			}
			if w.N(0) != len(tc.x0) || w.N(1) != len(tc.x1) {
				t.Errorf("n = %d/%d", w.N(0), w.N(1))
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"mean0", w.Mean(0), tc.mean0}, {"mean1", w.Mean(1), tc.mean1},
				{"var0", w.Var(0), tc.var0}, {"var1", w.Var(1), tc.var1},
				{"t", w.T(), tc.t},
			} {
				if !near(c.got, c.want) {
					t.Errorf("%s = %.12g, want %.12g", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestWelchDegenerate(t *testing.T) {
	var w Welch
	if w.T() != 0 {
		t.Error("t of no data is not 0")
	}
	w.Push(0, 1)
	w.Push(1, 2)
	w.Push(1, 3)
	if w.T() != 0 {
		t.Error("t with one measurement in a class is not 0")
	}
	var c Welch
	for i := 0; i < 3; i++ {
		c.Push(0, 5)
		c.Push(1, 5)
	}
	if c.T() != 0 {
		t.Error("t of constant equal data is not 0")
	}
}

// TestWelchLarge checks the online computation against the two-pass
// formula on data far from zero, where a naive sum of squares loses digits.
func TestWelchLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var w Welch
	var xs [2][]float64
	for i := 0; i < 100000; i++ {
		c := int(r.Uint32() & 1)
		x := 2e6 + r.NormFloat64()*100 + float64(c)*10 // ns: 2 ms ± 100 ns
		w.Push(c, x)
		xs[c] = append(xs[c], x)
	}
	var m, v [2]float64
	for c := range xs {
		for _, x := range xs[c] {
			m[c] += x
		}
		m[c] /= float64(len(xs[c]))
		for _, x := range xs[c] {
			v[c] += (x - m[c]) * (x - m[c])
		}
		v[c] /= float64(len(xs[c]) - 1)
	}
	want := (m[0] - m[1]) / math.Sqrt(v[0]/float64(len(xs[0]))+v[1]/float64(len(xs[1])))
	if math.Abs(w.T()-want) > 1e-6*math.Abs(want) {
		t.Errorf("t = %v, two-pass %v", w.T(), want)
	}
	if math.Abs(want) < Threshold {
		t.Errorf("a shift of 16 standard errors not detected: t = %v", want)
	}
}

func TestPercentile(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tc := range []struct{ p, want float64 }{{0, 1}, {10, 1}, {50, 5}, {51, 6}, {90, 9}, {99, 10}, {100, 10}} {
		if got := Percentile(s, tc.p); got != tc.want {
			t.Errorf("Percentile(1..10, %v) = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestTestsCrop(t *testing.T) {
	cal := make([]float64, 100)
	for i := range cal {
		cal[i] = float64(i + 1)
	}
	ts := NewTests(cal)
	if ts.Limits[0] != 50 || ts.Limits[len(ts.Limits)-1] != 99 {
		t.Fatalf("limits %v", ts.Limits)
	}
	ts.Push(0, 10)
	ts.Push(1, 60)
	ts.Push(1, 1000)
	if ts.Raw.N(1) != 2 || ts.Cropped[0].N(1) != 0 || ts.Cropped[1].N(1) != 1 || ts.Cropped[0].N(0) != 1 {
		t.Errorf("cropping wrong: raw %d, p50 %d, p75 %d", ts.Raw.N(1), ts.Cropped[0].N(1), ts.Cropped[1].N(1))
	}
}

// TestMeasure runs the loop on an operation whose time depends on the class.
// (That an operation which does not depend on it passes is left to
// ctcheck's runs: a timing assertion would be flaky on a loaded machine.)
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("times a loop")
	}
	cfg := Config{N: 2000, Batch: 500, Report: 1000, Rand: rand.New(rand.NewPCG(3, 4))}
	spin := func(n int) {
		x := 1
		for i := 0; i < n; i++ {
			x = x*3 + i
		}
		sink = x
	}
	leaky := Measure(cfg, func(c int) int { return 2000 + 20000*c }, spin)
	if leaky.MinN() < 2000 {
		t.Errorf("stopped at %d per class", leaky.MinN())
	}
	if leaky.MaxAbsT() < Threshold {
		t.Errorf("10× more work in one class not found: %v", leaky)
	}
}

var sink int

func TestResolution(t *testing.T) {
	var w Welch
	for _, x := range []float64{1, 2, 3, 4} {
		w.Push(0, x)
		w.Push(1, 2*x)
	}
	// SE = √(5/12 + 20/12) = √(25/12).
	if !near(w.SE(), math.Sqrt(25.0/12)) {
		t.Errorf("SE = %v", w.SE())
	}
	ts := &Tests{Raw: w}
	if !near(ts.Resolution(), Threshold*math.Sqrt(25.0/12)) {
		t.Errorf("Resolution = %v", ts.Resolution())
	}
}
