package grafanahost

import (
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// What each panel type needs from the frames of one query to draw something (Grafana's
// visualisations read fields by type: a stat reduces numeric fields, a time series plots
// numeric fields against a time field, a bar chart needs a string or time x axis and numbers).

func isNumber(f *data.Field) bool { return f.Type().Numeric() }
func isTime(f *data.Field) bool   { return f.Type().Time() }
func isString(f *data.Field) bool {
	return f.Type() == data.FieldTypeString || f.Type() == data.FieldTypeNullableString
}

// hasValue reports whether a field holds at least one non-null value.
func hasValue(f *data.Field) bool {
	for i := 0; i < f.Len(); i++ {
		if v, ok := f.ConcreteAt(i); ok && v != nil {
			return true
		}
	}
	return false
}

// nonEmpty drops frames without rows (Grafana draws nothing from them).
func nonEmpty(frames data.Frames) data.Frames {
	var out data.Frames
	for _, f := range frames {
		if n, _ := f.RowLen(); n > 0 {
			out = append(out, f)
		}
	}
	return out
}

// numericWithValue reports whether any frame has a numeric field with a non-null value.
func numericWithValue(frames data.Frames) bool {
	for _, f := range frames {
		for _, fld := range f.Fields {
			if isNumber(fld) && hasValue(fld) {
				return true
			}
		}
	}
	return false
}

// seriesKey identifies a series the way Grafana names it: field name and labels.
func seriesKey(fld *data.Field) string {
	return fld.Name + fld.Labels.String()
}

// checkTimeSeries: each frame has one time field, ascending, and numeric fields; no two series
// share a name and label set (Grafana would draw them as one legend entry, alerting rejects them).
func checkTimeSeries(frames data.Frames, needNumber bool) error {
	seen := map[string]bool{}
	for _, f := range frames {
		var times []*data.Field
		numbers := 0
		for _, fld := range f.Fields {
			switch {
			case isTime(fld):
				times = append(times, fld)
			case isNumber(fld):
				numbers++
				if seen[seriesKey(fld)] {
					return fmt.Errorf("frame %q: duplicate series %s (one series per label set)", f.Name, seriesKey(fld))
				}
				seen[seriesKey(fld)] = true
			}
		}
		if len(times) != 1 {
			return fmt.Errorf("frame %q has %d time fields, want 1", f.Name, len(times))
		}
		if needNumber && numbers == 0 {
			return fmt.Errorf("frame %q has no numeric field", f.Name)
		}
		var prev time.Time
		for i := 0; i < times[0].Len(); i++ {
			v, ok := times[0].ConcreteAt(i)
			if !ok {
				return fmt.Errorf("frame %q: null time at row %d", f.Name, i)
			}
			ts := v.(time.Time)
			if i > 0 && ts.Before(prev) {
				return fmt.Errorf("frame %q: time not sorted ascending at row %d (%s after %s)", f.Name, i, ts, prev)
			}
			prev = ts
		}
	}
	return nil
}

// checkPanelShape checks one query's frames against what panelType needs; no rows is an error
// (the panel would say "No data").
func checkPanelShape(panelType string, frames data.Frames) error {
	frames = nonEmpty(frames)
	if len(frames) == 0 {
		return errors.New(`no rows: the panel would show "No data"`)
	}
	switch panelType {
	case "stat", "gauge", "bargauge", "piechart":
		if !numericWithValue(frames) {
			return fmt.Errorf("%s needs a numeric field with a value", panelType)
		}
	case "timeseries":
		if !numericWithValue(frames) {
			return errors.New("timeseries needs a numeric field with a value")
		}
		return checkTimeSeries(frames, true)
	case "state-timeline":
		for _, f := range frames {
			if len(f.Fields) < 2 {
				return fmt.Errorf("state-timeline frame %q needs a time field and a state field", f.Name)
			}
		}
		return checkTimeSeries(frames, false)
	case "barchart":
		for _, f := range frames {
			x, y := false, false
			for _, fld := range f.Fields {
				x = x || isString(fld) || isTime(fld)
				y = y || (isNumber(fld) && hasValue(fld))
			}
			if x && y {
				return nil
			}
		}
		return errors.New("barchart needs a frame with a string (or time) field and a numeric field with a value")
	case "table":
		for _, f := range frames {
			if len(f.Fields) > 0 {
				return nil
			}
		}
		return errors.New("table has no fields")
	default:
		return fmt.Errorf("panel type %q has no shape rule in the host suite: add one", panelType)
	}
	return nil
}

// checkAnnotationShape: Grafana reads annotation frames by field name: time (and timeEnd),
// title/text, tags.
func checkAnnotationShape(frames data.Frames, needRows bool) error {
	rows := 0
	for _, f := range frames {
		n, _ := f.RowLen()
		rows += n
		if n == 0 {
			continue
		}
		var hasTime, hasText bool
		for _, fld := range f.Fields {
			hasTime = hasTime || (fld.Name == "time" && isTime(fld))
			hasText = hasText || ((fld.Name == "text" || fld.Name == "title") && isString(fld))
		}
		if !hasTime || !hasText {
			return fmt.Errorf("annotation frame %q needs a time field named time and a text or title field", f.Name)
		}
	}
	if needRows && rows == 0 {
		return errors.New("no annotations on the demo data")
	}
	return nil
}
