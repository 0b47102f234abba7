package metrics

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestCatalogWalk tries every declared dimension (as group-by and as filter) and every declared
// option on every metric in every format, on the small fixture: a metric either honours what the
// catalog says it accepts (grouped answers carry the dimension as a column or label) or refuses
// it with a downstream error; a group-by it does not declare is refused; an option it does not
// read is named in a notice. Nothing is dropped silently.
func TestCatalogWalk(t *testing.T) {
	f := newFixture(t)
	from, to := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, def := range Catalog() {
		base := map[string]any{"metric": def.ID}
		if def.HasOption(OptionBaseMetric) {
			base["baseMetric"] = "deployments"
		}
		for _, format := range def.Formats {
			for _, dim := range allDimensions() {
				q := with(base, "format", string(format), "groupBy", dim)
				frames, err := f.tryQuery(q, from, to)
				switch {
				case !def.CanGroupBy(dim):
					if err == nil || !backend.IsDownstreamError(err) {
						t.Errorf("%s: group by %s is not declared but was not refused (err %v)", q, dim, err)
					}
				case err != nil:
					// A forecast of deployments cannot group by a dimension deployments lacks.
					if !backend.IsDownstreamError(err) || !def.HasOption(OptionBaseMetric) {
						t.Errorf("%s: declared group-by failed: %v", q, err)
					}
				default:
					if !groupedBy(frames, dim, format) {
						t.Errorf("%s: answer does not carry the group-by %s as a column or label", q, dim)
					}
				}
				if def.HasDimension(dim) {
					fq := with(base, "format", string(format), "filters", map[string][]string{dim: {"no-such-value"}})
					// An unknown value may be refused (funnels name rows that must exist), but clearly.
					if _, err := f.tryQuery(fq, from, to); err != nil && !backend.IsDownstreamError(err) {
						t.Errorf("%s: declared filter failed: %v", fq, err)
					}
				}
			}
			for _, spec := range allOptionSpecs() {
				o := Option(spec.Name)
				if o == OptionCompare || o == OptionBaseMetric || o == OptionFunnel || o == OptionBreakdown {
					continue // compare is refused at parse time (query_test.go); these need fixture data
				}
				for _, choice := range spec.Choices {
					q := with(base, "format", string(format), spec.Name, optionValue(spec, choice))
					frames, err := f.tryQuery(q, from, to)
					ignored := err == nil && hasNotice(frames, "option "+spec.Name+" ignored")
					if def.HasOption(o) && (err != nil || ignored) {
						t.Errorf("%s: declared option failed or was ignored: %v", q, err)
					}
					if !def.HasOption(o) && err == nil && !ignored {
						t.Errorf("%s: undeclared option %s neither refused nor noticed", q, spec.Name)
					}
				}
			}
		}
	}
}

// with returns a copy of m with the key/value pairs set, as query JSON.
func with(m map[string]any, kv ...any) string {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// optionValue is a choice as the query JSON carries it (numbers for numeric options).
func optionValue(spec OptionSpec, choice string) any {
	if _, ok := spec.Default.(string); ok || spec.Default == nil {
		return choice
	}
	return json.Number(choice)
}

func allOptionSpecs() []OptionSpec {
	var out []OptionSpec
	for o := range optionSpecs {
		out = append(out, o.Spec())
	}
	return out
}

func hasNotice(frames data.Frames, text string) bool {
	for _, f := range frames {
		for _, n := range noticesOf(f) {
			if strings.Contains(n.Text, text) {
				return true
			}
		}
	}
	return false
}

// groupedBy reports whether a grouped answer shows dim: a table column named dim, or a label
// dim on the value fields; an answer without rows (no data, with its notice) passes.
func groupedBy(frames data.Frames, dim string, format Format) bool {
	rows := 0
	for _, f := range frames {
		rows += f.Rows()
		if f.Rows() == 0 {
			continue
		}
		for _, fld := range f.Fields {
			if fld.Name == dim {
				return true
			}
			if _, ok := fld.Labels[dim]; ok {
				return true
			}
		}
	}
	_ = format
	return rows == 0
}
