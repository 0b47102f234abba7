package metrics

import (
	"context"
	"fmt"
	"time"

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
	grid := bucketStarts(q)
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
	cells, err := queryGrid(ctx, env, q, sql, args, scanFloats(1), nil)
	if err != nil {
		return nil, err
	}
	series, err := cells.series(ctx, func(_ time.Time, v []*float64, ok bool) *float64 {
		if !ok {
			if s.Fill == fillZero {
				return fptr(0)
			}
			return nil
		}
		return v[0]
	})
	if err != nil {
		return nil, err
	}
	return &Result{SQL: sql, Series: series}, nil
}
