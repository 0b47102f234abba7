package datasource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/sqlmode"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// pgEngine is the real Engine: one store (pgx pool) shared by the metric engine, SQL mode, the
// ingest writer and the annotation queries of this datasource instance.
type pgEngine struct {
	settings Settings
	st       *store.Store
	metrics  *metrics.Engine
	writer   *ingest.Writer

	schemaMu      sync.Mutex
	schemaChecked time.Time // last successful schema check; re-checked after schemaRecheck
}

// schemaRecheck bounds how long a good schema check is trusted: long enough to cost nothing per
// query, short enough that a migration by a newer plugin is noticed soon.
const schemaRecheck = time.Minute

var _ Engine = (*pgEngine)(nil)

// OpenEngine opens the store for the settings (the pool connects lazily, so this succeeds while
// the database is down) and wires the metric engine, SQL mode and the ingest writer on it.
func OpenEngine(ctx context.Context, s Settings) (Engine, error) {
	st, err := store.Open(ctx, storeConfig(s))
	if err != nil {
		return nil, backend.DownstreamError(err)
	}
	return &pgEngine{
		settings: s,
		st:       st,
		metrics:  metrics.NewEngine(st),
		writer:   ingest.NewWriter(st.Pool(), st, ingest.Options{Source: ingest.DefaultSource, RequireSource: true}),
	}, nil
}

// storeConfig maps datasource settings onto the store's connection configuration.
func storeConfig(s Settings) store.Config {
	return store.Config{
		Host: s.Host, Port: s.Port, Database: s.Database, User: s.User, Password: s.Password,
		SSLMode: s.SSLMode, CACertPEM: s.TLSCACert, Schema: s.Schema,
		MaxConns: int32(s.MaxConns), StatementTimeout: s.StatementTimeout,
	}
}

// Close flushes pending rollup refreshes (bounded, so disposal never hangs) and closes the pool.
func (e *pgEngine) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.writer.Flush(ctx); err != nil {
		log.DefaultLogger.Warn("flushing rollup refreshes on dispose", "error", err)
	}
	e.st.Close()
}

// Health reports versions, store mode and schema version.
func (e *pgEngine) Health(ctx context.Context) (Health, error) {
	info, err := e.st.DetectMode(ctx)
	if err != nil {
		return Health{}, err
	}
	v, err := e.st.SchemaVersion(ctx)
	if err != nil {
		return Health{}, err
	}
	p, err := e.st.Privileges(ctx)
	if err != nil {
		return Health{}, err
	}
	h := Health{PostgresVersion: info.PostgresVersion, TimescaleVersion: info.TimescaleVersion, Mode: string(info.Mode),
		SchemaVersion: v, LatestSchemaVersion: store.LatestVersion,
		User: p.User, AllowPrivileged: e.settings.AllowSQLModeWithPrivilegedRole, ReaderRole: p.ReaderRole, ReaderReady: p.ReaderReady, Schema: e.st.Schema()}
	if p.Privileged() {
		h.Privileged = p.Describe()
	}
	jobs, err := e.st.FailingJobs(ctx)
	if err != nil {
		return Health{}, err
	}
	for _, j := range jobs {
		h.FailingJobs = append(h.FailingJobs, j.String())
	}
	return h, nil
}

// checkSchema refuses to query a schema this plugin does not know (newer) or that is not
// migrated, with a message that says what to do. A good answer is cached for schemaRecheck.
func (e *pgEngine) checkSchema(ctx context.Context) error {
	e.schemaMu.Lock()
	fresh := time.Since(e.schemaChecked) < schemaRecheck
	e.schemaMu.Unlock()
	if fresh {
		return nil
	}
	if err := e.st.CheckSchema(ctx); err != nil {
		return dbError(err)
	}
	e.schemaMu.Lock()
	e.schemaChecked = time.Now()
	e.schemaMu.Unlock()
	return nil
}

// Metric runs a parsed metric query once the schema is known to be current.
func (e *pgEngine) Metric(ctx context.Context, q metrics.Query) (data.Frames, error) {
	if err := e.checkSchema(ctx); err != nil {
		return nil, err
	}
	return e.metrics.Run(ctx, e.settings.withDefaults(q))
}

// Target reads one target (queryType "target").
func (e *pgEngine) Target(ctx context.Context, q metrics.TargetQuery) (data.Frames, error) {
	if err := e.checkSchema(ctx); err != nil {
		return nil, err
	}
	return e.metrics.TargetFrames(ctx, q)
}

// SQL runs a SQL mode query read-only with the settings' row limit and statement timeout.
func (e *pgEngine) SQL(ctx context.Context, q metrics.SQLQuery) (data.Frames, error) {
	format := sqlmode.FormatTable
	if q.Format == metrics.FormatTimeSeries {
		format = sqlmode.FormatTimeSeries
	}
	return sqlmode.Run(ctx, e.st.Pool(), e.st.Schema(), sqlmode.Query{
		SQL: q.RawSQL, Format: format, From: q.From, To: q.To,
		Interval: q.Interval, MaxDataPoints: q.MaxDataPoints,
		RowLimit: e.settings.RowLimit, ByteLimit: e.settings.ResultLimitBytes, Timeout: e.settings.StatementTimeout,
		AllowPrivilegedRole: e.settings.AllowSQLModeWithPrivilegedRole,
	})
}

// Annotations answers deployment, incident or anomaly annotations (pkg/metrics/annotations.go).
func (e *pgEngine) Annotations(ctx context.Context, q metrics.AnnotationQuery) (data.Frames, error) {
	if q.Kind == metrics.AnnotationAnomalies {
		if err := e.checkSchema(ctx); err != nil {
			return nil, err
		}
	}
	return e.metrics.Annotations(ctx, q, e.settings.RowLimit)
}

// Migrate applies the pending migrations and forgets the cached schema check.
func (e *pgEngine) Migrate(ctx context.Context) (store.MigrateResult, error) {
	res, err := e.st.Migrate(ctx)
	if err != nil {
		return res, dbError(err)
	}
	e.schemaMu.Lock()
	e.schemaChecked = time.Time{}
	e.schemaMu.Unlock()
	return res, nil
}

// Ingest writes one batch. The ingest package's sentinel errors become HTTP answers: a batch
// with invalid rows is a result with Rejected (400 with the rows), an unknown table 404, a batch
// over the row limit 413.
func (e *pgEngine) Ingest(ctx context.Context, table string, events []json.RawMessage) (IngestResult, error) {
	res, err := e.writer.Write(ctx, table, events)
	out := IngestResult{Stored: res.Stored, Duplicates: res.Duplicates, Rejected: make([]RowError, 0, len(res.Rejected))}
	for _, r := range res.Rejected {
		out.Rejected = append(out.Rejected, RowError{Index: r.Index, Field: r.Field, Reason: r.Reason})
	}
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, ingest.ErrRejected) && len(out.Rejected) > 0:
		return out, nil
	case errors.Is(err, ingest.ErrUnknownTable):
		return out, &httpError{status: http.StatusNotFound, msg: err.Error(),
			hint: "ingestible tables: " + strings.Join(ingest.TableNames(), ", ")}
	case errors.Is(err, ingest.ErrBatchTooLarge):
		return out, &httpError{status: http.StatusRequestEntityTooLarge, msg: err.Error(),
			hint: fmt.Sprintf("send at most %d events per request", ingest.MaxBatchRows)}
	}
	return out, dbError(err)
}

// IngestErrors lists the newest rejected rows recorded by the ingest path.
func (e *pgEngine) IngestErrors(ctx context.Context, limit int) ([]store.IngestError, error) {
	rows, err := e.st.IngestErrors(ctx, limit)
	if err != nil {
		return nil, dbError(err)
	}
	return rows, nil
}

// explainedError carries the readable explanation of a database error and keeps the original in
// the chain, so callers can still tell a connection failure (503) from a bad request.
type explainedError struct {
	msg string
	err error
}

func (e *explainedError) Error() string { return e.msg }
func (e *explainedError) Unwrap() error { return e.err }

// dbError explains a database error for people and marks it downstream.
func dbError(err error) error {
	return downstream(&explainedError{msg: Explain(err), err: err})
}

// downstream marks err as the user's or the database's fault unless it already has a source.
func downstream(err error) error {
	var ws backend.ErrorWithSource
	if errors.As(err, &ws) {
		return err
	}
	return backend.DownstreamError(err)
}
