package metrics

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// combine joins two results computed for the same query (same grid) series by series: groups
// present in only one side meet a series of fillA / fillB values. f gets both values and the
// part of the bucket inside the range.
func combine(q Query, a, b *Result, fillA, fillB fill, f func(x, y *float64, span time.Duration) *float64) *Result {
	grid := bucketStarts(q)
	index := func(r *Result) map[string]Series {
		m := map[string]Series{}
		for _, s := range r.Series {
			m[s.Labels.String()] = s
		}
		return m
	}
	ma, mb := index(a), index(b)
	labels := map[string]data.Labels{}
	for _, r := range []*Result{a, b} {
		for _, s := range r.Series {
			labels[s.Labels.String()] = s.Labels
		}
	}
	at := func(m map[string]Series, key string, i int, fl fill) *float64 {
		if s, ok := m[key]; ok && i < len(s.Values) {
			return s.Values[i]
		}
		if fl == fillZero {
			return fptr(0)
		}
		return nil
	}
	out := &Result{SQL: a.SQL + ";\n" + b.SQL, Notices: append(append([]data.Notice{}, a.Notices...), b.Notices...)}
	for key, l := range labels {
		ser := Series{Labels: l, Values: make([]*float64, len(grid))}
		for i, st := range grid {
			ser.Values[i] = f(at(ma, key, i, fillA), at(mb, key, i, fillB), bucketSpan(q, st))
		}
		if q.Format == FormatTimeSeries {
			ser.Times = grid
		}
		out.Series = append(out.Series, ser)
	}
	out.sortSeries()
	return out
}

// ratio is x ÷ y, unknown when either is unknown or y is 0.
func ratio(x, y *float64) *float64 {
	if x == nil || y == nil || *y == 0 {
		return nil
	}
	return fptr(*x / *y)
}
