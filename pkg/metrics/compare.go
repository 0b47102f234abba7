package metrics

import (
	"fmt"
	"math"
	"time"
)

// CompareMode selects the comparison period of a query.
type CompareMode string

// The compare modes of the query JSON.
const (
	CompareNone     CompareMode = ""
	ComparePrevious CompareMode = "previous" // the period of equal length just before
	CompareWoW      CompareMode = "wow"      // 7 days earlier
	CompareMoM      CompareMode = "mom"      // one calendar month earlier
	CompareYoY      CompareMode = "yoy"      // one calendar year earlier
)

func (c CompareMode) validate() error {
	switch c {
	case CompareNone, ComparePrevious, CompareWoW, CompareMoM, CompareYoY:
		return nil
	}
	return fmt.Errorf("compare %q is unknown; use \"\", previous, wow, mom or yoy", string(c))
}

// Label is the suffix of the display name and the value of the "period" label of compare series.
func (c CompareMode) Label() string {
	switch c {
	case ComparePrevious:
		return "previous period"
	case CompareWoW:
		return "previous week"
	case CompareMoM:
		return "previous month"
	case CompareYoY:
		return "previous year"
	}
	return ""
}

// Shifts returns the function moving a time of the current range into the comparison range, and
// its inverse that moves the comparison series' times back onto the current range so both
// overlay in a panel.
func (c CompareMode) Shifts(from, to time.Time) (back, forward func(time.Time) time.Time) {
	switch c {
	case ComparePrevious:
		d := to.Sub(from)
		return func(t time.Time) time.Time { return t.Add(-d) }, func(t time.Time) time.Time { return t.Add(d) }
	case CompareWoW:
		const w = 7 * 24 * time.Hour
		return func(t time.Time) time.Time { return t.Add(-w) }, func(t time.Time) time.Time { return t.Add(w) }
	case CompareMoM:
		return func(t time.Time) time.Time { return t.AddDate(0, -1, 0) }, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	case CompareYoY:
		return func(t time.Time) time.Time { return t.AddDate(-1, 0, 0) }, func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }
	}
	id := func(t time.Time) time.Time { return t }
	return id, id
}

// trendBand is the relative change below which a value counts as flat (±1 %).
const trendBand = 1.0

// ChangePercent returns (cur − prev) ÷ |prev| × 100, or nil when either is unknown or prev is 0
// (a change from nothing has no percentage).
func ChangePercent(cur, prev *float64) *float64 {
	if cur == nil || prev == nil || *prev == 0 || math.IsNaN(*cur) || math.IsNaN(*prev) {
		return nil
	}
	v := (*cur - *prev) / math.Abs(*prev) * 100
	return &v
}

// Trend classifies a change: "up" / "down" beyond ±1 %, else "flat"; "" when unknown. When prev
// is 0 the direction still shows (up from zero) although the percentage is undefined.
func Trend(cur, prev *float64) string {
	if cur == nil || prev == nil {
		return ""
	}
	if *prev == 0 {
		switch {
		case *cur > 0:
			return "up"
		case *cur < 0:
			return "down"
		}
		return "flat"
	}
	p := *ChangePercent(cur, prev)
	switch {
	case p > trendBand:
		return "up"
	case p < -trendBand:
		return "down"
	}
	return "flat"
}
