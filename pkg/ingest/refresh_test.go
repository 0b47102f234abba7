package ingest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// recorder is a Refresher that records calls and fails while failing is set.
type recorder struct {
	mu      sync.Mutex
	calls   []span
	failing bool
}

func (r *recorder) RefreshRollups(_ context.Context, from, to time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failing {
		return errors.New("database down")
	}
	r.calls = append(r.calls, span{from, to})
	return nil
}

func day(d int, h int) time.Time { return time.Date(2025, 5, d, h, 0, 0, 0, time.UTC) }

func TestCoalescerMergesDaysAndRetries(t *testing.T) {
	rec := &recorder{failing: true}
	c := newCoalescer(rec, time.Hour) // no timer fires during the test
	c.add(day(1, 10), day(1, 11))
	c.add(day(2, 3), day(2, 4))  // adjacent day: merged
	c.add(day(5, 0), day(5, 23)) // separate span
	c.add(day(1, 1), day(1, 2))  // inside the first
	if err := c.flush(context.Background()); !errors.Is(err, ErrRefresh) || c.err() == nil {
		t.Fatalf("flush while failing = %v", err)
	}
	rec.failing = false
	if err := c.flush(context.Background()); err != nil || c.err() != nil {
		t.Fatalf("flush = %v", err)
	}
	want := []span{{day(1, 0), day(3, 0)}, {day(5, 0), day(6, 0)}}
	if len(rec.calls) != 2 || rec.calls[0] != want[0] || rec.calls[1] != want[1] {
		t.Fatalf("refreshed %v, want %v", rec.calls, want)
	}
	if err := c.flush(context.Background()); err != nil || len(rec.calls) != 2 {
		t.Fatalf("empty flush refreshed again: %v", rec.calls)
	}
}

func TestCoalescerRefreshesInBackground(t *testing.T) {
	rec := &recorder{}
	c := newCoalescer(rec, 20*time.Millisecond)
	c.add(day(1, 10), day(1, 11))
	// Generous: a loaded machine may delay the 20 ms timer by seconds; the loop ends at the call.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		rec.mu.Lock()
		n := len(rec.calls)
		rec.mu.Unlock()
		if n == 1 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no background refresh within a minute")
}
