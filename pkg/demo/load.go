package demo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// DB is what Load needs from the store; *store.Store implements it.
type DB interface {
	Pool() *pgxpool.Pool
	RefreshRollups(ctx context.Context, from, to time.Time) error
}

// Options select what Load and Generate produce.
type Options struct {
	Tier Tier // S, M or L (case-insensitive)
	Seed uint64
	// End is the end of the year of data (exclusive), truncated to the minute. Zero means now:
	// the data reaches the present (the Operations dashboard's "last hour" has data), and reruns
	// within the same minute produce identical data.
	End time.Time
	// Progress, when set, is called as tables load (about every two seconds and when a table is
	// done). It is called from Load's goroutine.
	Progress func(Progress)
}

// Progress reports how far a table got.
type Progress struct {
	Table   string        `json:"table"`
	Rows    int64         `json:"rows"`
	Elapsed time.Duration `json:"elapsed"`
	Done    bool          `json:"done"`
}

// RowsPerSecond is the table's load rate so far.
func (p Progress) RowsPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Rows) / p.Elapsed.Seconds()
}

// TableResult is what Load wrote to one table.
type TableResult struct {
	Table   string  `json:"table"`
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
}

// Result summarises a Load.
type Result struct {
	Tier    Tier          `json:"tier"`
	Seed    uint64        `json:"seed"`
	Start   time.Time     `json:"start"`
	End     time.Time     `json:"end"`
	Tables  []TableResult `json:"tables"`
	Rows    int64         `json:"rows"`
	Seconds float64       `json:"seconds"` // including the rollup refresh
}

// eventTables lists the event generators in load order.
func (p *plan) eventTables() []struct {
	table string
	rows  iter.Seq[Row]
} {
	type ev = struct {
		table string
		rows  iter.Seq[Row]
	}
	return []ev{
		{"platform_probes", p.probes()}, {"builds", p.builds()}, {"deployments", p.deployments(nil)},
		{"incidents", p.incidents()}, {"pull_requests", p.pullRequests()}, {"change_tickets", p.changeTickets()},
		{"dx_responses", p.dxResponses()}, {"quality_snapshots", p.qualitySnapshots()},
		{"license_snapshots", p.licenseSnapshots()}, {"revenue", p.revenue()}, {"product_events", p.productEvents()},
	}
}

func (o Options) plan() (*plan, error) {
	tier, err := ParseTier(string(o.Tier)) // "s" from an HTTP body is tier S too
	if err != nil {
		return nil, err
	}
	end := o.End
	if end.IsZero() {
		end = time.Now()
	}
	return newPlan(tier, o.Seed, end)
}

// Generate produces the data set without a database: fn sees every row of every table (dimensions
// first) in load order. Tests use it to check determinism and the ingest rules.
func Generate(opts Options, fn func(table string, row []any) error) error {
	p, err := opts.plan()
	if err != nil {
		return err
	}
	for _, d := range p.dimensionRows() {
		for _, row := range d.rows {
			if err := fn(d.table, row); err != nil {
				return err
			}
		}
	}
	for _, e := range p.eventTables() {
		for row := range e.rows {
			if err := fn(e.table, row); err != nil {
				return err
			}
		}
	}
	return nil
}

// Load replaces the demo data: dimensions are upserted (demo teams' stale validity rows are
// removed), each event table's source = 'demo' rows are replaced in one transaction per table
// (rows of other sources are never touched), then the rollups are refreshed for the year and for
// whatever range earlier demo rows covered.
func Load(ctx context.Context, db DB, opts Options) (Result, error) {
	p, err := opts.plan()
	if err != nil {
		return Result{}, err
	}
	began := time.Now()
	res := Result{Tier: p.tier, Seed: p.seed, Start: p.start, End: p.end}
	unlock, err := lockDemo(ctx, db.Pool())
	if err != nil {
		return res, err
	}
	defer unlock()
	if err := p.loadDimensions(ctx, db.Pool()); err != nil {
		return res, err
	}
	from, to := p.start, p.end
	for _, e := range p.eventTables() {
		tr, lo, hi, err := p.loadEvents(ctx, db.Pool(), mustTable(e.table), e.rows, opts.Progress)
		if err != nil {
			return res, err
		}
		if !lo.IsZero() && lo.Before(from) {
			from = lo
		}
		if hi.After(to) {
			to = hi
		}
		res.Tables = append(res.Tables, tr)
		res.Rows += tr.Rows
	}
	if err := refresh(ctx, db, from, to.Add(time.Microsecond), opts.Progress); err != nil {
		return res, fmt.Errorf("demo data loaded, but refreshing the rollups failed (run the load again): %w", err)
	}
	res.Seconds = time.Since(began).Seconds()
	return res, nil
}

// ErrBusy is returned when another demo load into the same database is still running.
var ErrBusy = errors.New("another demo data load is running on this database; wait for it to finish")

// demoLockKey is the advisory lock that keeps two loads (two clicks, two replicas) from
// interleaving their deletes and COPYs.
const demoLockKey = int64(0x706c_6465_6d6f) // "pldemo"

// lockDemo takes the demo lock on a dedicated connection and returns its release.
func lockDemo(ctx context.Context, pool *pgxpool.Pool) (func(), error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", demoLockKey).Scan(&ok); err != nil {
		conn.Release()
		return nil, fmt.Errorf("demo: take the load lock: %w", err)
	}
	if !ok {
		conn.Release()
		return nil, ErrBusy
	}
	return func() {
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock($1)", demoLockKey); err != nil {
			_ = conn.Conn().Close(uctx) // closing the session releases the lock
		}
		conn.Release()
	}, nil
}

// refreshChunk bounds one RefreshRollups call: a week of tier L is well inside the pool's
// statement timeout, which a whole year of tier M is not.
const refreshChunk = 7 * 24 * time.Hour

// refresh recomputes the rollups of [from, to) in day-aligned chunks.
func refresh(ctx context.Context, db DB, from, to time.Time, progress func(Progress)) error {
	began := time.Now()
	for lo := from; lo.Before(to); {
		hi := lo.Truncate(24 * time.Hour).Add(refreshChunk)
		if hi.After(to) {
			hi = to
		}
		if err := db.RefreshRollups(ctx, lo, hi); err != nil {
			return err
		}
		lo = hi
	}
	if progress != nil {
		progress(Progress{Table: RollupsStep, Elapsed: time.Since(began), Done: true})
	}
	return nil
}

func (p *plan) loadDimensions(ctx context.Context, pool *pgxpool.Pool) error {
	w := ingest.NewWriter(pool, nil, ingest.Options{Source: Source})
	var names []string
	var validFrom []time.Time
	for _, d := range p.dimensionRows() {
		if _, err := w.WriteRows(ctx, d.table, d.rows); err != nil {
			return fmt.Errorf("demo %s: %w", d.table, err)
		}
		if d.table == "teams" {
			tt := mustTable("teams")
			for _, r := range d.rows {
				names = append(names, r[tt.ColumnIndex("name")].(string))
				validFrom = append(validFrom, r[tt.ColumnIndex("valid_from")].(time.Time))
			}
		}
	}
	// Validity rows of demo teams from a load with another end time: only demo team names.
	_, err := pool.Exec(ctx, `DELETE FROM teams t WHERE t.name = ANY($1::text[])
		AND NOT EXISTS (SELECT 1 FROM unnest($1::text[], $2::timestamptz[]) k(name, valid_from)
		                WHERE k.name = t.name AND k.valid_from = t.valid_from)`, names, validFrom)
	if err != nil {
		return fmt.Errorf("demo teams: remove stale validity rows: %w", err)
	}
	return nil
}

// loadEvents replaces t's demo rows with rows in one transaction and returns what it wrote and the
// time range the replaced rows covered (for the rollup refresh).
func (p *plan) loadEvents(ctx context.Context, pool *pgxpool.Pool, t *ingest.Table, rows iter.Seq[Row],
	progress func(Progress)) (TableResult, time.Time, time.Time, error) {
	began := time.Now()
	res := TableResult{Table: t.Name}
	name := pgx.Identifier{t.Name}.Sanitize()
	timeCol := pgx.Identifier{t.TimeColumn}.Sanitize()
	fail := func(what string, err error) (TableResult, time.Time, time.Time, error) {
		return res, time.Time{}, time.Time{}, fmt.Errorf("demo %s: %s: %w", t.Name, what, err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fail("begin", err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	// A demo load of tier M or L runs COPYs of minutes, far beyond the pool's statement timeout
	// that protects dashboards; it stays cancellable through ctx.
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
		return fail("disable the statement timeout", err)
	}
	var lo, hi *time.Time
	var others bool
	err = tx.QueryRow(ctx, fmt.Sprintf(`SELECT min(%[1]s), max(%[1]s),
		EXISTS (SELECT 1 FROM %[2]s WHERE source <> $1) FROM %[2]s`, timeCol, name), Source).Scan(&lo, &hi, &others)
	if err != nil {
		return fail("inspect", err)
	}
	// TRUNCATE is instant where DELETE of millions of rows takes minutes and leaves them dead;
	// it is only used when every row of the table is a demo row.
	if others {
		_, err = tx.Exec(ctx, "DELETE FROM "+name+" WHERE source = $1", Source)
	} else {
		_, err = tx.Exec(ctx, "TRUNCATE "+name)
	}
	if err != nil {
		return fail("remove previous demo rows", err)
	}
	src := newSeqSource(rows, func(n int64, done bool) {
		if progress != nil {
			progress(Progress{Table: t.Name, Rows: n, Elapsed: time.Since(began), Done: done})
		}
	})
	defer src.stop()
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.Name}, t.ColumnNames(), src)
	if err != nil {
		return fail("copy", err)
	}
	// Fresh statistics, committed with the rows: dashboards plan their first queries on them.
	if _, err := tx.Exec(ctx, "ANALYZE "+name); err != nil {
		return fail("analyze", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fail("commit", err)
	}
	res.Rows, res.Seconds = n, time.Since(began).Seconds()
	src.report(true)
	var from, to time.Time
	if lo != nil {
		from, to = *lo, *hi
	}
	return res, from, to, nil
}

// seqSource feeds an iterator to COPY (pgx pulls rows; generators push them) and reports progress.
type seqSource struct {
	next     func() (Row, bool)
	stop     func()
	row      Row
	n        int64
	lastTick time.Time
	onTick   func(n int64, done bool)
}

func newSeqSource(rows iter.Seq[Row], onTick func(int64, bool)) *seqSource {
	next, stop := iter.Pull(rows)
	return &seqSource{next: next, stop: stop, onTick: onTick, lastTick: time.Now()}
}

func (s *seqSource) Next() bool {
	row, ok := s.next()
	if !ok {
		return false
	}
	s.row = row
	s.n++
	if s.n%4096 == 0 && time.Since(s.lastTick) > 2*time.Second {
		s.report(false)
	}
	return true
}

func (s *seqSource) report(done bool) {
	s.lastTick = time.Now()
	s.onTick(s.n, done)
}

func (s *seqSource) Values() ([]any, error) { return s.row, nil }
func (s *seqSource) Err() error             { return nil }

var _ pgx.CopyFromSource = (*seqSource)(nil)
