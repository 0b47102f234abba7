package grafanahost

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// This file is the Go port of src/datasource/interpolate.ts (applyTemplateVariables) and of
// Grafana's intervalMs computation, both checked against testdata/interpolation-cases.json,
// the table the jest test runs the real TypeScript on.

// varRef is TemplateSrv's variable syntax as the stand-in of src/test/templateSrv.ts reads it:
// $var, ${var} and [[var]].
var varRef = regexp.MustCompile(`\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\]`)

// sep joins multi values while filters are expanded (interpolate.ts SEPARATOR).
const sep = "\x1f"

// templateVars are the values TemplateSrv holds: a string, or a []string for a multi-value
// selection ("All" already expanded to every option).
type templateVars map[string]any

type format int

const (
	formatGlob      format = iota // Grafana's default: {a,b} for several values
	formatJoinMulti               // interpolate.ts joinMulti
	formatSQLString               // 'a','b' with quotes doubled
)

// replace substitutes variable references in s; an unknown variable stays as written.
func (v templateVars) replace(s string, scoped templateVars, f format) string {
	return varRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := varRef.FindStringSubmatch(m)
		name := sub[1] + sub[2] + sub[3]
		val, ok := scoped[name]
		if !ok {
			if val, ok = v[name]; !ok {
				return m
			}
		}
		values := asStrings(val)
		switch f {
		case formatJoinMulti:
			return strings.Join(values, sep)
		case formatSQLString:
			q := make([]string, len(values))
			for i, x := range values {
				q[i] = "'" + strings.ReplaceAll(x, "'", "''") + "'"
			}
			return strings.Join(q, ",")
		default:
			if _, multi := val.([]string); multi && len(values) > 1 {
				return "{" + strings.Join(values, ",") + "}"
			}
			if len(values) == 0 {
				return ""
			}
			return values[0]
		}
	})
}

func asStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		return x
	case string:
		return []string{x}
	}
	return nil
}

// expandValue is interpolate.ts expandValue.
func (v templateVars) expandValue(s string, scoped templateVars) []string {
	var out []string
	for _, part := range strings.Split(v.replace(s, scoped, formatJoinMulti), sep) {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// expandFilters is interpolate.ts expandFilters: a filter resolving to nothing is dropped.
func (v templateVars) expandFilters(filters map[string]any, scoped templateVars) map[string]any {
	out := map[string]any{}
	for key, raw := range filters {
		var items []string
		switch x := raw.(type) {
		case string:
			items = []string{x}
		case []any:
			for _, e := range x {
				s, _ := e.(string)
				items = append(items, s)
			}
		}
		var unique []string
		seen := map[string]bool{}
		for _, item := range items {
			for _, val := range v.expandValue(item, scoped) {
				if !seen[val] {
					seen[val] = true
					unique = append(unique, val)
				}
			}
		}
		if len(unique) > 0 {
			out[key] = unique
		}
	}
	return out
}

// interpolateQuery is interpolate.ts interpolateQuery on the query's JSON object.
func (v templateVars) interpolateQuery(q map[string]any, scoped templateVars, adhoc []any) map[string]any {
	out := map[string]any{}
	for k, x := range q {
		out[k] = x
	}
	for _, key := range []string{"metric", "groupBy", "funnel", "breakdown", "baseMetric", "stat"} {
		if s, ok := q[key].(string); ok && s != "" {
			out[key] = v.replace(s, scoped, formatGlob)
		}
	}
	if f, ok := q["filters"].(map[string]any); ok {
		out["filters"] = v.expandFilters(f, scoped)
	}
	own, _ := q["adhocFilters"].([]any)
	if all := append(append([]any{}, own...), adhoc...); len(all) > 0 {
		out["adhocFilters"] = all
	}
	if s, ok := q["rawSql"].(string); ok && s != "" {
		out["rawSql"] = v.replace(s, scoped, formatSQLString)
	}
	return out
}

// roundInterval is Grafana's rangeutil.roundInterval (@grafana/data): the raw interval (ms)
// rounded to a step a person reads easily.
func roundInterval(ms float64) int64 {
	steps := []struct{ below, to float64 }{
		{10, 1}, {15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1500, 1000},
		{3500, 2000}, {7500, 5000}, {12500, 10000}, {17500, 15000}, {25000, 20000}, {45000, 30000},
		{90000, 60000}, {210000, 120000}, {450000, 300000}, {750000, 600000}, {1050000, 900000},
		{1500000, 1200000}, {2700000, 1800000}, {5400000, 3600000}, {9000000, 7200000},
		{16200000, 10800000}, {32400000, 21600000}, {86400000, 43200000}, {604800000, 86400000},
		{1814400000, 604800000}, {3628800000, 2592000000},
	}
	for _, s := range steps {
		if ms < s.below {
			return int64(s.to)
		}
	}
	return 31536000000
}

// panelWidthPx is the panel width the suite renders at: Grafana sends maxDataPoints = the
// panel's width in pixels (unless the panel sets maxDataPoints) and computes
// intervalMs = max(roundInterval((to - from) / maxDataPoints), minInterval).
const panelWidthPx = 1600

// calculateInterval is rangeutil.calculateInterval in milliseconds.
func calculateInterval(span time.Duration, maxDataPoints int64, minInterval time.Duration) int64 {
	ms := roundInterval(float64(span.Milliseconds()) / float64(maxDataPoints))
	return max(ms, max(minInterval.Milliseconds(), 1))
}

// sharedCases reads the table the jest test reads too.
type sharedCases struct {
	Cases []struct {
		Name       string                         `json:"name"`
		Variables  map[string]any                 `json:"variables"`
		ScopedVars map[string]struct{ Value any } `json:"scopedVars"`
		Adhoc      []any                          `json:"adhoc"`
		Query      map[string]any                 `json:"query"`
		Expected   map[string]any                 `json:"expected"`
	} `json:"cases"`
	Intervals []struct {
		Name          string `json:"name"`
		RangeMs       int64  `json:"rangeMs"`
		MaxDataPoints int64  `json:"maxDataPoints"`
		MinInterval   string `json:"minInterval"`
		IntervalMs    int64  `json:"intervalMs"`
	} `json:"intervals"`
}

func toVars(m map[string]any) templateVars {
	out := templateVars{}
	for k, v := range m {
		switch x := v.(type) {
		case []any:
			s := make([]string, len(x))
			for i, e := range x {
				s[i], _ = e.(string)
			}
			out[k] = s
		case string:
			out[k] = x
		}
	}
	return out
}

func TestInterpolationMatchesFrontendCases(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "interpolation-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table sharedCases
	if err := json.Unmarshal(raw, &table); err != nil {
		t.Fatalf("interpolation-cases.json: %v", err)
	}
	if len(table.Cases) == 0 || len(table.Intervals) == 0 {
		t.Fatal("interpolation-cases.json has no cases")
	}
	for _, c := range table.Cases {
		t.Run(c.Name, func(t *testing.T) {
			scoped := map[string]any{}
			for k, sv := range c.ScopedVars {
				scoped[k] = sv.Value
			}
			got := toVars(c.Variables).interpolateQuery(c.Query, toVars(scoped), c.Adhoc)
			// Compare as JSON, the form both sides send.
			var gotJSON, want any
			b, _ := json.Marshal(got)
			_ = json.Unmarshal(b, &gotJSON)
			b, _ = json.Marshal(c.Expected)
			_ = json.Unmarshal(b, &want)
			if !reflect.DeepEqual(gotJSON, want) {
				t.Errorf("got  %s\nwant %s", mustJSON(gotJSON), mustJSON(want))
			}
		})
	}
	for _, c := range table.Intervals {
		var minInterval time.Duration
		if c.MinInterval != "" {
			if minInterval, err = time.ParseDuration(c.MinInterval); err != nil {
				t.Fatalf("%s: minInterval %q: %v", c.Name, c.MinInterval, err)
			}
		}
		if got := calculateInterval(time.Duration(c.RangeMs)*time.Millisecond, c.MaxDataPoints, minInterval); got != c.IntervalMs {
			t.Errorf("interval %s: got %d ms, want %d ms", c.Name, got, c.IntervalMs)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
