// Package timespan resolves Grafana-style relative times ("30d", "now-24h", "1y") against an end
// time. The CLI's --range, the dashboard tests and the benchmark all read such times; they share
// this one parser so "1y" means the same calendar year everywhere.
package timespan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Before returns the start of the span expr ending at end. expr is [now-]<n><unit> with n > 0
// and unit m (minutes), h, d, w, M (months) or y; days, weeks, months and years are calendar
// steps (AddDate), as Grafana's time picker counts them.
func Before(expr string, end time.Time) (time.Time, error) {
	rest := strings.TrimPrefix(strings.TrimSpace(expr), "now-")
	if len(rest) < 2 {
		return time.Time{}, fmt.Errorf("time %q is not of the form [now-]<n><unit>, e.g. 30d", expr)
	}
	n, err := strconv.Atoi(rest[:len(rest)-1])
	if err != nil || n <= 0 {
		return time.Time{}, fmt.Errorf("time %q needs a positive whole number before its unit, e.g. 30d", expr)
	}
	switch rest[len(rest)-1] {
	case 'm':
		return end.Add(-time.Duration(n) * time.Minute), nil
	case 'h':
		return end.Add(-time.Duration(n) * time.Hour), nil
	case 'd':
		return end.AddDate(0, 0, -n), nil
	case 'w':
		return end.AddDate(0, 0, -7*n), nil
	case 'M':
		return end.AddDate(0, -n, 0), nil
	case 'y':
		return end.AddDate(-n, 0, 0), nil
	}
	return time.Time{}, fmt.Errorf("time %q has an unknown unit: use m, h, d, w, M or y", expr)
}
