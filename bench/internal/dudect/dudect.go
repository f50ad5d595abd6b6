// Package dudect is the statistics and the measurement loop of the
// timing-leak test bench/cmd/ctcheck, after dudect (Reparaz, Balasch and
// Verbauwhede, "Dude, is my code constant time?", DATE 2017): time an
// operation on inputs of two classes chosen at random for each measurement,
// and compare the two distributions of timings with Welch's t-test, on the
// raw timings and on timings cropped above a few percentiles (which removes
// the long upper tail that interrupts and other processes add).
//
// |t| above [Threshold] after enough measurements means that the two classes
// take measurably different times: the operation leaks which class its input
// belongs to.
package dudect

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"
)

// Threshold is dudect's bound on |t|: above it, the timings of the two
// classes differ (a false alarm is about as likely as 7 in a million).
const Threshold = 4.5

// Welch accumulates the timings of two classes, with Welford's online mean and
// variance, and computes Welch's t statistic between them.
type Welch struct {
	n, mean, m2 [2]float64
}

// Push adds a measurement x of class 0 or 1.
func (w *Welch) Push(class int, x float64) {
	w.n[class]++
	d := x - w.mean[class]
	w.mean[class] += d / w.n[class]
	w.m2[class] += d * (x - w.mean[class])
}

// N returns the number of measurements of a class.
func (w *Welch) N(class int) int { return int(w.n[class]) }

// Mean returns the mean of a class.
func (w *Welch) Mean(class int) float64 { return w.mean[class] }

// Var returns the sample variance (divided by n − 1) of a class.
func (w *Welch) Var(class int) float64 {
	if w.n[class] < 2 {
		return 0
	}
	return w.m2[class] / (w.n[class] - 1)
}

// T returns Welch's t = (mean₀ − mean₁) / √(var₀/n₀ + var₁/n₁), or 0 while
// a class has fewer than two measurements or both variances are zero.
func (w *Welch) T() float64 {
	if w.n[0] < 2 || w.n[1] < 2 {
		return 0
	}
	se := w.SE()
	if se == 0 {
		return 0
	}
	return (w.mean[0] - w.mean[1]) / se
}

// Percentiles are the percentiles at which the timings are cropped, besides
// the raw test.
var Percentiles = []float64{50, 75, 90, 95, 99}

// Percentile returns the p-th percentile (0 ≤ p ≤ 100) of sorted, by the
// nearest-rank method.
func Percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Tests is one set of t-tests: on the raw timings, and on the timings at or
// below each cropping threshold.
type Tests struct {
	Raw     Welch
	Limits  []float64 // the cropping thresholds, one per [Percentiles]
	Cropped []Welch
}

// NewTests returns the tests with the cropping thresholds taken from the
// percentiles of the calibration timings.
func NewTests(calibration []float64) *Tests {
	s := slices.Sorted(slices.Values(calibration))
	t := &Tests{Cropped: make([]Welch, len(Percentiles))}
	for _, p := range Percentiles {
		t.Limits = append(t.Limits, Percentile(s, p))
	}
	return t
}

// Push adds a measurement x of class 0 or 1 to every test it passes.
func (t *Tests) Push(class int, x float64) {
	t.Raw.Push(class, x)
	for i, l := range t.Limits {
		if x <= l {
			t.Cropped[i].Push(class, x)
		}
	}
}

// MaxAbsT returns the largest |t| among the tests.
func (t *Tests) MaxAbsT() float64 {
	m := math.Abs(t.Raw.T())
	for i := range t.Cropped {
		m = max(m, math.Abs(t.Cropped[i].T()))
	}
	return m
}

// SE returns the standard error of the difference of the means,
// √(var₀/n₀ + var₁/n₁): t = (mean₀ − mean₁)/SE.
func (w *Welch) SE() float64 {
	return math.Sqrt(w.Var(0)/w.n[0] + w.Var(1)/w.n[1])
}

// Resolution returns the smallest difference of mean times that one of the
// tests would have flagged, Threshold·SE, at its best (the smallest among
// the raw and cropped tests; a cropped test compares the classes below its
// threshold only).
func (t *Tests) Resolution() float64 {
	r := Threshold * t.Raw.SE()
	for i := range t.Cropped {
		if t.Cropped[i].N(0) > 1 && t.Cropped[i].N(1) > 1 {
			r = min(r, Threshold*t.Cropped[i].SE())
		}
	}
	return r
}

// MinN returns the number of measurements of the smaller class.
func (t *Tests) MinN() int { return min(t.Raw.N(0), t.Raw.N(1)) }

// String formats the class sizes, the means and |t| of every test.
func (t *Tests) String() string {
	s := fmt.Sprintf("n=%7d/%-7d mean=%.1f/%.1fµs |t| raw=%6.2f",
		t.Raw.N(0), t.Raw.N(1), t.Raw.Mean(0)/1e3, t.Raw.Mean(1)/1e3, math.Abs(t.Raw.T()))
	for i, p := range Percentiles {
		s += fmt.Sprintf(" p%g=%6.2f", p, math.Abs(t.Cropped[i].T()))
	}
	return s + fmt.Sprintf("  max=%6.2f", t.MaxAbsT())
}

// Config sets the measurement loop.
type Config struct {
	// N is the number of measurements that each class must reach.
	N int
	// Batch is the number of measurements between two garbage collections;
	// the first batch only calibrates the cropping thresholds.
	Batch int
	// Report is the number of measurements between two calls of Progress.
	Report int
	// Rand chooses the class of each measurement.
	Rand *rand.Rand
	// Progress, if not nil, is called every Report measurements and at the end.
	Progress func(*Tests)
}

// Measure runs the test: in each batch it chooses a class at random for each
// measurement and prepares its input with prepare (outside the timed region;
// every input is a fresh value, for both classes, so that the classes do not
// differ in where their inputs lie in memory), collects garbage, then times
// op on each input in turn, with the monotonic clock. It returns when both
// classes have at least cfg.N measurements.
//
// The caller should hold its OS thread (runtime.LockOSThread) and turn off
// the garbage collector (debug.SetGCPercent(-1)): Measure collects between
// batches.
func Measure[In any](cfg Config, prepare func(class int) In, op func(In)) *Tests {
	inputs := make([]In, cfg.Batch)
	classes := make([]int, cfg.Batch)
	times := make([]float64, cfg.Batch)
	var tests *Tests
	next := cfg.Report
	for tests == nil || tests.MinN() < cfg.N {
		for i := range inputs {
			classes[i] = int(cfg.Rand.Uint32() & 1)
			inputs[i] = prepare(classes[i])
		}
		runtime.GC()
		for i := range inputs {
			start := time.Now()
			op(inputs[i])
			times[i] = float64(time.Since(start))
		}
		clear(inputs)
		if tests == nil {
			tests = NewTests(times)
			continue
		}
		for i, x := range times {
			tests.Push(classes[i], x)
		}
		if total := tests.Raw.N(0) + tests.Raw.N(1); total >= next && cfg.Progress != nil {
			cfg.Progress(tests)
			next = total + cfg.Report - total%cfg.Report
		}
	}
	if cfg.Progress != nil {
		cfg.Progress(tests)
	}
	return tests
}
