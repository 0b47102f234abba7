package datasource

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"
)

func TestAnnotationsForDeploymentsAndIncidents(t *testing.T) {
	d, db := newDBDatasource(t)
	migrate(t, d)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	base := testNow.Add(-6 * time.Hour).Truncate(time.Hour)
	if _, err := c.Exec(ctx, `SET search_path = platformlens, public`); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment,
		status, duration_seconds, is_production, first_commit_at, change_failed, source, external_id) VALUES
		($1::timestamptz, $1::timestamptz - interval '5 minutes', 'checkout', 'payments', 'shop', 'go', 'prod', 'success', 300, true, $1 - interval '1 day', false, 't', 'd1'),
		($1 + interval '1 hour', $1 + interval '55 minutes', 'search', 'discovery', 'shop', 'java', 'staging', 'failure', 300, false, $1, true, 't', 'd2')`, base); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO incidents (opened_at, resolved_at, severity, service, platform, team, caused_by_deployment, title, source, external_id) VALUES
		($1::timestamptz - interval '3 days', NULL, 'p1', 'checkout', NULL, 'payments', 'd1', 'Checkout down', 't', 'i1'),
		($1 - interval '3 days', $1 - interval '2 days', 'p2', 'search', NULL, 'discovery', NULL, 'Old and resolved', 't', 'i2')`, base); err != nil {
		t.Fatal(err)
	}
	tr := backend.TimeRange{From: base.Add(-time.Hour), To: base.Add(3 * time.Hour)}
	q := func(refID, js string) backend.DataQuery {
		return backend.DataQuery{RefID: refID, QueryType: "annotations", JSON: []byte(js), TimeRange: tr}
	}
	resp := runQueries(t, d,
		q("all", `{"kind":"deployments"}`),
		q("prod", `{"kind":"deployments","productionOnly":true}`),
		q("team", `{"kind":"deployments","filters":{"team":["discovery"]}}`),
		q("inc", `{"kind":"incidents"}`),
		q("badkey", `{"kind":"incidents","filters":{"title; DROP TABLE incidents":["x"]}}`),
	)
	rows := func(refID string) int {
		r := resp.Responses[refID]
		if r.Error != nil || len(r.Frames) != 1 {
			t.Fatalf("%s: %v %v", refID, r.Error, r.Frames)
		}
		return r.Frames[0].Rows()
	}
	if rows("all") != 2 || rows("prod") != 1 || rows("team") != 1 {
		t.Fatalf("deployment annotations: all %d, prod %d, team %d; want 2, 1, 1", rows("all"), rows("prod"), rows("team"))
	}
	f := resp.Responses["all"].Frames[0]
	for _, name := range []string{"time", "timeEnd", "title", "text", "tags"} {
		if _, i := f.FieldByName(name); i < 0 {
			t.Fatalf("annotation frame lacks field %q", name)
		}
	}
	title, _ := f.FieldByName("title")
	if s := title.At(0).(string); !strings.Contains(s, "checkout") || !strings.Contains(s, "prod") {
		t.Fatalf("title %q", s)
	}
	// Only the still-open incident overlaps the range; it is annotated as open.
	if rows("inc") != 1 {
		t.Fatalf("incident annotations: %d, want 1 (the open one)", rows("inc"))
	}
	text, _ := resp.Responses["inc"].Frames[0].FieldByName("text")
	if s := text.At(0).(string); !strings.Contains(s, "still open") {
		t.Fatalf("incident text %q", s)
	}
	wantQueryError(t, resp, "badkey", backend.ErrorSourceDownstream, "cannot be filtered by")
}

func TestTargetsRoundTrip(t *testing.T) {
	d, _ := newDBDatasource(t)
	migrate(t, d)
	code, body := call(t, d, "Viewer", "GET", "/targets", nil)
	if code != http.StatusOK || !strings.Contains(string(body), `"key":"uptime"`) {
		t.Fatalf("GET /targets = %d %.300s", code, body)
	}
	code, body = call(t, d, "Admin", "PUT", "/targets", []byte(`[{"key":"uptime","value":99.5}]`))
	if code != http.StatusOK || !strings.Contains(string(body), `"value":99.5`) {
		t.Fatalf("PUT /targets = %d %.300s", code, body)
	}
	if code, body := call(t, d, "Admin", "PUT", "/targets", []byte(`[{"key":"uptime"}]`)); code != http.StatusBadRequest {
		t.Fatalf("PUT /targets without value = %d %s", code, body)
	}
	if code, body := call(t, d, "Admin", "PUT", "/targets", []byte(`[{"key":"brand_new","value":1}]`)); code != http.StatusBadRequest || !strings.Contains(string(body), "needs unit") {
		t.Fatalf("PUT /targets new key without unit = %d %s", code, body)
	}
	if code, body := call(t, d, "Viewer", "GET", "/variables/severity", nil); code != http.StatusOK || !strings.Contains(string(body), `"p1"`) {
		t.Fatalf("GET /variables/severity = %d %s", code, body)
	}
	if code, body := call(t, d, "Viewer", "GET", "/tag-keys?metric=build_success_rate", nil); code != http.StatusOK || !strings.Contains(string(body), `"team"`) {
		t.Fatalf("GET /tag-keys = %d %s", code, body)
	}
	if code, body := call(t, d, "Viewer", "GET", "/status", nil); code != http.StatusOK || !strings.Contains(string(body), `"mode"`) {
		t.Fatalf("GET /status = %d %.300s", code, body)
	}
}

// TestAnomalyAnnotations: kind "anomalies" reads the query as an anomalies metric query and
// marks the one hour whose build success rate collapsed.
func TestAnomalyAnnotations(t *testing.T) {
	d, db := newDBDatasource(t)
	migrate(t, d)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	base := testNow.Add(-20 * time.Hour).Truncate(time.Hour)
	// 12 hours of 4 builds each: all succeed except hour 10, where all fail.
	if _, err := c.Exec(ctx, `INSERT INTO platformlens.builds (finished_at, started_at, pipeline, repo, service, team,
		tech_stack, status, queue_seconds, duration_seconds, source, external_id)
		SELECT $1::timestamptz + h * interval '1 hour' + b * interval '10 minutes', $1::timestamptz + h * interval '1 hour',
		       'ci', 'r', 's', 'payments', 'go', CASE WHEN h = 10 THEN 'failure' ELSE 'success' END, 1, 60, 't', h || '-' || b
		FROM generate_series(0, 11) h, generate_series(0, 3) b`, base); err != nil {
		t.Fatal(err)
	}
	tr := backend.TimeRange{From: base, To: base.Add(12 * time.Hour)}
	resp := runQueries(t, d,
		backend.DataQuery{RefID: "an", QueryType: "annotations", TimeRange: tr, Interval: time.Hour, MaxDataPoints: 100,
			JSON: []byte(`{"queryType":"annotations","kind":"anomalies","baseMetric":"build_success_rate","interval":"hour","sensitivity":3}`)},
		backend.DataQuery{RefID: "nobase", QueryType: "annotations", TimeRange: tr,
			JSON: []byte(`{"kind":"anomalies","interval":"hour"}`)},
	)
	r := resp.Responses["an"]
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("anomaly annotations: %v %v", r.Error, r.Frames)
	}
	f := r.Frames[0]
	if f.Rows() != 1 {
		t.Fatalf("want exactly the collapsed hour as an anomaly, got %d rows", f.Rows())
	}
	at, _ := f.FieldByName("time")
	if got := at.At(0).(time.Time); !got.Equal(base.Add(10 * time.Hour)) {
		t.Fatalf("anomaly at %s, want %s", got, base.Add(10*time.Hour))
	}
	tags, _ := f.FieldByName("tags")
	if s := tags.At(0).(string); !strings.Contains(s, "anomaly,high,build_success_rate") {
		t.Fatalf("tags %q", s)
	}
	if resp.Responses["nobase"].Error == nil {
		t.Fatalf("anomaly annotations without baseMetric must fail with a reason")
	}
}
