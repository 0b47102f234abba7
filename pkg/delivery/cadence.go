// Package delivery sends scheduled reports: schedules stored in report_schedules, each run
// recorded in report_runs (when, to whom, success or error), failed runs retried with backoff,
// and never the same report twice for one period (report_runs is unique per schedule and period,
// and each recipient already served is remembered across retries).
package delivery

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Cadence is when a schedule fires: daily, weekly on a weekday or monthly on a day, at a local
// time in an IANA time zone (so "Monday 08:00, Europe/Berlin" stays 08:00 across DST changes).
type Cadence struct {
	Kind     string       // daily, weekly, monthly
	Weekday  time.Weekday // weekly
	MonthDay int          // monthly, 1–28 (every month has it)
	Minute   int          // minute of the local day, 0–1439
	Zone     string       // IANA name, e.g. Europe/Berlin
	loc      *time.Location
}

var hhmm = regexp.MustCompile(`^([01]?\d|2[0-3]):([0-5]\d)$`)

// ParseCadence reads "weekly, Monday 08:00, Europe/Berlin", "daily 07:30 UTC" or
// "monthly, 1, 08:00, Europe/Berlin" (commas optional; the zone defaults to UTC).
func ParseCadence(s string) (Cadence, error) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	bad := func(why string) (Cadence, error) {
		return Cadence{}, fmt.Errorf("schedule %q: %s; write e.g. \"weekly, Monday 08:00, Europe/Berlin\", \"daily, 07:30, UTC\" or \"monthly, 1, 08:00, Europe/Berlin\"", s, why)
	}
	if len(f) < 2 {
		return bad("too short")
	}
	c := Cadence{Kind: strings.ToLower(f[0]), Zone: "UTC"}
	rest := f[1:]
	switch c.Kind {
	case "weekly":
		wd, ok := weekdays[strings.ToLower(rest[0])]
		if !ok {
			return bad("weekly needs a weekday (Monday … Sunday)")
		}
		c.Weekday, rest = wd, rest[1:]
	case "monthly":
		d, err := strconv.Atoi(rest[0])
		if err != nil || d < 1 || d > 28 {
			return bad("monthly needs a day of the month from 1 to 28")
		}
		c.MonthDay, rest = d, rest[1:]
	case "daily":
	default:
		return bad("cadence must be daily, weekly or monthly")
	}
	if len(rest) == 0 {
		return bad("no time of day")
	}
	m := hhmm.FindStringSubmatch(rest[0])
	if m == nil {
		return bad("time of day must be HH:MM (24 h)")
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	c.Minute = h*60 + mi
	if len(rest) > 2 {
		return bad("unexpected text after the time zone")
	}
	if len(rest) == 2 {
		c.Zone = rest[1]
	}
	return c.withZone()
}

func (c Cadence) withZone() (Cadence, error) {
	loc, err := time.LoadLocation(c.Zone)
	if err != nil {
		return Cadence{}, fmt.Errorf("time zone %q is not an IANA zone name (e.g. Europe/Berlin, UTC): %v", c.Zone, err)
	}
	c.loc = loc
	return c, nil
}

var weekdays = map[string]time.Weekday{}

func init() {
	for d := time.Sunday; d <= time.Saturday; d++ {
		weekdays[strings.ToLower(d.String())] = d
		weekdays[strings.ToLower(d.String()[:3])] = d
	}
}

// String is the canonical form ParseCadence reads back.
func (c Cadence) String() string {
	t := fmt.Sprintf("%02d:%02d", c.Minute/60, c.Minute%60)
	switch c.Kind {
	case "weekly":
		return fmt.Sprintf("weekly, %s %s, %s", c.Weekday, t, c.Zone)
	case "monthly":
		return fmt.Sprintf("monthly, %d, %s, %s", c.MonthDay, t, c.Zone)
	}
	return fmt.Sprintf("daily, %s, %s", t, c.Zone)
}

// at is the firing time on the local day of d (d's date in the cadence's zone).
func (c Cadence) at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, c.Minute/60, c.Minute%60, 0, 0, c.loc)
}

// Latest returns the most recent firing time at or before now: the period a run at now belongs to.
func (c Cadence) Latest(now time.Time) time.Time {
	l := now.In(c.loc)
	switch c.Kind {
	case "monthly":
		t := c.at(l.Year(), l.Month(), c.MonthDay)
		if t.After(now) {
			t = c.at(l.Year(), l.Month()-1, c.MonthDay)
		}
		return t
	case "weekly":
		back := (int(l.Weekday()) - int(c.Weekday) + 7) % 7
		t := c.at(l.Year(), l.Month(), l.Day()-back)
		if t.After(now) {
			t = c.at(l.Year(), l.Month(), l.Day()-back-7)
		}
		return t
	}
	t := c.at(l.Year(), l.Month(), l.Day())
	if t.After(now) {
		t = c.at(l.Year(), l.Month(), l.Day()-1)
	}
	return t
}

// Next returns the first firing time after t.
func (c Cadence) Next(t time.Time) time.Time {
	l := c.Latest(t).In(c.loc)
	switch c.Kind {
	case "monthly":
		return c.at(l.Year(), l.Month()+1, c.MonthDay)
	case "weekly":
		return c.at(l.Year(), l.Month(), l.Day()+7)
	}
	return c.at(l.Year(), l.Month(), l.Day()+1)
}
