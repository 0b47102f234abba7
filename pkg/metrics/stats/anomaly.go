package metrics

import "math"

// Anomaly detection for the anomalies metric: a point is anomalous when it lies outside the
// rolling median ± k × MAD of the anomalyWindow points before it (trailing, the point itself
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

// anomalyWindow is the number of trailing points the median and MAD are taken over; a point is
// evaluated only when that many points precede it.
const anomalyWindow = 7

// anomalyEval is the verdict on one point.
type anomalyEval struct {
	Index         int // into the series
	Expected      float64
	Actual        float64
	Score         float64 // |actual − expected| / scale
	Severity      string  // "", low, medium or high
	SeverityScore float64 // 0 … 3
}

// evaluateAnomalies judges every point of y that has a full trailing window, with band width k.
func evaluateAnomalies(y []float64, k float64) []anomalyEval {
	var out []anomalyEval
	for i := anomalyWindow; i < len(y); i++ {
		win := y[i-anomalyWindow : i]
		med := median(win)
		dev := make([]float64, len(win))
		var meanAD float64
		for j, v := range win {
			dev[j] = math.Abs(v - med)
			meanAD += dev[j]
		}
		scale := median(dev)
		if scale == 0 {
			scale = meanAD / float64(len(win))
		}
		if scale == 0 {
			scale = 0.01 * math.Abs(med)
		}
		if scale == 0 {
			scale = 1
		}
		e := anomalyEval{Index: i, Expected: med, Actual: y[i], Score: math.Abs(y[i]-med) / scale}
		e.Severity, e.SeverityScore = severityOf(e.Score, k)
		out = append(out, e)
	}
	return out
}

// severityOf classifies a score against k (see the table above).
func severityOf(score, k float64) (string, float64) {
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
