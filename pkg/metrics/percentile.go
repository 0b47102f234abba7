package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics/stats"
)

// pctSpec describes a percentile metric. Short ranges are exact (percentile_cont over raw rows);
// long ranges read per-day log histograms, because percentiles of buckets cannot be re-aggregated.
// A histogram bin stands for exp((bin+0.5)·ln 1.04), within 2 % of every value in it; binning is
// monotonic, so the k-th smallest value falls in the bin the histogram says, and interpolating
// between two such values (as percentile_cont does) keeps the 2 % bound.
type pctSpec struct {
	Raw   string  // raw row source with the measure column Col
	Col   string  // measure column
	Dims  Columns // dimensions of Raw
	Scale float64 // unit conversion applied to the result (1/60: seconds → minutes)
	Hist  []rollup
}

// histBinSQL is the binning of the rollup migration, for raw edge rows.
func histBinSQL(col string) string {
	return fmt.Sprintf("floor(ln(greatest(%s, 0.001)) / ln(1.04))::int", col)
}

func runPercentile(ctx context.Context, env *Env, q Query, s *pctSpec, p float64, useRollups bool) (*Result, error) {
	exact := &aggSpec{Source: s.Raw, Dims: s.Dims, Fill: []fill{fillNull}, Rollups: s.Hist,
		Values: []string{fmt.Sprintf("percentile_cont(%g) WITHIN GROUP (ORDER BY %s) * %g", p, s.Col, s.Scale)}}
	r, midFrom, midTo := exact.pickRollup(q)
	if !useRollups || r == nil {
		return runAggPath(ctx, env, q, exact, false)
	}
	args := pgx.NamedArgs{"from": q.From, "to": q.To, "mid_from": midFrom, "mid_to": midTo}
	where, err := FilterSQL(q, r.Dims, args)
	if err != nil {
		return nil, err
	}
	g, err := groupColumn(q, r.Dims)
	if err != nil {
		return nil, err
	}
	t := "@from::timestamptz"
	if q.Format == FormatTimeSeries {
		t = bucketSQL(env.Timescale(), q.Bucket, "s.ts")
	}
	sql := fmt.Sprintf("SELECT %s AS t, %s AS g, s.bin, sum(s.n)::bigint\nFROM (%s) s\nWHERE s.ts >= @from AND s.ts < @to%s\nGROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
		t, g, r.Source, where)
	hists, err := queryGrid(ctx, env, q, sql, args, func(r pgx.Rows) (time.Time, string, []stats.BinCount, error) {
		var t time.Time
		var g string
		var bc stats.BinCount
		err := r.Scan(&t, &g, &bc.Bin, &bc.N)
		return t, g, []stats.BinCount{bc}, err
	}, func(old, v []stats.BinCount) []stats.BinCount { return append(old, v...) })
	if err != nil {
		return nil, err
	}
	series, err := hists.series(ctx, func(_ time.Time, h []stats.BinCount, _ bool) *float64 {
		if v, ok := stats.HistPercentile(h, p); ok {
			return fptr(v * s.Scale)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Result{SQL: sql, Series: series, Notices: []data.Notice{{Severity: data.NoticeSeverityInfo,
		Text: "Percentiles over this range come from daily histograms (within 2 % of the exact value)."}}}, nil
}
