package ingest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// stageName is the temporary staging table of t. Temporary tables belong to one session, so
// concurrent writers (each on its own pooled connection) never share one. The name carries a
// hash of the descriptor so that a session that outlives a descriptor change (new plugin
// version, same pooled connection) never reuses a staging table of the old shape.
func stageName(t *Table) string { return t.stage }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = pgx.Identifier{n}.Sanitize()
	}
	return strings.Join(q, ", ")
}

// StageSQL creates the staging table of t if the session has none: the descriptor's columns
// and types, nothing else, so COPY needs no defaults, indexes or constraints. ON COMMIT DELETE
// ROWS empties it at every commit (and a rollback discards the rows), and keeping it for the
// session instead of creating and dropping one per transaction saves the catalog writes, which
// cost about as much as staging 1,000 rows.
func StageSQL(t *Table) string {
	return fmt.Sprintf("CREATE TEMPORARY TABLE IF NOT EXISTS %s (%s) ON COMMIT DELETE ROWS",
		pgx.Identifier{stageName(t)}.Sanitize(), stageColumns(t))
}

func stageColumns(t *Table) string {
	defs := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		defs[i] = pgx.Identifier{c.Name}.Sanitize() + " " + c.Kind.PGType()
	}
	return strings.Join(defs, ", ")
}

// InsertSQL moves the staged rows into t. Rows are inserted in key order: two transactions that
// insert overlapping batches then wait for each other's keys in the same order and cannot
// deadlock. For events that order is eventOrderSQL's, the one the direct COPY sends rows in
// too (sortedEvents, writeRows). Events skip existing keys; dimensions update a row only when a
// value changed, so the rows it returns are exactly the ones that are new or different.
func InsertSQL(t *Table) string {
	cols := quoteList(t.ColumnNames())
	key := quoteList(t.Key)
	order := key
	if t.Event {
		order = eventOrderSQL(t)
	}
	sql := fmt.Sprintf("INSERT INTO %s AS t (%s) SELECT %s FROM %s ORDER BY %s ON CONFLICT (%s) ",
		pgx.Identifier{t.Name}.Sanitize(), cols, cols, pgx.Identifier{stageName(t)}.Sanitize(), order, key)
	if t.Event {
		return sql + "DO NOTHING"
	}
	var set, old, neu []string
	for _, c := range t.Columns {
		if contains(t.Key, c.Name) {
			continue
		}
		id := pgx.Identifier{c.Name}.Sanitize()
		set = append(set, id+" = EXCLUDED."+id)
		old = append(old, "t."+id)
		neu = append(neu, "EXCLUDED."+id)
	}
	if len(set) == 0 {
		return sql + "DO NOTHING"
	}
	return sql + fmt.Sprintf("DO UPDATE SET %s WHERE (%s) IS DISTINCT FROM (%s)",
		strings.Join(set, ", "), strings.Join(old, ", "), strings.Join(neu, ", "))
}

// writeRows stores rows and returns how many were new. When rejects is non-empty (partial mode)
// they are recorded in the same transaction, so the stored rows and the record of what was
// refused commit together.
//
// Events first go straight into the table with one COPY: nearly every batch is new, and the
// staging round (COPY into a temporary table, then INSERT … SELECT … ON CONFLICT DO NOTHING)
// handles every row twice: for 1,000 builds, staging COPY 2.9 ms + INSERT … SELECT 9.6 ms +
// COMMIT 1.3 ms, against 9.0 ms for one COPY into the table, commit included (PostgreSQL 15).
// A COPY is all or nothing, so when it meets a key that is already stored or repeated inside
// the batch (unique violation) nothing of it remains, and the batch takes the staging path,
// which skips exactly the duplicates.
// Re-delivered batches thus pay for a failed COPY too (and leave the rows it wrote before the
// duplicate as dead tuples for vacuum), but COPY stops at the first duplicate, and with rows in
// time order (sortedEvents) that is the first row of a re-sent batch and, usually, of a batch
// that overlaps what was sent before.
func (w *Writer) writeRows(ctx context.Context, t *Table, rows []Row, rejects []RowError) (int, error) {
	if len(rows) == 0 {
		return 0, w.recordRejects(ctx, nil, t, rejects)
	}
	if t.Event {
		rows = sortedEvents(t, rows)
		err := w.copyDirect(ctx, t, rows, rejects)
		if err == nil {
			return len(rows), nil // COPY stored every row or failed
		}
		if !isUniqueViolation(err) {
			return 0, err
		}
	}
	return w.stageAndInsert(ctx, t, rows, rejects)
}

// copyDirect COPYs rows into t itself. Without rejects to record the COPY runs on its own (a
// single statement is its own transaction, which saves the BEGIN and COMMIT round trips).
func (w *Writer) copyDirect(ctx context.Context, t *Table, rows []Row, rejects []RowError) error {
	src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) { return rows[i].Values, nil })
	if len(rejects) == 0 {
		_, err := w.pool.CopyFrom(ctx, pgx.Identifier{t.Name}, t.ColumnNames(), src)
		return err
	}
	tx, err := w.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.Name}, t.ColumnNames(), src); err != nil {
		return err
	}
	if err := w.recordRejects(ctx, tx, t, rejects); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// eventOrderSQL is the ORDER BY of sortedEvents: time first (so rows land in the heap roughly in
// time order, as the time-range queries like), then the text keys byte-wise (COLLATE "C" is Go's
// string order, whatever the database's collation).
func eventOrderSQL(t *Table) string {
	parts := []string{pgx.Identifier{t.TimeColumn}.Sanitize()}
	for _, k := range t.Key {
		if k != t.TimeColumn {
			parts = append(parts, pgx.Identifier{k}.Sanitize()+` COLLATE "C"`)
		}
	}
	return strings.Join(parts, ", ")
}

// sortedEvents returns rows in eventOrderSQL's order: rows itself when they already are
// (batches usually come in time order), otherwise a sorted copy (the caller's slice stays as it
// was). Writers of overlapping batches then take key locks in one order, on either path, and do
// not deadlock.
func sortedEvents(t *Table, rows []Row) []Row {
	ti, si, ei := t.ColumnIndex(t.TimeColumn), t.ColumnIndex("source"), t.ColumnIndex("external_id")
	cmp := func(a, b Row) int {
		at, _ := a.Values[ti].(time.Time)
		bt, _ := b.Values[ti].(time.Time)
		if c := at.Compare(bt); c != 0 {
			return c
		}
		as, _ := a.Values[si].(string)
		bs, _ := b.Values[si].(string)
		if c := strings.Compare(as, bs); c != 0 {
			return c
		}
		ae, _ := a.Values[ei].(string)
		be, _ := b.Values[ei].(string)
		return strings.Compare(ae, be)
	}
	if slices.IsSortedFunc(rows, cmp) {
		return rows
	}
	out := slices.Clone(rows)
	slices.SortFunc(out, cmp)
	return out
}

// stageAndInsert COPYs rows into the session's staging table and inserts them from there with
// InsertSQL (skipping or updating existing keys), in one transaction.
func (w *Writer) stageAndInsert(ctx context.Context, t *Table, rows []Row, rejects []RowError) (int, error) {
	tx, err := w.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	// The session remembers (in the connection's CustomData) that it has the staging table, which
	// saves a round trip per batch. The mark is set only after a commit, because a rollback
	// also undoes the CREATE.
	conn := tx.Conn().PgConn()
	mark := "platformlens.ingest." + stageName(t)
	created := false
	if _, ok := conn.CustomData()[mark]; !ok {
		if _, err := tx.Exec(ctx, StageSQL(t)); err != nil {
			return 0, fmt.Errorf("create staging table: %w", err)
		}
		created = true
	}
	src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) { return rows[i].Values, nil })
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{stageName(t)}, t.ColumnNames(), src); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // staging table gone (DISCARD ALL?)
			delete(conn.CustomData(), mark)
			return 0, errStageMissing
		}
		return 0, fmt.Errorf("copy into staging table: %w", err)
	}
	// Count the rows RETURNING reports rather than the command tag: on TimescaleDB hypertables the
	// tag of a concurrent INSERT … ON CONFLICT DO NOTHING can count rows that were skipped
	// (seen with 8 writers re-sending overlapping batches), RETURNING only the stored ones.
	var stored int
	if err := tx.QueryRow(ctx, "WITH ins AS ("+InsertSQL(t)+" RETURNING 1) SELECT count(*) FROM ins").Scan(&stored); err != nil {
		return 0, err
	}
	if err := w.recordRejects(ctx, tx, t, rejects); err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	if created {
		conn.CustomData()[mark] = true
	}
	return stored, nil
}

// errStageMissing makes withRetry try again after the staging table vanished from a session.
var errStageMissing = errors.New("staging table missing from the session")

// recordRejects appends rejected rows to ingest_errors (store.RecordIngestErrors), which the
// Configuration page and GET /status show. db nil means the pool (autocommit).
func (w *Writer) recordRejects(ctx context.Context, db store.CopyFromer, t *Table, rejects []RowError) error {
	if len(rejects) == 0 {
		return nil
	}
	if db == nil {
		db = w.pool
	}
	now := time.Now().UTC()
	source := w.opts.Source
	rows := make([]store.IngestError, len(rejects))
	for i, e := range rejects {
		index := e.Index
		rows[i] = store.IngestError{At: now, Table: t.Name, Source: &source, RowIndex: &index, Reason: e.Reason}
		if e.Field != "" {
			field := e.Field
			rows[i].Field = &field
		}
	}
	return store.RecordIngestErrors(ctx, db, rows)
}

// withRetry repeats fn when PostgreSQL aborted it for a reason that goes away on retry
// (deadlock, serialization failure); the transaction was rolled back, so a retry is safe.
func withRetry(ctx context.Context, fn func() error) error {
	const attempts = 6
	var err error
	for i := 0; i < attempts; i++ {
		if err = fn(); err == nil || !retryable(err) {
			return err
		}
		backoff := time.Duration(5<<i)*time.Millisecond + time.Duration(rand.IntN(5))*time.Millisecond
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(backoff):
		}
	}
	return fmt.Errorf("gave up after %d attempts: %w", attempts, err)
}

func retryable(err error) bool {
	if errors.Is(err, errStageMissing) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40P01" || pgErr.Code == "40001"
	}
	return false
}
