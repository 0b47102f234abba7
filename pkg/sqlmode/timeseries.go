package sqlmode

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// toTimeSeries turns a table result into a wide time series: the time column (named "time", or
// the only timestamp column) becomes the index, numeric columns the values, and string or bool
// columns labels (one series per label set, via data.LongToWide). When a $__timeGroup asked for
// a fill, buckets without rows are added over the whole range.
func toTimeSeries(frame *data.Frame, exp Expanded, q Query) (*data.Frame, error) {
	timeIdx, err := findTimeField(frame)
	if err != nil {
		return nil, err
	}
	n, _ := frame.RowLen()
	times := make([]time.Time, n)
	for i := range n {
		t, ok := frame.Fields[timeIdx].ConcreteAt(i)
		if !ok {
			return nil, fmt.Errorf("format time_series: column %q is NULL in row %d; filter those rows out", frame.Fields[timeIdx].Name, i+1)
		}
		times[i] = t.(time.Time)
	}
	hasValue, hasLabel := false, false
	for i, f := range frame.Fields {
		switch {
		case i == timeIdx:
		case f.Type().Numeric():
			hasValue = true
		case f.Type() == data.FieldTypeNullableString || f.Type() == data.FieldTypeNullableBool:
			hasLabel = true
		}
	}
	if !hasValue {
		return nil, errors.New("format time_series needs at least one numeric column besides the time column; use format table to see this result")
	}

	// LongToWide wants rows sorted by time; users' ORDER BY is easy to forget.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return times[order[a]].Before(times[order[b]]) })
	long := data.NewFrame(frame.Name, data.NewField("time", nil, reorderTimes(times, order)))
	long.Meta = frame.Meta
	for i, f := range frame.Fields {
		if i != timeIdx {
			long.Fields = append(long.Fields, reorder(f, order))
		}
	}

	if err := checkWideCells(times, frame, timeIdx); err != nil {
		return nil, err
	}
	wide := long
	if hasLabel && n > 0 {
		if wide, err = data.LongToWide(long, exp.Fill); err != nil {
			return nil, fmt.Errorf("format time_series: %w", err)
		}
	}
	if exp.Fill != nil {
		if wide, err = fillGrid(wide, *exp.Fill, q.From, q.To, exp.FillInterval, q.RowLimit); err != nil {
			return nil, err
		}
	}
	wide.Meta.Type = data.FrameTypeTimeSeriesWide
	wide.Meta.TypeVersion = data.FrameTypeVersion{0, 1}
	return wide, nil
}

// findTimeField picks the column named "time", else the only timestamp column.
func findTimeField(frame *data.Frame) (int, error) {
	var candidates []int
	for i, f := range frame.Fields {
		if f.Type().Time() {
			if strings.EqualFold(f.Name, "time") {
				return i, nil
			}
			candidates = append(candidates, i)
		}
	}
	switch len(candidates) {
	case 1:
		return candidates[0], nil
	case 0:
		return 0, errors.New(`format time_series needs a timestamp column named "time": use $__timeGroupAlias(column, interval) or "AS time"`)
	}
	return 0, errors.New(`format time_series found several timestamp columns: name the one to plot "time"`)
}

func reorderTimes(times []time.Time, order []int) []time.Time {
	out := make([]time.Time, len(order))
	for i, j := range order {
		out[i] = times[j]
	}
	return out
}

func reorder(f *data.Field, order []int) *data.Field {
	out := data.NewFieldFromFieldType(f.Type(), len(order))
	out.Name, out.Labels, out.Config = f.Name, f.Labels, f.Config
	for i, j := range order {
		out.Set(i, f.At(j))
	}
	return out
}

// fillGrid adds a row for every bucket of the epoch-aligned grid over [from, to] that has no
// data, filled as asked: NULL, a number, or the previous value of the same series. Value fields
// become nullable float64 so a NULL or fractional fill fits any numeric column.
func fillGrid(wide *data.Frame, fill data.FillMissing, from, to time.Time, interval time.Duration, limit int) (*data.Frame, error) {
	if interval <= 0 {
		return wide, nil
	}
	start := floorTime(from, interval)
	// In float seconds: time.Duration saturates beyond 292 years and would undercount.
	points := float64(to.Unix()-start.Unix())/interval.Seconds() + 1
	if points > float64(limit) {
		return nil, fmt.Errorf("filling every %s over the range would make %.0f points, more than the row limit %d; use a larger interval", interval, points, limit)
	}
	if cells := points * float64(len(wide.Fields)-1); cells > MaxCells {
		return nil, fmt.Errorf("filling every %s over the range would make %.0f points for each of %d series, more than the %d values a response may hold; use a larger interval or fewer series", interval, points, len(wide.Fields)-1, MaxCells)
	}
	timeField := wide.Fields[0]
	n := timeField.Len()
	out := data.NewFrame(wide.Name, data.NewField(timeField.Name, nil, []time.Time{}))
	out.Meta = wide.Meta
	for _, f := range wide.Fields[1:] {
		nf := data.NewField(f.Name, f.Labels, []*float64{})
		nf.Config = f.Config
		out.Fields = append(out.Fields, nf)
	}
	prev := make([]*float64, len(wide.Fields)-1)
	appendRow := func(t time.Time, src int) error {
		out.Fields[0].Append(t)
		for k, f := range wide.Fields[1:] {
			var v *float64
			switch {
			case src >= 0:
				fv, err := f.NullableFloatAt(src)
				if err != nil {
					return err
				}
				v = fv
				prev[k] = fv
			case fill.Mode == data.FillModeValue:
				x := fill.Value
				v = &x
			case fill.Mode == data.FillModePrevious:
				v = prev[k]
			}
			out.Fields[k+1].Append(v)
		}
		return nil
	}
	i := 0
	for g := start; !g.After(to); g = g.Add(interval) {
		// Rows before this grid point (off-grid or before the range) are kept as they are.
		for i < n && timeField.At(i).(time.Time).Before(g) {
			if err := appendRow(timeField.At(i).(time.Time), i); err != nil {
				return nil, err
			}
			i++
		}
		if i < n && timeField.At(i).(time.Time).Equal(g) {
			continue // this bucket has data: the inner loop appends it on the next grid step
		}
		if err := appendRow(g, -1); err != nil {
			return nil, err
		}
	}
	for ; i < n; i++ {
		if err := appendRow(timeField.At(i).(time.Time), i); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// floorTime aligns t down to a multiple of d since the Unix epoch (as date_bin does in SQL).
func floorTime(t time.Time, d time.Duration) time.Time {
	ns := t.UnixNano()
	m := ns % int64(d)
	if m < 0 {
		m += int64(d)
	}
	return time.Unix(0, ns-m).UTC()
}

// MaxCells bounds the values of a time-series result (timestamps × series × value columns): a
// long result with a distinct label on every row would otherwise become rows² cells when made wide.
const MaxCells = 2_000_000

// checkWideCells refuses, before data.LongToWide allocates it, a wide frame larger than MaxCells.
func checkWideCells(times []time.Time, frame *data.Frame, timeIdx int) error {
	distinct := map[int64]struct{}{}
	for _, t := range times {
		distinct[t.UnixNano()] = struct{}{}
	}
	labels := map[string]struct{}{}
	values := 0
	var key strings.Builder
	for row := range times {
		key.Reset()
		for i, f := range frame.Fields {
			if i == timeIdx || f.Type().Numeric() {
				continue
			}
			v, ok := f.ConcreteAt(row)
			fmt.Fprintf(&key, "%t%v\x00", ok, v)
		}
		labels[key.String()] = struct{}{}
	}
	for i, f := range frame.Fields {
		if i != timeIdx && f.Type().Numeric() {
			values++
		}
	}
	if cells := int64(len(distinct)) * int64(len(labels)) * int64(values); cells > MaxCells {
		return fmt.Errorf("format time_series would make %d timestamps × %d series × %d value columns = %d values, more than the %d a response may hold; aggregate in SQL (fewer label values or $__timeGroup) or use format table",
			len(distinct), len(labels), values, cells, MaxCells)
	}
	return nil
}
