package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Refresher recomputes the rollups of a time range; *store.Store implements it.
type Refresher interface {
	RefreshRollups(ctx context.Context, from, to time.Time) error
}

// Options change how a Writer treats a batch.
type Options struct {
	// Source is given to event rows that carry no "source" field (e.g. "import" for files).
	Source string
	// RequireSource rejects event rows without a "source" field instead of giving them Source:
	// the HTTP ingest API, where every event names the system it comes from (README).
	RequireSource bool
	// AllowPartial stores the valid rows of a batch that also has invalid ones. Without it a
	// batch with any invalid row is rejected as a whole: nothing is stored and every bad row is
	// listed. Either way the Result says exactly what was stored.
	AllowPartial bool
	// SkipRefresh leaves the rollups alone (the caller refreshes the whole range itself).
	SkipRefresh bool
}

// DefaultSource is the source of event rows written without Options.Source or a "source" field.
const DefaultSource = "api"

// Result says what a Write did. For a batch of n rows:
// Stored + Duplicates + (distinct rows in Rejected) = n.
type Result struct {
	// Stored counts rows that are new in the table (for dimensions: new or changed).
	Stored int `json:"stored"`
	// Duplicates counts valid rows that were already stored (same source, external_id and time;
	// for dimensions an identical row), including repeats inside the batch.
	Duplicates int `json:"duplicates"`
	// Rejected lists every problem of every invalid row (a row may appear more than once).
	Rejected []RowError `json:"rejected"`
}

// Errors that Write returns; test with errors.Is. The HTTP handler maps ErrUnknownTable to 404,
// ErrBatchTooLarge to 413 and ErrRejected to 400 (with the Result as body).
var (
	ErrUnknownTable  = errors.New("unknown table")
	ErrBatchTooLarge = errors.New("batch too large")
	ErrRejected      = errors.New("batch rejected: it has invalid rows and nothing was stored")
	// ErrRefresh (from Flush) means stored rows' rollups could not be refreshed; the ranges stay
	// pending and are retried.
	ErrRefresh = errors.New("rows stored but refreshing rollups failed")
)

// Writer validates batches and writes them to the store in one transaction each. It is safe
// for concurrent use.
//
// Rollups of the written ranges are refreshed in the background, coalesced over RollupLag (see
// there); Flush refreshes them at once. Create one Writer per store and derive per-request
// variants with WithOptions, so that all of them share one coalescer.
type Writer struct {
	pool *pgxpool.Pool
	co   *coalescer // nil: no refresher
	opts Options
}

// NewWriter returns a Writer on pool. refresher (normally the *store.Store) may be nil, and then
// rollups are not refreshed.
func NewWriter(pool *pgxpool.Pool, refresher Refresher, opts Options) *Writer {
	if opts.Source == "" {
		opts.Source = DefaultSource
	}
	w := &Writer{pool: pool, opts: opts}
	if refresher != nil {
		w.co = newCoalescer(refresher, RollupLag)
	}
	return w
}

// WithOptions returns a Writer that shares w's pool and pending rollup refreshes but uses opts.
func (w *Writer) WithOptions(opts Options) *Writer {
	if opts.Source == "" {
		opts.Source = DefaultSource
	}
	return &Writer{pool: w.pool, co: w.co, opts: opts}
}

// Options returns the options of w.
func (w *Writer) Options() Options { return w.opts }

// Flush refreshes the rollups of every range written so far and not yet refreshed, now. Call it
// before exiting (CLI) or disposing of the datasource instance, and in tests that read rollups
// right after writing. A failure wraps ErrRefresh; the ranges stay pending.
func (w *Writer) Flush(ctx context.Context) error {
	if w.co == nil {
		return nil
	}
	return w.co.flush(ctx)
}

// RefreshError returns the error of the latest background rollup refresh, nil when it worked.
func (w *Writer) RefreshError() error {
	if w.co == nil {
		return nil
	}
	return w.co.err()
}

// Write validates rows (JSON objects keyed by column name) for table and stores the valid ones:
// events are appended unless their (source, external_id, time) already exists, dimensions are
// upserted on their key. Re-sending a batch is a no-op reported as duplicates.
//
// Policy for invalid rows: without Options.AllowPartial the whole batch is refused (Result lists
// every bad row, nothing is stored, the error wraps ErrRejected); with it the valid rows are
// stored and Result.Rejected lists the others. Rejected rows are also recorded in ingest_errors.
func (w *Writer) Write(ctx context.Context, table string, rows []json.RawMessage) (Result, error) {
	res := Result{Rejected: []RowError{}}
	t, ok := Lookup(table)
	if !ok {
		return res, fmt.Errorf("%w: %w", ErrUnknownTable, &UnknownTableError{Name: table})
	}
	if len(rows) > MaxBatchRows {
		return res, fmt.Errorf("%w: %d rows, at most %d per batch; split it", ErrBatchTooLarge, len(rows), MaxBatchRows)
	}
	src := w.opts.Source
	if w.opts.RequireSource {
		src = ""
	}
	return w.store(ctx, t, Validate(t, rows, src), len(rows))
}

// store applies the invalid-row policy to a validated batch of n rows and writes it.
func (w *Writer) store(ctx context.Context, t *Table, v *Validated, n int) (Result, error) {
	res := Result{Rejected: append([]RowError{}, v.Rejected...)}
	if len(v.Rejected) > 0 && !w.opts.AllowPartial {
		if err := w.recordRejects(ctx, nil, t, v.Rejected); err != nil {
			return res, err
		}
		return res, fmt.Errorf("%w (%d of %d rows invalid; fix them or allow partial writes)",
			ErrRejected, v.RejectedRows(), n)
	}
	good := v.Rows
	if !t.Event {
		good = lastPerKey(t, good)
	}
	var stored int
	err := withRetry(ctx, func() error {
		var err error
		stored, err = w.writeRows(ctx, t, good, v.Rejected)
		return err
	})
	if err != nil {
		return res, fmt.Errorf("write %s: %w", t.Name, err)
	}
	res.Stored = stored
	res.Duplicates = len(v.Rows) - stored
	if stored > 0 && t.Rollups && !w.opts.SkipRefresh && w.co != nil {
		w.co.add(TimeRange(t, good))
	}
	return res, nil
}

// WriteRows is Write for rows that are already Go values in t's column order (as the demo
// generator makes them): each value must have its column kind's Go type (see Kind); nil takes
// the column's default. The rules, the policy for invalid rows and the Result are Write's.
func (w *Writer) WriteRows(ctx context.Context, table string, rows [][]any) (Result, error) {
	res := Result{Rejected: []RowError{}}
	t, ok := Lookup(table)
	if !ok {
		return res, fmt.Errorf("%w: %w", ErrUnknownTable, &UnknownTableError{Name: table})
	}
	if len(rows) > MaxBatchRows {
		return res, fmt.Errorf("%w: %d rows, at most %d per batch; split it", ErrBatchTooLarge, len(rows), MaxBatchRows)
	}
	v := &Validated{}
	for i, values := range rows {
		values = append([]any(nil), values...)
		for ci, c := range t.Columns {
			if ci < len(values) && values[ci] == nil && c.Default != nil {
				values[ci] = c.Default
			}
			if c.Name == "source" && t.Event && ci < len(values) && values[ci] == nil {
				values[ci] = w.opts.Source
			}
		}
		if errs := CheckValues(t, values, i); len(errs) > 0 {
			v.Rejected = append(v.Rejected, errs...)
			continue
		}
		v.Rows = append(v.Rows, Row{Table: t, Values: values})
		v.Indexes = append(v.Indexes, i)
	}
	return w.store(ctx, t, v, len(rows))
}

// TimeRange returns the earliest and latest value of t's time column among rows (zero times when
// the table has none or rows is empty). The end is inclusive.
func TimeRange(t *Table, rows []Row) (from, to time.Time) {
	i := t.ColumnIndex(t.TimeColumn)
	if i < 0 {
		return
	}
	for _, r := range rows {
		ts, ok := r.Values[i].(time.Time)
		if !ok {
			continue
		}
		if from.IsZero() || ts.Before(from) {
			from = ts
		}
		if to.IsZero() || ts.After(to) {
			to = ts
		}
	}
	return from, to
}

// lastPerKey keeps the last occurrence of each key: an upsert may not touch a row twice in one
// statement, and "last wins" is what sending the rows one by one would do.
func lastPerKey(t *Table, rows []Row) []Row {
	idx := make([]int, len(t.Key))
	for i, k := range t.Key {
		idx[i] = t.ColumnIndex(k)
	}
	seen := make(map[string]int, len(rows))
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		key := fmt.Sprint(pick(r.Values, idx)...)
		if at, ok := seen[key]; ok {
			out[at] = r
			continue
		}
		seen[key] = len(out)
		out = append(out, r)
	}
	return out
}

func pick(values []any, idx []int) []any {
	out := make([]any, 0, 2*len(idx))
	for _, i := range idx {
		out = append(out, values[i], "\x00")
	}
	return out
}
