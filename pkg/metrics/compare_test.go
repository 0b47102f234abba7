package metrics

import (
	"testing"
	"time"
)

func TestCompareShifts(t *testing.T) {
	from := time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	to := time.Date(2024, 4, 7, 0, 0, 0, 0, time.UTC)
	cases := map[CompareMode]time.Time{
		ComparePrevious: time.Date(2024, 3, 24, 0, 0, 0, 0, time.UTC), // 7-day range → 7 days earlier
		CompareWoW:      time.Date(2024, 3, 24, 0, 0, 0, 0, time.UTC),
		CompareMoM:      time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), // Go normalises Feb 31 → Mar 2
		CompareYoY:      time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC),
	}
	for mode, want := range cases {
		back, forward := mode.Shifts(from, to)
		if got := back(from); !got.Equal(want) {
			t.Errorf("%s back(from) = %v, want %v", mode, got, want)
		}
		if mode != CompareMoM && !forward(back(to)).Equal(to) {
			t.Errorf("%s forward does not undo back", mode)
		}
	}
}

func TestChangePercentAndTrend(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	if c := ChangePercent(p(110), p(100)); c == nil || !near(*c, 10, eps) {
		t.Errorf("change 100→110 = %v", c)
	}
	if c := ChangePercent(p(-5), p(-10)); c == nil || !near(*c, 50, eps) {
		t.Errorf("change -10→-5 = %v (relative to |prev|)", c)
	}
	if ChangePercent(p(5), p(0)) != nil || ChangePercent(nil, p(1)) != nil {
		t.Error("change from 0 or unknown must be null")
	}
	for _, c := range []struct {
		cur, prev float64
		want      string
	}{{100.9, 100, "flat"}, {99.1, 100, "flat"}, {101.5, 100, "up"}, {98, 100, "down"}, {3, 0, "up"}, {0, 0, "flat"}} {
		if got := Trend(p(c.cur), p(c.prev)); got != c.want {
			t.Errorf("trend %v→%v = %s, want %s", c.prev, c.cur, got, c.want)
		}
	}
	if Trend(nil, p(1)) != "" {
		t.Error("unknown trend must be empty")
	}
}
