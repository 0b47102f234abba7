// Package sqlmode runs analysts' SQL against the store: macros ($__timeFilter, $__timeGroup, …)
// are expanded by us, and the statement runs in a read-only transaction with a statement timeout,
// a fixed search_path and a row limit, so the database itself refuses writes and DDL.
package sqlmode

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/semaphore"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Format is the shape of the result.
type Format string

// Result formats.
const (
	FormatTable      Format = "table"
	FormatTimeSeries Format = "time_series"
)

// Defaults used when a Query leaves a limit at zero (datasource settings override them).
const (
	DefaultRowLimit  = 100000
	DefaultByteLimit = 4 << 20 // 4 MiB of values per result
	DefaultTimeout   = 30 * time.Second
)

// BytesInFlight is how many bytes of SQL-mode results the whole process reads at once; each query
// reserves its byte limit (at most this) while it runs.
const BytesInFlight = 16 << 20

var inFlight = semaphore.NewWeighted(BytesInFlight)

// Query is one SQL-mode query.
type Query struct {
	SQL           string
	Format        Format        // "" means table
	From, To      time.Time     // the dashboard's time range
	Interval      time.Duration // $__interval; 0 derives it from the range and MaxDataPoints
	MaxDataPoints int64
	RowLimit      int           // at most this many rows are returned; 0 → DefaultRowLimit
	ByteLimit     int           // at most about this many bytes of values; 0 → DefaultByteLimit
	Timeout       time.Duration // statement timeout; 0 → DefaultTimeout
	// AllowPrivilegedRole runs queries even when the login role is a superuser or a member of
	// pg_execute_server_program / pg_read_server_files / pg_write_server_files (jsonData
	// allowSqlModeWithPrivilegedRole, an Admin's explicit choice). Off, such connections are refused.
	AllowPrivilegedRole bool
}

// cursorName is the server-side cursor SELECTs run through; it lives only inside our transaction.
const cursorName = "platformlens_sqlmode"

// Run expands the macros of q.SQL and executes it read-only against schema. Every failure the
// user can fix (bad macro, SQL error, timeout, refused write) is a backend.DownstreamError whose
// message says what happened; the returned frames carry the executed SQL in their metadata.
func Run(ctx context.Context, pool *pgxpool.Pool, schema string, q Query) (data.Frames, error) {
	q = withDefaults(q)
	exp, err := Expand(q.SQL, MacroEnv{From: q.From, To: q.To, Interval: q.Interval})
	if err != nil {
		return nil, backend.DownstreamError(err)
	}
	if err := checkStatement(exp.SQL); err != nil {
		return nil, backend.DownstreamError(err)
	}

	// The server-side timeout is the real limit; the context deadline is a backstop for a server
	// that does not answer at all (pgx then sends a cancel request and drops the connection).
	ctx, cancel := context.WithTimeout(ctx, q.Timeout+5*time.Second)
	defer cancel()

	// Many users at once must not multiply the result limit: results being read share one
	// process-wide budget, and a query waits (within its timeout) for its share.
	weight := int64(min(q.ByteLimit, BytesInFlight))
	if err := inFlight.Acquire(ctx, weight); err != nil {
		return nil, describeError(ctx, err, exp.SQL, q)
	}
	defer inFlight.Release(weight)

	frame, cut, err := execute(ctx, pool, schema, exp.SQL, q)
	if err != nil {
		return nil, describeError(ctx, err, exp.SQL, q)
	}
	frame.Meta = &data.FrameMeta{ExecutedQueryString: exp.SQL}
	switch cut {
	case cutRows:
		frame.AppendNotices(data.Notice{
			Severity: data.NoticeSeverityWarning,
			Text:     fmt.Sprintf("result truncated to %d rows (the row limit); aggregate in SQL or narrow the time range", q.RowLimit),
		})
	case cutBytes:
		frame.AppendNotices(data.Notice{
			Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("result truncated to %d rows because it reached the size limit of %s; select fewer or shorter columns, aggregate in SQL or narrow the time range",
				frame.Rows(), formatBytes(q.ByteLimit)),
		})
	}
	if q.Format == FormatTimeSeries {
		frame, err = toTimeSeries(frame, exp, q)
		if err != nil {
			return nil, backend.DownstreamError(err)
		}
	} else {
		frame.Meta.Type = data.FrameTypeTable
	}
	return data.Frames{frame}, nil
}

func withDefaults(q Query) Query {
	if q.RowLimit <= 0 {
		q.RowLimit = DefaultRowLimit
	}
	if q.ByteLimit <= 0 {
		q.ByteLimit = DefaultByteLimit
	}
	if q.Timeout <= 0 {
		q.Timeout = DefaultTimeout
	}
	if q.Interval <= 0 {
		points := q.MaxDataPoints
		if points <= 0 {
			points = 1000
		}
		q.Interval = max(time.Second, q.To.Sub(q.From)/time.Duration(points)).Truncate(time.Second)
	}
	return q
}

// execute runs sql on a connection of its own, in a read-only transaction guarded by
// store.GuardTx (privileged login roles refused, SET LOCAL ROLE to the read role), and reads at
// most q.RowLimit rows and about q.ByteLimit bytes. Afterwards the connection is reset (see
// resetConn), so nothing the statement did to the session outlives it.
func execute(ctx context.Context, pool *pgxpool.Pool, schema, sql string, q Query) (*data.Frame, cutReason, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, cutNone, err
	}
	defer conn.Release()
	defer resetConn(ctx, conn)
	// No single message (one row) may exceed the byte limit: pgx would buffer it whole.
	conn.Conn().PgConn().Frontend().SetMaxBodyLen(q.ByteLimit + 64<<10)

	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, cutNone, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	if _, err := store.GuardTx(ctx, tx, schema, store.ReadOnlyOptions{AllowPrivileged: q.AllowPrivilegedRole, RequireReader: true}); err != nil {
		return nil, cutNone, err
	}
	// set_config(…, true) is SET LOCAL with bound values: both end with the transaction.
	searchPath := pgx.Identifier{schema}.Sanitize() + ", public"
	if _, err := tx.Exec(ctx, "SELECT set_config('statement_timeout', $1, true), set_config('search_path', $2, true)",
		strconv.FormatInt(q.Timeout.Milliseconds(), 10), searchPath); err != nil {
		return nil, cutNone, err
	}

	// Always the extended protocol (never pgx's simple protocol): it refuses more than one
	// statement per call, so "SELECT 1; COMMIT; DROP …" cannot run.
	mode := pgx.QueryExecModeDescribeExec
	if !cursorable(sql) {
		// EXPLAIN: a handful of rows, read directly under the same limits.
		rows, err := tx.Query(ctx, sql, mode)
		if err != nil {
			return nil, cutNone, err
		}
		defer rows.Close()
		r := newFrameReader(rows.FieldDescriptions(), q.RowLimit, q.ByteLimit)
		if err := r.read(rows); err != nil {
			return nil, cutNone, err
		}
		return r.frame, r.cut, nil
	}
	// A cursor fetched in batches lets the server stop as soon as a limit is reached instead of
	// streaming the whole result only for us to discard it.
	prefix := "DECLARE " + cursorName + " NO SCROLL CURSOR FOR "
	if _, err := tx.Exec(ctx, prefix+sql, mode); err != nil {
		return nil, cutNone, shiftPosition(err, len(prefix))
	}
	var r *frameReader
	for {
		batch := min(firstFetch, q.RowLimit+1)
		if r != nil {
			batch = r.nextBatch()
		}
		rows, err := tx.Query(ctx, "FETCH FORWARD "+strconv.Itoa(batch)+" FROM "+cursorName, mode)
		if err != nil {
			return nil, cutNone, err
		}
		if r == nil {
			r = newFrameReader(rows.FieldDescriptions(), q.RowLimit, q.ByteLimit)
		}
		before := r.n
		err = r.read(rows)
		rows.Close()
		if err != nil {
			return nil, cutNone, err
		}
		if r.cut != cutNone || r.n-before < batch {
			return r.frame, r.cut, nil
		}
	}
}

// firstFetch and fetchBatch bound how many rows one FETCH asks for: few at first, until the row
// size is known, so that a limit stops the server early instead of it streaming rows we discard.
const (
	firstFetch = 20
	fetchBatch = 2000
)

// resetConn removes every trace the statement may have left on the session: DISCARD ALL ends
// session-level advisory locks (pg_advisory_unlock_all), LISTENs, prepared statements, cursors,
// temporary tables and session settings (back to the connection's startup parameters, which
// carry the pool's search_path and statement_timeout). pgx's statement caches are cleared with
// it. If anything fails the connection is closed, and the pool replaces it.
func resetConn(ctx context.Context, conn *pgxpool.Conn) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	c := conn.Conn()
	c.PgConn().Frontend().SetMaxBodyLen(0)
	if c.PgConn().TxStatus() != 'I' {
		_ = c.Close(ctx)
		return
	}
	if _, err := c.PgConn().Exec(ctx, "DISCARD ALL").ReadAll(); err != nil {
		_ = c.Close(ctx)
		return
	}
	if err := c.DeallocateAll(ctx); err != nil {
		_ = c.Close(ctx)
	}
}

// formatBytes renders a byte count for messages (16 MiB, 512 KiB, 100 B).
func formatBytes(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
