package grafanahost

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// pluginContext is a hand-made context for a fresh, unmigrated database (the provisioned one is
// built from provisioning/datasources by provisionedSettings).
func pluginContext(db *testdb.Database, role string) *pluginv2.PluginContext {
	port, _ := strconv.Atoi(db.Port)
	jsonData, _ := json.Marshal(map[string]any{
		"host": db.Host, "port": port, "database": db.Name, "user": db.User,
		"schema": "platformlens", "sslMode": "disable", "maxConns": 4, "statementTimeoutSeconds": 20,
	})
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: pluginID,
		User:     &pluginv2.User{Login: strings.ToLower(role), Role: role},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "platformlens", Name: "PlatformLens", JsonData: jsonData,
			DecryptedSecureJsonData: map[string]string{"password": ""},
			LastUpdatedMS:           1,
		},
	}
}

func TestExecutableSpeaksGrafanaPluginProtocol(t *testing.T) {
	db := testdb.New(t)
	h := startHost(t)
	diagnostics, dataClient := h.diag, h.data
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	admin := pluginContext(db, "Admin")

	// 1. A fresh database: healthy connection, but not migrated, and the message says what to do.
	health, err := diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: admin})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	if health.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(health.Message, "not migrated") || !strings.Contains(health.Message, "Migrate") {
		t.Fatalf("health of an empty database = %v %q, want ERROR saying it is not migrated and how to migrate", health.Status, health.Message)
	}

	// 2. A Viewer may not migrate; an Admin may.
	if code, body := h.callResource(t, pluginContext(db, "Viewer"), "POST", "migrate", nil); code != 403 || !strings.Contains(string(body), `"error"`) {
		t.Fatalf("POST /migrate as Viewer = %d %s, want 403 with a JSON reason", code, body)
	}
	if code, body := h.callResource(t, admin, "POST", "migrate", nil); code != 200 {
		t.Fatalf("POST /migrate as Admin = %d %s", code, body)
	}

	// 3. Ingest four builds of one hour (3 successes) as an Editor.
	hour := demoEnd.Add(-3 * time.Hour).Truncate(time.Hour)
	var events []map[string]any
	for i, status := range []string{"success", "success", "failure", "success"} {
		finished := hour.Add(time.Duration(i+1) * time.Minute)
		events = append(events, map[string]any{
			"source": "protocoltest", "external_id": fmt.Sprintf("b%d", i),
			"finished_at": finished.Format(time.RFC3339), "started_at": finished.Add(-30 * time.Second).Format(time.RFC3339),
			"pipeline": "main", "repo": "shop", "service": "checkout", "team": "payments", "tech_stack": "go",
			"status": status, "queue_seconds": 2, "duration_seconds": 30,
		})
	}
	if code, body := h.callResource(t, pluginContext(db, "Editor"), "POST", "ingest/builds", map[string]any{"events": events}); code != 200 || !strings.Contains(string(body), `"stored":4`) {
		t.Fatalf("POST /ingest/builds as Editor = %d %s, want 200 with stored 4", code, body)
	}

	// 4. Now healthy, with versions in the message.
	health, err = diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: admin})
	if err != nil {
		t.Fatalf("CheckHealth: %v", err)
	}
	if health.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(health.Message, "PostgreSQL") {
		t.Fatalf("health after migrate = %v %q, want OK naming the PostgreSQL version", health.Status, health.Message)
	}

	// 5. The catalog lists the metric the query below uses.
	code, body := h.callResource(t, admin, "GET", "catalog", nil)
	var catalog struct {
		Metrics []struct {
			ID string `json:"id"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(body, &catalog); code != 200 || err != nil {
		t.Fatalf("GET /catalog = %d %s (%v)", code, body, err)
	}
	found := false
	for _, m := range catalog.Metrics {
		found = found || m.ID == "build_success_rate"
	}
	if !found {
		t.Fatalf("GET /catalog has no build_success_rate among %d metrics", len(catalog.Metrics))
	}

	// 6. QueryData: one good query and one unknown metric; the second fails alone.
	tr := &pluginv2.TimeRange{FromEpochMS: hour.Add(-24 * time.Hour).UnixMilli(), ToEpochMS: demoEnd.UnixMilli()}
	resp, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: admin, Queries: []*pluginv2.DataQuery{
		{RefId: "A", QueryType: "metric", TimeRange: tr, MaxDataPoints: 500, IntervalMS: 60000,
			Json: []byte(`{"refId":"A","queryType":"metric","metric":"build_success_rate","format":"table"}`)},
		{RefId: "B", QueryType: "metric", TimeRange: tr, MaxDataPoints: 500, IntervalMS: 60000,
			Json: []byte(`{"refId":"B","queryType":"metric","metric":"no_such_metric"}`)},
	}})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	a := resp.Responses["A"]
	if a == nil || a.Error != "" {
		t.Fatalf("query A failed: %+v", a)
	}
	frames, err := data.UnmarshalArrowFrames(a.Frames)
	if err != nil {
		t.Fatalf("query A frames are not Arrow: %v", err)
	}
	if !containsNumber(frames, 75) {
		t.Fatalf("query A (3 of 4 builds succeeded) has no value 75 in its frames: %s", describe(frames))
	}
	b := resp.Responses["B"]
	if b == nil || !strings.Contains(b.Error, "no_such_metric") || b.ErrorSource != "downstream" {
		t.Fatalf("query B (unknown metric) = %+v, want an error naming the metric with source downstream", b)
	}
}

// containsNumber reports whether any numeric field of the frames holds want (±0.01).
func containsNumber(frames data.Frames, want float64) bool {
	for _, f := range frames {
		for _, field := range f.Fields {
			for i := 0; i < field.Len(); i++ {
				if v, ok := field.ConcreteAt(i); ok {
					if x, ok := toFloat(v); ok && math.Abs(x-want) < 0.01 {
						return true
					}
				}
			}
		}
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case int:
		return float64(x), true
	}
	return 0, false
}
