package ingest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// RollupLag is how long a Writer lets written ranges accumulate before it refreshes their
// rollups. Refreshing recomputes whole hour and day buckets of every rollup (tens of
// milliseconds at tier M), so refreshing after every 1,000-row batch would cap ingest far below
// the 50,000 events/s the quality bar asks for; coalescing turns a stream of batches into one
// refresh every RollupLag. Dashboards read short ranges from raw rows, so the lag is invisible
// there; long ranges (served from rollups) see new rows at most RollupLag plus the refresh late.
const RollupLag = 2 * time.Second

// maxRefreshBackoff bounds the retry interval after failed background refreshes (database down).
const maxRefreshBackoff = time.Minute

// coalescer collects written time ranges and refreshes them after RollupLag, or at Flush.
type coalescer struct {
	r   Refresher
	lag time.Duration

	mu      sync.Mutex
	pending []span // day-aligned, sorted, non-overlapping
	timer   *time.Timer
	backoff time.Duration
	lastErr error

	run sync.Mutex // one refresh at a time, so ranges are never refreshed out of order
}

type span struct{ from, to time.Time } // [from, to)

func newCoalescer(r Refresher, lag time.Duration) *coalescer {
	return &coalescer{r: r, lag: lag}
}

// add records [from, to] (inclusive) as written and schedules a refresh.
func (c *coalescer) add(from, to time.Time) {
	// Day alignment: daily rollups recompute whole days anyway, and aligned spans merge well.
	s := span{from.UTC().Truncate(24 * time.Hour), to.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = mergeSpans(append(c.pending, s))
	c.scheduleLocked(c.lag)
}

func (c *coalescer) scheduleLocked(after time.Duration) {
	if c.timer == nil {
		c.timer = time.AfterFunc(after, c.fire)
	}
}

func (c *coalescer) fire() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c.mu.Lock()
	c.timer = nil
	c.mu.Unlock()
	if err := c.flush(ctx); err != nil {
		c.mu.Lock()
		c.backoff = min(max(2*c.backoff, c.lag), maxRefreshBackoff)
		if len(c.pending) > 0 {
			c.scheduleLocked(c.backoff)
		}
		c.mu.Unlock()
		return
	}
	c.mu.Lock()
	c.backoff = 0
	c.mu.Unlock()
}

// flush refreshes every pending span now. Spans that fail stay pending for the next attempt.
func (c *coalescer) flush(ctx context.Context) error {
	c.run.Lock()
	defer c.run.Unlock()
	c.mu.Lock()
	work := c.pending
	c.pending = nil
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.mu.Unlock()
	for i, s := range work {
		if err := c.r.RefreshRollups(ctx, s.from, s.to); err != nil {
			err = fmt.Errorf("%w (%s – %s): %w", ErrRefresh, s.from.Format(time.DateOnly), s.to.Format(time.DateOnly), err)
			c.mu.Lock()
			c.pending = mergeSpans(append(c.pending, work[i:]...))
			c.lastErr = err
			c.mu.Unlock()
			return err
		}
	}
	c.mu.Lock()
	c.lastErr = nil
	c.mu.Unlock()
	return nil
}

func (c *coalescer) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastErr
}

func mergeSpans(spans []span) []span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && !s.from.After(out[n-1].to) {
			if s.to.After(out[n-1].to) {
				out[n-1].to = s.to
			}
			continue
		}
		out = append(out, s)
	}
	return out
}
