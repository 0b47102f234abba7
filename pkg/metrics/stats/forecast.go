// Package stats holds the pure statistics of the metrics: exponential smoothing forecasts,
// anomaly detection by median and MAD, and percentiles of log histograms. It imports no database
// code, so its tests are plain table tests and the maths can be read on its own.
package stats

import "math"

// Exponential smoothing for the forecast metric: Holt's linear trend and Holt-Winters with an
// additive season, in the component form of Hyndman & Athanasopoulos, "Forecasting: Principles
// and Practice" (3rd ed.), sections 8.2 and 8.3:
//
//	level    ℓ_t = α (y_t − s_{t−m}) + (1 − α)(ℓ_{t−1} + b_{t−1})
//	trend    b_t = β (ℓ_t − ℓ_{t−1}) + (1 − β) b_{t−1}
//	season   s_t = γ (y_t − ℓ_t) + (1 − γ) s_{t−m}        (Holt: no season, s ≡ 0)
//	forecast ŷ_{t+h} = ℓ_t + h b_t + s_{t+h−m(k+1)},  k = ⌊(h−1)/m⌋
//
// Initial states: Holt starts from ℓ_0 = y_0, b_0 = y_1 − y_0; Holt-Winters from the first
// season's mean and the mean change between the first two seasons, with the first season's
// seasonal indices detrended (so a straight line has zero seasonal indices and is forecast
// exactly by both models). α, β, γ minimise the sum of squared one-step-ahead errors over the
// grid 0.05, 0.10 … 0.95 (ties keep the smallest values).
//
// Prediction intervals are the analytical ones of the equivalent additive-error state space
// models ETS(A,A,N) and ETS(A,A,A) (FPP3 section 8.7, table 8.8):
//
//	σ_h² = σ² [1 + (h−1){α² + αβ*h + β*²h(2h−1)/6} + γ*k{2α + γ* + β*m(k+1)}]
//
// with β* = αβ and γ* = (1−α)γ (the state-space parameters of the component form above) and σ
// the root mean squared one-step error of the fit. They widen with the horizon faster than √h
// when there is a trend, and are zero-wide for a series the model fits exactly.

// Fit is a fitted model: its parameters, final states and one-step error statistics.
type Fit struct {
	Alpha, Beta, Gamma float64
	Season             int       // m; 0 for Holt
	Level, Trend       float64   // ℓ_n, b_n
	Seasonal           []float64 // the last m seasonal indices, oldest first
	SSE                float64
	Errors             int // number of one-step errors in SSE
}

// smoothGrid is the grid of every smoothing parameter.
var smoothGrid = func() []float64 {
	var g []float64
	for i := 1; i <= 19; i++ {
		g = append(g, float64(i)*0.05)
	}
	return g
}()

// FitSmooth fits Holt (m == 0) or additive Holt-Winters with season m to y for fixed
// parameters. Holt needs len(y) ≥ 2, Holt-Winters len(y) ≥ 2m.
func FitSmooth(y []float64, m int, alpha, beta, gamma float64) Fit {
	f := Fit{Alpha: alpha, Beta: beta, Gamma: gamma, Season: m}
	var start int
	var season []float64
	if m == 0 {
		f.Level, f.Trend, start = y[0], y[1]-y[0], 1
	} else {
		var s1, s2 float64
		for i := 0; i < m; i++ {
			s1 += y[i]
			s2 += y[m+i]
		}
		mean := s1 / float64(m)
		f.Trend = (s2 - s1) / float64(m*m)
		season = make([]float64, m)
		for i := 0; i < m; i++ {
			season[i] = y[i] - (mean + (float64(i)-float64(m-1)/2)*f.Trend)
		}
		// The level at the end of the first season, from which the recursion continues.
		f.Level, start = mean+float64(m-1)/2*f.Trend, m
	}
	for t := start; t < len(y); t++ {
		s := 0.0
		if m > 0 {
			s = season[t-m]
		}
		e := y[t] - (f.Level + f.Trend + s)
		f.SSE += e * e
		f.Errors++
		prev := f.Level
		f.Level = alpha*(y[t]-s) + (1-alpha)*(f.Level+f.Trend)
		f.Trend = beta*(f.Level-prev) + (1-beta)*f.Trend
		if m > 0 {
			season = append(season, gamma*(y[t]-f.Level)+(1-gamma)*s)
		}
	}
	if m > 0 {
		f.Seasonal = append([]float64(nil), season[len(season)-m:]...)
	}
	return f
}

// BestSmooth fits every grid point and keeps the smallest SSE.
func BestSmooth(y []float64, m int) Fit {
	gammas := []float64{0}
	if m > 0 {
		gammas = smoothGrid
	}
	var best Fit
	first := true
	for _, a := range smoothGrid {
		for _, b := range smoothGrid {
			for _, g := range gammas {
				f := FitSmooth(y, m, a, b, g)
				if first || f.SSE < best.SSE {
					best, first = f, false
				}
			}
		}
	}
	return best
}

// Sigma is the root mean squared one-step error.
func (f Fit) Sigma() float64 {
	if f.Errors == 0 {
		return 0
	}
	return math.Sqrt(f.SSE / float64(f.Errors))
}

// Point returns the forecast h ≥ 1 steps after the last observation.
func (f Fit) Point(h int) float64 {
	v := f.Level + float64(h)*f.Trend
	if f.Season > 0 {
		v += f.Seasonal[(h-1)%f.Season]
	}
	return v
}

// StdDev returns the standard deviation of the h-step forecast error (see the formula above).
func (f Fit) StdDev(h int) float64 {
	a, b, g := f.Alpha, f.Alpha*f.Beta, (1-f.Alpha)*f.Gamma
	hf := float64(h)
	c := 1 + (hf-1)*(a*a+a*b*hf+b*b*hf*(2*hf-1)/6)
	if f.Season > 0 {
		k := float64((h - 1) / f.Season)
		c += g * k * (2*a + g + b*float64(f.Season)*(k+1))
	}
	return f.Sigma() * math.Sqrt(c)
}

// The normal quantiles of the two-sided 80 % and 95 % intervals.
const (
	Z80 = 1.2815515655446004
	Z95 = 1.959963984540054
)

// MinSmoothPoints is the fewest points either model is fitted on.
const MinSmoothPoints = 8

// ChooseSeason returns the season used for a series of n points at a bucket with natural season
// m (7 for days, 0 when none): Holt-Winters needs two full seasons, Holt otherwise.
func ChooseSeason(n, m int) int {
	if m > 0 && n >= 2*m {
		return m
	}
	return 0
}

// BacktestMAPE refits on the first 80 % of y, forecasts the held-out last 20 % (at least one
// point) and returns the mean absolute percentage error over held-out points that are not 0, or
// nil when the training part is too short (< 3 points) or every held-out value is 0.
func BacktestMAPE(y []float64, m int) *float64 {
	hold := int(math.Round(0.2 * float64(len(y))))
	if hold < 1 {
		hold = 1
	}
	train := y[:len(y)-hold]
	if len(train) < 3 {
		return nil
	}
	f := BestSmooth(train, ChooseSeason(len(train), m))
	var sum float64
	var n int
	for h := 1; h <= hold; h++ {
		actual := y[len(train)+h-1]
		if actual == 0 {
			continue
		}
		sum += math.Abs((actual - f.Point(h)) / actual)
		n++
	}
	if n == 0 {
		return nil
	}
	mape := 100 * sum / float64(n)
	return &mape
}
