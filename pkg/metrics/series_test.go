package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestSeriesGroupFilterCompare covers the time-series shape, gap filling, filters, group-by and
// every compare mode on the fixture week (day buckets 01-01 … 01-07).
func TestSeriesGroupFilterCompare(t *testing.T) {
	f := newFixture(t)
	day := `"interval":"day"`

	t.Run("gap filled ratio", func(t *testing.T) {
		fr := f.query(t, `{"metric":"build_success_rate",`+day+`}`, weekFrom, weekTo)
		// 01-01: b1 s, b2 f (b3 cancelled excluded) → 50; 01-02: 2/2; 01-03: 1/1; 01-04 none → null;
		// 01-05: b7 f → 0; 01-06: b10 s → 100; 01-07 none → null
		wantSeries(t, "build_success_rate", seriesValues(t, fr, nil), []float64{50, 100, 100, null, 0, 100, null})
		if fr[0].Fields[0].At(3).(time.Time) != time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC) {
			t.Errorf("bucket 3 = %v", fr[0].Fields[0].At(3))
		}
		if fr[0].Meta.ExecutedQueryString == "" || fr[0].Fields[1].Config.Unit != "percent" || fr[0].Fields[1].Config.Thresholds == nil {
			t.Errorf("frame meta/config incomplete: %+v %+v", fr[0].Meta, fr[0].Fields[1].Config)
		}
	})
	t.Run("gap filled count", func(t *testing.T) {
		fr := f.query(t, `{"metric":"builds",`+day+`}`, weekFrom, weekTo)
		wantSeries(t, "builds", seriesValues(t, fr, nil), []float64{3, 2, 1, 0, 1, 1, 0})
	})
	t.Run("point in time", func(t *testing.T) {
		fr := f.query(t, `{"metric":"incidents_active",`+day+`}`, weekFrom, weekTo)
		// at each day's end: i4 open from 01-06 20:00; i5 from 01-07 12:30 (resolved 01-08 02:00)
		wantSeries(t, "incidents_active", seriesValues(t, fr, nil), []float64{0, 0, 0, 0, 0, 1, 2})
	})
	t.Run("week and month buckets", func(t *testing.T) {
		fr := f.query(t, `{"metric":"deployments","interval":"week"}`, weekFrom.Add(-48*time.Hour), weekTo)
		// weeks starting Mon 2023-12-25 (none) and Mon 2024-01-01 (9)
		wantSeries(t, "deployments", seriesValues(t, fr, nil), []float64{0, 9})
		fr = f.query(t, `{"metric":"revenue","interval":"month"}`, time.Date(2023, 12, 15, 0, 0, 0, 0, time.UTC), weekTo)
		// Dec 2023 starts before the range: its revenue row (2023-12-01) is out of range → 0
		wantSeries(t, "revenue", seriesValues(t, fr, nil), []float64{0, 160000})
	})
	t.Run("group by", func(t *testing.T) {
		fr := f.query(t, `{"metric":"build_success_rate","groupBy":"tech_stack",`+day+`}`, weekFrom, weekTo)
		if len(fr) != 2 {
			t.Fatalf("want 2 series, got %d", len(fr))
		}
		// go: 01-02 b4 b5 s; 01-05 b7 f; 01-06 b10 s
		wantSeries(t, "go", seriesValues(t, fr, data.Labels{"tech_stack": "go"}), []float64{null, 100, null, null, 0, 100, null})
		wantSeries(t, "java", seriesValues(t, fr, data.Labels{"tech_stack": "java"}), []float64{50, null, 100, null, null, null, null})
		if fr[0].Fields[1].Config.DisplayNameFromDS != "go" {
			t.Errorf("display name %q", fr[0].Fields[1].Config.DisplayNameFromDS)
		}
		tb := f.query(t, `{"metric":"mttr","groupBy":"severity","format":"table"}`, weekFrom, weekTo)
		wantValue(t, "mttr p1", tableValue(t, tb, "value", "p1"), 120) // i1 only (i5 resolves later)
		wantValue(t, "mttr p2", tableValue(t, tb, "value", "p2"), 45)  // (30 + 60) / 2
		tb = f.query(t, `{"metric":"incidents","groupBy":"platform","format":"table"}`, weekFrom, weekTo)
		wantValue(t, "incidents without platform", tableValue(t, tb, "value", "(none)"), 4)
	})
	t.Run("filters", func(t *testing.T) {
		fr := f.query(t, `{"metric":"build_success_rate","format":"table","filters":{"tech_stack":["java"]}}`, weekFrom, weekTo)
		wantValue(t, "java", tableValue(t, fr, "value", ""), 200.0/3) // b1 b6 s, b2 f
		fr = f.query(t, `{"metric":"build_success_rate","format":"table","filters":{"tech_stack":["java","go"]}}`, weekFrom, weekTo)
		wantValue(t, "java+go", tableValue(t, fr, "value", ""), 500.0/7)
		fr = f.query(t, `{"metric":"build_success_rate","format":"table","adhocFilters":[{"key":"team","operator":"!=","value":"payments"}]}`, weekFrom, weekTo)
		wantValue(t, "team != payments", tableValue(t, fr, "value", ""), 75) // go: 3 s / 1 f
		fr = f.query(t, `{"metric":"deployments","format":"table","filters":{"environment_type":["private_cloud"]}}`, weekFrom, weekTo)
		wantValue(t, "private cloud", tableValue(t, fr, "value", ""), 1) // d6 (staging)
		fr = f.query(t, `{"metric":"change_failure_rate","format":"table","filters":{"service":["search"]}}`, weekFrom, weekTo)
		wantValue(t, "cfr search", tableValue(t, fr, "value", ""), 100.0/3) // d5 (i3) of d5 d7 d8
	})
	t.Run("no data", func(t *testing.T) {
		fr := f.query(t, `{"metric":"builds","filters":{"team":["nobody"]}}`, weekFrom, weekTo)
		if len(fr) != 1 || len(fr[0].Fields) != 0 || len(fr[0].Meta.Notices) == 0 || !strings.Contains(fr[0].Meta.Notices[0].Text, "No data") {
			t.Errorf("want an empty frame with a notice, got %v", fr)
		}
	})
	t.Run("compare table", func(t *testing.T) {
		// previous / wow = [12-25, 01-01): b8 s, b9 f → 50 %
		for _, mode := range []string{"previous", "wow"} {
			fr := f.query(t, `{"metric":"build_success_rate","format":"table","compare":"`+mode+`"}`, weekFrom, weekTo)
			wantValue(t, mode+" previous", tableValue(t, fr, "previous", ""), 50)
			wantValue(t, mode+" change", tableValue(t, fr, "change_percent", ""), (500.0/7-50)/50*100)
			if tr, _ := fr[0].FieldByName("trend"); tr == nil || tr.At(0).(string) != "up" {
				t.Errorf("%s trend = %v", mode, tr)
			}
		}
		// yoy: [2023-01-01, 2023-01-08) has d10, d11 → 9 vs 2
		fr := f.query(t, `{"metric":"deployments","format":"table","compare":"yoy"}`, weekFrom, weekTo)
		wantValue(t, "yoy previous", tableValue(t, fr, "previous", ""), 2)
		wantValue(t, "yoy change", tableValue(t, fr, "change_percent", ""), 350)
		// mom: [2023-12-01, 2023-12-08) has revenue v3 (90000) vs 160000 → +77.78 %, up
		fr = f.query(t, `{"metric":"revenue","format":"table","compare":"mom"}`, weekFrom, weekTo)
		wantValue(t, "mom previous", tableValue(t, fr, "previous", ""), 90000)
		wantValue(t, "mom change", tableValue(t, fr, "change_percent", ""), 70000.0/90000*100)
		// mom for builds: no builds in Dec 1–8 → previous unknown, no trend
		fr = f.query(t, `{"metric":"builds","format":"table","compare":"mom"}`, weekFrom, weekTo)
		wantValue(t, "mom builds previous", tableValue(t, fr, "previous", ""), null)
	})
	t.Run("compare series", func(t *testing.T) {
		fr := f.query(t, `{"metric":"build_success_rate","compare":"previous",`+day+`}`, weekFrom, weekTo)
		if len(fr) != 2 {
			t.Fatalf("want current + previous series, got %d frames", len(fr))
		}
		prev := seriesValues(t, fr, data.Labels{"period": "previous"})
		// 12-25 … 12-31 shifted by 7 days: b9 f on 12-27 → 0 at 01-03; b8 s on 12-31 → 100 at 01-07
		wantSeries(t, "previous", prev, []float64{null, null, 0, null, null, null, 100})
		if got := fr[1].Fields[0].At(0).(time.Time); !got.Equal(weekFrom) {
			t.Errorf("previous series not aligned: starts %v", got)
		}
		if dn := fr[1].Fields[1].Config.DisplayNameFromDS; dn != "Build success rate (previous period)" {
			t.Errorf("display name %q", dn)
		}
	})
}

// TestRollupPathMatchesRaw runs rollup-capable metrics over ranges with partial edge days, via
// the rollups and via raw rows only; counts and ratios must match exactly, percentiles within 2 %.
func TestRollupPathMatchesRaw(t *testing.T) {
	f := newFixture(t)
	raw := &Engine{db: f.engine.db, mode: f.engine.mode, rawOnly: true}
	from := time.Date(2023, 12, 26, 6, 0, 0, 0, time.UTC) // partial first day
	to := time.Date(2024, 1, 7, 18, 30, 0, 0, time.UTC)   // partial last day
	metricsToCheck := []string{"build_success_rate", "builds", "deployments", "deployment_frequency", "platform_uptime",
		"uptime", "pipeline_availability", "cloud_dev_env_health", "platform_error_rate", "cost_per_deploy",
		"revenue_per_deploy", "deploy_velocity_change"}
	shapes := []string{`"format":"table"`, `"interval":"day"`, `"interval":"week"`, `"interval":"hour"`,
		`"format":"table","groupBy":"tech_stack"`, `"interval":"day","filters":{"team":["search"]}`, `"format":"table","groupBy":"platform"`}
	for _, m := range metricsToCheck {
		def, _ := Lookup(m)
		for _, shape := range shapes {
			if strings.Contains(shape, "groupBy") || strings.Contains(shape, "filters") {
				dim := "tech_stack"
				if strings.Contains(shape, "platform") {
					dim = "platform"
				} else if strings.Contains(shape, "team") {
					dim = "team"
				}
				if !def.HasDimension(dim) {
					continue
				}
			}
			compareEngines(t, f.engine, raw, `{"metric":"`+m+`",`+shape+`}`, from, to, 1e-9)
		}
	}
	for _, m := range []string{`"metric":"build_duration","stat":"p50"`, `"metric":"build_duration","stat":"p95"`,
		`"metric":"build_duration","stat":"mean"`, `"metric":"platform_response_p95"`} {
		compareEngines(t, f.engine, raw, `{`+m+`,"format":"table"}`, from, to, 0.02)
		compareEngines(t, f.engine, raw, `{`+m+`,"interval":"day"}`, from, to, 0.02)
	}
}

func compareEngines(t *testing.T, rollup, raw *Engine, q string, from, to time.Time, tol float64) {
	t.Helper()
	a := (&fixtureDB{engine: rollup}).query(t, q, from, to)
	b := (&fixtureDB{engine: raw}).query(t, q, from, to)
	if strings.Contains(a[0].Meta.ExecutedQueryString, "_daily") == false && strings.Contains(a[0].Meta.ExecutedQueryString, "_hourly") == false &&
		!strings.Contains(q, "cost_per_deploy") && !strings.Contains(q, "revenue_per") {
		t.Errorf("%s: rollup path not taken", q)
	}
	if strings.Contains(b[0].Meta.ExecutedQueryString, "_daily") || strings.Contains(b[0].Meta.ExecutedQueryString, "_hourly") {
		t.Errorf("%s: raw path read a rollup", q)
	}
	if len(a) != len(b) {
		t.Fatalf("%s: %d frames via rollups, %d raw", q, len(a), len(b))
	}
	for i := range a {
		if len(a[i].Fields) != len(b[i].Fields) || a[i].Rows() != b[i].Rows() {
			t.Fatalf("%s: frame %d shape differs", q, i)
		}
		for j, fa := range a[i].Fields {
			for r := 0; r < fa.Len(); r++ {
				va, vb := fa.At(r), b[i].Fields[j].At(r)
				pa, ok := va.(*float64)
				if !ok {
					if va != vb && fa.Type() != data.FieldTypeTime {
						t.Errorf("%s: %s[%d] %v vs %v", q, fa.Name, r, va, vb)
					}
					continue
				}
				pb := vb.(*float64)
				if (pa == nil) != (pb == nil) || (pa != nil && !near(*pa, *pb, tol*max(1, abs(*pb)))) {
					t.Errorf("%s: %s[%d] rollup %v raw %v", q, fa.Name, r, deref(pa), deref(pb))
				}
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
