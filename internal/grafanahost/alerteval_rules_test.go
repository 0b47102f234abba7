package grafanahost

import (
	"math"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestEvaluator(t *testing.T) {
	nan := math.NaN()
	a := []item{{labels: data.Labels{"team": "a"}, series: []float64{1, nan, 5}}, {labels: data.Labels{"team": "b"}, series: []float64{2, 2}}}
	for _, c := range []struct {
		reducer, mode string
		want          []float64
	}{
		{"mean", "dropNN", []float64{3, 2}}, {"max", "dropNN", []float64{5, 2}}, {"min", "dropNN", []float64{1, 2}},
		{"last", "dropNN", []float64{5, 2}}, {"sum", "replaceNN", []float64{16, 4}}, {"count", "dropNN", []float64{2, 2}},
		{"mean", "", []float64{nan, 2}},
	} {
		got, err := reduce(a, c.reducer, c.mode, 10)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range c.want {
			if g := got[i].value; g != w && !(math.IsNaN(g) && math.IsNaN(w)) {
				t.Errorf("reduce %s %s item %d = %v, want %v", c.reducer, c.mode, i, g, w)
			}
		}
	}
	b := []item{{labels: data.Labels{"team": "a"}, value: 95}, {labels: data.Labels{"team": "b"}, value: 80}}
	c := []item{{labels: data.Labels{"team": "a"}, value: 100}, {labels: data.Labels{"team": "b"}, value: 10}}
	for expr, want := range map[string][]float64{
		"$B > 90":                    {1, 0},
		"$B < $C":                    {1, 0},
		"${B} > 90 && $C >= 50":      {1, 0},
		"$B > 90 || $C < 20":         {1, 1},
		"($B - $C) * 2 / 10 + 1 > 0": {0, 1},
		"!($B > 90)":                 {0, 1},
		"$B >= 80 && -$C < -50 == 1": {1, 0},
	} {
		got, err := mathExpr(expr, map[string][]item{"B": b, "C": c})
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if len(got) != 2 || got[0].value != want[0] || got[1].value != want[1] {
			t.Errorf("%s = %+v, want %v", expr, got, want)
		}
	}
	for typ, want := range map[string][]float64{"gt": {1, 0}, "lt": {0, 1}, "within_range": {1, 0}, "outside_range": {0, 1}} {
		params := []float64{90, 99}
		if typ == "lt" || typ == "gt" {
			params = []float64{90}
		}
		got, err := threshold(b, typ, params)
		if err != nil || got[0].value != want[0] || got[1].value != want[1] {
			t.Errorf("threshold %s = %+v %v, want %v", typ, got, err, want)
		}
	}
	// A labelled single item pairs by labels, not with every item of a larger set.
	one := []item{{labels: data.Labels{"team": "a"}, value: 1}}
	if got, err := mathExpr("$O && $B > 0", map[string][]item{"O": one, "B": b}); err != nil || len(got) != 1 || got[0].labels["team"] != "a" {
		t.Errorf("labelled single item: %+v %v, want one item for team a", got, err)
	}
	if _, err := mathExpr("$Z > 1", nil); err == nil {
		t.Error("unknown reference accepted")
	}
	dup := data.Frames{
		data.NewFrame("x", data.NewField("team", nil, []string{"a", "a"}), data.NewField("v", nil, []float64{1, 2})),
	}
	if _, err := fromFrames(dup); err == nil {
		t.Error("duplicate label sets accepted")
	}
}
