package metrics

import (
	"context"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
)

// gridKey addresses one cell: a group value and the Unix start of its bucket.
type gridKey struct {
	g string
	t int64
}

// gridCells holds the rows of a (bucket time, group, value…) query keyed by group and bucket, so
// they can be laid out on the query's time grid; buckets without a row stay missing cells. The
// aggregate, percentile and point-in-time row sources all read their rows through it.
type gridCells[T any] struct {
	q      Query
	cells  map[gridKey]T
	groups map[string]bool
}

// bucketStarts returns the bucket starts of q: its buckets in time-series format, else the range
// start alone (table format has one cell for the whole range). Every row source and every
// computation over the grid uses it, so they agree on the cells.
func bucketStarts(q Query) []time.Time {
	if q.Format == FormatTimeSeries {
		return q.Bucket.Grid(q.From, q.To)
	}
	return []time.Time{q.From}
}

// bucketSpan is the part of the bucket starting at start that lies inside q's range; in table
// format the whole range.
func bucketSpan(q Query, start time.Time) time.Duration {
	if q.Format == FormatTimeSeries {
		return q.Bucket.Span(start, q.From, q.To)
	}
	return q.To.Sub(q.From)
}

// queryGrid runs sql with args and reads its (bucket time, group, value…) rows onto q's grid
// (readGrid): the one path from a row source's statement to its cells.
func queryGrid[T any](ctx context.Context, env *Env, q Query, sql string, args pgx.NamedArgs, scan func(pgx.Rows) (time.Time, string, T, error), merge func(old, v T) T) (*gridCells[T], error) {
	what := "metric " + q.Metric
	rows, err := env.Query(ctx, what, sql, args)
	if err != nil {
		return nil, err
	}
	return readGrid(q, rows, what, scan, merge)
}

// scanFloats scans a (bucket time, group, n nullable numbers) row.
func scanFloats(n int) func(pgx.Rows) (time.Time, string, []*float64, error) {
	return func(r pgx.Rows) (time.Time, string, []*float64, error) {
		var t time.Time
		var g string
		vals := make([]*float64, n)
		dest := make([]any, 0, n+2)
		dest = append(dest, &t, &g)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		err := r.Scan(dest...)
		return t, g, vals, err
	}
}

// readGrid scans every row with scan (which returns the bucket time, the group and the cell
// value) and stores it with merge (nil: the row replaces the cell). In table format every row
// belongs to the one cell of the whole range. what names the metric in error messages.
func readGrid[T any](q Query, rows pgx.Rows, what string, scan func(pgx.Rows) (time.Time, string, T, error), merge func(old, v T) T) (*gridCells[T], error) {
	defer rows.Close()
	c := &gridCells[T]{q: q, cells: map[gridKey]T{}, groups: map[string]bool{}}
	for rows.Next() {
		t, g, v, err := scan(rows)
		if err != nil {
			return nil, dbError(what+": read row", err)
		}
		if q.Format == FormatTable {
			t = q.From
		}
		k := gridKey{g, t.UTC().Unix()}
		if old, ok := c.cells[k]; ok && merge != nil {
			v = merge(old, v)
		}
		c.cells[k] = v
		c.groups[g] = true
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(what, err)
	}
	return c, nil
}

// series lays the cells out as one Series per group (sorted, labelled with the group-by
// dimension), calling value for every bucket with the cell and whether a row was read for it.
// Gap filling is Go work the statement timeout does not bound: the response size is checked
// against the cell cap first and ctx between series, so a hostile range or group-by ends with a
// clean error instead of exhausting memory.
func (c *gridCells[T]) series(ctx context.Context, value func(start time.Time, cell T, ok bool) *float64) ([]Series, error) {
	grid := bucketStarts(c.q)
	names := make([]string, 0, len(c.groups))
	for g := range c.groups {
		names = append(names, g)
	}
	sort.Strings(names)
	if err := checkCells(ctx, c.q, len(names), len(grid)); err != nil {
		return nil, err
	}
	out := make([]Series, 0, len(names))
	for _, g := range names {
		if err := ctx.Err(); err != nil {
			return nil, dbError("metric "+c.q.Metric+": fill gaps", err)
		}
		ser := Series{Values: make([]*float64, len(grid))}
		if c.q.GroupBy != "" {
			ser.Labels = data.Labels{c.q.GroupBy: g}
		}
		for i, start := range grid {
			cell, ok := c.cells[gridKey{g, start.Unix()}]
			ser.Values[i] = value(start, cell, ok)
		}
		if c.q.Format == FormatTimeSeries {
			ser.Times = grid
		}
		out = append(out, ser)
	}
	return out, nil
}
