package metrics

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"
)

// AdHocFilter is one Grafana ad hoc filter (key operator value).
type AdHocFilter struct {
	Key      string `json:"key"`
	Operator string `json:"operator"`
	Value    string `json:"value"`
}

// Columns maps the dimensions a row source serves to their SQL expressions. Keys are dimension
// ids; values are constants written in this package (a column, or a sub-select for joined
// dimensions such as environment_type), never user input.
type Columns map[string]string

// sameNameColumns serves dimensions from columns named like them (the convention of every row
// source in this package).
func sameNameColumns(dims ...string) Columns {
	c := make(Columns, len(dims))
	for _, d := range dims {
		col, ok := dimensionColumn(d)
		if !ok {
			panic("metrics: unknown dimension " + d)
		}
		c[d] = col
	}
	return c
}

// keys returns the sorted dimension ids c serves.
func (c Columns) keys() []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validKeysMessage names the valid keys for error messages.
func validKeysMessage(keys []string) string {
	if len(keys) == 0 {
		return "this metric accepts no filters or group-by"
	}
	return "valid keys: " + strings.Join(keys, ", ")
}

// FilterSQL returns " AND …" conditions for the query's filters and ad hoc filters over cols,
// adding every value to args as a named parameter (@f1, @f2 …). A key cols does not serve is a
// user error naming the valid keys.
func FilterSQL(q Query, cols Columns, args pgx.NamedArgs) (string, error) {
	var b strings.Builder
	n := len(args)
	next := func(v any) string {
		for {
			n++
			name := "f" + strconv.Itoa(n)
			if _, used := args[name]; !used {
				args[name] = v
				return "@" + name
			}
		}
	}
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		keys = append(keys, k)
	}
	sort.Strings(keys) // deterministic SQL text, so plans and logs are stable
	for _, k := range keys {
		vals := q.Filters[k]
		if len(vals) == 0 {
			continue // an empty selection means "all", as Grafana's "All" option sends it
		}
		col, ok := cols[k]
		if !ok {
			return "", backend.DownstreamErrorf("filter %q is not available for metric %q; %s", k, q.Metric, validKeysMessage(cols.keys()))
		}
		fmt.Fprintf(&b, " AND %s = ANY(%s::text[])", col, next(vals))
	}
	for _, f := range q.AdHoc {
		col, ok := cols[f.Key]
		if !ok {
			return "", backend.DownstreamErrorf("ad hoc filter key %q is not available for metric %q; %s", f.Key, q.Metric, validKeysMessage(cols.keys()))
		}
		switch f.Operator {
		case "=":
			fmt.Fprintf(&b, " AND %s = %s::text", col, next(f.Value))
		case "!=":
			// IS DISTINCT FROM keeps rows whose column is NULL (e.g. incidents without a platform),
			// which is what "not equal to X" means to a user.
			fmt.Fprintf(&b, " AND %s IS DISTINCT FROM %s::text", col, next(f.Value))
		default:
			return "", backend.DownstreamErrorf("ad hoc filter operator %q on %q is not supported; use = or !=", f.Operator, f.Key)
		}
	}
	return b.String(), nil
}

// groupColumn returns the SQL expression for the query's group-by (” as a constant when not
// grouped) or a user error naming the valid keys.
func groupColumn(q Query, cols Columns) (string, error) {
	if q.GroupBy == "" {
		return "''::text", nil
	}
	col, ok := cols[q.GroupBy]
	if !ok {
		return "", backend.DownstreamErrorf("group by %q is not available for metric %q; %s", q.GroupBy, q.Metric, validKeysMessage(cols.keys()))
	}
	// coalesce: a NULL dimension (incident without platform) becomes its own labelled group.
	return "coalesce(" + col + "::text, '(none)')", nil
}

// usesOnly reports whether every filter, ad hoc filter and the group-by of q is among dims; the
// engine uses it to decide whether a rollup (which keeps only some dimensions) can answer.
func usesOnly(q Query, dims Columns) bool {
	for k, v := range q.Filters {
		if _, ok := dims[k]; !ok && len(v) > 0 {
			return false
		}
	}
	for _, f := range q.AdHoc {
		if _, ok := dims[f.Key]; !ok {
			return false
		}
	}
	if q.GroupBy != "" {
		if _, ok := dims[q.GroupBy]; !ok {
			return false
		}
	}
	return true
}
