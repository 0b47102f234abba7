package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// LiveOptions configure a live demo. Zero values take the defaults below.
type LiveOptions struct {
	Seed uint64
	// Now is the clock; tests pass a fixed or stepped one. Default time.Now.
	Now func() time.Time
	// BuildsPerHour and DeploymentsPerHour are the organisation's flat live volumes. They are
	// high enough (≈ 60 builds per tech stack and hour) that the alert rules' minimum-volume
	// guards are met and a healthy hour's success rate does not flap around its target.
	BuildsPerHour, DeploymentsPerHour float64
	// DegradationEvery is the period of the scripted degradation: in the period's minutes
	// [DegradationAt, DegradationAt+DegradationFor) the source-control platform is down, builds
	// fail, a p1 incident opens and resolves after the recovery. Default every 2 hours at minute
	// 20 for 10 minutes: the 1-hour alert rules fire, then resolve before the next one.
	DegradationEvery, DegradationAt, DegradationFor time.Duration
	// MaxCatchUp bounds how far back the first step (or a step after a pause) writes: a live
	// demo restarted after a day fills at most this much history, not the whole gap.
	MaxCatchUp time.Duration
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BuildsPerHour <= 0 {
		o.BuildsPerHour = 480
	}
	if o.DeploymentsPerHour <= 0 {
		o.DeploymentsPerHour = 60
	}
	if o.DegradationEvery <= 0 {
		o.DegradationEvery = 2 * time.Hour
		if o.DegradationAt == 0 {
			o.DegradationAt = 20 * time.Minute
		}
	}
	if o.DegradationFor <= 0 {
		o.DegradationFor = 10 * time.Minute
	}
	if o.MaxCatchUp <= 0 {
		o.MaxCatchUp = 2 * time.Hour
	}
	return o
}

// Live keeps the demo data set alive: every Step writes the events of the whole minutes since the
// previous step through the normal ingest write path (validation, idempotent keys, rollup
// refresh), so dashboards' "latest hour" panels and the alert rules' short windows keep data.
// Each minute's rows depend only on the seed and the minute, so writing a minute twice (a
// restart, two live demos) stores it once.
type Live struct {
	db   DB
	w    *ingest.Writer
	opts LiveOptions
	last time.Time // end (exclusive) of the minutes written so far
}

// LiveStep says what one Step wrote.
type LiveStep struct {
	From, To time.Time // the minutes written: [From, To)
	Stored   int       // new rows over every table
	Degraded bool      // the last minute written is inside the scripted degradation
}

// NewLive returns a live demo writing into db.
func NewLive(db DB, opts LiveOptions) *Live {
	return &Live{db: db, w: ingest.NewWriter(db.Pool(), db, ingest.Options{Source: Source}), opts: opts.withDefaults()}
}

// Step writes every whole minute in (previous step, now], at most MaxCatchUp back, and refreshes
// the rollups of what it wrote. The first step continues after the newest demo probe (the end of
// the loaded year, or where an earlier live demo stopped) rather than doubling minutes that
// already have demo data.
func (l *Live) Step(ctx context.Context) (LiveStep, error) {
	to := l.opts.Now().UTC().Truncate(time.Minute)
	from := l.last
	if earliest := to.Add(-l.opts.MaxCatchUp); from.Before(earliest) {
		from = earliest
	}
	if l.last.IsZero() {
		var newest *time.Time
		if err := l.db.Pool().QueryRow(ctx, `SELECT max(probed_at) FROM platform_probes WHERE source = $1`, Source).Scan(&newest); err != nil {
			return LiveStep{}, fmt.Errorf("live demo: find the newest demo probe: %w", err)
		}
		if newest != nil && !newest.Before(from) {
			from = newest.UTC().Truncate(time.Minute).Add(time.Minute)
		}
		if err := l.writeDimensions(ctx); err != nil {
			return LiveStep{}, err
		}
	}
	st := LiveStep{From: from, To: to}
	if !from.Before(to) {
		if from.After(l.last) {
			l.last = from
		}
		return st, nil
	}
	batch := map[string][][]any{}
	for m := from; m.Before(to); m = m.Add(time.Minute) {
		l.minute(m, func(table string, row Row) { batch[table] = append(batch[table], row) })
		st.Degraded = l.degraded(m)
	}
	for _, table := range []string{"platform_probes", "builds", "deployments", "incidents"} {
		rows := batch[table]
		for len(rows) > 0 {
			n := min(len(rows), ingest.MaxBatchRows)
			res, err := l.w.WriteRows(ctx, table, rows[:n])
			if err != nil {
				return st, fmt.Errorf("live demo %s: %w", table, err)
			}
			st.Stored += res.Stored
			rows = rows[n:]
		}
	}
	if err := l.w.Flush(ctx); err != nil {
		return st, fmt.Errorf("live demo: %w", err)
	}
	l.last = to
	return st, nil
}

// writeDimensions upserts the dimensions the live events refer to (stacks, platforms and their
// pipeline flags, environments, funnels), so a live demo on an empty schema is complete; the
// teams' validity rows belong to the year's load.
func (l *Live) writeDimensions(ctx context.Context) error {
	p := &plan{teams: liveTeams}
	for _, d := range p.dimensionRows() {
		if d.table == "teams" {
			continue
		}
		if _, err := l.w.WriteRows(ctx, d.table, d.rows); err != nil {
			return fmt.Errorf("live demo %s: %w", d.table, err)
		}
	}
	return nil
}

// Run steps now and then at every minute boundary until ctx ends; it returns nil when ctx is
// cancelled (Ctrl-C, SIGTERM) and the error of a failed step otherwise. wait sleeps until the
// given instant or ctx's end (nil: real sleeping); tests pass one that advances their clock.
func (l *Live) Run(ctx context.Context, wait func(ctx context.Context, until time.Time) error, report func(LiveStep)) error {
	if wait == nil {
		wait = sleepUntil
	}
	for {
		st, err := l.Step(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if report != nil {
			report(st)
		}
		next := l.opts.Now().Truncate(time.Minute).Add(time.Minute + time.Second)
		if err := wait(ctx, next); err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

func sleepUntil(ctx context.Context, until time.Time) error {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// degraded reports whether minute m is inside the scripted degradation.
func (l *Live) degraded(m time.Time) bool {
	off := time.Duration(m.UnixNano() % int64(l.opts.DegradationEvery))
	return off >= l.opts.DegradationAt && off < l.opts.DegradationAt+l.opts.DegradationFor
}

// degradationStart returns the start of the degradation of m's period.
func (l *Live) degradationStart(m time.Time) time.Time {
	return m.Add(-time.Duration(m.UnixNano() % int64(l.opts.DegradationEvery))).Add(l.opts.DegradationAt)
}

// liveDownPlatform is the platform the scripted degradation takes down: source control, so
// builds fail as well and the build, availability and platform alerts all have a reason to fire.
var liveDownPlatform = platformIndex("GitHub Enterprise")

// liveSuccess is the healthy build success rate per tech stack: on the good side of the default
// 90 % target, some comfortably (green) and some close to it (amber on the dashboards).
var liveSuccess = map[string]float64{"java": 0.94, "dotnet": 0.95, "python": 0.96, "javascript": 0.97,
	"go": 0.98, "rust": 0.97, "cpp": 0.94, "ruby": 0.95}
