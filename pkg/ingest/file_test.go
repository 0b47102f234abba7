package ingest

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReadBatchesCSV(t *testing.T) {
	csv := "\ufeffexternal_id,submitted_at,respondent,team,tech_stack,dx_score,build_time,deployment_ease,platform_usability,tooling_effectiveness,pain_points\n" +
		"d1,2025-05-01T10:00:00Z,r-1,payments,go,71,60,70,80,75,Slow builds;Flaky tests\n" +
		"d2,2025-05-01T11:00:00Z,r-2,payments,go,abc,60,70,80,75,\"{\"\"Slow builds\"\",Docs}\"\n" +
		"d3,2025-05-01T12:00:00Z,r-3,payments,go,72,60,70,80,75,\n"
	tb, _ := Lookup("dx_responses")
	var got []json.RawMessage
	var firsts []int
	err := ReadBatches(strings.NewReader(csv), CSV, tb, 2, func(first int, rows []json.RawMessage) error {
		firsts = append(firsts, first)
		got = append(got, rows...)
		return nil
	})
	if err != nil || len(got) != 3 || len(firsts) != 2 || firsts[1] != 2 {
		t.Fatalf("rows %d, batches %v, err %v", len(got), firsts, err)
	}
	v := Validate(tb, got, "import")
	if len(v.Rows) != 2 || len(v.Rejected) != 1 || v.Rejected[0].Index != 1 || v.Rejected[0].Field != "dx_score" {
		t.Fatalf("validated %d rows, rejected %+v", len(v.Rows), v.Rejected)
	}
	if pp := v.Rows[0].Get("pain_points").([]string); len(pp) != 2 || pp[1] != "Flaky tests" {
		t.Errorf("pain points %v", pp)
	}
	if pp := v.Rows[1].Get("pain_points").([]string); len(pp) != 0 {
		t.Errorf("empty pain points %v", pp)
	}
}

func TestReadBatchesNDJSON(t *testing.T) {
	in := `{"a":1}` + "\n\n" + `{"b":2}` + "\n" + `{"c":3}`
	tb, _ := Lookup("builds")
	n := 0
	err := ReadBatches(strings.NewReader(in), NDJSON, tb, 0, func(first int, rows []json.RawMessage) error {
		n += len(rows)
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("rows %d err %v", n, err)
	}
	if _, err := FormatOf("x.txt"); err == nil {
		t.Error("txt accepted")
	}
	if f, _ := FormatOf("x.JSONL"); f != NDJSON {
		t.Error("jsonl not ndjson")
	}
}

func TestScannerRejectsMalformedObjects(t *testing.T) {
	for _, bad := range []string{``, `{`, `{"a":1,}`, `{"a" 1}`, `{"a":01}`, `{"a":1}x`, `{"a":tru}`, `{"a":"x}`,
		`{"a":[1,2}`, `{"a":1 "b":2}`, `{a:1}`, `{"a":.5}`, `{"a":1.}`, `{"a":-}`, `{"a":1e}`} {
		if err := eachField([]byte(bad), func(_, _ []byte) error { return nil }); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	var keys []string
	good := ` { "a" : {"x":"}"} , "b\u0041":[1,"]"], "c":-1.5e+3 ,"d":null} `
	if err := eachField([]byte(good), func(k, v []byte) error { keys = append(keys, string(k)+"="+string(v)); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(keys, "|") != `a={"x":"}"}|bA=[1,"]"]|c=-1.5e+3|d=null` {
		t.Errorf("fields %v", keys)
	}
}
