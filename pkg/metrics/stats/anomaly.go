package stats

import (
	"math"
	"sort"
)

// Anomaly detection for the anomalies metric: a point is anomalous when it lies outside the
// rolling median ± k × MAD of the AnomalyWindow points before it (trailing, the point itself
// excluded so a spike cannot hide itself). MAD is the plain median absolute deviation from that
// median (not scaled by 1.4826), as the spec states it.
//
// A window whose MAD is 0 (a flat stretch) would make any change infinitely many MADs away, so
// the scale falls back, in order, to the mean absolute deviation from the median, 1 % of
// |median|, and finally 1 unit of the metric (a window of zeros: a count of k or more is an
// anomaly).
//
// Severity, by how far beyond the median the point is, in units of k × MAD (score = |actual −
// median| / MAD, anomalous when score > k):
//
//	low     k   < score ≤ 1.5 k
//	medium  1.5 k < score ≤ 2 k
//	high    score > 2 k
//
// severity_score is 0 (normal), 1 (low), 2 (medium) or 3 (high), so an alert rule can fire on
// "severity_score ≥ 3".

// AnomalyWindow is the number of trailing points the median and MAD are taken over; a point is
// evaluated only when that many points precede it.
const AnomalyWindow = 7

// AnomalyEval is the verdict on one point.
type AnomalyEval struct {
	Index         int // into the series
	Expected      float64
	Actual        float64
	Score         float64 // |actual − expected| / scale
	Severity      string  // "", low, medium or high
	SeverityScore float64 // 0 … 3
}

// EvaluateAnomalies judges every point of y that has a full trailing window, with band width k.
func EvaluateAnomalies(y []float64, k float64) []AnomalyEval {
	var out []AnomalyEval
	for i := AnomalyWindow; i < len(y); i++ {
		win := y[i-AnomalyWindow : i]
		med := Median(win)
		dev := make([]float64, len(win))
		var meanAD float64
		for j, v := range win {
			dev[j] = math.Abs(v - med)
			meanAD += dev[j]
		}
		scale := Median(dev)
		if scale == 0 {
			scale = meanAD / float64(len(win))
		}
		if scale == 0 {
			scale = 0.01 * math.Abs(med)
		}
		if scale == 0 {
			scale = 1
		}
		e := AnomalyEval{Index: i, Expected: med, Actual: y[i], Score: math.Abs(y[i]-med) / scale}
		e.Severity, e.SeverityScore = SeverityOf(e.Score, k)
		out = append(out, e)
	}
	return out
}

// SeverityOf classifies a score against k (see the table above).
func SeverityOf(score, k float64) (string, float64) {
	switch {
	case score <= k:
		return "", 0
	case score <= 1.5*k:
		return "low", 1
	case score <= 2*k:
		return "medium", 2
	}
	return "high", 3
}

// Median is the median of v (the mean of the middle two for an even count); v is not modified.
func Median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
