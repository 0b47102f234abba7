package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/xuri/excelize/v2"

	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
	"github.com/platformlens/platformlens-analytics-app/pkg/report"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// The fixture: demo tier S, seed 1, ending at a fixed time; the report covers the last 30 days.
var (
	demoEnd = testworld.MonthStartEnd
	from    = demoEnd.AddDate(0, 0, -30)
)

func demoStore(t *testing.T) *store.Store {
	t.Helper()
	if testing.Short() {
		t.Skip("loads demo tier S into PostgreSQL; skipped with -short")
	}
	st, _ := testworld.DemoStore(t, demoEnd)
	return st
}

// engineValue asks the engine directly — the query `platformlens query --metric id --format table
// --compare previous` sends — and returns the value column of the first row.
func engineValue(t *testing.T, eng *metrics.Engine, id string) *float64 {
	t.Helper()
	raw := `{"metric":"` + id + `","format":"table"}`
	q, err := metrics.ParseQuery([]byte(raw), backend.TimeRange{From: from, To: demoEnd}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := eng.Run(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	tab := records.FromFrames(fr)
	for i, c := range tab.Columns {
		if c == "value" && len(tab.Rows) > 0 {
			if v, ok := tab.Rows[0][i].(float64); ok {
				return &v
			}
		}
	}
	t.Fatalf("engine answered no value for %s: %v", id, tab)
	return nil
}

// keyMetrics are the numbers the test checks in every format.
var keyMetrics = []string{"uptime", "deployments", "cost_per_deploy", "license_utilization", "lead_time", "unused_licenses", "dx_score", "change_failure_rate"}

func TestReportFormatsFromDemoData(t *testing.T) {
	st := demoStore(t)
	eng := metrics.NewEngine(st)
	ctx := context.Background()
	r, err := report.Build(ctx, eng, report.Spec{From: from, To: demoEnd})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if len(r.Sections) != 7 {
		t.Fatalf("%d sections, want 7", len(r.Sections))
	}
	for _, s := range r.Sections {
		if s.Reading == "" {
			t.Errorf("section %q has no reading", s.Title)
		}
		if s.Number < 7 && (s.Chart == nil || len(s.Chart.Values) == 0) {
			t.Errorf("section %q has no chart data", s.Title)
		}
	}
	if len(r.Sections[6].Recommendations) == 0 {
		t.Error("no recommendations on demo data (it has breached targets and unused seats)")
	}
	want := map[string]string{}
	for _, id := range keyMetrics {
		def, _ := metrics.Lookup(id)
		want[id] = report.FormatValue(def.Unit, engineValue(t, eng, id))
	}
	dir := t.ArtifactDir()

	t.Run("pdf", func(t *testing.T) {
		path := filepath.Join(dir, "report.pdf")
		writeFile(t, path, r, report.FormatPDF)
		text := run(t, "pdftotext", "-layout", path, "-")
		for _, title := range report.SectionTitles {
			if !strings.Contains(text, title) {
				t.Errorf("PDF text lacks section title %q", title)
			}
		}
		for id, v := range want {
			if !strings.Contains(text, v) {
				t.Errorf("PDF text lacks %s = %s (the engine's answer)", id, v)
			}
		}
		run(t, "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, "report-page1"))
		if fi, err := os.Stat(filepath.Join(dir, "report-page1.png")); err != nil || fi.Size() < 10_000 {
			t.Errorf("page 1 PNG missing or nearly empty: %v", err)
		}
		t.Logf("PDF and page-1 PNG in %s", dir)
	})
	t.Run("csv", func(t *testing.T) {
		var buf bytes.Buffer
		if err := report.Render(&buf, r, report.FormatCSV); err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(bytes.NewReader(buf.Bytes()))
		cr.FieldsPerRecord = -1 // each block has its own columns
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("report CSV does not parse: %v", err)
		}
		got := map[string]string{}
		for _, row := range rows {
			if len(row) > 6 && row[1] == "kpi" && row[2] != "metric" {
				got[row[2]] = row[5]
			}
		}
		for _, id := range keyMetrics {
			v := engineValue(t, eng, id)
			if got[id] != strconv.FormatFloat(*v, 'f', -1, 64) {
				t.Errorf("CSV %s = %q, engine %v", id, got[id], *v)
			}
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		path := filepath.Join(dir, "report.xlsx")
		writeFile(t, path, r, report.FormatXLSX)
		x, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) != 7 {
			t.Fatalf("sheets %v, want one per section", sheets)
		}
		rows, err := x.GetRows(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, row := range rows {
			if len(row) > 3 && row[0] == "uptime" {
				got, _ := strconv.ParseFloat(row[3], 64)
				want := engineValue(t, eng, "uptime")
				found = true
				if diff := got - *want; diff > 1e-9 || diff < -1e-9 {
					t.Errorf("XLSX uptime = %v, engine %v", got, *want)
				}
			}
		}
		if !found {
			t.Errorf("XLSX sheet %q has no uptime row: %v", sheets[0], rows)
		}
	})
	t.Run("md", func(t *testing.T) {
		var buf bytes.Buffer
		if err := report.Render(&buf, r, report.FormatMarkdown); err != nil {
			t.Fatal(err)
		}
		for i, title := range report.SectionTitles {
			if !strings.Contains(buf.String(), "## "+strconv.Itoa(i+1)+". "+title) {
				t.Errorf("Markdown lacks heading %d. %s", i+1, title)
			}
		}
		for id, v := range want {
			if !strings.Contains(buf.String(), "| "+v+" |") {
				t.Errorf("Markdown lacks %s = %s", id, v)
			}
		}
	})
}

func writeFile(t *testing.T, path string, r *report.Report, f report.Format) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := report.Render(out, r, f); err != nil {
		t.Fatalf("render %s: %v", f, err)
	}
}

// run runs a poppler tool. Missing tools fail the test in CI (CI=true: the apt package
// poppler-utils must be installed there) and skip it elsewhere with the command to install them.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		msg := name + " is not installed: apt-get install -y poppler-utils"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI must install it to check the PDF report)")
		}
		t.Skip(msg)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}
