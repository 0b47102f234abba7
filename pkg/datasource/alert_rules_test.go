package datasource

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// This file evaluates provisioned alert rules at the query/frame level: the datasource queries of
// a rule run through QueryData with the rule's relative time ranges at a fixed now, and its
// reduce / math / threshold nodes are computed here. The math node supports the one form the
// rules use — comparisons joined by && — and the test fails on anything else, so a rule that
// outgrows it is noticed.

type ruleFile struct {
	Groups []struct {
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	UID       string `yaml:"uid"`
	Condition string `yaml:"condition"`
	Data      []struct {
		RefID             string `yaml:"refId"`
		DatasourceUID     string `yaml:"datasourceUid"`
		RelativeTimeRange struct {
			From int64 `yaml:"from"`
			To   int64 `yaml:"to"`
		} `yaml:"relativeTimeRange"`
		Model map[string]any `yaml:"model"`
	} `yaml:"data"`
}

func loadRules(t *testing.T) map[string]rule {
	t.Helper()
	raw, err := os.ReadFile("../../provisioning/alerting/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	out := map[string]rule{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out[r.UID] = r
		}
	}
	return out
}

// numbers are one value per label set, keyed by the label set's canonical form ("" = no labels).
type numbers map[string]float64

// evalRule returns the label sets for which the rule's condition is firing at now.
func evalRule(t *testing.T, d *Datasource, r rule, now time.Time) []string {
	t.Helper()
	vals := map[string]numbers{}
	series := map[string]map[string][]float64{} // time series answers, reduced by their reduce node
	for _, n := range r.Data {
		if n.DatasourceUID == "__expr__" {
			if n.Model["type"] == "reduce" {
				if s, ok := series[n.Model["expression"].(string)]; ok {
					vals[n.RefID] = reduceSeries(t, s, n.Model["reducer"].(string))
					continue
				}
			}
			vals[n.RefID] = evalExpr(t, r.UID, n.Model, vals)
			continue
		}
		model, _ := json.Marshal(n.Model)
		q := backend.DataQuery{RefID: n.RefID, JSON: model, Interval: time.Minute, MaxDataPoints: 1000,
			TimeRange: backend.TimeRange{From: now.Add(-time.Duration(n.RelativeTimeRange.From) * time.Second),
				To: now.Add(-time.Duration(n.RelativeTimeRange.To) * time.Second)}}
		resp := runQueries(t, d, q).Responses[n.RefID]
		if resp.Error != nil {
			t.Fatalf("%s %s: %v", r.UID, n.RefID, resp.Error)
		}
		vals[n.RefID], series[n.RefID] = frameNumbers(resp.Frames)
		if len(series[n.RefID]) == 0 {
			delete(series, n.RefID)
		}
	}
	var firing []string
	for k, v := range vals[r.Condition] {
		if v != 0 {
			firing = append(firing, k)
		}
	}
	sort.Strings(firing)
	return firing
}

// frameNumbers turns frames into what Grafana's expressions read: a table (no time field) gives
// one number per row labelled by its string columns; a time series gives its non-null values,
// labelled by the field's labels, for a reduce node.
func frameNumbers(frames data.Frames) (numbers, map[string][]float64) {
	out := numbers{}
	series := map[string][]float64{}
	for _, f := range frames {
		if f.Rows() == 0 {
			continue
		}
		var labelCols []*data.Field
		var num *data.Field
		hasTime := false
		for _, fld := range f.Fields {
			switch {
			case fld.Type() == data.FieldTypeString || fld.Type() == data.FieldTypeNullableString:
				labelCols = append(labelCols, fld)
			case fld.Type().Time():
				hasTime = true
			case fld.Type().Numeric() && num == nil:
				num = fld
			}
		}
		if num == nil {
			continue
		}
		if hasTime {
			for i := range num.Len() {
				if v, err := num.NullableFloatAt(i); err == nil && v != nil {
					series[num.Labels.String()] = append(series[num.Labels.String()], *v)
				}
			}
			continue
		}
		for i := range f.Rows() {
			var parts []string
			for _, c := range labelCols {
				if v, ok := c.ConcreteAt(i); ok {
					parts = append(parts, c.Name+"="+fmt.Sprint(v))
				}
			}
			if v, err := num.NullableFloatAt(i); err == nil && v != nil {
				out[strings.Join(parts, ", ")] = *v
			}
		}
	}
	return out, series
}

// reduceSeries applies a reduce node's reducer (mode dropNN: nulls are already left out).
func reduceSeries(t *testing.T, s map[string][]float64, reducer string) numbers {
	t.Helper()
	out := numbers{}
	for k, vs := range s {
		if len(vs) == 0 {
			continue
		}
		acc := vs[0]
		switch reducer {
		case "max":
			for _, v := range vs {
				acc = max(acc, v)
			}
		case "min":
			for _, v := range vs {
				acc = min(acc, v)
			}
		case "last":
			acc = vs[len(vs)-1]
		case "sum", "mean":
			acc = 0
			for _, v := range vs {
				acc += v
			}
			if reducer == "mean" {
				acc /= float64(len(vs))
			}
		default:
			t.Fatalf("reducer %q is not supported here", reducer)
		}
		out[k] = acc
	}
	return out
}

func evalExpr(t *testing.T, uid string, m map[string]any, vals map[string]numbers) numbers {
	t.Helper()
	ref := func(s string) numbers {
		v, ok := vals[strings.TrimPrefix(s, "$")]
		if !ok {
			t.Fatalf("%s: expression refers to unknown %q", uid, s)
		}
		return v
	}
	switch m["type"] {
	case "reduce":
		return ref(m["expression"].(string)) // every input here is already one number per label set
	case "threshold":
		conds := m["conditions"].([]any)
		ev := conds[0].(map[string]any)["evaluator"].(map[string]any)
		limit := toFloat(ev["params"].([]any)[0])
		out := numbers{}
		for k, v := range ref(m["expression"].(string)) {
			out[k] = b2f((ev["type"] == "gt" && v > limit) || (ev["type"] == "lt" && v < limit))
		}
		return out
	case "math":
		var result numbers
		for _, cmp := range strings.Split(m["expression"].(string), "&&") {
			f := strings.Fields(cmp)
			// An operand is a $ref or a number literal (a label-less number, as in Grafana's math).
			operand := func(s string) numbers {
				if strings.HasPrefix(s, "$") {
					return ref(s)
				}
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("%s: math %q: operand %q is neither a $ref nor a number", uid, m["expression"], s)
				}
				return numbers{"": v}
			}
			if len(f) != 3 || !strings.HasPrefix(f[0], "$") {
				t.Fatalf("%s: math %q is not comparisons of a $ref with a $ref or a number joined by &&", uid, m["expression"])
			}
			c := join(ref(f[0]), operand(f[2]), func(a, b float64) float64 {
				switch f[1] {
				case "<":
					return b2f(a < b)
				case ">":
					return b2f(a > b)
				case ">=":
					return b2f(a >= b)
				case "<=":
					return b2f(a <= b)
				}
				t.Fatalf("%s: operator %q", uid, f[1])
				return 0
			})
			if result == nil {
				result = c
			} else {
				result = join(result, c, func(a, b float64) float64 { return b2f(a != 0 && b != 0) })
			}
		}
		return result
	}
	t.Fatalf("%s: expression type %v is not reduce, math or threshold", uid, m["type"])
	return nil
}

// join combines two operands like Grafana's math: a label-less number applies to every label set
// of the other side; otherwise equal label sets are paired.
func join(a, b numbers, op func(a, b float64) float64) numbers {
	out := numbers{}
	if v, ok := b[""]; ok && len(b) == 1 {
		for k, x := range a {
			out[k] = op(x, v)
		}
		return out
	}
	if v, ok := a[""]; ok && len(a) == 1 {
		for k, y := range b {
			out[k] = op(v, y)
		}
		return out
	}
	for k, x := range a {
		if y, ok := b[k]; ok {
			out[k] = op(x, y)
		}
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// TestAlertRulesFollowTargetsAndGuards runs the live demo at a fixed clock (scripted outage of
// source control at minutes 20–30 of even hours) and evaluates the build, availability and
// platform rules in the healthy phase and right after the outage; then it moves a target and a
// guard through the targets resource and shows the outcome follows.
func TestAlertRulesFollowTargetsAndGuards(t *testing.T) {
	ctx := context.Background()
	d, db := newDBDatasource(t)
	migrate(t, d)
	st, err := store.Open(ctx, store.Config{DSN: db.DSN})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	start := time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)
	now := start
	live := demo.NewLive(st, demo.LiveOptions{Seed: 11, Now: func() time.Time { return now }})
	advance := func(to time.Time) {
		t.Helper()
		for now.Before(to) {
			now = now.Add(5 * time.Minute)
			if _, err := live.Step(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	rules := loadRules(t)
	eval := func(uid string) []string { t.Helper(); return evalRule(t, d, rules[uid], now) }

	advance(start.Add(15 * time.Minute)) // healthy: the last hour holds no outage
	for uid := range rules {             // every rule: nothing fires on healthy live data
		if f := eval(uid); len(f) > 0 {
			t.Errorf("healthy phase: %s fires for %v", uid, f)
		}
	}
	advance(start.Add(30 * time.Minute)) // the end of the outage: GitHub down since minute 20
	if f := eval("pl-platform-down"); !slices.Equal(f, []string{"platform=GitHub Enterprise"}) {
		t.Errorf("during the outage pl-platform-down fires for %v, want GitHub Enterprise only", f)
	}
	if f := eval("pl-pipeline-availability-low"); !slices.Contains(f, "platform=GitHub Enterprise") {
		t.Errorf("after the outage pl-pipeline-availability-low fires for %v, want GitHub Enterprise", f)
	}
	degraded := eval("pl-build-success-rate-low")
	if len(degraded) < 4 {
		t.Fatalf("after the outage pl-build-success-rate-low fires for %v, want most tech stacks", degraded)
	}

	put := func(body string) {
		t.Helper()
		if code, resp := call(t, d, "Admin", "PUT", "/targets", []byte(body)); code != http.StatusOK {
			t.Fatalf("PUT /targets %s = %d %s", body, code, resp)
		}
	}
	put(`[{"key":"build_success_rate","value":60}]`)
	if f := eval("pl-build-success-rate-low"); len(f) > 0 {
		t.Errorf("with the target lowered to 60 %% the rule still fires for %v", f)
	}
	put(`[{"key":"build_success_rate","value":90}]`)
	if f := eval("pl-build-success-rate-low"); !slices.Equal(f, degraded) {
		t.Errorf("with the target back at 90 %% the rule fires for %v, want %v", f, degraded)
	}
	// ≈ 60 builds per stack and hour: a guard of 1,000 builds silences every stack.
	put(`[{"key":"alert_min_builds","value":1000,"unit":"short","higherIsBetter":true,"description":"Build success rate alert: minimum builds per tech stack and hour"}]`)
	if f := eval("pl-build-success-rate-low"); len(f) > 0 {
		t.Errorf("below the volume guard the rule fires for %v", f)
	}
	put(`[{"key":"pipeline_availability","value":50}]`)
	if f := eval("pl-pipeline-availability-low"); len(f) > 0 {
		t.Errorf("with the availability target at 50 %% the rule fires for %v", f)
	}
}

// TestAlertRulesQuietOnLowVolume writes a degraded hour with few builds (≈ 5 per tech stack):
// the success rate is far below target, but no build rule fires under its guard.
func TestAlertRulesQuietOnLowVolume(t *testing.T) {
	ctx := context.Background()
	d, db := newDBDatasource(t)
	migrate(t, d)
	st, err := store.Open(ctx, store.Config{DSN: db.DSN})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	now := time.Date(2026, 11, 18, 14, 30, 0, 0, time.UTC)
	live := demo.NewLive(st, demo.LiveOptions{Seed: 5, Now: func() time.Time { return now }, BuildsPerHour: 40,
		DegradationEvery: time.Hour, DegradationAt: time.Minute, DegradationFor: 50 * time.Minute, MaxCatchUp: time.Hour})
	if _, err := live.Step(ctx); err != nil {
		t.Fatal(err)
	}
	rules := loadRules(t)
	r := rules["pl-build-success-rate-low"]
	if f := evalRule(t, d, r, now); len(f) > 0 {
		t.Errorf("on ≈ 5 builds per stack the build success rule fires for %v", f)
	}
	put := `[{"key":"alert_min_builds","value":1,"unit":"short","higherIsBetter":true}]`
	if code, resp := call(t, d, "Admin", "PUT", "/targets", []byte(put)); code != http.StatusOK {
		t.Fatalf("PUT /targets = %d %s", code, resp)
	}
	if f := evalRule(t, d, r, now); len(f) == 0 {
		t.Errorf("with the guard at 1 build the degraded hour fires for no stack: the data is not degraded enough to test the guard")
	}
}
