package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/platformlens/platformlens-analytics-app/pkg/report"
)

// Schedule is one scheduled report.
type Schedule struct {
	ID        int64               `json:"id"`
	Name      string              `json:"name"`
	Cadence   Cadence             `json:"-"`
	When      string              `json:"when"` // Cadence in words, e.g. "weekly, Monday 08:00, Europe/Berlin"
	RangeDays int                 `json:"rangeDays"`
	Format    report.Format       `json:"format"`
	Filters   map[string][]string `json:"filters,omitempty"`
	Emails    []string            `json:"emails"`
	Webhooks  []string            `json:"webhooks"`
	Enabled   bool                `json:"enabled"`
	CreatedAt time.Time           `json:"createdAt"`
}

// Run is one recorded delivery of a schedule for one period.
type Run struct {
	ScheduleID int64      `json:"scheduleId"`
	Period     time.Time  `json:"period"`
	Status     string     `json:"status"` // running, sent, failed
	Attempts   int        `json:"attempts"`
	Recipients []string   `json:"recipients"` // those the report reached
	Error      string     `json:"error,omitempty"`
	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt *time.Time `json:"finishedAt,omitempty"`
}

// Store reads and writes schedules and runs.
type Store struct{ DB *pgxpool.Pool }

// Validate checks a schedule before it is stored: a parsed cadence (When), 1–366 days, a known
// format, valid e-mail addresses and http(s) webhook URLs, at least one recipient.
func (s *Schedule) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" || len(s.Name) > 200 {
		return errors.New("schedule name must be 1 to 200 characters")
	}
	c, err := ParseCadence(s.When)
	if err != nil {
		return err
	}
	s.Cadence, s.When = c, c.String()
	if s.RangeDays == 0 {
		s.RangeDays = 30
	}
	if s.RangeDays < 1 || s.RangeDays > 366 {
		return fmt.Errorf("range of %d days: use 1 to 366", s.RangeDays)
	}
	if s.Format == "" {
		s.Format = report.FormatPDF
	}
	ok := false
	for _, f := range report.Formats {
		ok = ok || f == s.Format
	}
	if !ok {
		return fmt.Errorf("format %q is not pdf, csv, xlsx or md", s.Format)
	}
	for _, e := range s.Emails {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			return fmt.Errorf("e-mail recipient %q is not a plain address like leadership@company.com", e)
		}
	}
	for _, w := range s.Webhooks {
		u, err := url.Parse(w)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("webhook %q is not an http(s) URL", w)
		}
	}
	if len(s.Emails)+len(s.Webhooks) == 0 {
		return errors.New("a schedule needs at least one e-mail or webhook recipient")
	}
	if len(s.Emails)+len(s.Webhooks) > 100 {
		return errors.New("at most 100 recipients per schedule")
	}
	return nil
}

// Add validates and stores sc (enabled), created at now.
func (st Store) Add(ctx context.Context, sc Schedule, now time.Time) (Schedule, error) {
	if err := sc.Validate(); err != nil {
		return Schedule{}, err
	}
	if sc.Filters == nil {
		sc.Filters = map[string][]string{}
	}
	if sc.Emails == nil {
		sc.Emails = []string{}
	}
	if sc.Webhooks == nil {
		sc.Webhooks = []string{}
	}
	filters, _ := json.Marshal(sc.Filters)
	c := sc.Cadence
	var wd, md *int
	if c.Kind == "weekly" {
		w := int(c.Weekday)
		wd = &w
	}
	if c.Kind == "monthly" {
		md = &c.MonthDay
	}
	sc.Enabled, sc.CreatedAt = true, now.UTC().Truncate(time.Second)
	err := st.DB.QueryRow(ctx, `INSERT INTO report_schedules (name, cadence, weekday, month_day, at_minute, timezone,
		range_days, format, filters, emails, webhooks, enabled, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true, $12) RETURNING id`,
		sc.Name, c.Kind, wd, md, c.Minute, c.Zone, sc.RangeDays, string(sc.Format), filters, sc.Emails, sc.Webhooks, sc.CreatedAt).Scan(&sc.ID)
	if err != nil {
		if strings.Contains(err.Error(), "report_schedules_name_key") {
			return Schedule{}, fmt.Errorf("a schedule named %q exists; remove it first or pick another name", sc.Name)
		}
		return Schedule{}, fmt.Errorf("store schedule: %w", err)
	}
	return sc, nil
}

// List returns the schedules by name.
func (st Store) List(ctx context.Context) ([]Schedule, error) {
	rows, err := st.DB.Query(ctx, `SELECT id, name, cadence, weekday, month_day, at_minute, timezone, range_days, format,
		filters, emails, webhooks, enabled, created_at FROM report_schedules ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Schedule, error) {
		var sc Schedule
		var wd, md *int
		var format string
		var filters []byte
		if err := r.Scan(&sc.ID, &sc.Name, &sc.Cadence.Kind, &wd, &md, &sc.Cadence.Minute, &sc.Cadence.Zone, &sc.RangeDays,
			&format, &filters, &sc.Emails, &sc.Webhooks, &sc.Enabled, &sc.CreatedAt); err != nil {
			return sc, err
		}
		if wd != nil {
			sc.Cadence.Weekday = time.Weekday(*wd)
		}
		if md != nil {
			sc.Cadence.MonthDay = *md
		}
		var err error
		if sc.Cadence, err = sc.Cadence.withZone(); err != nil {
			return sc, fmt.Errorf("schedule %q: %w", sc.Name, err)
		}
		sc.When, sc.Format = sc.Cadence.String(), report.Format(format)
		_ = json.Unmarshal(filters, &sc.Filters)
		return sc, nil
	})
}

// Remove deletes the schedule with this id or name (its runs go with it).
func (st Store) Remove(ctx context.Context, idOrName string) error {
	id, _ := strconv.ParseInt(idOrName, 10, 64)
	tag, err := st.DB.Exec(ctx, `DELETE FROM report_schedules WHERE id = $1 OR name = $2`, id, idOrName)
	if err != nil {
		return fmt.Errorf("remove schedule: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("no schedule %q (see `platformlens report schedule list`)", idOrName)
	}
	return nil
}

// Runs returns the latest runs (of one schedule when id > 0), newest first, at most limit.
func (st Store) Runs(ctx context.Context, id int64, limit int) ([]Run, error) {
	rows, err := st.DB.Query(ctx, `SELECT schedule_id, period, status, attempts, recipients, coalesce(error, ''), started_at, finished_at
		FROM report_runs WHERE $1 = 0 OR schedule_id = $1 ORDER BY period DESC, schedule_id LIMIT $2`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("list report runs: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Run, error) {
		var x Run
		err := r.Scan(&x.ScheduleID, &x.Period, &x.Status, &x.Attempts, &x.Recipients, &x.Error, &x.StartedAt, &x.FinishedAt)
		return x, err
	})
}
