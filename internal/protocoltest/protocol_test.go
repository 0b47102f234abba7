package protocoltest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

const pluginID = "platformlens-analytics-datasource"

// executable finds the built backend binary; see the package doc for why a missing one fails
// under CI=true instead of skipping.
func executable(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(root, "dist", "datasource", fmt.Sprintf("gpx_platformlens_%s_%s", runtime.GOOS, runtime.GOARCH))
	if _, err := os.Stat(exe); err != nil {
		msg := fmt.Sprintf("backend executable %s is missing (%v): build it with `go run github.com/magefile/mage -v build:linux`", exe, err)
		if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return exe
}

// conn starts the plugin process the way Grafana's plugin manager does and returns the gRPC
// connection go-plugin negotiated with it.
func startPlugin(t *testing.T, exe string) *plugin.GRPCClient {
	t.Helper()
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]plugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
			},
		},
		Cmd:              exec.Command(exe),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		StartTimeout:     30 * time.Second,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: testWriter{t}, Level: hclog.Info}),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("go-plugin handshake with %s failed: %v", exe, err)
	}
	grpcClient, ok := rpc.(*plugin.GRPCClient)
	if !ok {
		t.Fatalf("plugin negotiated %T, want a gRPC client", rpc)
	}
	// Dispense checks that the plugin serves each service Grafana needs from a datasource.
	for _, name := range []string{"diagnostics", "resource", "data"} {
		if _, err := rpc.Dispense(name); err != nil {
			t.Fatalf("plugin does not serve %q: %v", name, err)
		}
	}
	return grpcClient
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

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

// callResource sends one resource request and collects the streamed answer.
func callResource(t *testing.T, rc pluginv2.ResourceClient, pc *pluginv2.PluginContext, method, path string, body any) (int, []byte) {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stream, err := rc.CallResource(ctx, &pluginv2.CallResourceRequest{PluginContext: pc, Method: method, Path: path, Url: path, Body: raw})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	code := 0
	var out []byte
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s %s: receive: %v", method, path, err)
		}
		if resp.Code != 0 {
			code = int(resp.Code)
		}
		out = append(out, resp.Body...)
	}
	return code, out
}

func TestExecutableSpeaksGrafanaPluginProtocol(t *testing.T) {
	exe := executable(t)
	db := testdb.New(t)
	conn := startPlugin(t, exe).Conn
	diagnostics := pluginv2.NewDiagnosticsClient(conn)
	resources := pluginv2.NewResourceClient(conn)
	dataClient := pluginv2.NewDataClient(conn)
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
	if code, body := callResource(t, resources, pluginContext(db, "Viewer"), "POST", "migrate", nil); code != 403 || !strings.Contains(string(body), `"error"`) {
		t.Fatalf("POST /migrate as Viewer = %d %s, want 403 with a JSON reason", code, body)
	}
	if code, body := callResource(t, resources, admin, "POST", "migrate", nil); code != 200 {
		t.Fatalf("POST /migrate as Admin = %d %s", code, body)
	}

	// 3. Ingest four builds of one hour (3 successes) as an Editor.
	hour := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC) // a fixed weekday hour: no test reads the clock
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
	if code, body := callResource(t, resources, pluginContext(db, "Editor"), "POST", "ingest/builds", map[string]any{"events": events}); code != 200 || !strings.Contains(string(body), `"stored":4`) {
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
	code, body := callResource(t, resources, admin, "GET", "catalog", nil)
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
	tr := &pluginv2.TimeRange{FromEpochMS: hour.Add(-24 * time.Hour).UnixMilli(), ToEpochMS: hour.Add(3 * time.Hour).UnixMilli()}
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

func describe(frames data.Frames) string {
	var sb strings.Builder
	for _, f := range frames {
		s, err := f.StringTable(10, 10)
		if err != nil {
			s = err.Error()
		}
		sb.WriteString(s)
	}
	return sb.String()
}
