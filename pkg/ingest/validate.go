package ingest

import (
	"encoding/json"
	"fmt"
)

// Payload limits the HTTP handler enforces before decoding (answering 413 with a reason), and
// the Writer enforces again so every caller gets the same bound.
const (
	MaxBatchRows  = 10_000
	MaxBatchBytes = 10 << 20 // 10 MiB of request body
)

// RowError says why one row (by its position in the batch) was rejected. Field is empty when the
// row as a whole is unusable (not a JSON object).
type RowError struct {
	Index  int    `json:"index"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("row %d: %s", e.Index, e.Reason)
	}
	return fmt.Sprintf("row %d: %s %s", e.Index, e.Field, e.Reason)
}

// Validated is the outcome of validating a batch: the good rows (with their positions in the
// batch) and one RowError per problem found in the bad ones.
type Validated struct {
	Rows     []Row
	Indexes  []int // Indexes[i] is the batch position of Rows[i]
	Rejected []RowError
}

// RejectedRows counts the distinct rows that have at least one error.
func (v *Validated) RejectedRows() int {
	n, last := 0, -1
	for _, e := range v.Rejected {
		if e.Index != last {
			n, last = n+1, e.Index
		}
	}
	return n
}

// Validate decodes and checks every row of a batch for table t. Event rows that carry no
// "source" get defaultSource. Every problem of a row is reported (not only the first), so a
// client can fix a batch in one round.
func Validate(t *Table, rows []json.RawMessage, defaultSource string) *Validated {
	out := &Validated{Rows: make([]Row, 0, len(rows)), Indexes: make([]int, 0, len(rows))}
	fields := make([][]byte, len(t.Columns)) // raw value per column, reused across rows
	for i, raw := range rows {
		clear(fields)
		var problems []RowError
		err := eachField(raw, func(key string, val []byte) error {
			ci, ok := t.index[key]
			switch {
			case !ok:
				problems = append(problems, RowError{Index: i, Field: key,
					Reason: fmt.Sprintf("is not a column of %s", t.Name)})
			case fields[ci] != nil:
				problems = append(problems, RowError{Index: i, Field: key, Reason: "appears more than once"})
			default:
				fields[ci] = val
			}
			return nil
		})
		if err != nil {
			out.Rejected = append(out.Rejected, RowError{Index: i, Reason: err.Error()})
			continue
		}
		row, errs := decodeRow(t, i, fields, defaultSource)
		if problems = append(problems, errs...); len(problems) > 0 {
			out.Rejected = append(out.Rejected, problems...)
			continue
		}
		out.Rows = append(out.Rows, row)
		out.Indexes = append(out.Indexes, i)
	}
	return out
}

func decodeRow(t *Table, index int, fields [][]byte, defaultSource string) (Row, []RowError) {
	var errs []RowError
	values := make([]any, len(t.Columns))
	for ci := range t.Columns {
		c := &t.Columns[ci]
		raw := fields[ci]
		if c.Name == "source" && t.Event && (raw == nil || string(raw) == "null") && defaultSource != "" {
			values[ci] = defaultSource
			continue
		}
		v, reason := c.decode(raw)
		if reason != "" {
			errs = append(errs, RowError{Index: index, Field: c.Name, Reason: reason})
			continue
		}
		values[ci] = v
	}
	row := Row{Table: t, Values: values}
	if len(errs) > 0 {
		return row, errs
	}
	return row, CheckRow(row, index)
}

// CheckRow applies a table's cross-column rules to a row whose columns are individually valid.
// The demo generator uses it too, so generated data obeys the same rules as ingested data.
func CheckRow(row Row, index int) []RowError {
	var errs []RowError
	for _, check := range row.Table.Checks {
		if field, reason := check(row); reason != "" {
			errs = append(errs, RowError{Index: index, Field: field, Reason: reason})
		}
	}
	return errs
}

// CheckValues validates Go values (as the demo generator produces them) against the column
// rules of t: types, required, enum, ranges and cross-column rules.
func CheckValues(t *Table, values []any, index int) []RowError {
	if len(values) != len(t.Columns) {
		return []RowError{{Index: index, Reason: fmt.Sprintf("has %d values for %d columns", len(values), len(t.Columns))}}
	}
	var errs []RowError
	for ci := range t.Columns {
		c := &t.Columns[ci]
		v := values[ci]
		if v == nil {
			if c.Required && c.Default == nil {
				errs = append(errs, RowError{Index: index, Field: c.Name, Reason: "is required"})
			}
			continue
		}
		if !kindHolds(c.Kind, v) {
			errs = append(errs, RowError{Index: index, Field: c.Name, Reason: fmt.Sprintf("has Go type %T, not %s", v, c.Kind.PGType())})
			continue
		}
		if reason := c.checkValue(v); reason != "" {
			errs = append(errs, RowError{Index: index, Field: c.Name, Reason: reason})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return CheckRow(Row{Table: t, Values: values}, index)
}
