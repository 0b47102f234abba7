package stats

import "math"

// BinCount is one bin of a log histogram (build_duration_hist_daily, platform_response_hist_daily):
// bin = floor(ln(value) / ln(1.04)), N values fell into it.
type BinCount struct {
	Bin int
	N   int64
}

// HistBinValue is the value a bin stands for: the geometric middle of its range, within 2 % of
// every value in it.
func HistBinValue(bin int) float64 { return math.Exp((float64(bin) + 0.5) * math.Log(1.04)) }

// HistPercentile is percentile_cont(p) over a histogram (bins ascending): the values at ranks
// floor(p·(N−1)) and ceil(p·(N−1)), linearly interpolated. False when the histogram is empty.
func HistPercentile(h []BinCount, p float64) (float64, bool) {
	var total int64
	for _, b := range h {
		total += b.N
	}
	if total == 0 {
		return 0, false
	}
	rank := p * float64(total-1)
	lo, hi := int64(math.Floor(rank)), int64(math.Ceil(rank))
	at := func(k int64) float64 {
		var seen int64
		for _, b := range h {
			seen += b.N
			if k < seen {
				return HistBinValue(b.Bin)
			}
		}
		return HistBinValue(h[len(h)-1].Bin)
	}
	vlo, vhi := at(lo), at(hi)
	return vlo + (rank-float64(lo))*(vhi-vlo), true
}
