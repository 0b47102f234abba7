package receiver

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// counts are the outcomes of events of one source and table.
type counts struct {
	received, stored, duplicates, rejected, ignored, signatureFailures, malformed int64
}

func (c *counts) plus(d counts) {
	c.received += d.received
	c.stored += d.stored
	c.duplicates += d.duplicates
	c.rejected += d.rejected
	c.ignored += d.ignored
	c.signatureFailures += d.signatureFailures
	c.malformed += d.malformed
}

type statKey struct{ source, table string }

type statRow struct {
	counts
	lastEvent, lastReceived time.Time
}

type unmappedKey struct{ source, name string }

type unmappedRow struct {
	events          int64
	first, lastSeen time.Time
}

// writeBuckets are the upper bounds (seconds) of the write-latency histogram.
var writeBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// Stats counts what serve received, for GET /metrics (totals since start) and for the
// receiver_sources bookkeeping table (deltas, flushed periodically so a delivery costs no
// extra round trip).
type Stats struct {
	mu       sync.Mutex
	total    map[statKey]*statRow
	pending  map[statKey]*statRow
	unmapped map[unmappedKey]*unmappedRow

	latCount   int64
	latSum     float64
	latBuckets []int64
}

// NewStats returns empty counters.
func NewStats() *Stats {
	return &Stats{total: map[statKey]*statRow{}, pending: map[statKey]*statRow{},
		unmapped: map[unmappedKey]*unmappedRow{}, latBuckets: make([]int64, len(writeBuckets))}
}

func (s *Stats) add(source, table string, d counts, lastEvent, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []map[statKey]*statRow{s.total, s.pending} {
		k := statKey{source, table}
		r := m[k]
		if r == nil {
			r = &statRow{}
			m[k] = r
		}
		r.plus(d)
		if lastEvent.After(r.lastEvent) {
			r.lastEvent = lastEvent
		}
		r.lastReceived = now
	}
}

// SignatureFailure counts a delivery refused for a missing or wrong signature/token.
func (s *Stats) SignatureFailure(source string, now time.Time) {
	s.add(source, "", counts{signatureFailures: 1}, time.Time{}, now)
}

// Malformed counts a delivery refused because its body could not be decoded.
func (s *Stats) Malformed(source string, now time.Time) {
	s.add(source, "", counts{malformed: 1}, time.Time{}, now)
}

func (s *Stats) noteUnmapped(source, name string, now time.Time) {
	if name == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := unmappedKey{source, name}
	r := s.unmapped[k]
	if r == nil {
		if len(s.unmapped) >= 10000 { // bounded: hostile senders may invent names
			return
		}
		r = &unmappedRow{first: now}
		s.unmapped[k] = r
	}
	r.events++
	r.lastSeen = now
}

func (s *Stats) observeWrite(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec := d.Seconds()
	s.latCount++
	s.latSum += sec
	for i, b := range writeBuckets {
		if sec <= b {
			s.latBuckets[i]++
		}
	}
}

// WritePrometheus writes the counters in the Prometheus text exposition format (version 0.0.4).
func (s *Stats) WritePrometheus(w io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]statKey, 0, len(s.total))
	for k := range s.total {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].source != keys[j].source {
			return keys[i].source < keys[j].source
		}
		return keys[i].table < keys[j].table
	})
	series := []struct {
		name, help string
		get        func(c counts) int64
	}{
		{"platformlens_receiver_events_received_total", "Events received, per source and table (table=\"\" for events mapped to no table).", func(c counts) int64 { return c.received }},
		{"platformlens_receiver_events_stored_total", "Events stored as new rows.", func(c counts) int64 { return c.stored }},
		{"platformlens_receiver_events_duplicate_total", "Events already stored (same source, external_id and time).", func(c counts) int64 { return c.duplicates }},
		{"platformlens_receiver_events_rejected_total", "Events rejected by validation (reasons in ingest_errors).", func(c counts) int64 { return c.rejected }},
		{"platformlens_receiver_events_ignored_total", "Events understood but not mapped to any table.", func(c counts) int64 { return c.ignored }},
		{"platformlens_receiver_signature_failures_total", "Deliveries refused for a missing or wrong signature or token.", func(c counts) int64 { return c.signatureFailures }},
		{"platformlens_receiver_malformed_total", "Deliveries refused because the body could not be decoded.", func(c counts) int64 { return c.malformed }},
	}
	for _, se := range series {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", se.name, se.help, se.name)
		for _, k := range keys {
			fmt.Fprintf(w, "%s{source=%q,table=%q} %d\n", se.name, k.source, k.table, se.get(s.total[k].counts))
		}
	}
	const h = "platformlens_receiver_write_seconds"
	fmt.Fprintf(w, "# HELP %s Latency of one ingest write (one table of one delivery).\n# TYPE %s histogram\n", h, h)
	for i, b := range writeBuckets {
		fmt.Fprintf(w, "%s_bucket{le=\"%g\"} %d\n", h, b, s.latBuckets[i])
	}
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n", h, s.latCount, h, s.latSum, h, s.latCount)
}

// Flush adds the counts gathered since the last flush to receiver_sources and receiver_unmapped.
// On failure the deltas are kept for the next attempt.
func (s *Stats) Flush(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	s.mu.Lock()
	pending, unmapped := s.pending, s.unmapped
	s.pending, s.unmapped = map[statKey]*statRow{}, map[unmappedKey]*unmappedRow{}
	s.mu.Unlock()
	if len(pending) == 0 && len(unmapped) == 0 {
		return nil
	}
	batch := &pgx.Batch{}
	src := pgx.Identifier{schema, "receiver_sources"}.Sanitize()
	for k, r := range pending {
		batch.Queue(`INSERT INTO `+src+` AS t (source, table_name, received, stored, duplicates, rejected, ignored,
				signature_failures, malformed, last_event_at, last_received_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (source, table_name) DO UPDATE SET
				received = t.received + EXCLUDED.received, stored = t.stored + EXCLUDED.stored,
				duplicates = t.duplicates + EXCLUDED.duplicates, rejected = t.rejected + EXCLUDED.rejected,
				ignored = t.ignored + EXCLUDED.ignored, signature_failures = t.signature_failures + EXCLUDED.signature_failures,
				malformed = t.malformed + EXCLUDED.malformed,
				last_event_at = greatest(t.last_event_at, EXCLUDED.last_event_at),
				last_received_at = greatest(t.last_received_at, EXCLUDED.last_received_at)`,
			k.source, k.table, r.received, r.stored, r.duplicates, r.rejected, r.ignored, r.signatureFailures, r.malformed,
			nullTime(r.lastEvent), nullTime(r.lastReceived))
	}
	um := pgx.Identifier{schema, "receiver_unmapped"}.Sanitize()
	for k, r := range unmapped {
		batch.Queue(`INSERT INTO `+um+` AS t (source, name, events, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (source, name) DO UPDATE SET events = t.events + EXCLUDED.events,
				last_seen = greatest(t.last_seen, EXCLUDED.last_seen)`, k.source, k.name, r.events, r.first, r.lastSeen)
	}
	if err := pool.SendBatch(ctx, batch).Close(); err != nil {
		s.restore(pending, unmapped)
		return fmt.Errorf("record receiver bookkeeping: %w", err)
	}
	return nil
}

func (s *Stats) restore(pending map[statKey]*statRow, unmapped map[unmappedKey]*unmappedRow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, r := range pending {
		cur := s.pending[k]
		if cur == nil {
			s.pending[k] = r
			continue
		}
		cur.plus(r.counts)
		if r.lastEvent.After(cur.lastEvent) {
			cur.lastEvent = r.lastEvent
		}
	}
	for k, r := range unmapped {
		if cur := s.unmapped[k]; cur != nil {
			cur.events += r.events
			cur.first = r.first
		} else {
			s.unmapped[k] = r
		}
	}
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
