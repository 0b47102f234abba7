package metrics

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
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

// histBinValue is the value a bin stands for.
func histBinValue(bin int) float64 { return math.Exp((float64(bin) + 0.5) * math.Log(1.04)) }

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
	rows, err := env.Query(ctx, "metric "+q.Metric, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		g string
		t int64
	}
	hists := map[key][]binCount{}
	groups := map[string]bool{}
	for rows.Next() {
		var tm time.Time
		var grp string
		var bc binCount
		if err := rows.Scan(&tm, &grp, &bc.bin, &bc.n); err != nil {
			return nil, dbError("metric "+q.Metric+": read histogram", err)
		}
		if q.Format == FormatTable {
			tm = q.From
		}
		k := key{grp, tm.UTC().Unix()}
		hists[k] = append(hists[k], bc)
		groups[grp] = true
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("metric "+q.Metric, err)
	}
	grid := []time.Time{q.From}
	if q.Format == FormatTimeSeries {
		grid = q.Bucket.Grid(q.From, q.To)
	}
	names := make([]string, 0, len(groups))
	for grp := range groups {
		names = append(names, grp)
	}
	sort.Strings(names)
	res := &Result{SQL: sql, Notices: []data.Notice{{Severity: data.NoticeSeverityInfo,
		Text: "Percentiles over this range come from daily histograms (within 2 % of the exact value)."}}}
	if err := checkCells(ctx, q, len(names), len(grid)); err != nil {
		return nil, err
	}
	for _, grp := range names {
		if err := ctx.Err(); err != nil {
			return nil, dbError("metric "+q.Metric+": fill gaps", err)
		}
		ser := Series{Values: make([]*float64, len(grid))}
		if q.GroupBy != "" {
			ser.Labels = data.Labels{q.GroupBy: grp}
		}
		for i, start := range grid {
			if v, ok := histPercentile(hists[key{grp, start.Unix()}], p); ok {
				ser.Values[i] = fptr(v * s.Scale)
			}
		}
		if q.Format == FormatTimeSeries {
			ser.Times = grid
		}
		res.Series = append(res.Series, ser)
	}
	return res, nil
}

type binCount struct {
	bin int
	n   int64
}

// histPercentile is percentile_cont(p) over a histogram (bins ascending): the values at ranks
// floor(p·(N−1)) and ceil(p·(N−1)), linearly interpolated.
func histPercentile(h []binCount, p float64) (float64, bool) {
	var total int64
	for _, b := range h {
		total += b.n
	}
	if total == 0 {
		return 0, false
	}
	rank := p * float64(total-1)
	lo, hi := int64(math.Floor(rank)), int64(math.Ceil(rank))
	at := func(k int64) float64 {
		var seen int64
		for _, b := range h {
			seen += b.n
			if k < seen {
				return histBinValue(b.bin)
			}
		}
		return histBinValue(h[len(h)-1].bin)
	}
	vlo, vhi := at(lo), at(hi)
	return vlo + (rank-float64(lo))*(vhi-vlo), true
}
