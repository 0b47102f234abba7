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
	seen := newTextCache(len(t.Columns))
	// Rows of a batch nearly always list their fields in the same order: guess that the k-th
	// field is the column the k-th field of the previous row was, and compare names, before
	// hashing the key for the map.
	guess := make([]int, 0, len(t.Columns))
	for i, raw := range rows {
		clear(fields)
		var problems []RowError
		k := 0
		err := eachField(raw, func(key, val []byte) error {
			var ci int
			var ok bool
			if k < len(guess) && t.Columns[guess[k]].Name == string(key) {
				ci, ok = guess[k], true
			} else if ci, ok = t.index[string(key)]; ok {
				if k < len(guess) {
					guess[k] = ci
				} else if k == len(guess) && k < cap(guess) {
					guess = append(guess, ci)
				}
			}
			k++
			switch {
			case !ok:
				problems = append(problems, RowError{Index: i, Field: string(key),
					Reason: fmt.Sprintf("is not a column of %s", t.Name)})
			case fields[ci] != nil:
				problems = append(problems, RowError{Index: i, Field: string(key), Reason: "appears more than once"})
			default:
				fields[ci] = val
			}
			return nil
		})
		if err != nil {
			out.Rejected = append(out.Rejected, RowError{Index: i, Reason: err.Error()})
			continue
		}
		row, errs := decodeRow(t, i, fields, defaultSource, seen)
		if problems = append(problems, errs...); len(problems) > 0 {
			out.Rejected = append(out.Rejected, problems...)
			continue
		}
		out.Rows = append(out.Rows, row)
		out.Indexes = append(out.Indexes, i)
	}
	return out
}

// textCache remembers, per text column, raw JSON values already decoded and accepted in this
// batch, with their boxed Go value. Batches repeat the same few teams, services, stacks and
// statuses on every row; decoding each again cost two allocations per value (the string and its
// interface box) and the column rules again, with the same outcome: the rules depend on the value
// alone. Only accepted values are kept, so every rejection is still found and reported.
type textCache struct {
	values []map[string]any
	off    []bool // the column has too many distinct values to be worth caching
}

// textCacheSize bounds each column's cache: memory stays bounded, and a column that fills it
// (an identifier such as external_id, where lookups would only miss) is no longer cached.
const textCacheSize = 256

func newTextCache(columns int) *textCache {
	return &textCache{values: make([]map[string]any, columns), off: make([]bool, columns)}
}

func (c *textCache) get(ci int, raw []byte) (any, bool) {
	v, ok := c.values[ci][string(raw)] // a nil map misses; string(raw) in an index does not allocate
	return v, ok
}

func (c *textCache) put(ci int, raw []byte, v any) {
	m := c.values[ci]
	switch {
	case m == nil:
		c.values[ci] = map[string]any{string(raw): v}
	case len(m) < textCacheSize:
		m[string(raw)] = v
	default:
		c.values[ci], c.off[ci] = nil, true
	}
}

func decodeRow(t *Table, index int, fields [][]byte, defaultSource string, seen *textCache) (Row, []RowError) {
	var errs []RowError
	values := make([]any, len(t.Columns))
	for ci := range t.Columns {
		c := &t.Columns[ci]
		raw := fields[ci]
		if c.Name == "source" && t.Event && (raw == nil || string(raw) == "null") && defaultSource != "" {
			values[ci] = defaultSource
			continue
		}
		text := c.Kind == Text && raw != nil && !seen.off[ci]
		if text {
			if v, ok := seen.get(ci, raw); ok {
				values[ci] = v
				continue
			}
		}
		v, reason := c.decode(raw)
		if reason != "" {
			errs = append(errs, RowError{Index: index, Field: c.Name, Reason: reason})
			continue
		}
		if text && v != nil {
			seen.put(ci, raw, v)
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
