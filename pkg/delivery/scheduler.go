package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/report"
)

// Scheduler delivers due reports. Tick does one pass; Loop ticks until its context ends.
type Scheduler struct {
	Store  Store
	Engine report.Runner
	SMTP   SMTP
	HTTP   *http.Client
	Now    func() time.Time
	Log    *slog.Logger
	// MaxAttempts per period (default 5); failed attempts wait Backoff × 2^(attempt-1)
	// (default 5 minutes) before the next.
	MaxAttempts int
	Backoff     time.Duration
}

// staleRun is how long a run may stay "running" before a later tick takes it over (the process
// sending it died).
const staleRun = 30 * time.Minute

func (s *Scheduler) defaults() {
	if s.MaxAttempts == 0 {
		s.MaxAttempts = 5
	}
	if s.Backoff == 0 {
		s.Backoff = 5 * time.Minute
	}
	if s.HTTP == nil {
		s.HTTP = &http.Client{Timeout: 15 * time.Second}
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
}

// Loop ticks every interval until ctx ends (serve runs it in a goroutine).
func (s *Scheduler) Loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.Log.Error("report scheduler", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick sends every enabled schedule's report for its current period (the latest firing time at
// or before now, not before the schedule was created) unless that period's run was sent, is
// being sent, or failed and waits for its retry.
func (s *Scheduler) Tick(ctx context.Context) error {
	s.defaults()
	now := s.Now()
	list, err := s.Store.List(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, sc := range list {
		if !sc.Enabled {
			continue
		}
		period := sc.Cadence.Latest(now)
		if period.Before(sc.CreatedAt) {
			continue
		}
		done, attempt, ok, err := s.claim(ctx, sc.ID, period, now)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			if err := s.deliver(ctx, sc, period, done, attempt, now); err != nil {
				errs = append(errs, fmt.Errorf("schedule %q, period %s: %w", sc.Name, period.Format(time.RFC3339), err))
			}
		}
	}
	return errors.Join(errs...)
}

// claim takes the run of (schedule, period) for this process: a new row, or a failed one whose
// retry is due, or a stale running one. The unique key makes two processes' claims exclusive.
// It returns the recipients already served and the attempt number.
func (s *Scheduler) claim(ctx context.Context, id int64, period, now time.Time) ([]string, int, bool, error) {
	var done []string
	var attempt int
	err := s.Store.DB.QueryRow(ctx, `INSERT INTO report_runs (schedule_id, period, status, attempts, started_at)
		VALUES ($1, $2, 'running', 1, $3) ON CONFLICT (schedule_id, period) DO NOTHING RETURNING recipients, attempts`,
		id, period, now).Scan(&done, &attempt)
	if err == nil {
		return done, attempt, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, false, fmt.Errorf("claim report run: %w", err)
	}
	err = s.Store.DB.QueryRow(ctx, `UPDATE report_runs SET status = 'running', attempts = attempts + 1, started_at = $3
		WHERE schedule_id = $1 AND period = $2 AND attempts < $4
		  AND ((status = 'failed' AND next_attempt_at <= $3) OR (status = 'running' AND started_at < $5))
		RETURNING recipients, attempts`, id, period, now, s.MaxAttempts, now.Add(-staleRun)).Scan(&done, &attempt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, false, nil
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("claim report run for retry: %w", err)
	}
	return done, attempt, true, nil
}

// Range is the report range of a run: rangeDays whole local days ending at the start of the
// period's local day.
func Range(sc Schedule, period time.Time) (time.Time, time.Time) {
	l := period.In(sc.Cadence.loc)
	to := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, sc.Cadence.loc)
	return to.AddDate(0, 0, -sc.RangeDays).UTC(), to.UTC()
}

// deliver builds, renders and sends the report to each recipient not yet served, recording
// each success at once so a retry never sends to the same recipient twice.
func (s *Scheduler) deliver(ctx context.Context, sc Schedule, period time.Time, done []string, attempt int, now time.Time) error {
	fail := func(err error) error {
		next := now.Add(s.Backoff << (attempt - 1))
		_, uerr := s.Store.DB.Exec(ctx, `UPDATE report_runs SET status = 'failed', error = $3, finished_at = $4, next_attempt_at = $5
			WHERE schedule_id = $1 AND period = $2`, sc.ID, period, err.Error(), now, next)
		s.Log.Warn("report delivery failed", "schedule", sc.Name, "period", period, "attempt", attempt, "retry_at", next, "err", err)
		return errors.Join(err, uerr)
	}
	from, to := Range(sc, period)
	bctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	r, err := report.Build(bctx, s.Engine, report.Spec{From: from, To: to, Filters: sc.Filters})
	if err != nil {
		return fail(err)
	}
	var file bytes.Buffer
	if err := report.Render(&file, r, sc.Format); err != nil {
		return fail(err)
	}
	subject := fmt.Sprintf("%s: %s (%s)", r.Title, sc.Name, r.Period())
	summary := summaryText(r)
	name := fmt.Sprintf("platformlens-report-%s.%s", to.Format("2006-01-02"), sc.Format)
	var errs []error
	send := func(to string, f func() error) {
		if slices.Contains(done, to) {
			return
		}
		if err := f(); err != nil {
			errs = append(errs, err)
			return
		}
		done = append(done, to)
		if _, err := s.Store.DB.Exec(ctx, `UPDATE report_runs SET recipients = $3 WHERE schedule_id = $1 AND period = $2`,
			sc.ID, period, done); err != nil {
			errs = append(errs, err)
		}
	}
	for _, e := range sc.Emails {
		send(e, func() error {
			return s.SMTP.Send(ctx, e, subject, summary, name, sc.Format.ContentType(), file.Bytes())
		})
	}
	for _, w := range sc.Webhooks {
		send(w, func() error {
			return postWebhook(ctx, s.HTTP, w, map[string]any{"text": subject + "\n" + summary, "schedule": sc.Name,
				"from": from, "to": to, "format": sc.Format})
		})
	}
	if len(errs) > 0 {
		return fail(errors.Join(errs...))
	}
	_, err = s.Store.DB.Exec(ctx, `UPDATE report_runs SET status = 'sent', error = NULL, finished_at = $3, next_attempt_at = NULL
		WHERE schedule_id = $1 AND period = $2`, sc.ID, period, now)
	s.Log.Info("report delivered", "schedule", sc.Name, "period", period, "recipients", len(done), "attempt", attempt)
	return err
}

// summaryText is the mail body and webhook text: each section's reading and the action items.
func summaryText(r *report.Report) string {
	var b strings.Builder
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "%d. %s: %s\n", s.Number, s.Title, s.Reading)
		for _, rec := range s.Recommendations {
			fmt.Fprintf(&b, "   - [%s] %s\n", rec.Severity, rec.Text)
		}
	}
	return b.String()
}
