package metrics

import (
	"testing"
	"time"
)

func TestResolveIntervalAuto(t *testing.T) {
	cases := []struct {
		span, grafana time.Duration
		max           int64
		want          string
	}{
		{time.Hour, 15 * time.Second, 1000, "1m"},     // Grafana's 15 s rounds up to a minute
		{24 * time.Hour, 2 * time.Minute, 1000, "5m"}, // 2 m → 5 m
		{24 * time.Hour, 0, 100, "15m"},               // 1440 m / 100 points = 14.4 m → 15 m
		{7 * 24 * time.Hour, 10 * time.Minute, 1000, "15m"},
		{30 * 24 * time.Hour, 30 * time.Minute, 1000, "1h"},
		{90 * 24 * time.Hour, time.Hour, 200, "1d"},       // 10.8 h per point → 1 d
		{365 * 24 * time.Hour, 24 * time.Hour, 100, "1w"}, // 3.65 d per point → 1 w
		{5 * 365 * 24 * time.Hour, 0, 50, "1mo"},          // 36.5 d per point → month
	}
	for _, c := range cases {
		b, err := ResolveInterval("auto", c.span, c.grafana, c.max)
		if err != nil || b.Name != c.want {
			t.Errorf("auto(span %v, grafana %v, max %d) = %v %v, want %s", c.span, c.grafana, c.max, b.Name, err, c.want)
		}
	}
	for name, want := range map[string]string{"hour": "1h", "day": "1d", "week": "1w", "month": "1mo"} {
		if b, _ := ResolveInterval(name, time.Hour, 0, 0); b.Name != want {
			t.Errorf("%s → %s, want %s", name, b.Name, want)
		}
	}
	if _, err := ResolveInterval("fortnight", time.Hour, 0, 0); err == nil {
		t.Error("unknown interval accepted")
	}
}

func TestBucketGridAlignment(t *testing.T) {
	// 2024-01-03 is a Wednesday: its week bucket starts Monday 2024-01-01, as time_bucket does.
	wed := time.Date(2024, 1, 3, 15, 4, 0, 0, time.UTC)
	if got := step("1w").Floor(wed); !got.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("week floor = %v", got)
	}
	if got := step("6h").Floor(wed); !got.Equal(time.Date(2024, 1, 3, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("6h floor = %v", got)
	}
	if got := step("1mo").Floor(wed); !got.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month floor = %v", got)
	}
	// Before the origin floors down, not toward the origin.
	old := time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC)
	if got := step("1d").Floor(old); !got.Equal(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("pre-origin floor = %v", got)
	}
	// Months are calendar months: Jan 15 → Apr 2 covers Jan, Feb, Mar, Apr.
	g := step("1mo").Grid(time.Date(2024, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC))
	if len(g) != 4 || !g[1].Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) || !g[3].Equal(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month grid = %v", g)
	}
	// Day grid of a range starting mid-day includes the partial first day; Span clips it.
	from := time.Date(2024, 1, 1, 6, 0, 0, 0, time.UTC)
	to := time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)
	d := step("1d")
	grid := d.Grid(from, to)
	if len(grid) != 2 || !grid[0].Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("day grid = %v", grid)
	}
	if s := d.Span(grid[0], from, to); s != 18*time.Hour {
		t.Errorf("span of partial day = %v, want 18h", s)
	}
	if s := d.Span(grid[1], from, to); s != 24*time.Hour {
		t.Errorf("span of full day = %v", s)
	}
}

func TestBucketSQLModes(t *testing.T) {
	if got := bucketSQL(true, step("1w"), "s.ts"); got != "time_bucket('7 days'::interval, s.ts)" {
		t.Errorf("timescale week: %s", got)
	}
	if got := bucketSQL(false, step("1w"), "s.ts"); got != "date_bin('7 days'::interval, s.ts, TIMESTAMPTZ '2000-01-03 00:00:00+00')" {
		t.Errorf("postgres week: %s", got)
	}
	if got := bucketSQL(false, step("1mo"), "s.ts"); got != "date_trunc('month', s.ts, 'UTC')" {
		t.Errorf("postgres month: %s", got)
	}
}
