package api

import (
	"sync"
	"time"
)

// limiter counts requests per key and kind in fixed one-hour windows (aligned to the hour).
// It lives in the serve process: with several serve replicas each enforces the limit on its own
// share of the traffic.
type limiter struct {
	mu      sync.Mutex
	windows map[string]window
}

type window struct {
	start time.Time
	count int
}

// allow counts one request of kind for key and reports whether it is within limit per hour; if
// not, it returns how long until the window resets.
func (l *limiter) allow(key, kind string, limit int, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.windows == nil {
		l.windows = map[string]window{}
	}
	start := now.Truncate(time.Hour)
	id := key + "\x00" + kind
	w := l.windows[id]
	if !w.start.Equal(start) {
		w = window{start: start}
	}
	if w.count >= limit {
		return false, start.Add(time.Hour).Sub(now)
	}
	w.count++
	l.windows[id] = w
	return true, 0
}
