package datasource

import (
	"context"
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
)

// Engine is the narrow surface the Grafana handlers need from the PlatformLens backend packages
// (store, metrics, sqlmode, ingest, demo). The handlers only route, check roles and shape
// answers; everything that touches the database sits behind this interface. OpenEngine wires the
// real implementation; tests use it against a real PostgreSQL database, and a fake only where a
// behaviour cannot be provoked with a real database (a panic, a slow query).
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

// QueryEngine answers the queries of QueryData, one backend.DataQuery at a time. Implementations
// must honour ctx cancellation and the statement timeout / row limit of the settings they were
// opened with.
type QueryEngine interface {
	// Metric runs a queryType "metric" query (the query JSON of docs/architecture.md).
	Metric(ctx context.Context, q backend.DataQuery) (data.Frames, error)
	// SQL runs a queryType "sql" query (rawSql with macros) in a read-only transaction.
	SQL(ctx context.Context, q backend.DataQuery) (data.Frames, error)
	// Annotations returns deployments or incidents of the time range as an annotation frame
	// (fields time, timeEnd, title, text, tags).
	Annotations(ctx context.Context, q AnnotationQuery) (data.Frames, error)
	// Target answers a queryType "target" query: one number from the targets table (alert
	// rules compare metrics with it).
	Target(ctx context.Context, q backend.DataQuery) (data.Frames, error)
}

// ResourceEngine serves the CallResource routes. Answers are marshalled to JSON as they are, so
// their shape is owned by the package that produces them (metrics catalog, store status, …).
type ResourceEngine interface {
	Catalog(ctx context.Context) (any, error)
	Status(ctx context.Context) (any, error)
	// Variables lists the values of a dimension narrowed by the other selections
	// (dimension → selected values), for template variables.
	Variables(ctx context.Context, dimension string, selections map[string][]string) ([]Option, error)
	// TagKeys lists the ad hoc filter keys of a metric ("" = all dimensions).
	TagKeys(ctx context.Context, metric string) ([]Option, error)
	// TagValues lists the values of an ad hoc filter key.
	TagValues(ctx context.Context, key string, selections map[string][]string) ([]Option, error)
	Targets(ctx context.Context) (any, error)
	// PutTargets stores the targets given as a JSON array and returns the stored table.
	PutTargets(ctx context.Context, body json.RawMessage) (any, error)
	Migrate(ctx context.Context) (any, error)
	// CheckSchema fails (readably) unless the schema is migrated and not newer than this plugin;
	// background operations run it before they are accepted.
	CheckSchema(ctx context.Context) error
	// Demo replaces the demo data with tier's data set for seed, ending at end, calling progress
	// as tables load; it runs for minutes on tier M, so ctx is the caller's background context.
	Demo(ctx context.Context, tier string, seed int64, end time.Time, progress func(demo.Progress)) (demo.Result, error)
	// Ingest validates and stores events of one table. Per-row problems are reported in
	// IngestResult.Rejected, not as an error.
	Ingest(ctx context.Context, table string, events []json.RawMessage) (IngestResult, error)
	IngestErrors(ctx context.Context, limit int) (any, error)
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
}

// Option is one value of a template variable or ad hoc filter (Grafana's MetricFindValue).
type Option struct {
	Value string `json:"value"`
	Text  string `json:"text"`
}

// AnnotationQuery is a queryType "annotations" query.
type AnnotationQuery struct {
	RefID     string
	Kind      string // "deployments", "incidents" or "anomalies"
	TimeRange backend.TimeRange
	// Filters narrows by dimension (service, team, environment, tech_stack, severity, …);
	// keys are whitelisted by the implementation.
	Filters map[string][]string
	// ProductionOnly limits deployments to production environments.
	ProductionOnly bool
	// Query is the whole query: kind "anomalies" reads it as an anomalies metric query
	// (baseMetric, filters, groupBy, interval, sensitivity).
	Query backend.DataQuery
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
