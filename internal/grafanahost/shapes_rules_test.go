package grafanahost

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The shape rules must be able to fail: frames a panel cannot draw are rejected.
func TestShapeRulesRejectWhatPanelsCannotDraw(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ts := []time.Time{t0, t0.Add(time.Hour)}
	series := func(labels data.Labels, times []time.Time) *data.Frame {
		return data.NewFrame("s", data.NewField("time", nil, times), data.NewField("value", labels, []float64{1, 2}))
	}
	table := data.NewFrame("t", data.NewField("team", nil, []string{"a", "b"}), data.NewField("value", nil, []float64{1, 2}))
	onlyText := data.NewFrame("t", data.NewField("team", nil, []string{"a"}))
	nullNumber := data.NewFrame("t", data.NewField("value", nil, []*float64{nil}))
	empty := data.NewFrame("e", data.NewField("value", nil, []float64{}))

	good := []struct {
		panel  string
		frames data.Frames
	}{
		{"stat", data.Frames{table}},
		{"timeseries", data.Frames{series(data.Labels{"team": "a"}, ts), series(data.Labels{"team": "b"}, ts)}},
		{"barchart", data.Frames{table}},
		{"table", data.Frames{onlyText}},
		{"state-timeline", data.Frames{series(nil, ts)}},
	}
	for _, c := range good {
		if err := checkPanelShape(c.panel, c.frames); err != nil {
			t.Errorf("%s: good frames rejected: %v", c.panel, err)
		}
	}
	bad := []struct {
		panel  string
		frames data.Frames
	}{
		{"stat", data.Frames{onlyText}},
		{"gauge", data.Frames{nullNumber}},
		{"stat", data.Frames{empty}},
		{"timeseries", data.Frames{table}},
		{"timeseries", data.Frames{series(data.Labels{"team": "a"}, ts), series(data.Labels{"team": "a"}, ts)}},
		{"timeseries", data.Frames{series(nil, []time.Time{ts[1], ts[0]})}},
		{"barchart", data.Frames{onlyText}},
		{"piechart", data.Frames{onlyText}},
		{"table", nil},
		{"heatmap", data.Frames{table}},
	}
	for i, c := range bad {
		if err := checkPanelShape(c.panel, c.frames); err == nil {
			t.Errorf("bad case %d (%s) accepted", i, c.panel)
		}
	}
	if err := checkAnnotationShape(data.Frames{table}, true); err == nil {
		t.Error("annotation frame without time accepted")
	}
}
