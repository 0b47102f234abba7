package metrics

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
)

// pointSpec is a metric measured at an instant rather than over a bucket: rows valid at the end
// of each bucket (incidents still open, teams' developer counts). Source yields ts (valid from),
// until (valid to, NULL = still valid), the dimension columns and the measures Value aggregates.
type pointSpec struct {
	Source string
	Dims   Columns
	Value  string
	Fill   fill
}

// runPoint evaluates spec at the end of every bucket (clipped to the range end); in table format
// at the end of the range. The ends are computed in Go and bound as an array, so both store modes
// use the same instants.
func runPoint(ctx context.Context, env *Env, q Query, s *pointSpec) (*Result, error) {
	grid := []time.Time{q.From}
	if q.Format == FormatTimeSeries {
		grid = q.Bucket.Grid(q.From, q.To)
	}
	starts := make([]time.Time, len(grid))
	ends := make([]time.Time, len(grid))
	for i, st := range grid {
		starts[i] = st
		end := q.To
		if q.Format == FormatTimeSeries {
			if n := q.Bucket.Next(st); n.Before(end) {
				end = n
			}
		}
		ends[i] = end
	}
	args := pgx.NamedArgs{"starts": starts, "ends": ends}
	where, err := FilterSQL(q, s.Dims, args)
	if err != nil {
		return nil, err
	}
	g, err := groupColumn(q, s.Dims)
	if err != nil {
		return nil, err
	}
	sql := fmt.Sprintf("SELECT e.t, %s AS g, (%s)::double precision\nFROM unnest(@starts::timestamptz[], @ends::timestamptz[]) AS e(t, at)\n"+
		"JOIN (%s) s ON s.ts < e.at AND (s.until IS NULL OR s.until > e.at)\nWHERE true%s\nGROUP BY 1, 2 ORDER BY 1, 2",
		g, s.Value, s.Source, where)
	rows, err := env.Query(ctx, "metric "+q.Metric, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		g string
		t int64
	}
	cells := map[key]*float64{}
	groups := map[string]bool{}
	for rows.Next() {
		var t time.Time
		var grp string
		var v *float64
		if err := rows.Scan(&t, &grp, &v); err != nil {
			return nil, dbError("metric "+q.Metric+": read row", err)
		}
		cells[key{grp, t.UTC().Unix()}] = v
		groups[grp] = true
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("metric "+q.Metric, err)
	}
	names := make([]string, 0, len(groups))
	for grp := range groups {
		names = append(names, grp)
	}
	sort.Strings(names)
	res := &Result{SQL: sql}
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
		for i, st := range grid {
			v, ok := cells[key{grp, st.Unix()}]
			if !ok && s.Fill == fillZero {
				v = fptr(0)
			}
			ser.Values[i] = v
		}
		if q.Format == FormatTimeSeries {
			ser.Times = grid
		}
		res.Series = append(res.Series, ser)
	}
	return res, nil
}
