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

// grid returns the bucket starts of the query: its buckets in time-series format, else the
// range start alone.
func (c *gridCells[T]) grid() []time.Time {
	if c.q.Format == FormatTimeSeries {
		return c.q.Bucket.Grid(c.q.From, c.q.To)
	}
	return []time.Time{c.q.From}
}

// series lays the cells out as one Series per group (sorted, labelled with the group-by
// dimension), calling value for every bucket with the cell and whether a row was read for it.
// Gap filling is Go work the statement timeout does not bound: the response size is checked
// against the cell cap first and ctx between series, so a hostile range or group-by ends with a
// clean error instead of exhausting memory.
func (c *gridCells[T]) series(ctx context.Context, value func(start time.Time, cell T, ok bool) *float64) ([]Series, error) {
	grid := c.grid()
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
