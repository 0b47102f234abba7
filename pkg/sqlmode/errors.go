package sqlmode

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// SQLSTATE codes the messages explain.
const (
	codeReadOnly       = "25006" // read_only_sql_transaction
	codeQueryCanceled  = "57014" // query_canceled (statement_timeout or a cancel request)
	codeSyntaxError    = "42601"
	multipleStatements = "cannot insert multiple commands into a prepared statement"
)

// describeError turns a database or driver error into a message a dashboard user can act on.
// Every such error is the user's query or the database, so it is marked downstream.
func describeError(ctx context.Context, err error, sql string, q Query) error {
	timeout := q.Timeout
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) {
		return backend.DownstreamError(fmt.Errorf("the query was cancelled before it finished: %w", ctxErr))
	}
	var tooBig *pgproto3.ExceededMaxBodyLenErr
	switch {
	case errors.As(err, &tooBig):
		return backend.DownstreamError(fmt.Errorf("a single row of the result is larger than the size limit of %s (%d bytes); select fewer or shorter columns (e.g. left(col, 1000))", formatBytes(q.ByteLimit), tooBig.ActualBodyLen))
	case errors.Is(err, store.ErrPrivilegedConnection), errors.Is(err, store.ErrNoReadRole):
		return backend.DownstreamError(err)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		if errors.Is(err, context.DeadlineExceeded) {
			return backend.DownstreamError(fmt.Errorf("the database did not answer within the statement timeout of %s: %w", timeout, err))
		}
		return backend.DownstreamError(fmt.Errorf("cannot run the query on the database: %w", err))
	}
	var msg string
	switch {
	case pgErr.Code == codeReadOnly:
		msg = "SQL mode is read-only; the database refused this statement"
	case pgErr.Code == codeQueryCanceled:
		msg = fmt.Sprintf("the query ran longer than the statement timeout of %s and was cancelled; narrow the time range, aggregate in SQL, or raise statementTimeoutSeconds in the datasource settings", timeout)
	case pgErr.Code == codeSyntaxError && strings.Contains(pgErr.Message, multipleStatements):
		msg = "SQL mode runs exactly one statement; remove everything after the first ';'"
	default:
		msg = "the database rejected the query"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (SQLSTATE %s)", msg, pgErr.Message, pgErr.Code)
	if pgErr.Position > 0 {
		fmt.Fprintf(&b, " at character %d%s", pgErr.Position, near(sql, int(pgErr.Position)))
	}
	if pgErr.Detail != "" {
		fmt.Fprintf(&b, "; detail: %s", pgErr.Detail)
	}
	if pgErr.Hint != "" {
		fmt.Fprintf(&b, "; hint: %s", pgErr.Hint)
	}
	return backend.DownstreamError(&QueryError{Message: b.String(), Err: pgErr})
}

// QueryError is a database error with a readable message; Unwrap gives the *pgconn.PgError so
// callers (and tests) can still look at the SQLSTATE.
type QueryError struct {
	Message string
	Err     error
}

func (e *QueryError) Error() string { return e.Message }

// Unwrap returns the underlying database error.
func (e *QueryError) Unwrap() error { return e.Err }

// near quotes the text around a 1-based character position (PostgreSQL counts characters).
func near(sql string, pos int) string {
	r := []rune(sql)
	if pos < 1 || pos > len(r) {
		return ""
	}
	end := min(len(r), pos-1+30)
	return fmt.Sprintf(" near %q", string(r[pos-1:end]))
}

// shiftPosition makes an error position relative to the user's SQL when we ran it behind a prefix.
func shiftPosition(err error, prefix int) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && int(pgErr.Position) > prefix {
		shifted := *pgErr
		shifted.Position -= int32(prefix)
		return &shifted
	}
	return err
}
