package sqlmode

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// MacroEnv is what macros expand against: the query's time range and interval.
type MacroEnv struct {
	From, To time.Time
	Interval time.Duration
}

// Expanded is the result of macro expansion.
type Expanded struct {
	// SQL is the statement with every macro replaced.
	SQL string
	// Fill is set when a $__timeGroup macro asked for missing buckets to be filled; the fill is
	// applied in Go after the query (SQL cannot invent rows for buckets without data).
	Fill *data.FillMissing
	// FillInterval is the bucket width of the $__timeGroup that asked for the fill.
	FillInterval time.Duration
}

// macroFunc expands one macro call; args are the raw, trimmed argument texts.
type macroFunc func(env MacroEnv, args []string, out *Expanded) (string, error)

type macro struct {
	fn      macroFunc
	minArgs int
	maxArgs int
	usage   string
	// bare macros ($__interval) take no parentheses at all.
	bare bool
}

// macros is the whole macro language. Time values are always rendered by us from time.Time (RFC
// 3339 literals or epoch integers), never copied from the user's text.
var macros = map[string]macro{
	"timeFilter":      {fn: expandTimeFilter, minArgs: 1, maxArgs: 1, usage: "$__timeFilter(column)"},
	"timeFrom":        {fn: expandTimeFrom, usage: "$__timeFrom()"},
	"timeTo":          {fn: expandTimeTo, usage: "$__timeTo()"},
	"timeGroup":       {fn: expandTimeGroup, minArgs: 2, maxArgs: 3, usage: "$__timeGroup(column, interval[, fill])"},
	"timeGroupAlias":  {fn: expandTimeGroupAlias, minArgs: 2, maxArgs: 3, usage: "$__timeGroupAlias(column, interval[, fill])"},
	"unixEpochFilter": {fn: expandUnixEpochFilter, minArgs: 1, maxArgs: 1, usage: "$__unixEpochFilter(column)"},
	"interval":        {fn: expandInterval, bare: true, usage: "$__interval"},
	"interval_ms":     {fn: expandIntervalMS, bare: true, usage: "$__interval_ms"},
}

// MacroNames lists the macros (with their usage) for help texts and errors.
func MacroNames() []string {
	out := make([]string, 0, len(macros))
	for _, m := range macros {
		out = append(out, m.usage)
	}
	sort.Strings(out)
	return out
}

// ErrMacro marks a macro the user wrote wrongly (unknown name, wrong arity, bad argument).
var ErrMacro = errors.New("macro error")

func macroErr(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMacro}, a...)...)
}

// Expand replaces every $__macro in sql. An unknown macro, a wrong number of arguments or an
// unparsable argument is an error wrapping ErrMacro that names the macro and its usage.
func Expand(sql string, env MacroEnv) (Expanded, error) {
	var out Expanded
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(sql[i:], "$__")
		if j < 0 {
			b.WriteString(sql[i:])
			break
		}
		start := i + j
		b.WriteString(sql[i:start])
		nameEnd := start + 3
		for nameEnd < len(sql) && isIdentChar(sql[nameEnd]) {
			nameEnd++
		}
		name := sql[start+3 : nameEnd]
		m, ok := macros[name]
		if !ok {
			return Expanded{}, macroErr("unknown macro $__%s; known macros: %s", name, strings.Join(MacroNames(), ", "))
		}
		var args []string
		end := nameEnd
		if !m.bare {
			if end >= len(sql) || sql[end] != '(' {
				return Expanded{}, macroErr("$__%s must be followed by '(': use %s", name, m.usage)
			}
			var err error
			args, end, err = parseArgs(sql, end)
			if err != nil {
				return Expanded{}, macroErr("$__%s: %v; use %s", name, err, m.usage)
			}
			if len(args) < m.minArgs || len(args) > m.maxArgs {
				return Expanded{}, macroErr("$__%s takes %s, got %d; use %s", name, arity(m), len(args), m.usage)
			}
		}
		text, err := m.fn(env, args, &out)
		if err != nil {
			return Expanded{}, macroErr("$__%s: %v; use %s", name, err, m.usage)
		}
		b.WriteString(text)
		i = end
	}
	out.SQL = b.String()
	return out, nil
}

func arity(m macro) string {
	switch {
	case m.minArgs == m.maxArgs && m.minArgs == 0:
		return "no arguments"
	case m.minArgs == m.maxArgs && m.minArgs == 1:
		return "1 argument"
	case m.minArgs == m.maxArgs:
		return fmt.Sprintf("%d arguments", m.minArgs)
	default:
		return fmt.Sprintf("%d to %d arguments", m.minArgs, m.maxArgs)
	}
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseArgs reads a parenthesised, comma-separated argument list starting at sql[open] == '('.
// Commas inside nested parentheses or quotes do not split, so `$__timeFilter(coalesce(a, b))`
// works. It returns the trimmed arguments and the index just after the closing parenthesis.
func parseArgs(sql string, open int) ([]string, int, error) {
	var args []string
	depth := 0
	var quote byte
	argStart := open + 1
	for k := open + 1; k < len(sql); k++ {
		c := sql[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ')':
			last := strings.TrimSpace(sql[argStart:k])
			if last != "" || len(args) > 0 {
				args = append(args, last)
			}
			for _, a := range args {
				if a == "" {
					return nil, 0, errors.New("empty argument")
				}
			}
			return args, k + 1, nil
		case c == ',' && depth == 0:
			args = append(args, strings.TrimSpace(sql[argStart:k]))
			argStart = k + 1
		}
	}
	return nil, 0, errors.New("missing closing parenthesis")
}

// timestampLiteral renders t as a PostgreSQL timestamptz literal. The text comes from
// time.Format, so it cannot carry user input.
func timestampLiteral(t time.Time) string {
	return "TIMESTAMPTZ '" + t.UTC().Format(time.RFC3339Nano) + "'"
}

func expandTimeFilter(env MacroEnv, args []string, _ *Expanded) (string, error) {
	return fmt.Sprintf("%s BETWEEN %s AND %s", args[0], timestampLiteral(env.From), timestampLiteral(env.To)), nil
}

func expandTimeFrom(env MacroEnv, _ []string, _ *Expanded) (string, error) {
	return timestampLiteral(env.From), nil
}

func expandTimeTo(env MacroEnv, _ []string, _ *Expanded) (string, error) {
	return timestampLiteral(env.To), nil
}

func expandUnixEpochFilter(env MacroEnv, args []string, _ *Expanded) (string, error) {
	return fmt.Sprintf("%s >= %d AND %s <= %d", args[0], env.From.Unix(), args[0], env.To.Unix()), nil
}

func expandInterval(env MacroEnv, _ []string, _ *Expanded) (string, error) {
	return formatInterval(env.Interval), nil
}

func expandIntervalMS(env MacroEnv, _ []string, _ *Expanded) (string, error) {
	return strconv.FormatInt(env.Interval.Milliseconds(), 10), nil
}

// expandTimeGroup buckets a column with date_bin (PostgreSQL 14+, also on TimescaleDB) from the
// Unix epoch, so buckets line up with the grid the Go-side fill generates.
func expandTimeGroup(env MacroEnv, args []string, out *Expanded) (string, error) {
	interval, err := parseGroupInterval(args[1], env.Interval)
	if err != nil {
		return "", err
	}
	if len(args) == 3 {
		fill, err := parseFill(args[2])
		if err != nil {
			return "", err
		}
		if out.Fill != nil && (*out.Fill != *fill || out.FillInterval != interval) {
			return "", errors.New("two $__timeGroup macros ask for different fills or intervals; use one")
		}
		out.Fill, out.FillInterval = fill, interval
	}
	return fmt.Sprintf("date_bin(%s, %s, TIMESTAMPTZ '1970-01-01T00:00:00Z')", intervalLiteral(interval), args[0]), nil
}

func expandTimeGroupAlias(env MacroEnv, args []string, out *Expanded) (string, error) {
	s, err := expandTimeGroup(env, args, out)
	if err != nil {
		return "", err
	}
	return s + ` AS "time"`, nil
}

// parseGroupInterval accepts '5m', 5m, "1h", 1d, 1w or $__interval.
func parseGroupInterval(arg string, queryInterval time.Duration) (time.Duration, error) {
	s := strings.Trim(arg, `'" `)
	if s == "$__interval" {
		if queryInterval <= 0 {
			return 0, errors.New("$__interval is not known for this query")
		}
		return queryInterval, nil
	}
	d, err := parseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("interval %q is not a positive duration such as '5m', '1h', '1d' or $__interval", s)
	}
	return d, nil
}

// parseFill accepts NULL, previous, or a number.
func parseFill(arg string) (*data.FillMissing, error) {
	s := strings.Trim(arg, `'" `)
	switch strings.ToLower(s) {
	case "null":
		return &data.FillMissing{Mode: data.FillModeNull}, nil
	case "previous":
		return &data.FillMissing{Mode: data.FillModePrevious}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("fill %q must be NULL, previous or a number", s)
	}
	return &data.FillMissing{Mode: data.FillModeValue, Value: v}, nil
}

// intervalLiteral renders a duration as a PostgreSQL interval literal.
func intervalLiteral(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("INTERVAL '%d seconds'", d/time.Second)
	}
	return fmt.Sprintf("INTERVAL '%d microseconds'", d/time.Microsecond)
}

// formatInterval renders a duration the way Grafana writes $__interval (1d, 2h, 30s, 500ms) but
// exactly: 90s stays 90s rather than rounding to 1m. PostgreSQL parses these forms as intervals.
func formatInterval(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d <= 0:
		return "0s"
	case d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("%ds", d/time.Second)
	default:
		return fmt.Sprintf("%dms", d/time.Millisecond)
	}
}

// parseDuration parses Go durations (90s, 1h30m, 250ms) plus Grafana's day, week, month and year
// units (1d, 2w, 1M = 30 days, 1y = 365 days). The SDK's gtime package would do this but drags a
// date-math dependency into the module for four units.
func parseDuration(s string) (time.Duration, error) {
	day := 24 * time.Hour
	units := map[byte]time.Duration{'d': day, 'w': 7 * day, 'M': 30 * day, 'y': 365 * day}
	if n := len(s); n > 1 {
		if unit, ok := units[s[n-1]]; ok {
			v, err := strconv.Atoi(s[:n-1])
			if err != nil {
				return 0, err
			}
			return time.Duration(v) * unit, nil
		}
	}
	return time.ParseDuration(s)
}
