package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// Statement is one SQL statement with the arguments the metric engine bound to it.
type Statement struct {
	SQL  string
	Args []any
}

// Recorder is a metrics.Querier that passes every call on to DB and remembers the statement, so
// the benchmark can re-run exactly what the engine ran, without the engine.
type Recorder struct {
	DB metrics.Querier

	mu    sync.Mutex
	stmts []Statement
}

var _ metrics.Querier = (*Recorder)(nil)

// Query records sql and args and runs them on the wrapped Querier.
func (r *Recorder) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r.record(sql, args)
	return r.DB.Query(ctx, sql, args...)
}

// QueryRow records sql and args and runs them on the wrapped Querier.
func (r *Recorder) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	r.record(sql, args)
	return r.DB.QueryRow(ctx, sql, args...)
}

func (r *Recorder) record(sql string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, Statement{SQL: sql, Args: append([]any(nil), args...)})
}

// Take returns the statements recorded since the last Take and forgets them.
func (r *Recorder) Take() []Statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stmts
	r.stmts = nil
	return out
}

// RunDirect executes the statements one after the other on db, draining every row without
// decoding it (the cheapest a client can be), and returns the elapsed time and the rows returned. Named arguments
// (pgx.NamedArgs) are rewritten by pgx exactly as when the engine ran them.
func RunDirect(ctx context.Context, db metrics.Querier, stmts []Statement) (took time.Duration, nrows int, err error) {
	start := time.Now()
	for _, s := range stmts {
		rows, err := db.Query(ctx, s.SQL, s.Args...)
		if err != nil {
			return 0, 0, fmt.Errorf("direct run of %.80q: %w", s.SQL, err)
		}
		for rows.Next() {
			_ = rows.RawValues()
			nrows++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, 0, fmt.Errorf("direct run of %.80q: %w", s.SQL, err)
		}
	}
	return time.Since(start), nrows, nil
}
