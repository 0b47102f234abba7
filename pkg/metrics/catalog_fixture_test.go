package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// The frontend's fixtures are generated from the real backend, so the jest tests cannot drift from
// what GET /catalog and QueryData answer. `go test ./pkg/metrics -run TestCatalogFixture -update`
// rewrites them (the -update flag of catalog_doc_test.go); without it the test fails when stale.
const (
	catalogFixture = "../../src/test/catalog.generated.json"
	framesFixture  = "../../src/test/frames.generated.json"
)

// TestCatalogFixture keeps src/test/catalog.generated.json equal to the catalog document.
func TestCatalogFixture(t *testing.T) {
	checkFixture(t, catalogFixture, metrics.Document())
}

// sampleQuery is one saved query of the frames fixture: what the editor stores, what the backend
// made of it after applying the catalog's defaults, and the frames it answered.
type sampleQuery struct {
	Query     json.RawMessage `json:"query"`
	Effective map[string]any  `json:"effective"`
	Frames    json.RawMessage `json:"frames"`
}

// TestFramesFixture runs a few saved queries (some without their options, so the catalog's
// defaults apply) against testdata/fixture.sql and writes the effective options and frames to
// src/test/frames.generated.json.
func TestFramesFixture(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("testdata/fixture.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, string(fixture)); err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	if err := st.RefreshRollups(ctx, from.AddDate(-1, 0, 0), to); err != nil {
		t.Fatal(err)
	}
	info, err := st.Mode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eng := metrics.NewEngine(st)
	samples := map[string]string{
		"buildDurationNoOptions": `{"refId":"A","metric":"build_duration","format":"table"}`,
		"buildSuccessByStack":    `{"refId":"A","metric":"build_success_rate","groupBy":"tech_stack","interval":"day"}`,
		"forecastNoOptions":      `{"refId":"A","metric":"forecast","baseMetric":"deployments","format":"table"}`,
		"anomaliesNoOptions":     `{"refId":"A","metric":"anomalies","baseMetric":"builds","interval":"day","format":"table"}`,
		// The Home page's KPI row: one table query per headline metric, refId = metric id.
		"homeKpiPipelineAvailability": `{"refId":"pipeline_availability","queryType":"metric","metric":"pipeline_availability","format":"table"}`,
		"homeKpiBuildSuccessRate":     `{"refId":"build_success_rate","queryType":"metric","metric":"build_success_rate","format":"table"}`,
		"homeKpiDeployments":          `{"refId":"deployments","queryType":"metric","metric":"deployments","format":"table"}`,
		"homeKpiDxScore":              `{"refId":"dx_score","queryType":"metric","metric":"dx_score","format":"table"}`,
	}
	out := map[string]sampleQuery{}
	for name, raw := range samples {
		q, err := metrics.ParseQuery([]byte(raw), backend.TimeRange{From: from, To: to}, 0, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		frames, err := eng.Run(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fj, err := json.Marshal(frames)
		if err != nil {
			t.Fatal(err)
		}
		def, _ := metrics.Lookup(q.Metric)
		eff := map[string]any{}
		for _, o := range def.Options {
			switch o {
			case metrics.OptionStat:
				eff["stat"] = q.Stat
			case metrics.OptionHorizon:
				eff["horizon"] = q.Horizon
			case metrics.OptionSensitivity:
				eff["sensitivity"] = q.Sensitivity
			}
		}
		out[name] = sampleQuery{Query: json.RawMessage(raw), Effective: eff, Frames: fj}
	}
	if info.Mode == store.ModePostgreSQL {
		checkFixture(t, framesFixture, out)
		return
	}
	// The fixture is what plain PostgreSQL answers. The TimescaleDB modes must answer the same
	// frames; only the executed SQL differs (time_bucket instead of date_bin), so it is left out
	// of the comparison there, and the file is only ever written from PostgreSQL.
	if *updateDocs {
		t.Fatalf("regenerate %s on plain PostgreSQL (this server is in %s mode)", framesFixture, info.Mode)
	}
	have, err := os.ReadFile(framesFixture)
	if err != nil {
		t.Fatal(err)
	}
	var committed map[string]sampleQuery
	if err := json.Unmarshal(have, &committed); err != nil {
		t.Fatal(err)
	}
	for name, sample := range out {
		want, ok := committed[name]
		if !ok {
			t.Fatalf("%s: sample %q is missing; regenerate it on plain PostgreSQL", framesFixture, name)
		}
		got, exp := withoutExecutedSQL(t, sample.Frames), withoutExecutedSQL(t, want.Frames)
		if !bytes.Equal(got, exp) {
			t.Errorf("%s: %s mode answers other frames than the fixture (PostgreSQL):\n got %s\nwant %s", name, info.Mode, got, exp)
		}
	}
}

// withoutExecutedSQL re-encodes frames JSON without the executedQueryString metadata.
func withoutExecutedSQL(t *testing.T, frames json.RawMessage) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(frames, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			delete(x, "executedQueryString")
			for _, e := range x {
				strip(e)
			}
		case []any:
			for _, e := range x {
				strip(e)
			}
		}
	}
	strip(v)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkFixture compares v's indented JSON with the file, or rewrites the file under -update.
func checkFixture(t *testing.T, path string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if *updateDocs {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(have, buf.Bytes()) {
		t.Fatalf("%s is stale (or missing: %v); regenerate it with go test ./pkg/metrics -run 'TestCatalogFixture|TestFramesFixture' -update and commit it",
			filepath.Clean(path), err)
	}
}
