package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// buildsCSV writes a CSV of builds on 2026-11-18 between 10:00 and 11:00: n builds of stack go,
// every third one failed, plus an unknown column "teem" on every row.
func buildsCSV(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("external_id,finished_at,started_at,pipeline,repo,service,team,tech_stack,status,duration_seconds,teem\n")
	for i := range n {
		fin := time.Date(2026, 11, 18, 10, i%60, 0, 0, time.UTC)
		status := "success"
		if i%3 == 0 {
			status = "failure"
		}
		fmt.Fprintf(&b, "cli-%d,%s,%s,main,checkout,checkout,payments,go,%s,600,x\n", i,
			fin.Format(time.RFC3339), fin.Add(-10*time.Minute).Format(time.RFC3339), status)
	}
	p := filepath.Join(t.TempDir(), "builds.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version"} {
		code, out, _ := run(t, arg)
		if code != 0 || !regexp.MustCompile(`^platformlens \S+ \(.*go1\.\d+.*\)\n$`).MatchString(out) {
			t.Errorf("%s: code %d, %q", arg, code, out)
		}
	}
}

func TestCatalogNarrowAndDetail(t *testing.T) {
	code, out, _ := run(t, "catalog")
	if code != 0 || !strings.HasPrefix(out, "ID ") || !strings.Contains(out, "build_success_rate") {
		t.Fatalf("catalog: code %d\n%s", code, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 100 {
			t.Errorf("catalog line is %d characters wide: %q", len(line), line)
		}
	}
	code, out, _ = run(t, "catalog", "mttr")
	if code != 0 || !strings.Contains(out, "Mean time to recovery") || !strings.Contains(out, "target      mttr") {
		t.Fatalf("catalog mttr: code %d\n%s", code, out)
	}
	code, out, _ = run(t, "catalog", "mttr", "--json")
	var def map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &def) != nil || def["id"] != "mttr" {
		t.Fatalf("catalog mttr --json: code %d\n%s", code, out)
	}
	code, _, errOut := run(t, "catalog", "mtt")
	if code != 2 || !strings.Contains(errOut, "did you mean mttr") {
		t.Fatalf("unknown metric: code %d, %q", code, errOut)
	}
}

func TestHelpHasNoGlitches(t *testing.T) {
	for _, name := range []string{"migrate", "status", "demo", "catalog", "query", "import"} {
		code, stdout, _ := run(t, name, "-h")
		if code != 0 || !strings.Contains(stdout, "Usage: platformlens "+name) {
			t.Errorf("%s -h: exit %d, %q", name, code, stdout)
		}
		if strings.Contains(stdout, "(default $PLATFORMLENS_SCHEMA) (default") {
			t.Errorf("%s -h doubles a default:\n%s", name, stdout)
		}
		if regexp.MustCompile(`(?m)^\s+-\w+ platformlens`).MatchString(stdout) {
			t.Errorf("%s -h shows a back-quoted usage word as the flag's argument:\n%s", name, stdout)
		}
	}
}

// TestImportQueryFormats imports a CSV through the CLI (unknown column reported once, 1-based
// record numbers), then queries it in every output format.
func TestImportQueryFormats(t *testing.T) {
	migrated(t)
	file := buildsCSV(t, 30)
	code, out, errOut := run(t, "import", "--table", "builds", "--file", file)
	if code != 1 || strings.Count(out, `column "teem"`) != 1 || !strings.Contains(out, "in 30 records, from record 1") {
		t.Fatalf("import with an unknown column: code %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, errOut = run(t, "import", "--table", "builds", "--file", file, "--allow-partial")
	if code != 0 || !strings.Contains(out, "0 stored") || strings.Count(out, `column "teem"`) != 1 {
		t.Fatalf("import --allow-partial: code %d\n%s%s", code, out, errOut)
	}
	// Without the bad column every row is good.
	raw, _ := os.ReadFile(file)
	clean := regexp.MustCompile(`(?m),(teem|x)$`).ReplaceAllString(string(raw), "")
	if err := os.WriteFile(file, []byte(clean), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "import", "--table", "builds", "--file", file)
	if code != 0 || !strings.Contains(out, "builds: 30 stored, 0 already present, 0 rejected") {
		t.Fatalf("import: code %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, "import", "--table", "builds", "--file", file)
	if code != 0 || !strings.Contains(out, "0 stored, 30 already present") {
		t.Fatalf("second import is not idempotent: %s", out)
	}

	q := []string{"query", "--metric", "build_success_rate", "--from", "2026-11-18T10:00:00Z", "--to", "2026-11-18T11:00:00Z", "--group-by", "tech_stack"}
	code, out, errOut = run(t, q...)
	// 20 of 30 builds succeeded: 66.666… % → rounded with its unit.
	if code != 0 || !strings.Contains(out, "66.7 %") || strings.Contains(out, "66.666") {
		t.Fatalf("query text: code %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, append(q, "--output", "json")...)
	var recs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 1 || recs[0]["tech_stack"] != "go" {
		t.Fatalf("query json is not an array of records: code %d\n%s", code, out)
	}
	if v, _ := recs[0]["value"].(float64); v < 66.6 || v > 66.7 {
		// the column of the value is the metric's field; find any number
		found := false
		for _, x := range recs[0] {
			if f, ok := x.(float64); ok && f > 66.6 && f < 66.7 {
				found = true
			}
		}
		if !found {
			t.Fatalf("query json record lacks the value 66.67: %v", recs[0])
		}
	}
	code, out, _ = run(t, append(q, "--output", "csv")...)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != 0 || len(lines) != 2 || !strings.Contains(lines[0], "tech_stack") {
		t.Fatalf("query csv: code %d\n%s", code, out)
	}
	code, out, _ = run(t, append(q, "--output", "frames")...)
	var frames []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &frames) != nil || len(frames) == 0 || frames[0]["schema"] == nil {
		t.Fatalf("query frames is not frame JSON: code %d\n%.300s", code, out)
	}
	code, _, errOut = run(t, append(q, "--output", "xml")...)
	if code != 2 || !strings.Contains(errOut, "text, csv, json or frames") {
		t.Fatalf("bad --output: code %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "query", "--metric", "no_such_metric", "--range", "1d")
	if code != 2 || !strings.Contains(errOut, "not in the catalog") {
		t.Fatalf("unknown metric: code %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "query")
	if code != 2 || !strings.Contains(errOut, "--metric is required") {
		t.Fatalf("no metric: code %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "import", "--table", "nope", "--file", file)
	if code != 2 || !strings.Contains(errOut, "nope") {
		t.Fatalf("unknown table: code %d, %q", code, errOut)
	}
}

// cancelOn is a writer that cancels a context once it has seen marker: the test's Ctrl-C.
type cancelOn struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	cancel func()
}

func (w *cancelOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.marker) {
		w.cancel()
	}
	return len(p), nil
}

// TestDemoProgressAndInterrupt loads tier S and presses Ctrl-C once the first table is done: the
// progress lines carry the total, a percentage and an ETA, the command ends with exit status 130
// and "interrupted: N rows stored, run again to finish", N being what is in the database.
func TestDemoProgressAndInterrupt(t *testing.T) {
	migrated(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancelOn{marker: "done\n", cancel: cancel}
	var errOut bytes.Buffer
	code := runMain(ctx, []string{"demo", "--tier", "S", "--end", "2026-11-18T14:00:00Z"}, out, &errOut)
	text := out.buf.String()
	if !regexp.MustCompile(`platform_probes\s+81,408 rows .* \d+% of ~\d{3},\d{3}, ETA \S+\s+done`).MatchString(text) {
		t.Errorf("progress lines lack total, percentage and ETA:\n%s", text)
	}
	m := regexp.MustCompile(`^platformlens demo: interrupted: (\d+) rows stored, run again to finish\n$`).FindStringSubmatch(errOut.String())
	if code != 130 || m == nil {
		t.Fatalf("interrupted demo: code %d, stderr %q", code, errOut.String())
	}
	if m[1] != "81408" {
		t.Errorf("interrupted after the probes table, it reports %s rows stored", m[1])
	}
	// The same for import: a cancelled context ends it with the same message.
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	var o, e bytes.Buffer
	code = runMain(cctx, []string{"import", "--table", "builds", "--file", buildsCSV(t, 3)}, &o, &e)
	if code != 130 || !strings.Contains(e.String(), "interrupted: 0 rows stored, run again to finish") {
		t.Fatalf("interrupted import: code %d, %q", code, e.String())
	}
}
