package main

import (
	"math"
	"strconv"
	"strings"
)

// unitSuffix maps a Grafana field unit (the catalog's grafanaUnit or a field's config unit) to
// what a person reads after a number in table output.
func unitSuffix(grafanaUnit string) (prefix, suffix string) {
	switch u := grafanaUnit; {
	case u == "percent":
		return "", " %"
	case u == "ms":
		return "", " ms"
	case u == "s":
		return "", " s"
	case u == "m":
		return "", " min"
	case u == "h":
		return "", " h"
	case u == "d":
		return "", " d"
	case strings.HasPrefix(u, "currency"):
		return "$", ""
	case strings.HasPrefix(u, "suffix:"):
		return "", strings.TrimPrefix(u, "suffix:")
	}
	return "", ""
}

// humanNumber rounds v to a precision a person can read — whole numbers stay whole, large values
// lose their decimals, small ones keep two significant decimals — with thousands separators and
// the unit: 83.33333333333333 percent → "83.3 %", 1234567.891 currencyUSD → "$1,234,568".
func humanNumber(v float64, grafanaUnit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	prefix, suffix := unitSuffix(grafanaUnit)
	decimals := 0
	switch a := math.Abs(v); {
	case a == math.Trunc(a) && a < 1e15:
		decimals = 0
	case a >= 1000:
		decimals = 0
	case a >= 10:
		decimals = 1
	case a >= 1:
		decimals = 2
	default:
		decimals = 3
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if decimals > 0 {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if hasFrac {
		whole += "." + frac
	}
	return sign + prefix + whole + suffix
}
