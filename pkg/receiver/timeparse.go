package receiver

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Time is a timestamp in any of the layouts the tools send: RFC 3339 (GitHub, PagerDuty),
// "2006-01-02 15:04:05 UTC" and "2006-01-02 15:04:05 -0700" (GitLab hooks), or Unix
// milliseconds (Opsgenie; micro- and nanoseconds recognised by magnitude). null or "" is the zero time.
type Time struct{ time.Time }

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05.000 MST",
	"2006-01-02T15:04:05.000-0700",
	"2006-01-02T15:04:05-0700",
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" || s == `""` {
		t.Time = time.Time{}
		return nil
	}
	if s != "" && s[0] != '"' {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("time %s is neither a string nor Unix milliseconds", s)
		}
		switch { // Opsgenie sends milliseconds, some fields in nanoseconds
		case ms > 1e17:
			t.Time = time.Unix(0, ms).UTC()
		case ms > 1e14:
			t.Time = time.UnixMicro(ms).UTC()
		default:
			t.Time = time.UnixMilli(ms).UTC()
		}
		return nil
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		return err
	}
	p, err := parseTime(str)
	if err != nil {
		return err
	}
	t.Time = p
	return nil
}

func parseTime(s string) (time.Time, error) {
	var firstErr error
	for _, l := range timeLayouts {
		p, err := time.Parse(l, s)
		if err == nil {
			return p.UTC(), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return time.Time{}, firstErr
}
