package metrics

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// injectionPayloads are fed through every filter value, ad hoc key and value and the group-by.
var injectionPayloads = []string{
	`'`, `''; DROP TABLE builds; --`, `java' OR '1'='1`, `"; DROP TABLE deployments; --`, `$1`, `@from`, `@f1`,
	`/* comment */ java`, `java -- comment`, `x); DELETE FROM incidents; --`, `tech_stack`, `tech_stack = tech_stack OR true`,
	"ja\u0000va", "жава☕", `\`, `%`, `_`, strings.Repeat("A", 500), `1; SELECT pg_sleep(10)`,
}

// seriesMetricIDs lists the metrics computed by the engine's series path (this helper's metrics).
func seriesMetricIDs() []string {
	var ids []string
	for _, d := range Catalog() {
		if e, _ := lookup(d.ID); e.series != nil {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

func TestInjectionCorpus(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	check := func(what string, raw map[string]any) {
		b, _ := json.Marshal(raw)
		_, err := f.tryQuery(string(b), weekFrom, weekTo)
		if err == nil {
			return
		}
		// Either a validation error that names the problem, never a database error (which would
		// mean the payload reached SQL text).
		if !backend.IsDownstreamError(err) || strings.Contains(err.Error(), "database error") {
			t.Errorf("%s %s: %v", what, b, err)
		}
	}
	for _, id := range seriesMetricIDs() {
		def, _ := Lookup(id)
		for _, p := range injectionPayloads {
			for _, dim := range def.Dimensions {
				check("filter value", map[string]any{"metric": id, "filters": map[string][]string{dim: {p}}})
				check("ad hoc value", map[string]any{"metric": id, "adhocFilters": []AdHocFilter{{Key: dim, Operator: "!=", Value: p}}})
			}
			check("filter key", map[string]any{"metric": id, "filters": map[string][]string{p: {"java"}}})
			check("ad hoc key", map[string]any{"metric": id, "adhocFilters": []AdHocFilter{{Key: p, Operator: "=", Value: "x"}}})
			check("ad hoc operator", map[string]any{"metric": id, "adhocFilters": []AdHocFilter{{Key: "team", Operator: p, Value: "x"}}})
			check("group by", map[string]any{"metric": id, "groupBy": p, "format": "table"})
			check("stat", map[string]any{"metric": id, "stat": p})
		}
	}
	// A filter value equal to a payload matches nothing, and every table is intact.
	fr := f.query(t, `{"metric":"builds","format":"table","filters":{"tech_stack":["java' OR '1'='1"]}}`, weekFrom, weekTo)
	if len(fr[0].Fields) != 0 {
		t.Errorf("payload matched rows: %v", fr[0].Fields)
	}
	for table, want := range map[string]int{"builds": 10, "deployments": 11, "incidents": 5, "platform_probes": 8} {
		var n int
		if err := f.st.Pool().QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != want {
			t.Errorf("%s: %d rows (%v), want %d", table, n, err, want)
		}
	}
	// Variables: selections are bound too; an unknown dimension is a clear error.
	for _, p := range injectionPayloads {
		if _, err := f.engine.Values(ctx, "team", map[string][]string{"tech_stack": {p}, p: {p}}); err != nil && !strings.Contains(err.Error(), "NUL byte") {
			t.Errorf("Values(team, %q): %v", p, err)
		}
		if _, known := dimensionLabels[p]; known {
			continue
		}
		if _, err := f.engine.Values(ctx, p, nil); err == nil || !strings.Contains(err.Error(), "valid:") {
			t.Errorf("Values(%q): %v", p, err)
		}
	}
}

// TestAlertShapes: every series metric's time_series answer is alertable — each frame a
// timeseries-multi frame with a time field and one nullable float64 field carrying the labels,
// distinct label sets — or an empty frame with a notice. Table answers are numeric-long.
func TestAlertShapes(t *testing.T) {
	f := newFixture(t)
	for _, id := range seriesMetricIDs() {
		def, _ := Lookup(id)
		queries := []string{`{"metric":"` + id + `","interval":"day"}`, `{"metric":"` + id + `","interval":"day","compare":"previous"}`}
		if len(def.Dimensions) > 0 {
			queries = append(queries, `{"metric":"`+id+`","interval":"day","groupBy":"`+def.Dimensions[0]+`"}`)
		}
		for _, q := range queries {
			frames := f.query(t, q, weekFrom, weekTo)
			seen := map[string]bool{}
			for _, fr := range frames {
				if len(fr.Fields) == 0 {
					if fr.Meta == nil || len(fr.Meta.Notices) == 0 {
						t.Errorf("%s: empty frame without a notice", q)
					}
					continue
				}
				if fr.Meta == nil || fr.Meta.Type != data.FrameTypeTimeSeriesMulti || fr.Meta.ExecutedQueryString == "" {
					t.Errorf("%s: frame meta %+v", q, fr.Meta)
				}
				if s := fr.TimeSeriesSchema(); s.Type != data.TimeSeriesTypeWide || len(s.ValueIndices) != 1 {
					t.Errorf("%s: schema %+v", q, s)
				}
				if len(fr.Fields) != 2 || fr.Fields[0].Type() != data.FieldTypeTime || fr.Fields[1].Type() != data.FieldTypeNullableFloat64 {
					t.Errorf("%s: fields %v %v", q, fr.Fields[0].Type(), fr.Fields[len(fr.Fields)-1].Type())
				}
				key := fr.Fields[1].Labels.String()
				if seen[key] {
					t.Errorf("%s: duplicate label set %q", q, key)
				}
				seen[key] = true
			}
		}
		tb := f.query(t, `{"metric":"`+id+`","format":"table"}`, weekFrom, weekTo)
		if len(tb[0].Fields) > 0 && tb[0].Meta.Type != data.FrameTypeNumericLong {
			t.Errorf("%s table: type %s", id, tb[0].Meta.Type)
		}
	}
}

func TestValuesAndTagKeys(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	texts := func(vals []Value, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, v := range vals {
			s = append(s, v.Value+"="+v.Text)
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		dim  string
		sel  map[string][]string
		want string
	}{
		{"tech_stack", nil, "java=Java,go=Go"},
		{"tech_stack", map[string][]string{"team": {"search"}}, "go=Go"},
		{"team", map[string][]string{"tech_stack": {"java"}}, "payments=payments"},
		{"team", map[string][]string{"tech_stack": {"java", "go"}, "severity": {"p1"}}, "payments=payments,search=search"},
		{"environment", map[string][]string{"environment_type": {"public_cloud"}}, "prod=prod"},
		{"service", map[string][]string{"product_line": {"discovery"}}, "search=search"},
		{"product_line", nil, "commerce=commerce,discovery=discovery"},
		{"severity", nil, "p1=p1,p2=p2,p3=p3"},
		{"repo", map[string][]string{"team": {"search"}}, "search-api=search-api,web-ui=web-ui"},
	}
	for _, c := range cases {
		if got := texts(f.engine.Values(ctx, c.dim, c.sel)); got != c.want {
			t.Errorf("Values(%s, %v) = %s, want %s", c.dim, c.sel, got, c.want)
		}
	}
	if vals, _ := f.engine.Values(ctx, "metric", nil); len(vals) != len(Catalog()) {
		t.Errorf("metric values: %d", len(vals))
	}
}
