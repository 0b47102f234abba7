// Package records turns the engine's data frames into plain records — ordered column → value
// rows — and writes them as a JSON array or CSV. It is the one place for that conversion: the
// CLI's --output json/csv, the REST API and the report's CSV all use it, so a metric reads the
// same everywhere.
//
// Shapes:
//   - table frames (numeric-long): one record per row, the frame's columns in order;
//   - time series (timeseries-multi, one frame per series): long form, one record per point with
//     the columns time, each label key of any series (sorted; absent → null) and value.
//
// Values: times as RFC 3339 strings (UTC), null for missing values, NaN and ±Inf.
package records

import (
	"math"
	"reflect"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Table is the records of one answer: the column names in order and one row of values per
// record. Values are nil, string, float64, int64, bool or (for anything else) its fmt form.
type Table struct {
	Columns []string
	Rows    [][]any
	// Notices are the frames' notices (e.g. "No data for …"), for callers that show them.
	Notices []string
}

// Field is one column of a Record.
type Field struct {
	Key   string
	Value any
}

// Record is one row as an ordered list of columns; it marshals to a JSON object whose keys keep
// the column order.
type Record []Field

// Get returns the value of column key and whether the record has it.
func (r Record) Get(key string) (any, bool) {
	for _, f := range r {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// Records returns the rows as ordered records.
func (t Table) Records() []Record {
	out := make([]Record, len(t.Rows))
	for i, row := range t.Rows {
		rec := make(Record, len(t.Columns))
		for c, name := range t.Columns {
			rec[c] = Field{Key: name, Value: row[c]}
		}
		out[i] = rec
	}
	return out
}

// FromFrames converts the engine's answer to records (see the package doc for the shapes).
// Frames without fields (no data) contribute only their notices.
func FromFrames(frames data.Frames) Table {
	var t Table
	for _, f := range frames {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				t.Notices = append(t.Notices, n.Text)
			}
		}
	}
	if isTimeSeries(frames) {
		fromTimeSeries(frames, &t)
	} else {
		fromTables(frames, &t)
	}
	return t
}

// isTimeSeries reports whether frames are in the timeseries-multi shape (time + one value).
func isTimeSeries(frames data.Frames) bool {
	seen := false
	for _, f := range frames {
		if len(f.Fields) == 0 {
			continue
		}
		if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti || len(f.Fields) != 2 {
			return false
		}
		seen = true
	}
	return seen
}

func fromTimeSeries(frames data.Frames, t *Table) {
	keySet := map[string]bool{}
	for _, f := range frames {
		if len(f.Fields) == 2 {
			for k := range f.Fields[1].Labels {
				keySet[k] = true
			}
		}
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		if k != "time" && k != "value" { // a label cannot shadow the fixed columns
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	t.Columns = append(append([]string{"time"}, keys...), "value")
	for _, f := range frames {
		if len(f.Fields) != 2 {
			continue
		}
		tf, vf := f.Fields[0], f.Fields[1]
		for i := 0; i < f.Rows(); i++ {
			row := make([]any, 0, len(t.Columns))
			row = append(row, Value(tf.At(i)))
			for _, k := range keys {
				if v, ok := vf.Labels[k]; ok {
					row = append(row, v)
				} else {
					row = append(row, nil)
				}
			}
			t.Rows = append(t.Rows, append(row, Value(vf.At(i))))
		}
	}
}

// fromTables concatenates table frames; the columns are the union in first-seen order, a
// column a frame lacks is null in its rows.
func fromTables(frames data.Frames, t *Table) {
	index := map[string]int{}
	for _, f := range frames {
		for _, fld := range f.Fields {
			if _, ok := index[fld.Name]; !ok {
				index[fld.Name] = len(t.Columns)
				t.Columns = append(t.Columns, fld.Name)
			}
		}
	}
	for _, f := range frames {
		for i := 0; i < f.Rows(); i++ {
			row := make([]any, len(t.Columns))
			for _, fld := range f.Fields {
				row[index[fld.Name]] = Value(fld.At(i))
			}
			t.Rows = append(t.Rows, row)
		}
	}
}

// Value normalises one frame cell: pointers dereferenced (nil → nil), times to RFC 3339 in UTC,
// NaN/±Inf to nil, integer and float kinds to int64 / float64.
func Value(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	x := rv.Interface()
	if tm, ok := x.(time.Time); ok {
		return tm.UTC().Format(time.RFC3339Nano)
	}
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint())
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	}
	return x
}
