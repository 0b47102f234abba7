package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/internal/timespan"
	"github.com/platformlens/platformlens-analytics-app/pkg/datasource"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Harness holds the two ways into one database: the datasource as Grafana runs it, and a store
// whose pool runs the recorded statements directly and whose metric engine records them.
type Harness struct {
	DS    *datasource.Datasource
	Store *store.Store
	Mode  store.Mode
	rec   *Recorder
	eng   *metrics.Engine
}

// Open builds the harness for a DSN (schema empty for the default). The datasource gets the
// same settings provisioning would give it, pointing at the DSN's host, port, database and user.
func Open(ctx context.Context, dsn, schema string) (*Harness, error) {
	cc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PLATFORMLENS_BENCH_DSN is not a valid connection string: %w", err)
	}
	if schema == "" {
		schema = store.DefaultSchema
	}
	st, err := store.Open(ctx, store.ConfigFromDSN(dsn, schema))
	if err != nil {
		return nil, err
	}
	info, err := st.Mode(ctx)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("detect store mode (is the database reachable and migrated?): %s", store.Explain(err))
	}
	jsonData, err := json.Marshal(map[string]any{"host": cc.Host, "port": cc.Port, "database": cc.Database,
		"user": cc.User, "schema": schema, "sslMode": "disable", "statementTimeoutSeconds": 120})
	if err != nil {
		st.Close()
		return nil, err
	}
	settings := backend.DataSourceInstanceSettings{UID: "platformlens", Name: "PlatformLens", JSONData: jsonData,
		DecryptedSecureJSONData: map[string]string{"password": cc.Password}}
	rec := &Recorder{DB: st.Pool()}
	return &Harness{DS: datasource.New(settings, datasource.OpenEngine), Store: st, Mode: info.Mode,
		rec: rec, eng: metrics.NewEngineWith(rec, info.Mode)}, nil
}

// Close releases both pools.
func (h *Harness) Close() {
	h.DS.Dispose()
	h.Store.Close()
}

// DataEnd is where the loaded data ends: the newest probe (probes arrive every minute), rounded
// up to the minute. Dashboards are measured with "now" there, as if viewed when the data was loaded.
func (h *Harness) DataEnd(ctx context.Context) (time.Time, error) {
	var end *time.Time
	if err := h.Store.Pool().QueryRow(ctx, "SELECT max(probed_at) FROM platform_probes").Scan(&end); err != nil {
		return time.Time{}, fmt.Errorf("find the end of the data: %s", store.Explain(err))
	}
	if end == nil {
		return time.Time{}, fmt.Errorf("platform_probes is empty: load demo data first (platformlens demo --tier M)")
	}
	return end.UTC().Truncate(time.Minute).Add(time.Minute), nil
}

// Request builds the QueryData request Grafana sends for p with the dashboard range
// [end-rangeExpr, end], the panel's timeFrom taking its place when set.
func Request(p Panel, rangeExpr string, end time.Time) (*backend.QueryDataRequest, error) {
	expr := rangeExpr
	if p.TimeFrom != "" {
		expr = p.TimeFrom
	}
	from, err := timespan.Before(expr, end)
	if err != nil {
		return nil, err
	}
	req := &backend.QueryDataRequest{}
	for _, t := range p.Targets {
		raw, err := json.Marshal(t)
		if err != nil {
			return nil, err
		}
		refID, _ := t["refId"].(string)
		qt, _ := t["queryType"].(string)
		req.Queries = append(req.Queries, backend.DataQuery{RefID: refID, QueryType: qt, JSON: raw,
			// Grafana's $__interval for a panel about 1,000 pixels wide.
			Interval: max(end.Sub(from)/1000, time.Second), MaxDataPoints: 1000,
			TimeRange: backend.TimeRange{From: from, To: end}})
	}
	return req, nil
}

// Plugin runs req through QueryData and returns the frames by refId and the elapsed time.
func (h *Harness) Plugin(ctx context.Context, req *backend.QueryDataRequest) (map[string]data.Frames, time.Duration, error) {
	start := time.Now()
	resp, err := h.DS.QueryData(ctx, req)
	took := time.Since(start)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]data.Frames{}
	for ref, r := range resp.Responses {
		if r.Error != nil {
			return nil, 0, fmt.Errorf("query %s: %w", ref, r.Error)
		}
		out[ref] = r.Frames
	}
	return out, took, nil
}

// Capture runs the metric targets of req through a recording metric engine and returns the
// statements it executed. Annotation targets are not metric-engine queries: ok is false then.
func (h *Harness) Capture(ctx context.Context, req *backend.QueryDataRequest) (stmts []Statement, ok bool, err error) {
	h.rec.Take()
	for _, dq := range req.Queries {
		if dq.QueryType != "" && dq.QueryType != datasource.QueryTypeMetric {
			return nil, false, nil
		}
		q, err := metrics.ParseQuery(dq.JSON, dq.TimeRange, dq.Interval, dq.MaxDataPoints)
		if err != nil {
			return nil, false, err
		}
		if _, err := h.eng.Run(ctx, q); err != nil {
			return nil, false, err
		}
	}
	return h.rec.Take(), true, nil
}

// Direct re-runs recorded statements straight on the store's pool; see RunDirect.
func (h *Harness) Direct(ctx context.Context, stmts []Statement) (time.Duration, int, error) {
	return RunDirect(ctx, h.Store.Pool(), stmts)
}

// Median returns the median of ds (the mean of the middle two for an even count).
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
