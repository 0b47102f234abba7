package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/pkg/api"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// The fixture: demo tier S ending at demoEnd; the clock stands 40 minutes into an hour after it,
// so rate-limit windows end 20 minutes later.
var (
	demoEnd = testworld.MonthStartEnd
	now     = demoEnd.Add(40 * time.Minute)
	from    = demoEnd.AddDate(0, 0, -30)
)

type fixture struct {
	st   *store.Store
	eng  *metrics.Engine
	srv  *httptest.Server
	keys api.Keys
	key  string // a valid key
	logs *bytes.Buffer
}

func newFixture(t *testing.T, loadDemo bool) *fixture {
	t.Helper()
	if testing.Short() {
		t.Skip("loads demo tier S into PostgreSQL; skipped with -short")
	}
	ctx := context.Background()
	var db *testdb.Database
	if loadDemo {
		db = testworld.Demo(t, demoEnd)
	} else {
		db = testdb.New(t)
	}
	st, err := store.Open(ctx, store.Config{DSN: db.DSN})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	f := &fixture{st: st, eng: metrics.NewEngine(st), keys: api.Keys{DB: st.Pool()}, logs: &bytes.Buffer{}}
	s, err := api.New(st, slog.New(slog.NewTextHandler(f.logs, nil)), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Register(mux)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	_, f.key, err = f.keys.Create(ctx, "test", 0, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) get(t *testing.T, path, key, accept string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return do(t, req)
}

func (f *fixture) gql(t *testing.T, key, query string) (*http.Response, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest("POST", f.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// engine runs the query the CLI runs for `platformlens query --metric id --format table`.
func (f *fixture) engine(t *testing.T, raw string) records.Table {
	t.Helper()
	q, err := metrics.ParseQuery([]byte(raw), backend.TimeRange{From: from, To: demoEnd}, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := f.eng.Run(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return records.FromFrames(fr)
}

func jsonOf(t *testing.T, tab records.Table) string {
	var b bytes.Buffer
	if err := records.WriteJSON(&b, tab); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var rangeQS = "from=" + url.QueryEscape(from.Format(time.RFC3339)) + "&to=" + url.QueryEscape(demoEnd.Format(time.RFC3339))

func TestAPIAnswersTheEnginesNumbers(t *testing.T) {
	f := newFixture(t, true)
	t.Run("REST JSON records equal the engine's", func(t *testing.T) {
		for _, c := range []struct{ path, raw string }{
			{"/api/v1/metrics/uptime?" + rangeQS, `{"metric":"uptime","format":"table"}`},
			{"/api/v1/metrics/deployments?" + rangeQS + "&groupBy=tech_stack&compare=previous", `{"metric":"deployments","format":"table","groupBy":"tech_stack","compare":"previous"}`},
			{"/api/v1/metrics/lead_time?" + rangeQS + "&format=time_series&interval=week&filter=team=payments-core,checkout", `{"metric":"lead_time","format":"time_series","interval":"week","filters":{"team":["payments-core","checkout"]}}`},
			{"/api/v1/dora?team=payments-core&" + rangeQS, `{"metric":"dora_summary","format":"table","filters":{"team":["payments-core"]}}`},
		} {
			resp, body := f.get(t, c.path, f.key, "")
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", c.path, resp.StatusCode, body)
			}
			want := f.engine(t, c.raw)
			if len(want.Rows) == 0 {
				t.Fatalf("%s: the engine answered no rows; the fixture should have data", c.raw)
			}
			if body != jsonOf(t, want) {
				t.Errorf("%s:\n got %s\nwant %s", c.path, body, jsonOf(t, want))
			}
		}
	})
	t.Run("REST CSV by Accept", func(t *testing.T) {
		resp, body := f.get(t, "/api/v1/metrics/cost_per_deploy?"+rangeQS, f.key, "text/csv")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) != 2 || rows[0][0] != "value" {
			t.Fatalf("CSV %q: %v", body, err)
		}
		want := f.engine(t, `{"metric":"cost_per_deploy","format":"table"}`)
		if rows[1][0] != records.Text(want.Rows[0][0]) {
			t.Errorf("CSV value %s, engine %v", rows[1][0], want.Rows[0][0])
		}
	})
	t.Run("GraphQL value, table, series and dora equal the engine's", func(t *testing.T) {
		q := fmt.Sprintf(`{ metric(id: uptime, from: %q, to: %q) { value definition { id unit } }
			deps: metric(id: deployments, from: %q, to: %q, groupBy: tech_stack) { table { columns rows } }
			weekly: metric(id: deployments, from: %q, to: %q, interval: week) { series { name points { time value } } }
			dora(team: "payments-core", from: %q, to: %q) { metric value band } }`,
			from.Format(time.RFC3339), demoEnd.Format(time.RFC3339), from.Format(time.RFC3339), demoEnd.Format(time.RFC3339),
			from.Format(time.RFC3339), demoEnd.Format(time.RFC3339), from.Format(time.RFC3339), demoEnd.Format(time.RFC3339))
		resp, body := f.gql(t, f.key, q)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var out struct {
			Data struct {
				Metric struct {
					Value      float64
					Definition struct{ ID, Unit string }
				}
				Deps struct {
					Table struct {
						Columns []string
						Rows    [][]*string
					}
				}
				Weekly struct {
					Series []struct {
						Name   string
						Points []struct {
							Time  string
							Value *float64
						}
					}
				}
				Dora []struct {
					Metric string
					Value  *float64
					Band   *string
				}
			}
			Errors []any
		}
		if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Errors) > 0 {
			t.Fatalf("%v %s", err, body)
		}
		up := f.engine(t, `{"metric":"uptime","format":"table"}`)
		if out.Data.Metric.Value != up.Rows[0][0].(float64) || out.Data.Metric.Definition.ID != "uptime" {
			t.Errorf("uptime %v, engine %v", out.Data.Metric.Value, up.Rows[0][0])
		}
		deps := f.engine(t, `{"metric":"deployments","format":"table","groupBy":"tech_stack"}`)
		if len(out.Data.Deps.Table.Rows) != len(deps.Rows) || len(deps.Rows) == 0 {
			t.Fatalf("deployments rows %d, engine %d", len(out.Data.Deps.Table.Rows), len(deps.Rows))
		}
		for i, row := range deps.Rows {
			if got := out.Data.Deps.Table.Rows[i]; *got[0] != row[0] || *got[1] != records.Text(row[1]) {
				t.Errorf("deployments row %d = %v, engine %v", i, got, row)
			}
		}
		weekly := f.engine(t, `{"metric":"deployments","format":"time_series","interval":"week"}`)
		if len(out.Data.Weekly.Series) != 1 || len(out.Data.Weekly.Series[0].Points) != len(weekly.Rows) {
			t.Fatalf("weekly series %+v, engine %d rows", out.Data.Weekly.Series, len(weekly.Rows))
		}
		for i, p := range out.Data.Weekly.Series[0].Points {
			if p.Time != weekly.Rows[i][0] || (p.Value == nil) != (weekly.Rows[i][1] == nil) || (p.Value != nil && *p.Value != weekly.Rows[i][1]) {
				t.Errorf("point %d = %v %v, engine %v", i, p.Time, p.Value, weekly.Rows[i])
			}
		}
		dora := f.engine(t, `{"metric":"dora_summary","format":"table","filters":{"team":["payments-core"]}}`)
		if len(out.Data.Dora) != len(dora.Rows) || len(dora.Rows) != 5 { // four keys and rework_rate
			t.Fatalf("dora %+v, engine %v", out.Data.Dora, dora.Rows)
		}
		for i, d := range out.Data.Dora {
			if d.Metric != dora.Rows[i][0] || (d.Value != nil && *d.Value != dora.Rows[i][1]) {
				t.Errorf("dora %d = %+v, engine %v", i, d, dora.Rows[i])
			}
		}
	})
	t.Run("every request is logged with its key id", func(t *testing.T) {
		if !strings.Contains(f.logs.String(), "key=k_") || !strings.Contains(f.logs.String(), "path=/graphql") {
			t.Errorf("log lacks key ids:\n%s", f.logs.String())
		}
		if strings.Contains(f.logs.String(), f.key) {
			t.Error("the log contains the secret key")
		}
	})
}
