package datasource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// Query types of the query JSON (metrics.Parse owns them; kept here for callers such as bench/).
const (
	QueryTypeMetric      = metrics.TypeMetric
	QueryTypeSQL         = metrics.TypeSQL
	QueryTypeAnnotations = metrics.TypeAnnotations
	QueryTypeVariable    = metrics.TypeVariable
	QueryTypeTarget      = metrics.TypeTarget
)

// newQueryMux routes parsed queries by type to their handler, one file each (query_metric.go,
// query_sql.go, query_annotations.go, query_variable.go, query_target.go).
func (d *Datasource) newQueryMux() *datasource.QueryTypeMux {
	mux := datasource.NewQueryTypeMux()
	mux.HandleFunc(QueryTypeMetric, d.answer(metricHandler))
	mux.HandleFunc(QueryTypeSQL, d.answer(sqlHandler))
	mux.HandleFunc(QueryTypeAnnotations, d.answer(annotationHandler))
	mux.HandleFunc(QueryTypeVariable, d.answer(variableHandler))
	mux.HandleFunc(QueryTypeTarget, d.answer(targetHandler))
	return mux
}

// QueryData runs every query of the request in its own goroutine. One query's failure (bad JSON,
// unknown metric, database error, even a panic) becomes that query's error response; the others
// still answer.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	eng, err := d.getEngine(ctx)
	if err != nil {
		msg := "cannot connect to the PlatformLens database: " + Explain(err)
		for _, q := range req.Queries {
			resp.Responses[q.RefID] = errorResponse(backend.DownstreamError(errors.New(msg)))
		}
		return resp, nil
	}

	// Bound the parallelism by the pool size: more goroutines would only queue for connections.
	sem := make(chan struct{}, max(1, d.settings.MaxConns))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, q := range req.Queries {
		wg.Add(1)
		go func(q backend.DataQuery) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := d.runQuery(ctx, eng, q)
			mu.Lock()
			resp.Responses[q.RefID] = r
			mu.Unlock()
		}(q)
	}
	wg.Wait()
	return resp, nil
}

// runQuery parses one query (metrics.Parse: its JSON is decoded here and never again), routes
// the parsed request through the query type mux and turns errors and panics into its response.
func (d *Datasource) runQuery(ctx context.Context, eng Engine, q backend.DataQuery) (res backend.DataResponse) {
	defer func() {
		if p := recover(); p != nil {
			log.DefaultLogger.Error("panic while running query", "refId", q.RefID, "panic", p, "stack", string(debug.Stack()))
			res = errorResponse(backend.PluginError(fmt.Errorf("query %s failed because of a bug in the PlatformLens plugin (%v); please report it", q.RefID, p)))
		}
	}()
	if err := ctx.Err(); err != nil {
		return errorResponse(backend.DownstreamError(fmt.Errorf("query %s was cancelled: %w", q.RefID, err)))
	}
	parsed, err := metrics.Parse(q)
	if err != nil {
		return errorResponse(err)
	}
	// The statement timeout of the pool stops the query in the database; this deadline, a little
	// longer, also bounds the time spent waiting for a free connection.
	ctx, cancel := context.WithTimeout(ctx, d.settings.StatementTimeout+5*time.Second)
	defer cancel()
	q.QueryType = parsed.Type
	resp, err := d.queries.QueryData(context.WithValue(ctx, parsedKey{}, parsedQuery{eng: eng, req: parsed}),
		&backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
	if err != nil {
		return errorResponse(err)
	}
	return resp.Responses[q.RefID]
}

// parsedKey carries a parsedQuery from runQuery to the handler the mux picks: the mux's handler
// signature only passes the raw DataQuery, and the JSON must not be decoded a second time.
type parsedKey struct{}

type parsedQuery struct {
	eng Engine
	req metrics.Request
}

// queryHandler answers one parsed query; the handler files implement it per query type.
type queryHandler func(ctx context.Context, eng Engine, r metrics.Request) (data.Frames, error)

// answer adapts a queryHandler to the mux: it takes the parsed request runQuery put in ctx, runs
// the handler (again on a fresh connection when the pooled one died) and shapes the response.
func (d *Datasource) answer(h queryHandler) func(context.Context, *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return func(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
		resp := backend.NewQueryDataResponse()
		p, ok := ctx.Value(parsedKey{}).(parsedQuery)
		if !ok {
			return nil, backend.PluginErrorf("query handler called without a parsed query")
		}
		refID := p.req.RefID
		frames, err := runRetryingLostConnections(ctx, func() (data.Frames, error) { return h(ctx, p.eng, p.req) }, d.settings.MaxConns+1)
		if err != nil {
			resp.Responses[refID] = errorResponse(queryError(refID, err))
			return resp, nil
		}
		for _, f := range frames {
			if f.RefID == "" {
				f.RefID = refID
			}
		}
		resp.Responses[refID] = backend.DataResponse{Frames: frames}
		return resp, nil
	}
}

// runRetryingLostConnections runs a read-only query again when it failed because its pooled
// connection had died (database restarted, failover, connection killed): the pool drops the dead
// connection and the next attempt gets a fresh one. Every query type is read-only, so a retry
// cannot apply anything twice. attempts bounds the loop by the number of pooled connections
// that may all be dead at once.
func runRetryingLostConnections(ctx context.Context, run func() (data.Frames, error), attempts int) (data.Frames, error) {
	for i := 1; ; i++ {
		frames, err := run()
		if err == nil || i >= attempts || ctx.Err() != nil || !connectionLost(err) {
			return frames, err
		}
		log.DefaultLogger.Info("query lost its database connection; retrying on a fresh one", "attempt", i, "error", err)
	}
}

// connectionLost reports whether err means the connection died under the query rather than the
// query being wrong: the server's shutdown codes (57P01 admin_shutdown, 57P02 crash_shutdown,
// 57P03 cannot_connect_now), connection exceptions (class 08), or a failure pgx knows happened
// before anything was sent.
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03" || strings.HasPrefix(pgErr.Code, "08")
	}
	return pgconn.SafeToRetry(err) || errors.Is(err, io.ErrUnexpectedEOF)
}

// queryError keeps the error source and makes timeouts and cancellations readable. Timeouts and
// cancellations are downstream: the database was slow or Grafana gave up, not a plugin bug.
func queryError(refID string, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return backend.DownstreamError(fmt.Errorf("query %s timed out: %w (raise statementTimeoutSeconds in the datasource settings or narrow the time range)", refID, err))
	case errors.Is(err, context.Canceled):
		return backend.DownstreamError(fmt.Errorf("query %s was cancelled: %w", refID, err))
	}
	return err
}

// errorResponse builds an error DataResponse with the status of statusOf (http_json.go). A
// database that is unavailable or timed out is downstream whatever the error says; other errors
// without a source are plugin faults.
func errorResponse(err error) backend.DataResponse {
	status, _ := statusOf(err)
	if status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout || status == 499 {
		err = downstream(err)
	}
	r := backend.ErrorResponseWithErrorSource(err)
	if r.ErrorSource == "" {
		r.ErrorSource = backend.ErrorSourcePlugin
	}
	if r.ErrorSource == backend.ErrorSourcePlugin {
		status = http.StatusInternalServerError
	}
	r.Status = backend.Status(status)
	return r
}
