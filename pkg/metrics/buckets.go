package metrics

import (
	"fmt"
	"time"
)

// Bucket is the width of the interval buckets of a time series: a fixed duration, or one
// calendar month (Months == 1) because months differ in length.
type Bucket struct {
	Name   string        // "1m", "5m", "15m", "1h", "6h", "1d", "1w", "1mo"
	Width  time.Duration // 0 for months
	Months int
	sql    string // interval literal for time_bucket / date_bin
}

// The bucket steps "auto" may pick, smallest first. A series gets one of these so its points
// fall on round times (and rollups can serve the hourly and longer ones).
var bucketSteps = []Bucket{
	{Name: "1m", Width: time.Minute, sql: "1 minute"},
	{Name: "5m", Width: 5 * time.Minute, sql: "5 minutes"},
	{Name: "15m", Width: 15 * time.Minute, sql: "15 minutes"},
	{Name: "1h", Width: time.Hour, sql: "1 hour"},
	{Name: "6h", Width: 6 * time.Hour, sql: "6 hours"},
	{Name: "1d", Width: 24 * time.Hour, sql: "1 day"},
	{Name: "1w", Width: 7 * 24 * time.Hour, sql: "7 days"},
	{Name: "1mo", Months: 1, sql: "1 month"},
}

func step(name string) Bucket {
	for _, b := range bucketSteps {
		if b.Name == name {
			return b
		}
	}
	panic("metrics: unknown bucket step " + name)
}

// bucketOrigin aligns fixed-width buckets: a Monday, the origin TimescaleDB's time_bucket uses,
// so weekly buckets start on Monday in both store modes.
var bucketOrigin = time.Date(2000, 1, 3, 0, 0, 0, 0, time.UTC)

// defaultMaxPoints is assumed when Grafana does not say how wide the panel is (the CLI, alerts).
const defaultMaxPoints = 1000

// ResolveInterval turns the query's interval field into a bucket. "auto" (or "") takes
// Grafana's interval, raises it so the range has at most maxDataPoints buckets, and rounds it up
// to the next step of bucketSteps.
func ResolveInterval(name string, span, grafana time.Duration, maxDataPoints int64) (Bucket, error) {
	switch name {
	case "hour":
		return step("1h"), nil
	case "day":
		return step("1d"), nil
	case "week":
		return step("1w"), nil
	case "month":
		return step("1mo"), nil
	case "", "auto":
	default:
		return Bucket{}, fmt.Errorf("interval %q is unknown; use auto, hour, day, week or month", name)
	}
	if maxDataPoints <= 0 {
		maxDataPoints = defaultMaxPoints
	}
	maxDataPoints = min(maxDataPoints, MaxDataPointsCap)
	want := grafana
	if perPoint := span / time.Duration(maxDataPoints); perPoint > want {
		want = perPoint
	}
	for _, b := range bucketSteps {
		if b.Months == 0 && b.Width >= want {
			return b, nil
		}
	}
	return step("1mo"), nil
}

// Floor returns the start of the bucket containing t (UTC).
func (b Bucket) Floor(t time.Time) time.Time {
	t = t.UTC()
	if b.Months > 0 {
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	// In whole seconds (every width is), so times centuries away from the origin do not
	// saturate time.Duration.
	d := t.Unix() - bucketOrigin.Unix()
	w := int64(b.Width / time.Second)
	n := d / w
	if d%w < 0 {
		n-- // floor, not truncation, for times before the origin
	}
	return time.Unix(bucketOrigin.Unix()+n*w, 0).UTC()
}

// Next returns the start of the bucket after the one starting at start.
func (b Bucket) Next(start time.Time) time.Time {
	if b.Months > 0 {
		return start.AddDate(0, b.Months, 0)
	}
	return start.Add(b.Width)
}

// Back returns the start of the bucket n buckets before the one starting at start.
func (b Bucket) Back(start time.Time, n int) time.Time {
	if b.Months > 0 {
		return start.AddDate(0, -n*b.Months, 0)
	}
	return start.Add(-time.Duration(n) * b.Width)
}

// Grid returns the start of every bucket that overlaps [from, to), in order. It is the set of
// points every series is gap-filled to.
func (b Bucket) Grid(from, to time.Time) []time.Time {
	var out []time.Time
	for t := b.Floor(from); t.Before(to); t = b.Next(t) {
		out = append(out, t)
	}
	return out
}

// Span returns how much of the bucket starting at start lies inside [from, to): the length a
// per-time metric (deployments per day, MTBF) divides by.
func (b Bucket) Span(start, from, to time.Time) time.Duration {
	end := b.Next(start)
	if start.Before(from) {
		start = from
	}
	if end.After(to) {
		end = to
	}
	if !end.After(start) {
		return 0
	}
	return end.Sub(start)
}

// AtLeast reports whether the bucket is at least d wide (a month counts as 28 days).
func (b Bucket) AtLeast(d time.Duration) bool {
	if b.Months > 0 {
		return 28*24*time.Hour >= d
	}
	return b.Width >= d
}

// bucketSQL returns the SQL expression bucketing the timestamptz expression col. TimescaleDB
// uses time_bucket; plain PostgreSQL date_bin with the same Monday origin, and date_trunc in UTC
// for months — the same bucket starts in every mode. col is a constant of this package.
func bucketSQL(timescale bool, b Bucket, col string) string {
	if timescale {
		return fmt.Sprintf("time_bucket('%s'::interval, %s)", b.sql, col)
	}
	if b.Months > 0 {
		return fmt.Sprintf("date_trunc('month', %s, 'UTC')", col)
	}
	return fmt.Sprintf("date_bin('%s'::interval, %s, TIMESTAMPTZ '2000-01-03 00:00:00+00')", b.sql, col)
}
