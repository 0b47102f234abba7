// Package sqlmode runs analysts' SQL against the store: macros ($__timeFilter, $__timeGroup, …)
// are expanded by us, and the statement runs in a read-only transaction with a statement timeout,
// a fixed search_path and a row limit, so the database itself refuses writes and DDL.
package sqlmode

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
	DefaultRowLimit = 100000
	DefaultTimeout  = 30 * time.Second
)

// Query is one SQL-mode query.
type Query struct {
	SQL           string
	Format        Format        // "" means table
	From, To      time.Time     // the dashboard's time range
	Interval      time.Duration // $__interval; 0 derives it from the range and MaxDataPoints
	MaxDataPoints int64
	RowLimit      int           // at most this many rows are returned; 0 → DefaultRowLimit
	Timeout       time.Duration // statement timeout; 0 → DefaultTimeout
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

	frame, truncated, err := execute(ctx, pool, schema, exp.SQL, q)
	if err != nil {
		return nil, describeError(ctx, err, exp.SQL, q.Timeout)
	}
	frame.Meta = &data.FrameMeta{ExecutedQueryString: exp.SQL}
	if truncated {
		frame.AppendNotices(data.Notice{
			Severity: data.NoticeSeverityWarning,
			Text:     fmt.Sprintf("result truncated to %d rows (the row limit); aggregate in SQL or narrow the time range", q.RowLimit),
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

// execute runs sql in a read-only transaction and reads at most q.RowLimit rows (one more to know
// whether the result was truncated). The transaction is always rolled back, which also undoes any
// session setting the statement may have changed (set_config(…, false), SET ROLE, …), so nothing
// leaks into the pooled connection.
func execute(ctx context.Context, pool *pgxpool.Pool, schema, sql string, q Query) (*data.Frame, bool, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, false, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	// set_config(…, true) is SET LOCAL with bound values: both end with the transaction.
	searchPath := pgx.Identifier{schema}.Sanitize() + ", public"
	if _, err := tx.Exec(ctx, "SELECT set_config('statement_timeout', $1, true), set_config('search_path', $2, true)",
		strconv.FormatInt(q.Timeout.Milliseconds(), 10), searchPath); err != nil {
		return nil, false, err
	}

	// Always the extended protocol (never pgx's simple protocol): it refuses more than one
	// statement per call, so "SELECT 1; COMMIT; DROP …" cannot run.
	mode := pgx.QueryExecModeDescribeExec
	fetch := sql
	if cursorable(sql) {
		// A cursor lets the server stop after RowLimit+1 rows instead of streaming the whole
		// result only for us to discard it.
		rows, err := tx.Query(ctx, "DECLARE "+cursorName+" NO SCROLL CURSOR FOR "+sql, mode)
		if err != nil {
			return nil, false, shiftPosition(err, len("DECLARE "+cursorName+" NO SCROLL CURSOR FOR "))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, false, shiftPosition(err, len("DECLARE "+cursorName+" NO SCROLL CURSOR FOR "))
		}
		fetch = "FETCH FORWARD " + strconv.Itoa(q.RowLimit+1) + " FROM " + cursorName
	}
	rows, err := tx.Query(ctx, fetch, mode)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	return readFrame(rows, q.RowLimit)
}

// checkStatement refuses the few statement kinds a read-only transaction does not stop: COPY …
// TO PROGRAM/file and DO/CALL (which can run COPY dynamically) reach outside the database for a
// privileged role. Everything else is left to the database, which refuses writes and DDL itself.
func checkStatement(sql string) error {
	switch kw := leadingKeyword(sql); kw {
	case "":
		return errors.New("the SQL query is empty: write a SELECT statement")
	case "COPY", "DO", "CALL":
		return fmt.Errorf("%s statements are not allowed in SQL mode: write a SELECT statement", kw)
	}
	return nil
}

// cursorable reports whether sql can be the body of DECLARE CURSOR (a query, not a command).
func cursorable(sql string) bool {
	switch leadingKeyword(sql) {
	case "SELECT", "WITH", "VALUES", "TABLE":
		return true
	}
	return false
}

// leadingKeyword returns the first word of sql in upper case, skipping white space, comments
// and opening parentheses.
func leadingKeyword(sql string) string {
	i := 0
	for i < len(sql) {
		switch {
		case sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r' || sql[i] == '(':
			i++
		case strings.HasPrefix(sql[i:], "--"):
			nl := strings.IndexByte(sql[i:], '\n')
			if nl < 0 {
				return ""
			}
			i += nl + 1
		case strings.HasPrefix(sql[i:], "/*"):
			depth := 0
			for i < len(sql) {
				if strings.HasPrefix(sql[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(sql[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
		default:
			j := i
			for j < len(sql) && isIdentChar(sql[j]) {
				j++
			}
			return strings.ToUpper(sql[i:j])
		}
	}
	return ""
}
