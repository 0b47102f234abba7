package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Shared by forecast and anomalies: the base metric's series, computed by that metric's own
// SeriesFunc through the registry (its SQL stays in one place), cleaned for modelling.

// analyticsNow is the clock deciding which buckets are still in progress (tests pin it).
var analyticsNow = time.Now

// allDimensions lists every dimension: forecast and anomalies accept whatever filters their base
// metric accepts, which baseSeries checks once the base metric is known.
func allDimensions() []string {
	out := make([]string, len(dimensionOrder))
	for i, d := range dimensionOrder {
		out[i] = d.ID
	}
	return out
}

// baseSeries is one labelled series of the base metric, cleaned for modelling.
type baseSeries struct {
	Labels data.Labels
	Times  []time.Time
	Values []float64
	Filled int // interior gaps filled by linear interpolation
}

// loadBase validates q.BaseMetric and computes its series for q on bucket b over
// [q.From, min(q.To, now)). Buckets only partly inside that range (the current, unfinished
// interval above all) are dropped: their counts are partial and would read as a dip. Leading and
// trailing buckets without a value are dropped, interior ones interpolated linearly.
//
// Ad hoc filters are dashboard-wide, so a key the base metric lacks is skipped with a notice (as
// the engine does for every metric); an explicit filter or group-by it lacks is an error.
func loadBase(ctx context.Context, env *Env, q Query, b Bucket) (Definition, []baseSeries, string, []data.Notice, error) {
	if q.BaseMetric == "" {
		return Definition{}, nil, "", nil, backend.DownstreamErrorf("metric %q needs a base metric: set the query's \"baseMetric\" option to a numeric metric id such as deployments or build_success_rate", q.Metric)
	}
	ent, ok := lookup(q.BaseMetric)
	if !ok || ent.series == nil || !ent.def.HasFormat(FormatTimeSeries) {
		why := "is not in the catalog"
		if ok {
			why = "is not a numeric time-series metric"
		}
		return Definition{}, nil, "", nil, backend.DownstreamErrorf("base metric %q %s; %s needs one computed as a series (e.g. deployments, builds, build_success_rate, monthly_opex)", q.BaseMetric, why, q.Metric)
	}
	def := ent.def
	for k, v := range q.Filters {
		if len(v) > 0 && !def.HasDimension(k) {
			return Definition{}, nil, "", nil, backend.DownstreamErrorf("filter %q is not available for base metric %q; %s", k, def.ID, validKeysMessage(def.Dimensions))
		}
	}
	var notices []data.Notice
	var adhoc []AdHocFilter
	for _, f := range q.AdHoc {
		if !def.HasDimension(f.Key) {
			notices = append(notices, infoNotice("Ad hoc filter %q does not apply to %s and was ignored.", f.Key, def.ID))
			continue
		}
		adhoc = append(adhoc, f)
	}
	if q.GroupBy != "" && !def.HasDimension(q.GroupBy) {
		return Definition{}, nil, "", nil, backend.DownstreamErrorf("group by %q is not available for base metric %q; %s", q.GroupBy, def.ID, validKeysMessage(def.Dimensions))
	}
	sub := q
	sub.Metric, sub.Format, sub.Compare, sub.Bucket, sub.AdHoc = def.ID, FormatTimeSeries, CompareNone, b, adhoc
	if now := analyticsNow().UTC(); sub.To.After(now) {
		sub.To = now
	}
	if def.HasOption(OptionStat) && sub.Stat == "" {
		sub.Stat = "p50"
	}
	if !sub.From.Before(sub.To) {
		return def, nil, "", notices, nil
	}
	res, err := ent.series(ctx, env, sub)
	if err != nil {
		return Definition{}, nil, "", nil, err
	}
	res.sortSeries()
	notices = append(notices, res.Notices...)
	var out []baseSeries
	for _, s := range res.Series {
		bs := baseSeries{Labels: s.Labels}
		var vals []*float64
		for i, t := range s.Times {
			if b.Span(t, sub.From, sub.To) < b.Next(t).Sub(t) {
				continue // partial bucket
			}
			bs.Times = append(bs.Times, t)
			vals = append(vals, s.Values[i])
		}
		bs.Times, bs.Values, bs.Filled = fillGaps(bs.Times, vals)
		if len(bs.Values) > 0 {
			out = append(out, bs)
		}
	}
	return def, out, fmt.Sprintf("-- base metric %s:\n%s", def.ID, res.SQL), notices, nil
}

// fillGaps trims leading and trailing nil values and interpolates interior ones linearly.
func fillGaps(times []time.Time, vals []*float64) ([]time.Time, []float64, int) {
	lo, hi := 0, len(vals)
	for lo < hi && vals[lo] == nil {
		lo++
	}
	for hi > lo && vals[hi-1] == nil {
		hi--
	}
	times, vals = times[lo:hi], vals[lo:hi]
	out := make([]float64, len(vals))
	filled, last := 0, -1
	for i, v := range vals {
		if v == nil {
			continue
		}
		out[i] = *v
		for j := last + 1; j < i; j++ { // the gap since the previous value
			out[j] = out[last] + (out[i]-out[last])*float64(j-last)/float64(i-last)
			filled++
		}
		last = i
	}
	return times, out, filled
}

// baseField is the field config of a value in the base metric's unit.
func baseField(def Definition, display string) *data.FieldConfig {
	return &data.FieldConfig{DisplayNameFromDS: display, Unit: def.GrafanaUnit, Mappings: def.Mappings}
}
