package stats

import (
	"math"
	"testing"
)

func TestForecastMathLinear(t *testing.T) {
	// y = 10 + 2t is forecast exactly by both models, with zero error and zero-wide intervals.
	y := make([]float64, 28)
	for i := range y {
		y[i] = 10 + 2*float64(i)
	}
	for _, m := range []int{0, 7} {
		f := BestSmooth(y, m)
		if f.SSE > 1e-18 {
			t.Errorf("m=%d: SSE = %g, want 0", m, f.SSE)
		}
		for _, h := range []int{1, 7, 30} {
			want := 10 + 2*float64(len(y)-1+h)
			if got := f.Point(h); math.Abs(got-want) > 1e-9 {
				t.Errorf("m=%d: forecast h=%d = %v, want %v", m, h, got, want)
			}
			if sd := f.StdDev(h); sd > 1e-9 {
				t.Errorf("m=%d: stddev h=%d = %v, want 0", m, h, sd)
			}
		}
		if mape := BacktestMAPE(y, m); mape == nil || *mape > 1e-9 {
			t.Errorf("m=%d: backtest MAPE = %v, want 0", m, mape)
		}
	}
}

func TestForecastMathConstant(t *testing.T) {
	y := []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}
	f := BestSmooth(y, 0)
	if got := f.Point(12); math.Abs(got-5) > 1e-12 {
		t.Errorf("constant forecast = %v, want 5", got)
	}
	if sd := f.StdDev(12); sd != 0 {
		t.Errorf("constant series interval half-width = %v, want 0", sd)
	}
}

func TestForecastMathSeasonal(t *testing.T) {
	// A weekly pattern on a trend: Holt-Winters reproduces it exactly, one week ahead and more.
	pattern := []float64{3, 9, 8, 7, 6, 1, 0}
	var y []float64
	for w := 0; w < 4; w++ {
		for d, p := range pattern {
			y = append(y, 100+0.5*float64(7*w+d)+p)
		}
	}
	f := BestSmooth(y, 7)
	for h := 1; h <= 14; h++ {
		i := len(y) - 1 + h
		want := 100 + 0.5*float64(i) + pattern[i%7]
		if got := f.Point(h); math.Abs(got-want) > 1e-6 {
			t.Errorf("seasonal forecast h=%d = %v, want %v", h, got, want)
		}
	}
	// Holt cannot follow the season: its errors are not zero.
	if h := BestSmooth(y, 0); h.SSE < 1 {
		t.Errorf("Holt on a seasonal series: SSE = %v, want clearly > 0", h.SSE)
	}
}

func TestForecastMathKnownValues(t *testing.T) {
	// Hand-computed Holt recursion, α = 0.5, β = 0.5 on y = 1, 3, 4, 8:
	// ℓ0 = 1, b0 = 2.
	// t=1: ŷ = 3, e = 0;    ℓ = .5·3 + .5·3 = 3;      b = .5·2 + .5·2 = 2
	// t=2: ŷ = 5, e = −1;   ℓ = .5·4 + .5·5 = 4.5;    b = .5·1.5 + .5·2 = 1.75
	// t=3: ŷ = 6.25, e = 1.75; ℓ = .5·8 + .5·6.25 = 7.125; b = .5·2.625 + .5·1.75 = 2.1875
	// SSE = 0 + 1 + 3.0625 = 4.0625 over 3 errors; σ = √(4.0625/3).
	f := FitSmooth([]float64{1, 3, 4, 8}, 0, 0.5, 0.5, 0)
	check := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("SSE", f.SSE, 4.0625)
	check("level", f.Level, 7.125)
	check("trend", f.Trend, 2.1875)
	check("point h=2", f.Point(2), 7.125+2*2.1875)
	sigma := math.Sqrt(4.0625 / 3)
	check("stddev h=1", f.StdDev(1), sigma)
	// h=2: 1 + 1·(α² + αβ*·2 + β*²·2·3/6) with α = .5, β* = .25: 1 + .25 + .25 + .0625 = 1.5625.
	check("stddev h=2", f.StdDev(2), sigma*math.Sqrt(1.5625))
}

func TestForecastMathBacktest(t *testing.T) {
	// 10 points, hold out 2: train 1..8 is linear (forecast 9, 10 exactly); actual 9 and 12.5:
	// errors 0 and 2.5/12.5 = 20 % -> MAPE 10 %.
	y := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 12.5}
	got := BacktestMAPE(y, 0)
	if got == nil || math.Abs(*got-10) > 1e-9 {
		t.Errorf("MAPE = %v, want 10", got)
	}
	if ChooseSeason(13, 7) != 0 || ChooseSeason(14, 7) != 7 || ChooseSeason(100, 0) != 0 {
		t.Error("ChooseSeason: Holt-Winters needs two full seasons")
	}
}
