package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Freshness classifies how recent a table's newest event is.
type Freshness string

// Freshness values: an event table is fresh when its newest event is younger than the table's
// StaleAfter threshold (see EventTables), stale when older, and empty without rows.
const (
	Fresh Freshness = "fresh"
	Stale Freshness = "stale"
	Empty Freshness = "empty"
)

// EventTable describes one event table: its time column and when it counts as stale.
type EventTable struct {
	Name       string
	TimeColumn string
	// StaleAfter is how old the newest event may be before the table is "stale": the usual
	// gap between events of that kind in a live installation, with headroom.
	StaleAfter time.Duration
}

// EventTables lists the event tables of the schema (the whitelist of identifiers Status uses).
var EventTables = []EventTable{
	{"builds", "finished_at", 6 * time.Hour},                 // CI runs all day
	{"deployments", "finished_at", 24 * time.Hour},           // several per day
	{"pull_requests", "merged_at", 24 * time.Hour},           // merges every working day
	{"platform_probes", "probed_at", 15 * time.Minute},       // probes every minute or so
	{"incidents", "opened_at", 30 * 24 * time.Hour},          // rare by design
	{"change_tickets", "opened_at", 7 * 24 * time.Hour},      // weekly at least
	{"dx_responses", "submitted_at", 120 * 24 * time.Hour},   // quarterly surveys
	{"quality_snapshots", "measured_at", 2 * 24 * time.Hour}, // daily snapshots
	{"license_snapshots", "measured_at", 8 * 24 * time.Hour}, // weekly snapshots
	{"revenue", "period_start", 62 * 24 * time.Hour},         // monthly rows, stamped at the month start
	{"product_events", "occurred_at", 6 * time.Hour},         // product usage all day
}

// exactCountLimit: below this many (estimated) rows Status counts exactly; above it the
// planner's estimate is reported (RowsEstimated) so that status stays fast on big tables.
const exactCountLimit = 1_000_000

// TableStatus is the state of one event table.
type TableStatus struct {
	Table         string     `json:"table"`
	TimeColumn    string     `json:"timeColumn"`
	Rows          int64      `json:"rows"`
	RowsEstimated bool       `json:"rowsEstimated"` // true: Rows is pg_class/TimescaleDB's estimate
	Newest        *time.Time `json:"newest"`        // nil when empty
	Freshness     Freshness  `json:"freshness"`
	StaleAfter    string     `json:"staleAfter"` // threshold: "15m", "6h", "30d"
}

// Status is the store's state for the app's Configuration page and `platformlens status`.
type Status struct {
	ModeInfo
	Schema              string        `json:"schema"`
	SchemaVersion       int           `json:"schemaVersion"`
	LatestSchemaVersion int           `json:"latestSchemaVersion"`
	Migrated            bool          `json:"migrated"`     // SchemaVersion == LatestSchemaVersion
	MigratedMode        Mode          `json:"migratedMode"` // mode the last migration ran in ("" if none)
	Tables              []TableStatus `json:"tables"`       // empty until migrated
	IngestErrors        []IngestError `json:"ingestErrors"` // newest first, at most 20
	FailingJobs         []JobFailure  `json:"failingJobs"`  // TimescaleDB policies whose last run failed
	Notices             []string      `json:"notices"`      // things an Admin should act on
}

// Status reports mode, schema version and, once migrated, per-table rows, newest event and
// freshness plus the last 20 ingest errors. It reads only; it does not fail on an unmigrated
// schema (Migrated=false says so), only when the database cannot be queried.
func (s *Store) Status(ctx context.Context) (Status, error) {
	info, err := s.DetectMode(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{ModeInfo: info, Schema: s.schema, LatestSchemaVersion: LatestVersion,
		Tables: []TableStatus{}, IngestErrors: []IngestError{}, FailingJobs: []JobFailure{}, Notices: []string{}}
	if st.SchemaVersion, err = s.SchemaVersion(ctx); err != nil {
		return st, err
	}
	st.Migrated = st.SchemaVersion == LatestVersion
	switch {
	case st.SchemaVersion == 0:
		st.Notices = append(st.Notices, "the schema is not migrated: run the migration")
		return st, nil
	case st.SchemaVersion > LatestVersion:
		st.Notices = append(st.Notices, newerError(st.SchemaVersion).Error())
		return st, nil
	case st.SchemaVersion < LatestVersion:
		st.Notices = append(st.Notices, fmt.Sprintf("the schema is at version %d of %d: run the migration", st.SchemaVersion, LatestVersion))
	}
	var mm string
	err = s.pool.QueryRow(ctx, "SELECT mode FROM schema_migrations ORDER BY version DESC LIMIT 1").Scan(&mm)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return st, fmt.Errorf("read schema_migrations: %w", err)
	}
	st.MigratedMode = Mode(mm)
	if st.MigratedMode != "" && st.MigratedMode.HasContinuousAggregates() != info.Mode.HasContinuousAggregates() {
		st.Notices = append(st.Notices, fmt.Sprintf("the schema was created in %s mode but the database is now in %s mode: "+
			"rollups are built for the former; migrate into a new schema to use the current mode", st.MigratedMode, info.Mode))
	}
	now := s.now()
	for _, t := range EventTables {
		ts, err := s.tableStatus(ctx, t, info.Mode, now)
		if err != nil {
			return st, err
		}
		st.Tables = append(st.Tables, ts)
	}
	if st.FailingJobs, err = s.FailingJobs(ctx); err != nil {
		return st, err
	}
	for _, j := range st.FailingJobs {
		st.Notices = append(st.Notices, j.String())
	}
	st.IngestErrors, err = s.IngestErrors(ctx, 20)
	return st, err
}

func (s *Store) tableStatus(ctx context.Context, t EventTable, mode Mode, now time.Time) (TableStatus, error) {
	ts := TableStatus{Table: t.Name, TimeColumn: t.TimeColumn, StaleAfter: shortDuration(t.StaleAfter)}
	ident := pgx.Identifier{s.schema, t.Name}.Sanitize()
	estimate, err := s.estimateRows(ctx, ident, mode)
	if err != nil {
		return ts, fmt.Errorf("status of %s: %w", t.Name, err)
	}
	col := pgx.Identifier{t.TimeColumn}.Sanitize()
	if estimate >= exactCountLimit {
		ts.Rows, ts.RowsEstimated = estimate, true
		err = s.pool.QueryRow(ctx, "SELECT max("+col+") FROM "+ident).Scan(&ts.Newest)
	} else {
		err = s.pool.QueryRow(ctx, "SELECT count(*), max("+col+") FROM "+ident).Scan(&ts.Rows, &ts.Newest)
	}
	if err != nil {
		return ts, fmt.Errorf("status of %s: %w", t.Name, err)
	}
	switch {
	case ts.Newest == nil:
		ts.Freshness = Empty
	case now.Sub(*ts.Newest) > t.StaleAfter:
		ts.Freshness = Stale
	default:
		ts.Freshness = Fresh
	}
	return ts, nil
}

// estimateRows returns the planner's row estimate. A hypertable's parent has no rows of its
// own, so TimescaleDB's approximate_row_count sums its chunks. reltuples is -1 before the
// first ANALYZE; pg_stat's live-tuple counter covers that gap.
func (s *Store) estimateRows(ctx context.Context, ident string, mode Mode) (int64, error) {
	var n int64
	if mode.HasHypertables() {
		if err := s.pool.QueryRow(ctx, "SELECT coalesce(approximate_row_count($1::regclass), 0)", ident).Scan(&n); err == nil {
			return n, nil
		}
	}
	err := s.pool.QueryRow(ctx, `SELECT greatest(c.reltuples::bigint, coalesce(st.n_live_tup, 0), 0)
		FROM pg_class c LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid
		WHERE c.oid = $1::regclass`, ident).Scan(&n)
	return n, err
}

// shortDuration renders whole days, hours or minutes compactly ("30d", "6h", "15m").
func shortDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}
