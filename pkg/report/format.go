package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatValue prints a number in the catalog's human unit, the way every renderer shows it
// ("99.99 %", "$442.87", "19.2 h", "169"); "no data" for nil.
func FormatValue(unit string, v *float64) string {
	if v == nil {
		return "no data"
	}
	x := *v
	switch unit {
	case "%":
		return strconv.FormatFloat(x, 'f', 2, 64) + " %"
	case "currency":
		sign := ""
		if x < 0 {
			sign, x = "-", -x
		}
		whole := math.Floor(x)
		cents := int(math.Round((x - whole) * 100))
		if cents == 100 {
			whole, cents = whole+1, 0
		}
		return fmt.Sprintf("%s$%s.%02d", sign, thousands(int64(whole)), cents)
	case "count":
		return thousands(int64(math.Round(x)))
	case "0–100":
		return strconv.FormatFloat(x, 'f', 1, 64)
	case "A–F":
		grades := "ABCDEF"
		if i := int(math.Round(x)) - 1; i >= 0 && i < len(grades) {
			return grades[i : i+1]
		}
	case "", "table", "as base metric":
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'f', 2, 64) + " " + unit
}

// FormatChange prints a change in percent with its sign ("+12.4 %"), "" for nil.
func FormatChange(v *float64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%+.1f %%", *v)
}

// thousands groups digits with commas: 1234567 → "1,234,567".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// cellText prints a table cell: numbers with at most two decimals, null as "".
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', 0, 64)
		}
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return fmt.Sprint(v)
}
