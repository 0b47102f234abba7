package delivery

import (
	"testing"
	"time"
)

func TestCadence(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	cases := []struct {
		spec, canon string
		now         time.Time
		latest      time.Time
		next        time.Time
	}{
		{"weekly, Monday 08:00, Europe/Berlin", "weekly, Monday 08:00, Europe/Berlin",
			time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC),                                           // a Wednesday
			time.Date(2026, 3, 23, 8, 0, 0, 0, berlin), time.Date(2026, 3, 30, 8, 0, 0, 0, berlin)}, // across the DST change: still 08:00 local
		{"weekly mon 08:00 Europe/Berlin", "weekly, Monday 08:00, Europe/Berlin",
			time.Date(2026, 3, 23, 7, 0, 0, 0, time.UTC), // Monday 08:00 CET exactly
			time.Date(2026, 3, 23, 8, 0, 0, 0, berlin), time.Date(2026, 3, 30, 8, 0, 0, 0, berlin)},
		{"weekly, Monday 08:00, Europe/Berlin", "weekly, Monday 08:00, Europe/Berlin",
			time.Date(2026, 3, 23, 6, 59, 0, 0, time.UTC), // a minute before: last week's
			time.Date(2026, 3, 16, 8, 0, 0, 0, berlin), time.Date(2026, 3, 23, 8, 0, 0, 0, berlin)},
		{"daily 07:30", "daily, 07:30, UTC",
			time.Date(2026, 1, 1, 7, 0, 0, 0, time.UTC),
			time.Date(2025, 12, 31, 7, 30, 0, 0, time.UTC), time.Date(2026, 1, 1, 7, 30, 0, 0, time.UTC)},
		{"monthly, 1, 08:00, UTC", "monthly, 1, 08:00, UTC",
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2025, 12, 1, 8, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		cd, err := ParseCadence(c.spec)
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		if cd.String() != c.canon {
			t.Errorf("%s: String() = %q", c.spec, cd.String())
		}
		if got := cd.Latest(c.now); !got.Equal(c.latest) {
			t.Errorf("%s: Latest(%s) = %s, want %s", c.spec, c.now, got, c.latest)
		}
		if got := cd.Next(c.now); !got.Equal(c.next) {
			t.Errorf("%s: Next(%s) = %s, want %s", c.spec, c.now, got, c.next)
		}
	}
	for _, bad := range []string{"", "weekly", "weekly, Funday 08:00", "hourly 08:00", "daily 25:00", "monthly 31 08:00", "daily 08:00 Mars/Base", "daily 08:00 UTC extra"} {
		if _, err := ParseCadence(bad); err == nil {
			t.Errorf("ParseCadence(%q) accepted it", bad)
		}
	}
}
