package timespan

import (
	"testing"
	"time"
)

func TestBefore(t *testing.T) {
	end := time.Date(2024, 3, 31, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		expr string
		want time.Time
	}{
		{"90m", end.Add(-90 * time.Minute)},
		{"now-24h", end.Add(-24 * time.Hour)},
		{"30d", time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)},
		{"now-2w", time.Date(2024, 3, 17, 12, 0, 0, 0, time.UTC)},
		{"1M", time.Date(2024, 3, 2, 12, 0, 0, 0, time.UTC)}, // Feb 31 normalises like Go's AddDate
		{"1y", time.Date(2023, 3, 31, 12, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := Before(c.expr, end)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("Before(%q) = %v, %v; want %v", c.expr, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "d", "now-", "0d", "-3d", "3x", "abcd", "1.5h"} {
		if _, err := Before(bad, end); err == nil {
			t.Errorf("Before(%q) accepted a malformed time", bad)
		}
	}
}
