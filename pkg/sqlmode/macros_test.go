package sqlmode

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func testEnv() MacroEnv {
	return MacroEnv{
		From:     time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		To:       time.Date(2024, 3, 2, 12, 30, 0, 0, time.FixedZone("CET", 3600)),
		Interval: 5 * time.Minute,
	}
}

func TestExpand(t *testing.T) {
	const from = "TIMESTAMPTZ '2024-03-01T00:00:00Z'"
	const to = "TIMESTAMPTZ '2024-03-02T11:30:00Z'" // 12:30 CET rendered in UTC
	const epoch = "TIMESTAMPTZ '1970-01-01T00:00:00Z'"
	tests := []struct {
		name string
		in   string
		want string
		fill *data.FillMissing
	}{
		{"no macro", "SELECT 1", "SELECT 1", nil},
		{"timeFilter", "SELECT * FROM builds WHERE $__timeFilter(finished_at)",
			"SELECT * FROM builds WHERE finished_at BETWEEN " + from + " AND " + to, nil},
		{"timeFilter nested call with comma", "WHERE $__timeFilter(coalesce(a, b))",
			"WHERE coalesce(a, b) BETWEEN " + from + " AND " + to, nil},
		{"timeFrom and timeTo", "SELECT $__timeFrom(), $__timeTo()", "SELECT " + from + ", " + to, nil},
		{"timeGroup quoted", "SELECT $__timeGroup(finished_at, '5m')",
			"SELECT date_bin(INTERVAL '300 seconds', finished_at, " + epoch + ")", nil},
		{"timeGroup bare day", "SELECT $__timeGroup(t, 1d)",
			"SELECT date_bin(INTERVAL '86400 seconds', t, " + epoch + ")", nil},
		{"timeGroup $__interval", "SELECT $__timeGroup(t, $__interval)",
			"SELECT date_bin(INTERVAL '300 seconds', t, " + epoch + ")", nil},
		{"timeGroup sub-second", "SELECT $__timeGroup(t, '250ms')",
			"SELECT date_bin(INTERVAL '250000 microseconds', t, " + epoch + ")", nil},
		{"timeGroup fill NULL", "SELECT $__timeGroup(t, '1h', NULL)",
			"SELECT date_bin(INTERVAL '3600 seconds', t, " + epoch + ")", &data.FillMissing{Mode: data.FillModeNull}},
		{"timeGroup fill previous", "SELECT $__timeGroup(t, '1h', previous)",
			"SELECT date_bin(INTERVAL '3600 seconds', t, " + epoch + ")", &data.FillMissing{Mode: data.FillModePrevious}},
		{"timeGroup fill number", "SELECT $__timeGroup(t, '1h', 0)",
			"SELECT date_bin(INTERVAL '3600 seconds', t, " + epoch + ")", &data.FillMissing{Mode: data.FillModeValue, Value: 0}},
		{"timeGroupAlias", "SELECT $__timeGroupAlias(t, '1h', 2.5), count(*)",
			"SELECT date_bin(INTERVAL '3600 seconds', t, " + epoch + `) AS "time", count(*)`, &data.FillMissing{Mode: data.FillModeValue, Value: 2.5}},
		{"interval inside a string", "SELECT '$__interval'::interval, $__interval_ms",
			"SELECT '5m'::interval, 300000", nil},
		{"unixEpochFilter", "WHERE $__unixEpochFilter(ts)", "WHERE ts >= 1709251200 AND ts <= 1709379000", nil},
		{"quoted comma does not split", "WHERE $__timeFilter(\"a,b\")",
			"WHERE \"a,b\" BETWEEN " + from + " AND " + to, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Expand(tc.in, testEnv())
			if err != nil {
				t.Fatalf("Expand(%q): %v", tc.in, err)
			}
			if got.SQL != tc.want {
				t.Errorf("Expand(%q)\n got %s\nwant %s", tc.in, got.SQL, tc.want)
			}
			switch {
			case tc.fill == nil && got.Fill != nil:
				t.Errorf("fill = %+v, want none", *got.Fill)
			case tc.fill != nil && (got.Fill == nil || *got.Fill != *tc.fill):
				t.Errorf("fill = %+v, want %+v", got.Fill, *tc.fill)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // substring of the message
	}{
		{"unknown macro", "SELECT $__timeFliter(x)", "unknown macro $__timeFliter"},
		{"missing parenthesis", "WHERE $__timeFilter", "must be followed by '('"},
		{"no argument", "WHERE $__timeFilter()", "takes 1 argument, got 0"},
		{"too many", "WHERE $__timeFilter(a, b)", "takes 1 argument, got 2"},
		{"timeFrom with argument", "SELECT $__timeFrom(x)", "takes no arguments, got 1"},
		{"timeGroup one arg", "SELECT $__timeGroup(t)", "takes 2 to 3 arguments, got 1"},
		{"timeGroup four args", "SELECT $__timeGroup(t, '1h', 0, 1)", "takes 2 to 3 arguments, got 4"},
		{"bad interval", "SELECT $__timeGroup(t, 'soon')", `interval "soon" is not a positive duration`},
		{"injected interval", "SELECT $__timeGroup(t, '1h''; DROP TABLE x; --')", "is not a positive duration"},
		{"bad fill", "SELECT $__timeGroup(t, '1h', linear)", `fill "linear" must be NULL, previous or a number`},
		{"unterminated", "SELECT $__timeGroup(t, '1h'", "missing closing parenthesis"},
		{"empty argument", "SELECT $__timeGroup(t, )", "empty argument"},
		{"conflicting fills", "SELECT $__timeGroup(t, '1h', 0), $__timeGroup(t, '1h', NULL)", "different fills"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Expand(tc.in, testEnv())
			if err == nil {
				t.Fatalf("Expand(%q) succeeded, want error containing %q", tc.in, tc.want)
			}
			if !errors.Is(err, ErrMacro) {
				t.Errorf("error %v does not wrap ErrMacro", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestFormatInterval(t *testing.T) {
	for d, want := range map[time.Duration]string{
		90 * time.Second:       "90s",
		time.Minute:            "1m",
		2 * time.Hour:          "2h",
		48 * time.Hour:         "2d",
		500 * time.Millisecond: "500ms",
	} {
		if got := formatInterval(d); got != want {
			t.Errorf("formatInterval(%v) = %q, want %q", d, got, want)
		}
	}
}
