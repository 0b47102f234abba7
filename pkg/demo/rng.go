package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"
)

// rng is a PCG stream for one table: seeded by the user's seed and the table name, so adding
// draws to one table never changes another table's rows.
type rng struct{ *rand.Rand }

func newRNG(seed uint64, stream string) rng {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rng{rand.New(rand.NewPCG(seed, h.Sum64()))}
}

func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns a uniform value in [lo, hi).
func (r rng) between(lo, hi float64) float64 { return lo + r.Float64()*(hi-lo) }

// lognormal returns a value whose median is median and whose log has standard deviation sigma:
// durations and lead times are right-skewed, never negative.
func (r rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// poisson draws a count with mean lambda (Knuth for small means, a normal approximation above).
func (r rng) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 40 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func (r rng) pick(list []string) string { return list[r.IntN(len(list))] }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func lerp(a, b, t float64) float64 { return a + (b-a)*t }

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// Activity over the day (UTC, European and American working hours overlap) and the week.
var hourWeight = [24]float64{0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.0, 1.0, 1.0, 0.95,
	0.9, 1.0, 1.0, 1.0, 0.95, 0.85, 0.7, 0.55, 0.45, 0.35, 0.25, 0.2}

// dayFactor is the weekly seasonality (quiet weekends) and the year-end holidays.
func dayFactor(t time.Time) float64 {
	switch {
	case (t.Month() == time.December && t.Day() >= 24) || (t.Month() == time.January && t.Day() == 1):
		return 0.3
	case t.Weekday() == time.Saturday || t.Weekday() == time.Sunday:
		return 0.12
	}
	return 1
}

// activity is the relative amount of developer activity in the hour starting at t.
func activity(t time.Time) float64 { return dayFactor(t) * hourWeight[t.Hour()] }
