package ingest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func raws(rows ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		out[i] = json.RawMessage(r)
	}
	return out
}

const goodBuild = `{"external_id":"b1","finished_at":"2025-05-01T12:10:00Z","started_at":"2025-05-01T12:00:00Z",
 "pipeline":"main","repo":"checkout","service":"checkout","team":"payments","tech_stack":"go",
 "status":"success","queue_seconds":3.5,"duration_seconds":600}`

func TestValidateGoodRow(t *testing.T) {
	tb, _ := Lookup("builds")
	v := Validate(tb, raws(goodBuild), "api")
	if len(v.Rejected) != 0 || len(v.Rows) != 1 {
		t.Fatalf("rejected %v", v.Rejected)
	}
	r := v.Rows[0]
	if r.Get("source") != "api" {
		t.Errorf("default source not applied: %v", r.Get("source"))
	}
	if got, _ := r.Time("finished_at"); !got.Equal(time.Date(2025, 5, 1, 12, 10, 0, 0, time.UTC)) {
		t.Errorf("finished_at = %v", got)
	}
	if r.Get("duration_seconds") != 600.0 {
		t.Errorf("duration_seconds = %v", r.Get("duration_seconds"))
	}
}

// Each case breaks one rule; the reported field (and a word of the reason) must name it.
func TestValidateRejects(t *testing.T) {
	cases := []struct {
		table, row, field, reason string
	}{
		{"builds", `[1,2]`, "", "not a JSON object"},
		{"builds", `null`, "", "not a JSON object"},
		{"builds", strings.Replace(goodBuild, `"status":"success"`, `"status":"ok"`, 1), "status", "one of"},
		{"builds", strings.Replace(goodBuild, `"duration_seconds":600`, `"duration_seconds":-1`, 1), "duration_seconds", "at least 0"},
		{"builds", strings.Replace(goodBuild, `"duration_seconds":600`, `"duration_seconds":"600"`, 1), "duration_seconds", "number"},
		{"builds", strings.Replace(goodBuild, `"external_id":"b1",`, ``, 1), "external_id", "required"},
		{"builds", strings.Replace(goodBuild, `"external_id":"b1"`, `"external_id":"  "`, 1), "external_id", "empty"},
		{"builds", strings.Replace(goodBuild, `"team":"payments"`, `"team":"payments","teem":"x"`, 1), "teem", "not a column"},
		{"builds", strings.Replace(goodBuild, `2025-05-01T12:10:00Z`, `2025-05-01 12:10`, 1), "finished_at", "RFC 3339"},
		{"builds", strings.Replace(goodBuild, `2025-05-01T12:00:00Z`, `2025-05-01T13:00:00Z`, 1), "finished_at", "before started_at"},
		{"incidents", `{"external_id":"i1","opened_at":"2025-05-01T12:00:00Z","resolved_at":"2025-05-01T11:00:00Z",
			"severity":"p1","service":"s","team":"t","title":"x"}`, "resolved_at", "before opened_at"},
		{"incidents", `{"external_id":"i1","opened_at":"2025-05-01T12:00:00Z","severity":"sev1","service":"s","team":"t","title":"x"}`, "severity", "p1, p2, p3"},
		{"dx_responses", `{"external_id":"d1","submitted_at":"2025-05-01T12:00:00Z","respondent":"jane.doe@example.com",
			"team":"t","tech_stack":"go","dx_score":70,"build_time":70,"deployment_ease":70,"platform_usability":70,"tooling_effectiveness":70}`, "respondent", "e-mail"},
		{"dx_responses", `{"external_id":"d1","submitted_at":"2025-05-01T12:00:00Z","respondent":"Jane Doe",
			"team":"t","tech_stack":"go","dx_score":70,"build_time":70,"deployment_ease":70,"platform_usability":70,"tooling_effectiveness":70}`, "respondent", "name"},
		{"dx_responses", `{"external_id":"d1","submitted_at":"2025-05-01T12:00:00Z","respondent":"r1",
			"team":"t","tech_stack":"go","dx_score":101,"build_time":70,"deployment_ease":70,"platform_usability":70,"tooling_effectiveness":70}`, "dx_score", "at most 100"},
		{"quality_snapshots", `{"external_id":"q","measured_at":"2025-05-01T00:00:00Z","repo":"r","team":"t","tech_stack":"go",
			"test_coverage":80,"code_quality_grade":"G","critical_bugs_open":1,"technical_debt_hours":3}`, "code_quality_grade", "one of"},
		{"quality_snapshots", `{"external_id":"q","measured_at":"2025-05-01T00:00:00Z","repo":"r","team":"t","tech_stack":"go",
			"test_coverage":80,"code_quality_grade":"A","critical_bugs_open":1.5,"technical_debt_hours":3}`, "critical_bugs_open", "whole number"},
		{"license_snapshots", `{"external_id":"l","measured_at":"2025-05-01T00:00:00Z","platform":"p","seats_total":10,"seats_active":11,"monthly_cost":5}`, "seats_active", "exceed"},
		{"revenue", `{"external_id":"r","period_start":"2025-05-02T00:00:00Z","product_line":"x","amount":5}`, "period_start", "first day"},
		{"change_tickets", `{"external_id":"c","opened_at":"2025-05-01T00:00:00Z","priority":"normal","status":"completed","title":"x"}`, "completed_at", "required"},
		{"funnels", `{"name":"f","title":"F","steps":["only"]}`, "steps", "two steps"},
		{"funnels", `{"name":"f","title":"F","steps":["a","b"],"conversion_window":"soon"}`, "conversion_window", "duration"},
		{"product_events", `{"external_id":"e","occurred_at":"2025-05-01T00:00:00Z","subject_id":"u","event":"x","properties":[1]}`, "properties", "object"},
		{"platforms", `{"name":"x","category":"ci"}`, "category", "one of"},
		{"teams", `{"name":"t","tech_stack":"go","product_line":"p","developer_count":3,"valid_from":"2025-01-01T00:00:00Z","valid_to":"2025-01-01T00:00:00Z"}`, "valid_to", "after"},
	}
	for _, c := range cases {
		tb, ok := Lookup(c.table)
		if !ok {
			t.Fatalf("no table %s", c.table)
		}
		v := Validate(tb, raws(c.row), "api")
		if len(v.Rows) != 0 || len(v.Rejected) == 0 {
			t.Errorf("%s %s: accepted", c.table, c.row)
			continue
		}
		found := false
		for _, e := range v.Rejected {
			if e.Index == 0 && e.Field == c.field && strings.Contains(e.Reason, c.reason) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want field %q reason ~%q, got %v", c.table, c.field, c.reason, v.Rejected)
		}
	}
}

func TestValidateReportsEveryBadRowWithIndex(t *testing.T) {
	tb, _ := Lookup("builds")
	bad := strings.Replace(goodBuild, `"status":"success"`, `"status":"ok"`, 1)
	worse := strings.Replace(bad, `"duration_seconds":600`, `"duration_seconds":-5`, 1)
	v := Validate(tb, raws(goodBuild, bad, goodBuild, worse), "api")
	if len(v.Rows) != 2 || v.Indexes[0] != 0 || v.Indexes[1] != 2 {
		t.Fatalf("valid rows %v", v.Indexes)
	}
	if v.RejectedRows() != 2 || len(v.Rejected) != 3 {
		t.Fatalf("rejected %v", v.Rejected)
	}
	if v.Rejected[0].Index != 1 || v.Rejected[1].Index != 3 || v.Rejected[2].Index != 3 {
		t.Errorf("indexes %v", v.Rejected)
	}
}

func TestDefaultsAndIntervals(t *testing.T) {
	tb, _ := Lookup("funnels")
	v := Validate(tb, raws(`{"name":"a","title":"A","steps":["x","y"]}`,
		`{"name":"b","title":"B","steps":["x","y"],"conversion_window":"3 days"}`,
		`{"name":"c","title":"C","steps":["x","y"],"conversion_window":"36h"}`,
		`{"name":"d","title":"D","steps":["x","y"],"conversion_window":3600}`), "")
	if len(v.Rejected) > 0 {
		t.Fatal(v.Rejected)
	}
	want := []time.Duration{7 * 24 * time.Hour, 72 * time.Hour, 36 * time.Hour, time.Hour}
	for i, r := range v.Rows {
		if r.Get("conversion_window") != want[i] {
			t.Errorf("row %d window %v, want %v", i, r.Get("conversion_window"), want[i])
		}
	}
}

func TestSQLUsesOnlyDescriptorIdentifiers(t *testing.T) {
	tb, _ := Lookup("builds")
	ins := InsertSQL(tb)
	if !strings.Contains(ins, `ON CONFLICT ("source", "external_id", "finished_at") DO NOTHING`) {
		t.Errorf("builds insert: %s", ins)
	}
	tp, _ := Lookup("platforms")
	if up := InsertSQL(tp); !strings.Contains(up, `DO UPDATE SET "category" = EXCLUDED."category"`) ||
		!strings.Contains(up, "IS DISTINCT FROM") {
		t.Errorf("platforms upsert: %s", up)
	}
	if _, ok := Lookup(`builds"; DROP TABLE builds; --`); ok {
		t.Error("lookup accepted an unknown name")
	}
}

func TestCheckValues(t *testing.T) {
	tb, _ := Lookup("incidents")
	open := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	vals := make([]any, len(tb.Columns))
	set := func(name string, v any) { vals[tb.ColumnIndex(name)] = v }
	set("source", "demo")
	set("external_id", "i1")
	set("opened_at", open)
	set("resolved_at", open.Add(-time.Minute))
	set("severity", "p1")
	set("service", "s")
	set("team", "t")
	set("title", "x")
	if errs := CheckValues(tb, vals, 0); len(errs) != 1 || errs[0].Field != "resolved_at" {
		t.Errorf("errs %v", errs)
	}
	set("resolved_at", open.Add(time.Minute))
	set("severity", 1)
	if errs := CheckValues(tb, vals, 0); len(errs) != 1 || errs[0].Field != "severity" {
		t.Errorf("errs %v", errs)
	}
}

// TestValidateTextCache: values repeated across rows are reused once accepted, a bad value is
// rejected on every row that has it, and a column with more distinct values than the cache holds
// (external_id) still gets each row's own value.
func TestValidateTextCache(t *testing.T) {
	tb, _ := Lookup("builds")
	var rows []json.RawMessage
	n := 2*textCacheSize + 10
	for i := 0; i < n; i++ {
		status := "success"
		if i%100 == 7 {
			status = "weird"
		}
		rows = append(rows, json.RawMessage(fmt.Sprintf(`{"source":"ci","external_id":"e-%d","finished_at":"2026-03-11T09:00:00Z",`+
			`"started_at":"2026-03-11T08:00:00Z","pipeline":"p","repo":"r","service":"s","team":"t-%d","tech_stack":"go",`+
			`"status":%q,"duration_seconds":1}`, i, i%5, status)))
	}
	v := Validate(tb, rows, "")
	bad := 0
	for i := 0; i < n; i++ {
		if i%100 == 7 {
			bad++
		}
	}
	if len(v.Rejected) != bad || v.RejectedRows() != bad {
		t.Fatalf("rejected %d problems, want one per bad row (%d): %v", len(v.Rejected), bad, v.Rejected)
	}
	for j, r := range v.Rows {
		i := v.Indexes[j]
		if r.Get("external_id") != fmt.Sprintf("e-%d", i) || r.Get("team") != fmt.Sprintf("t-%d", i%5) || r.Get("status") != "success" {
			t.Fatalf("row %d decoded as %v", i, r.Values)
		}
	}
}

// TestValidateFieldOrderVaries: the column guess from the previous row's field order must not
// mix fields up when the next row lists them in another order or has fewer or unknown ones.
func TestValidateFieldOrderVaries(t *testing.T) {
	tb, _ := Lookup("builds")
	v := Validate(tb, raws(
		`{"source":"a","external_id":"1","finished_at":"2026-03-11T09:00:00Z","started_at":"2026-03-11T08:00:00Z","pipeline":"p","repo":"r","service":"s","team":"t","tech_stack":"go","status":"success","duration_seconds":1}`,
		`{"status":"failure","duration_seconds":2,"team":"u","source":"b","external_id":"2","finished_at":"2026-03-11T10:00:00Z","started_at":"2026-03-11T08:00:00Z","pipeline":"q","repo":"r2","service":"s2","tech_stack":"rust"}`,
		`{"source":"c","bogus":1,"external_id":"3"}`,
	), "")
	if len(v.Rows) != 2 || v.RejectedRows() != 1 {
		t.Fatalf("rows %d, rejected %v", len(v.Rows), v.Rejected)
	}
	r := v.Rows[1]
	if r.Get("status") != "failure" || r.Get("team") != "u" || r.Get("source") != "b" || r.Get("tech_stack") != "rust" || r.Get("duration_seconds") != 2.0 {
		t.Fatalf("second row decoded as %v", r.Values)
	}
	if v.Rejected[0].Field != "bogus" {
		t.Fatalf("rejected %v, want bogus first", v.Rejected)
	}
}
