package grafanahost

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// keyPanels are the panels whose values (not only shapes) must equal the metric engine's answer
// for the same query: a headline stat of each dashboard, a grouped time series and a table. The
// engine runs in-process on the same database, so a difference is a fault of the path between
// Grafana and the engine (query parsing, interpolation, Arrow encoding, the plugin context).
var keyPanels = map[string][]string{
	"platformlens-executive":   {"Deployments per week", "DORA summary"},
	"platformlens-operations":  {"Build success rate (latest hour)", "Build success rate"},
	"platformlens-delivery":    {"Lead time for changes"},
	"platformlens-reliability": {"MTTR"},
	"platformlens-funnels":     {"Overall conversion"},
	"platformlens-team":        {"Change failure rate", "Evidence: change failure rate"},
}

func (w *world) checkKeyValues(t *testing.T, d dashboardJSON, p panelJSON, qs []*pluginv2.DataQuery, res map[string]result) {
	t.Helper()
	if !contains(keyPanels[d.UID], p.Title) {
		return
	}
	w.valuesChecked++
	for _, q := range qs {
		tr := backend.TimeRange{From: time.UnixMilli(q.TimeRange.FromEpochMS).UTC(), To: time.UnixMilli(q.TimeRange.ToEpochMS).UTC()}
		mq, err := metrics.ParseQuery(q.Json, tr, time.Duration(q.IntervalMS)*time.Millisecond, q.MaxDataPoints)
		if err != nil {
			t.Fatalf("refId %s: the engine cannot parse what the plugin answered: %v", q.RefId, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		want, err := w.eng.Run(ctx, mq)
		cancel()
		if err != nil {
			t.Fatalf("refId %s: engine: %v", q.RefId, err)
		}
		if err := sameValues(res[q.RefId].frames, want); err != nil {
			t.Errorf("refId %s: the plugin's answer differs from the metric engine's: %v\nplugin:\n%s\nengine:\n%s", q.RefId, err, describe(res[q.RefId].frames), describe(want))
		}
	}
}

// sameValues compares frames field by field: names, labels, types and every value (floats to
// 1e-9 relative).
func sameValues(got, want data.Frames) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d frames, want %d", len(got), len(want))
	}
	for i := range want {
		g, e := got[i], want[i]
		if len(g.Fields) != len(e.Fields) {
			return fmt.Errorf("frame %d: %d fields, want %d", i, len(g.Fields), len(e.Fields))
		}
		for j := range e.Fields {
			gf, ef := g.Fields[j], e.Fields[j]
			if gf.Name != ef.Name || gf.Labels.String() != ef.Labels.String() || gf.Type() != ef.Type() || gf.Len() != ef.Len() {
				return fmt.Errorf("frame %d field %d: %s%s %s ×%d, want %s%s %s ×%d", i, j,
					gf.Name, gf.Labels, gf.Type(), gf.Len(), ef.Name, ef.Labels, ef.Type(), ef.Len())
			}
			for k := 0; k < ef.Len(); k++ {
				gv, _ := gf.ConcreteAt(k)
				ev, _ := ef.ConcreteAt(k)
				if !sameValue(gv, ev) {
					return fmt.Errorf("frame %d field %s row %d: %v, want %v", i, ef.Name, k, gv, ev)
				}
			}
		}
	}
	return nil
}

func sameValue(a, b any) bool {
	fa, aok := a.(float64)
	fb, bok := b.(float64)
	if aok && bok {
		return fa == fb || math.Abs(fa-fb) <= 1e-9*math.Max(math.Abs(fa), math.Abs(fb))
	}
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return a == b
}
