package datasource

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestAnnotationsForDeploymentsAndIncidents(t *testing.T) {
	d, db := newDBDatasource(t)
	migrate(t, d)
	base := testNow.Add(-6 * time.Hour).Truncate(time.Hour)
	// Two deployments around base and six incidents at the edges of the range [base-1h, base+3h].
	db.LoadFixture(t, "annotation_events", base)
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
	// Every incident whose span overlaps the range [base-1h, base+3h] is annotated, resolved or
	// not, edges included: the open one (opened 3 days before), one resolved inside the range,
	// one resolved exactly at its start and one opened exactly at its end; not the one resolved
	// days before nor the one opened a second after the end. Only the open one says so.
	if rows("inc") != 4 {
		t.Fatalf("incident annotations: %d, want 4 (open, resolved inside, resolved at the start, opened at the end)", rows("inc"))
	}
	inc := resp.Responses["inc"].Frames[0]
	text, _ := inc.FieldByName("text")
	title, _ = inc.FieldByName("title")
	var open []string
	for i := 0; i < inc.Rows(); i++ {
		if strings.Contains(text.At(i).(string), "still open") {
			open = append(open, title.At(i).(string))
		}
	}
	if len(open) != 1 || !strings.Contains(open[0], "Checkout down") {
		t.Fatalf("incidents annotated as still open: %q; want only Checkout down", open)
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
	base := testNow.Add(-20 * time.Hour).Truncate(time.Hour)
	// 12 hours of 4 builds each: all succeed except hour 10, where all fail.
	db.LoadFixture(t, "anomaly_builds", base)
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
