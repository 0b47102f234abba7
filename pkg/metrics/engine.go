package metrics

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Querier is the part of a pgx pool the engine uses; *pgxpool.Pool, *pgx.Conn and pgx.Tx
// satisfy it.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Engine runs metric queries against a store.
type Engine struct {
	db   Querier
	st   *store.Store // nil for NewEngineWith: queries then run on db as they are
	mode func(ctx context.Context) (store.Mode, error)
	// rawOnly turns the rollup path off (tests compare both paths on the same data).
	rawOnly bool
}

// NewEngine returns an engine over st. The store mode (TimescaleDB or plain PostgreSQL) is read
// per query from the store's cached detection.
func NewEngine(st *store.Store) *Engine {
	return &Engine{db: st.Pool(), st: st, mode: func(ctx context.Context) (store.Mode, error) {
		info, err := st.Mode(ctx)
		return info.Mode, err
	}}
}

// NewEngineWith returns an engine over any Querier with a fixed mode (tests, the CLI).
func NewEngineWith(db Querier, mode store.Mode) *Engine {
	return &Engine{db: db, mode: func(context.Context) (store.Mode, error) { return mode, nil }}
}

// Env is what a metric's computation gets: the database, the store mode and helpers.
type Env struct {
	DB   Querier
	Mode store.Mode
	// rawOnly: answer from raw rows even where a rollup could (tests of path equality).
	rawOnly bool
}

// Timescale reports whether time_bucket is available (both TimescaleDB modes).
func (e *Env) Timescale() bool { return e.Mode.HasHypertables() }

// BucketSQL returns the SQL expression putting the timestamptz column col into q's buckets.
// col must be a constant of the calling code.
func (e *Env) BucketSQL(q Query, col string) string { return bucketSQL(e.Timescale(), q.Bucket, col) }

// Query runs sql with named arguments, turning failures into readable downstream errors.
func (e *Env) Query(ctx context.Context, what, sql string, args pgx.NamedArgs) (pgx.Rows, error) {
	rows, err := e.DB.Query(ctx, sql, args)
	if err != nil {
		return nil, dbError(what, err)
	}
	return rows, nil
}

// env returns the Env of one query and the function that ends it. On a store, the query's
// statements run in one read-only transaction as the schema's read role (store.GuardTx; the login
// role when the read role is not set up), so even a bug in our SQL cannot write or reach beyond
// the PlatformLens tables.
func (e *Engine) env(ctx context.Context) (*Env, func(), error) {
	mode, err := e.mode(ctx)
	if err != nil {
		return nil, nil, dbError("detect the store mode", err)
	}
	if e.st == nil {
		return &Env{DB: e.db, Mode: mode, rawOnly: e.rawOnly}, func() {}, nil
	}
	tx, err := e.st.Pool().BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, dbError("begin a read-only transaction", err)
	}
	done := func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }
	// Metric SQL is ours, so a privileged login role is not refused here (SQL mode refuses it).
	if _, err := store.GuardTx(ctx, tx, e.st.Schema(), store.ReadOnlyOptions{AllowPrivileged: true}); err != nil {
		done()
		return nil, nil, dbError("switch to the read role", err)
	}
	return &Env{DB: tx, Mode: mode, rawOnly: e.rawOnly}, done, nil
}

// Run computes q. A metric with no data answers an empty frame with a notice, not an error.
// Errors the user can fix (unknown metric, bad filter) and database faults are downstream errors.
func (e *Engine) Run(ctx context.Context, q Query) (data.Frames, error) {
	ent, ok := lookup(q.Metric)
	if !ok {
		return nil, backend.DownstreamErrorf("metric %q is not in the catalog", q.Metric)
	}
	if err := checkBuckets(q); err != nil {
		return nil, err
	}
	env, done, err := e.env(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	var frames data.Frames
	if ent.run != nil {
		frames, err = ent.run(ctx, env, q)
	} else {
		frames, err = runSeries(ctx, env, ent, q)
	}
	if err == nil && len(q.IgnoredAdHoc) > 0 && len(frames) > 0 {
		addNotice(frames[0], data.NoticeSeverityInfo, fmt.Sprintf("ad hoc filter %s ignored: metric %q has no such dimension (it accepts: %s)",
			strings.Join(q.IgnoredAdHoc, ", "), q.Metric, strings.Join(ent.def.Dimensions, ", ")))
	}
	if err == nil && len(q.IgnoredOptions) > 0 && len(frames) > 0 {
		addNotice(frames[0], data.NoticeSeverityWarning, fmt.Sprintf("option %s ignored: metric %q does not read it (its options: %s)",
			strings.Join(q.IgnoredOptions, ", "), q.Metric, optionList(ent.def)))
	}
	return frames, err
}

func optionList(d Definition) string {
	if len(d.Options) == 0 {
		return "none"
	}
	names := make([]string, len(d.Options))
	for i, o := range d.Options {
		names[i] = string(o)
	}
	return strings.Join(names, ", ")
}

// addNotice appends a notice to a frame's metadata, creating the metadata when needed.
func addNotice(f *data.Frame, sev data.NoticeSeverity, text string) {
	if f.Meta == nil {
		f.Meta = &data.FrameMeta{}
	}
	f.Meta.Notices = append(f.Meta.Notices, data.Notice{Severity: sev, Text: text})
}

func runSeries(ctx context.Context, env *Env, ent entry, q Query) (data.Frames, error) {
	def := ent.def
	res, err := ent.series(ctx, env, q)
	if err != nil {
		return nil, err
	}
	var cmp *Result
	if q.Compare != CompareNone {
		back, forward := q.Compare.Shifts(q.From, q.To)
		if cmp, err = ent.series(ctx, env, q.Shifted(back)); err != nil {
			return nil, err
		}
		for i := range cmp.Series {
			times := make([]time.Time, len(cmp.Series[i].Times))
			for j, t := range cmp.Series[i].Times {
				times[j] = forward(t)
			}
			cmp.Series[i].Times = times
		}
	}
	sql := res.SQL
	if cmp != nil && cmp.SQL != "" {
		sql += ";\n-- compare period (" + q.Compare.Label() + "):\n" + cmp.SQL
	}
	if res.empty() {
		f := EmptyFrame(def.ID, noDataReason(q))
		setExecuted(data.Frames{f}, sql, res.Notices)
		return data.Frames{f}, nil
	}
	target, err := env.Target(ctx, def.TargetKey)
	if err != nil {
		return nil, err
	}
	res.sortSeries()
	var frames data.Frames
	if q.Format == FormatTable {
		frames = data.Frames{tableFrame(def, q.GroupBy, res, cmp, q.Compare, target)}
	} else {
		frames = timeSeriesFrames(def, res, cmp, q.Compare, target)
	}
	setExecuted(frames, sql, res.Notices)
	return frames, nil
}

// dbError wraps a database failure: what we tried, PostgreSQL's message, marked downstream so
// Grafana attributes it to the database and not to the plugin.
func dbError(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return backend.DownstreamError(fmt.Errorf("%s: query cancelled or timed out: %w", what, err))
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		msg := fmt.Sprintf("%s: database error %s: %s", what, pg.Code, pg.Message)
		switch pg.Code {
		case "42P01", "42703":
			msg += " (is the schema migrated? run `platformlens migrate` or use the app's Configuration page)"
		case "57014":
			msg += " (statement timeout: narrow the time range or raise statementTimeoutSeconds)"
		}
		return backend.DownstreamError(fmt.Errorf("%s: %w", msg, err))
	}
	return backend.DownstreamError(fmt.Errorf("%s: %w", what, err))
}
