// Package receiver turns the events that GitHub, GitLab, PagerDuty, Opsgenie-style incident
// tools and OpenTelemetry (OTLP/HTTP, CI/CD semantic conventions) push into PlatformLens rows,
// and writes them through the one write path, pkg/ingest (same validation, idempotency by
// (source, external_id, time), rejects recorded with their reasons).
//
// Each source has one file holding its mapping rules (github.go, gitlab.go, pagerduty.go,
// incident_generic.go, otlp.go): a pure function from a decoded payload to Events. HTTP
// concerns (signatures, body limits, gzip, answers) live in http.go and the per-source
// handlers; counters and bookkeeping in stats.go.
package receiver

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Sources, as stored in the events' source column and used as metric labels.
const (
	SourceGitHub    = "github"
	SourceGitLab    = "gitlab"
	SourcePagerDuty = "pagerduty"
	SourceIncident  = "incident"
	SourceOTLP      = "otlp"
)

// Unassigned is the team, tech stack and product line of events whose repository or service
// is not in the mapping: they are stored, never dropped, and listed so the mapping can be completed.
const Unassigned = "unassigned"

// Event is one row a payload maps to: the target table and its columns (JSON-encodable values,
// times as time.Time). Name is the repository/service the team was resolved from.
type Event struct {
	Table string
	Row   map[string]any
	Name  string
	// Unmapped is true when Name had no mapping entry.
	Unmapped bool
}

// Mapped is the outcome of a mapping function: events to store, plus how many items of the
// payload were understood but deliberately not stored (and why, for the answer).
type Mapped struct {
	Events  []Event
	Ignored int
	Reasons []string
}

func (m *Mapped) ignore(reason string) {
	m.Ignored++
	if len(m.Reasons) < 5 {
		m.Reasons = append(m.Reasons, reason)
	}
}

// Outcome is what a delivery became; it is the JSON answer of every endpoint.
type Outcome struct {
	Stored     int               `json:"stored"`
	Duplicates int               `json:"duplicates"`
	Ignored    int               `json:"ignored"`
	Rejected   []ingest.RowError `json:"rejected"`
	Reasons    []string          `json:"reasons,omitempty"`
	Resolved   int               `json:"resolved,omitempty"`
}

// Receiver writes mapped events and keeps the counters. It is safe for concurrent use.
type Receiver struct {
	writer *ingest.Writer
	store  *store.Store
	Mapper *Mapper
	Stats  *Stats
	now    func() time.Time
	log    *slog.Logger
}

// New returns a Receiver writing to st through w (share the process's ingest.Writer so rollup
// refreshes coalesce). now is the clock (tests pass a fixed one).
func New(st *store.Store, w *ingest.Writer, now func() time.Time, logger *slog.Logger) *Receiver {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Receiver{writer: w, store: st, Mapper: NewMapper(), Stats: NewStats(), now: now, log: logger}
}

// Deliver stores the events of one delivery from source: one ingest batch per table (valid rows
// stored, invalid ones rejected with their reasons and recorded in ingest_errors), then incident
// resolutions applied to rows stored earlier. It records the outcome in the counters.
func (r *Receiver) Deliver(ctx context.Context, source string, m Mapped) (Outcome, error) {
	out := Outcome{Rejected: []ingest.RowError{}, Ignored: m.Ignored, Reasons: m.Reasons}
	byTable := map[string][]json.RawMessage{}
	latest := map[string]time.Time{}
	for _, ev := range m.Events {
		ev.Row["source"] = source
		for k, v := range ev.Row {
			// A time the payload lacks is absent, not year 1: validation then names the field.
			if t, ok := v.(time.Time); ok && t.IsZero() {
				delete(ev.Row, k)
			}
		}
		raw, err := json.Marshal(ev.Row)
		if err != nil {
			return out, fmt.Errorf("encode %s row: %w", ev.Table, err)
		}
		byTable[ev.Table] = append(byTable[ev.Table], raw)
		if t, ok := eventTime(ev); ok && t.After(latest[ev.Table]) {
			latest[ev.Table] = t
		}
		if ev.Unmapped {
			r.Stats.noteUnmapped(source, ev.Name, r.now())
		}
	}
	tables := make([]string, 0, len(byTable))
	for t := range byTable {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	w := r.writer.WithOptions(ingest.Options{Source: source, AllowPartial: true})
	for _, table := range tables {
		rows := byTable[table]
		start := time.Now() // latency of the write, not event time: the real clock is right here
		res, err := w.Write(ctx, table, rows)
		r.Stats.observeWrite(time.Since(start))
		if err != nil {
			return out, err
		}
		out.Stored += res.Stored
		out.Duplicates += res.Duplicates
		out.Rejected = append(out.Rejected, res.Rejected...)
		r.Stats.add(source, table, counts{received: int64(len(rows)), stored: int64(res.Stored),
			duplicates: int64(res.Duplicates), rejected: int64(rejectedRows(res.Rejected))}, latest[table], r.now())
	}
	if m.Ignored > 0 || len(m.Events) == 0 {
		r.Stats.add(source, "", counts{received: int64(m.Ignored), ignored: int64(m.Ignored)}, time.Time{}, r.now())
	}
	n, err := r.resolveIncidents(ctx, source, m.Events)
	out.Resolved = n
	return out, err
}

func rejectedRows(errs []ingest.RowError) int {
	n, last := 0, -1
	for _, e := range errs {
		if e.Index != last {
			n, last = n+1, e.Index
		}
	}
	return n
}

// eventTime is the value of the table's time column in ev.
func eventTime(ev Event) (time.Time, bool) {
	t, ok := ingest.Lookup(ev.Table)
	if !ok {
		return time.Time{}, false
	}
	ts, ok := ev.Row[t.TimeColumn].(time.Time)
	return ts, ok
}
