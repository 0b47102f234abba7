// Package ingest validates events and dimension rows and writes them to the store.
//
// Every writable table is described once, in this package (see Tables): its columns with their
// PostgreSQL types, which are required, enum values, ranges, cross-field rules and the conflict key.
// The ingest API, the CSV/NDJSON importer and the demo generator all build their column lists and
// SQL from these descriptors, so a table name or column name from a request is only ever used to
// look a descriptor up (a whitelist), never concatenated into SQL.
package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a column, both its JSON form and its PostgreSQL type.
type Kind int

// Column kinds. The Go value a validated column holds is given for each.
const (
	Text       Kind = iota // JSON string → string, PostgreSQL text
	Time                   // RFC 3339 string → time.Time (UTC), timestamptz
	Float                  // JSON number → float64, double precision
	Int                    // integral JSON number → int32, integer
	Bool                   // true/false → bool, boolean
	Numeric                // JSON number → float64, numeric (money amounts)
	TextArray              // array of strings → []string, text[]
	JSONObject             // JSON object → json.RawMessage, jsonb
	Interval               // "7 days", "36h", or seconds as a number → time.Duration, interval
)

// PGType is the PostgreSQL type of columns of this kind.
func (k Kind) PGType() string {
	switch k {
	case Text:
		return "text"
	case Time:
		return "timestamptz"
	case Float:
		return "double precision"
	case Int:
		return "integer"
	case Bool:
		return "boolean"
	case Numeric:
		return "numeric"
	case TextArray:
		return "text[]"
	case JSONObject:
		return "jsonb"
	case Interval:
		return "interval"
	}
	panic(fmt.Sprintf("ingest: unknown kind %d", int(k)))
}

// MaxTextBytes bounds every text value (and every element of a text array): identifiers and
// titles are short, and a bound keeps one bad client from storing megabytes in a label.
const MaxTextBytes = 1024

// Column describes one column of a writable table.
type Column struct {
	Name     string
	Kind     Kind
	Required bool     // a missing or null value rejects the row (unless Default is set)
	Default  any      // value used when the field is missing or null (nil: store NULL)
	Enum     []string // allowed values of a Text column
	Min, Max *float64 // inclusive bounds of a Float, Int or Numeric column
	// Check is an extra rule on a present, well-typed value; it returns the reason when the
	// value is unacceptable, "" otherwise.
	Check func(v any) string
}

func bound(f float64) *float64 { return &f }

// decode turns one JSON value into the column's Go value. The second result is the reason the
// value is unacceptable ("" when it is fine).
func (c *Column) decode(raw json.RawMessage) (any, string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		if c.Default != nil {
			return c.Default, ""
		}
		if c.Required {
			return nil, "is required"
		}
		return nil, ""
	}
	v, reason := decodeKind(c.Kind, raw)
	if reason != "" {
		return nil, reason
	}
	if reason := c.checkValue(v); reason != "" {
		return nil, reason
	}
	return v, ""
}

// checkValue applies enum, range and custom rules to a decoded, non-nil value.
func (c *Column) checkValue(v any) string {
	// PostgreSQL text cannot hold NUL; say so here rather than let the whole batch fail with
	// the server's message and no row or field.
	switch x := v.(type) {
	case string:
		if strings.IndexByte(x, 0) >= 0 {
			return nulReason
		}
	case []string:
		for _, s := range x {
			if strings.IndexByte(s, 0) >= 0 {
				return "has an element that " + nulReason
			}
		}
	case json.RawMessage:
		if bytes.Contains(x, []byte(`\u0000`)) {
			return nulReason
		}
	}
	if len(c.Enum) > 0 {
		s, _ := v.(string)
		if !contains(c.Enum, s) {
			return fmt.Sprintf("must be one of %s, got %q", strings.Join(c.Enum, ", "), s)
		}
	}
	if c.Min != nil || c.Max != nil {
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case int32:
			f = float64(x)
		}
		if c.Min != nil && f < *c.Min {
			return fmt.Sprintf("must be at least %g, got %g", *c.Min, f)
		}
		if c.Max != nil && f > *c.Max {
			return fmt.Sprintf("must be at most %g, got %g", *c.Max, f)
		}
	}
	if c.Check != nil {
		return c.Check(v)
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// nulReason explains the refusal of a NUL character (JSON "\u0000"), which PostgreSQL's text and
// jsonb types cannot store.
const nulReason = "contains a NUL character (\\u0000), which PostgreSQL cannot store; remove it"

// Timestamps outside these bounds are almost always unit mistakes (seconds vs milliseconds).
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func decodeKind(k Kind, raw json.RawMessage) (any, string) {
	switch k {
	case Text:
		s, ok := decodeString(raw)
		if !ok {
			return nil, "must be a string"
		}
		if len(s) > MaxTextBytes {
			return nil, fmt.Sprintf("is longer than %d bytes", MaxTextBytes)
		}
		return s, ""
	case Time:
		s, ok := decodeString(raw)
		if !ok {
			return nil, "must be an RFC 3339 timestamp string such as \"2025-05-01T12:00:00Z\""
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Sprintf("must be an RFC 3339 timestamp such as \"2025-05-01T12:00:00Z\", got %q", s)
		}
		if t.Before(minTime) || !t.Before(maxTime) {
			return nil, fmt.Sprintf("is outside the years 1970–2199 (%q)", s)
		}
		return t.UTC(), ""
	case Float, Numeric:
		if raw[0] == '"' {
			return nil, fmt.Sprintf("must be a number, got the string %s", raw)
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, "must be a finite number"
		}
		return f, ""
	case Int:
		if raw[0] == '"' {
			return nil, fmt.Sprintf("must be a number, got the string %s", raw)
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
			return nil, "must be a whole number within the 32-bit range"
		}
		return int32(f), ""
	case Bool:
		switch string(raw) {
		case "true":
			return true, ""
		case "false":
			return false, ""
		}
		return nil, "must be true or false"
	case TextArray:
		var list []string
		if raw[0] != '[' || json.Unmarshal(raw, &list) != nil {
			return nil, "must be an array of strings"
		}
		for _, s := range list {
			if len(s) > MaxTextBytes {
				return nil, fmt.Sprintf("has an element longer than %d bytes", MaxTextBytes)
			}
		}
		if list == nil {
			list = []string{}
		}
		return list, ""
	case JSONObject:
		if raw[0] != '{' || !json.Valid(raw) {
			return nil, "must be a JSON object"
		}
		return json.RawMessage(bytes.Clone(raw)), ""
	case Interval:
		return decodeInterval(raw)
	}
	return nil, "has an unsupported type"
}

// decodeString reads a JSON string without a full decoder when it holds no escapes, the
// common case that makes up most of the ingest cost.
func decodeString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 {
		return string(inner), true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

var intervalUnits = map[string]time.Duration{
	"second": time.Second, "seconds": time.Second, "minute": time.Minute, "minutes": time.Minute,
	"hour": time.Hour, "hours": time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
}

func decodeInterval(raw json.RawMessage) (any, string) {
	const want = "must be a duration such as \"7 days\", \"36h\" or a number of seconds"
	var d time.Duration
	if s, ok := decodeString(raw); ok {
		if parsed, err := time.ParseDuration(s); err == nil {
			d = parsed
		} else {
			fields := strings.Fields(s)
			if len(fields) != 2 {
				return nil, want
			}
			n, err := strconv.ParseFloat(fields[0], 64)
			unit, ok := intervalUnits[strings.ToLower(fields[1])]
			if err != nil || !ok {
				return nil, want
			}
			d = time.Duration(n * float64(unit))
		}
	} else {
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, want
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d <= 0 || d > 366*24*time.Hour {
		return nil, "must be positive and at most a year"
	}
	return d, ""
}

// kindHolds reports whether a Go value has the representation validated values of kind k have.
func kindHolds(k Kind, v any) bool {
	switch v.(type) {
	case string:
		return k == Text
	case time.Time:
		return k == Time
	case float64:
		return k == Float || k == Numeric
	case int32:
		return k == Int
	case bool:
		return k == Bool
	case []string:
		return k == TextArray
	case json.RawMessage:
		return k == JSONObject
	case time.Duration:
		return k == Interval
	}
	return false
}
