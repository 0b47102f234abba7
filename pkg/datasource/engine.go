package datasource

import (
	"context"
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Engine is the seam between the Grafana handlers and the packages that own the database work
// (metrics, sqlmode, store, ingest, demo): only the operations the handlers call, each taking a
// parsed query or typed input and answering typed results. OpenEngine wires the real one; tests
// use it against a real PostgreSQL database, and a fake only where a behaviour cannot be provoked
// with a real database (a panic, a slow query). Static answers (the catalog, ad hoc filter keys)
// need no engine and come straight from pkg/metrics.
//
// Errors a user can fix (bad query, unknown metric, database unreachable) must be wrapped with
// backend.DownstreamError; anything else is treated as a plugin fault.
type Engine interface {
	QueryEngine
	ResourceEngine

	// Health connects to the database and reports versions, store mode and schema version.
	// A connection error is returned as is; CheckHealth turns it into an actionable message.
	Health(ctx context.Context) (Health, error)

	// Close releases the connection pool. It is called once, when Grafana disposes the
	// instance (settings changed or datasource deleted).
	Close()
}

// QueryEngine answers the parsed queries of QueryData (metrics.Parse builds them). Implementations
// must honour ctx cancellation and the statement timeout / row limit of their settings.
type QueryEngine interface {
	// Metric computes a metric query.
	Metric(ctx context.Context, q metrics.Query) (data.Frames, error)
	// SQL runs a SQL mode query (rawSql with macros) in a read-only transaction.
	SQL(ctx context.Context, q metrics.SQLQuery) (data.Frames, error)
	// Annotations answers an annotation query with one frame of time, timeEnd, title, text, tags.
	Annotations(ctx context.Context, q metrics.AnnotationQuery) (data.Frames, error)
	// Variables lists the values of a dimension narrowed by the other selections
	// (dimension → selected values): template variables and ad hoc filter values.
	Variables(ctx context.Context, dimension string, selections map[string][]string) ([]Option, error)
	// Target answers a target query: one number from the targets table (alert rules compare
	// metrics with it).
	Target(ctx context.Context, q metrics.TargetQuery) (data.Frames, error)
}

// ResourceEngine serves the CallResource routes that touch the database.
type ResourceEngine interface {
	Status(ctx context.Context) (store.Status, error)
	Targets(ctx context.Context) ([]metrics.TargetRow, error)
	// PutTargets upserts targets and returns the stored table.
	PutTargets(ctx context.Context, targets []metrics.TargetRow) ([]metrics.TargetRow, error)
	Migrate(ctx context.Context) (store.MigrateResult, error)
	// CheckSchema fails (readably) unless the schema is migrated and not newer than this plugin;
	// background operations run it before they are accepted.
	CheckSchema(ctx context.Context) error
	// Demo replaces the demo data with tier's data set for seed, ending at end, calling progress
	// as tables load; it runs for minutes on tier M, so ctx is the caller's background context.
	Demo(ctx context.Context, tier string, seed int64, end time.Time, progress func(demo.Progress)) (demo.Result, error)
	// Ingest validates and stores events of one table. Per-row problems are reported in
	// IngestResult.Rejected, not as an error.
	Ingest(ctx context.Context, table string, events []json.RawMessage) (IngestResult, error)
	IngestErrors(ctx context.Context, limit int) ([]store.IngestError, error)
}

// Health is what the health check reports about the database.
type Health struct {
	PostgresVersion     string // e.g. "15.8"
	TimescaleVersion    string // "" when the extension is not installed
	Mode                string // store mode: timescaledb, timescaledb-apache or postgresql
	SchemaVersion       int    // 0 = not migrated
	LatestSchemaVersion int    // the schema version this plugin build ships

	// The login role and SQL mode (issue 8): a privileged login role is flagged, and SQL mode
	// is refused on it unless AllowPrivileged; without a usable read role SQL mode is refused.
	User            string
	Privileged      string // "" or why the login role is privileged ("user \"x\" is a superuser")
	AllowPrivileged bool   // jsonData allowSqlModeWithPrivilegedRole
	ReaderRole      string
	ReaderReady     bool
	Schema          string

	// FailingJobs describes each TimescaleDB policy job whose last run failed (job, last error).
	FailingJobs []string
}

// Option is one value of a template variable or ad hoc filter (Grafana's MetricFindValue).
type Option struct {
	Value string `json:"value"`
	Text  string `json:"text"`
}

// IngestResult is the answer of POST /ingest/{table}.
type IngestResult struct {
	Stored     int        `json:"stored"`
	Duplicates int        `json:"duplicates"`
	Rejected   []RowError `json:"rejected"`
}

// RowError says which event of a batch was refused and why.
type RowError struct {
	Index  int    `json:"index"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}
