package main

import "testing"

func TestHumanNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{
		{83.33333333333333, "percent", "83.3 %"},
		{100, "percent", "100 %"},
		{1234567.891, "currencyUSD", "$1,234,568"},
		{437.512, "currencyUSD", "$437.5"},
		{12.3456, "m", "12.3 min"},
		{0.04567, "h", "0.046 h"},
		{1.5, "suffix: /day", "1.5 /day"},
		{15000, "short", "15,000"},
		{-2.345, "", "-2.35"},
	} {
		if got := humanNumber(c.v, c.unit); got != c.want {
			t.Errorf("humanNumber(%v, %q) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}
