package ingest

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"time"
)

// Table describes one writable table. Descriptors are package data (see Tables); nothing about
// them comes from a request.
type Table struct {
	Name string
	// TimeColumn is the event time (the hypertable partitioning column) of an event table, or the
	// validity start of a dimension that has one; "" for the other dimensions.
	TimeColumn string
	// Event tables carry source and external_id and are append-only: a row whose
	// (source, external_id, time column) already exists is a duplicate and is skipped.
	// Dimension tables are upserted on Key.
	Event bool
	// Columns in COPY order. Event tables start with source and external_id.
	Columns []Column
	// Key is the conflict target: (source, external_id, TimeColumn) for events, the primary key
	// for dimensions.
	Key []string
	// Rollups is true when rollup tables are computed from this table, so a write must refresh
	// them for the time range it touched.
	Rollups bool
	// Checks are rules across columns of a validated row.
	Checks []RowCheck

	index map[string]int
	stage string // staging table name, see stageName
}

// RowCheck is a rule across several columns of a row whose single-column rules all passed. It
// returns the field to blame and the reason, or two empty strings.
type RowCheck func(r Row) (field, reason string)

// Row is a validated row: the Go values of a table's columns, in column order (nil = NULL).
type Row struct {
	Table  *Table
	Values []any
}

// Get returns the value of the named column (nil when NULL or unknown).
func (r Row) Get(name string) any {
	i, ok := r.Table.index[name]
	if !ok {
		return nil
	}
	return r.Values[i]
}

// Time returns the value of a timestamp column and whether it is set.
func (r Row) Time(name string) (time.Time, bool) {
	t, ok := r.Get(name).(time.Time)
	return t, ok
}

// ColumnNames returns the column names in COPY order.
func (t *Table) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// ColumnIndex returns the position of a column, or -1.
func (t *Table) ColumnIndex(name string) int {
	if i, ok := t.index[name]; ok {
		return i
	}
	return -1
}

var registry = map[string]*Table{}

func register(t *Table) {
	t.index = make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		if _, dup := t.index[c.Name]; dup {
			panic("ingest: duplicate column " + t.Name + "." + c.Name)
		}
		t.index[c.Name] = i
	}
	for _, k := range t.Key {
		if _, ok := t.index[k]; !ok {
			panic("ingest: key column " + k + " missing from " + t.Name)
		}
	}
	sum := fnv.New32a()
	sum.Write([]byte(stageColumns(t)))
	t.stage = fmt.Sprintf("pl_stage_%s_%08x", t.Name, sum.Sum32())
	registry[t.Name] = t
}

// Lookup returns the descriptor of a writable table. It is the whitelist every table name from a
// request goes through.
func Lookup(name string) (*Table, bool) {
	t, ok := registry[name]
	return t, ok
}

// Tables returns the descriptors of all writable tables, sorted by name.
func Tables() []*Table {
	out := make([]*Table, 0, len(registry))
	for _, t := range registry {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// TableNames returns the names of all writable tables, sorted, for error messages and docs.
func TableNames() []string {
	var names []string
	for _, t := range Tables() {
		names = append(names, t.Name)
	}
	return names
}

// UnknownTableError says that a table name is not on the whitelist.
type UnknownTableError struct{ Name string }

func (e *UnknownTableError) Error() string {
	return fmt.Sprintf("unknown table %q: writable tables are %s", e.Name, strings.Join(TableNames(), ", "))
}

// Shared column helpers keep the descriptors short and consistent.

func sourceCols() []Column {
	return []Column{
		{Name: "source", Kind: Text, Required: true, Check: nonEmpty},
		{Name: "external_id", Kind: Text, Required: true, Check: nonEmpty},
	}
}

func eventKey(timeCol string) []string { return []string{"source", "external_id", timeCol} }

func req(name string, k Kind) Column {
	return Column{Name: name, Kind: k, Required: true, Check: nonEmptyIfText}
}
func opt(name string, k Kind) Column { return Column{Name: name, Kind: k} }
func enum(name string, values ...string) Column {
	return Column{Name: name, Kind: Text, Required: true, Enum: values}
}
func nonNeg(name string, k Kind) Column {
	return Column{Name: name, Kind: k, Required: true, Min: bound(0)}
}
func score(name string, required bool) Column {
	return Column{Name: name, Kind: Float, Required: required, Min: bound(0), Max: bound(100)}
}

func nonEmpty(v any) string {
	if s, _ := v.(string); strings.TrimSpace(s) == "" {
		return "must not be empty"
	}
	return ""
}

func nonEmptyIfText(v any) string {
	if _, ok := v.(string); ok {
		return nonEmpty(v)
	}
	return ""
}

// notBefore builds a rule "later ≥ earlier" for two timestamp columns; it passes when either is
// NULL (nullability is the column's own rule).
func notBefore(later, earlier string) RowCheck {
	return func(r Row) (string, string) {
		l, okL := r.Time(later)
		e, okE := r.Time(earlier)
		if okL && okE && l.Before(e) {
			return later, fmt.Sprintf("must not be before %s (%s < %s)", earlier,
				l.Format(time.RFC3339), e.Format(time.RFC3339))
		}
		return "", ""
	}
}

// after builds a rule "later > earlier" (strictly), passing when either is NULL.
func after(later, earlier string) RowCheck {
	return func(r Row) (string, string) {
		l, okL := r.Time(later)
		e, okE := r.Time(earlier)
		if okL && okE && !l.After(e) {
			return later, fmt.Sprintf("must be after %s", earlier)
		}
		return "", ""
	}
}
