package datasource

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode/sqlmodetest"
)

// testNow is the fixed "now" of the datasource's tests: a weekday afternoon.
var testNow = time.Date(2026, 3, 11, 15, 0, 0, 0, time.UTC)

func query(refID, queryType, json string) backend.DataQuery {
	now := testNow
	return backend.DataQuery{RefID: refID, QueryType: queryType, JSON: []byte(json), MaxDataPoints: 500,
		Interval: time.Minute, TimeRange: backend.TimeRange{From: now.Add(-24 * time.Hour), To: now}}
}

func runQueries(t *testing.T, d *Datasource, qs ...backend.DataQuery) *backend.QueryDataResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: qs})
	if err != nil {
		t.Fatalf("QueryData must answer per query, not fail as a whole: %v", err)
	}
	return resp
}

func wantQueryError(t *testing.T, resp *backend.QueryDataResponse, refID string, src backend.ErrorSource, parts ...string) {
	t.Helper()
	r, ok := resp.Responses[refID]
	if !ok {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error == nil {
		t.Fatalf("%s: want an error containing %q, got frames %v", refID, parts, r.Frames)
	}
	if r.ErrorSource != src {
		t.Fatalf("%s: error source = %q, want %q (%v)", refID, r.ErrorSource, src, r.Error)
	}
	for _, p := range parts {
		if !strings.Contains(r.Error.Error(), p) {
			t.Fatalf("%s: error %q does not contain %q", refID, r.Error, p)
		}
	}
}

func TestQueryDataRoutesAndIsolatesFailures(t *testing.T) {
	d, _ := newLeastPrivilegeDatasource(t)
	migrate(t, d)
	resp := runQueries(t, d,
		query("metric", "", `{"metric":"build_success_rate"}`),
		query("unknown", "metric", `{"metric":"no_such_metric"}`),
		query("malformed", "", `{"metric": `),
		query("badtype", "graphql", `{}`),
		query("sql", "sql", sqlmodetest.QueryJSON(sqlmodetest.SelectOne, "table")),
		query("sqlwrite", "sql", sqlmodetest.QueryJSON(sqlmodetest.DeleteBuilds, "table")),
		query("emptysql", "sql", `{"rawSql":"  "}`),
		query("anno", "annotations", `{"kind":"deployments"}`),
		query("badanno", "annotations", `{"kind":"birthdays"}`),
	)
	if r := resp.Responses["metric"]; r.Error != nil || len(r.Frames) == 0 {
		t.Fatalf("metric query on an empty migrated database: error %v, %d frames", r.Error, len(r.Frames))
	}
	wantQueryError(t, resp, "unknown", backend.ErrorSourceDownstream, "no_such_metric")
	wantQueryError(t, resp, "malformed", backend.ErrorSourceDownstream, "malformed", "not valid query JSON")
	wantQueryError(t, resp, "badtype", backend.ErrorSourceDownstream, `unknown queryType "graphql"`, "metric, sql, annotations or target")
	if r := resp.Responses["sql"]; r.Error != nil || len(r.Frames) != 1 || r.Frames[0].RefID != "sql" {
		t.Fatalf("%s: error %v, frames %v", sqlmodetest.SelectOne, r.Error, r.Frames)
	}
	wantQueryError(t, resp, "sqlwrite", backend.ErrorSourceDownstream)
	wantQueryError(t, resp, "emptysql", backend.ErrorSourceDownstream, "rawSql is empty")
	if r := resp.Responses["anno"]; r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("annotations: error %v, frames %v", r.Error, r.Frames)
	}
	wantQueryError(t, resp, "badanno", backend.ErrorSourceDownstream, `kind "deployments", "incidents" or "anomalies"`)
}

func TestQueryDataBeforeMigrationSaysToMigrate(t *testing.T) {
	d, _ := newDBDatasource(t)
	resp := runQueries(t, d, query("A", "metric", `{"metric":"build_success_rate"}`))
	wantQueryError(t, resp, "A", backend.ErrorSourceDownstream, "not migrated")
}

func TestQueryDataWithInvalidSettingsFailsEveryQuery(t *testing.T) {
	d := New(instanceSettings(t, map[string]any{"user": "u", "sslMode": "bogus"}, nil), OpenEngine)
	resp := runQueries(t, d, query("A", "", `{}`), query("B", "sql", `{}`))
	wantQueryError(t, resp, "A", backend.ErrorSourceDownstream, "sslMode")
	wantQueryError(t, resp, "B", backend.ErrorSourceDownstream, "sslMode")
}

// scriptedEngine provokes what a real database cannot: a panic and a query that blocks until
// it is cancelled. Methods it does not override are never called by these tests.
type scriptedEngine struct {
	Engine
	started chan struct{}
}

func (e *scriptedEngine) Metric(ctx context.Context, q metrics.Query) (data.Frames, error) {
	switch q.RefID {
	case "panic":
		var m map[string]int
		m["boom"]++ // nil map write: a runtime panic like a real bug would cause
	case "block":
		close(e.started)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return data.Frames{data.NewFrame("ok", data.NewField("v", nil, []float64{1}))}, nil
}

func (e *scriptedEngine) Close() {}

func TestQueryDataRecoversFromPanics(t *testing.T) {
	eng := &scriptedEngine{started: make(chan struct{})}
	d := New(instanceSettings(t, map[string]any{"user": "u"}, nil), func(context.Context, Settings) (Engine, error) { return eng, nil })
	resp := runQueries(t, d, query("panic", "", `{"metric":"builds"}`), query("fine", "", `{"metric":"builds"}`))
	wantQueryError(t, resp, "panic", backend.ErrorSourcePlugin, "bug in the PlatformLens plugin", "assignment to entry in nil map")
	if r := resp.Responses["fine"]; r.Error != nil || len(r.Frames) != 1 || r.Frames[0].RefID != "fine" {
		t.Fatalf("the other query must still answer: %+v", r)
	}
}

func TestQueryDataHonoursCancellation(t *testing.T) {
	eng := &scriptedEngine{started: make(chan struct{})}
	d := New(instanceSettings(t, map[string]any{"user": "u"}, nil), func(context.Context, Settings) (Engine, error) { return eng, nil })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-eng.started; cancel() }()
	start := time.Now()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{query("block", "", `{"metric":"builds"}`)}})
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled query took %s", time.Since(start))
	}
	wantQueryError(t, resp, "block", backend.ErrorSourceDownstream, "cancelled")
	if !errors.Is(resp.Responses["block"].Error, context.Canceled) {
		t.Fatalf("error should wrap context.Canceled: %v", resp.Responses["block"].Error)
	}
}
