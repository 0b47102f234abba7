package metrics

import (
	_ "embed"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

//go:embed testdata/fixture_dora.sql
var doraFixtureSQL string

var (
	doraFrom = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	doraTo   = time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)
)

func TestReworkRate(t *testing.T) {
	f := &fixtureDB{engine: NewEngine(loadedStore(t, doraFixtureSQL))}
	// r3 (is_rework) and r5 (fixes r4) of the 7 production deployments; s1 is not production.
	wantValue(t, "rework_rate", tableValue(t, f.query(t, `{"metric":"rework_rate","format":"table"}`, doraFrom, doraTo), "value", ""), 100*2.0/7)
	byTeam := f.query(t, `{"metric":"rework_rate","format":"table","groupBy":"team"}`, doraFrom, doraTo)
	wantValue(t, "team-a", tableValue(t, byTeam, "value", "team-a"), 100*1.0/3) // r1, r2, r3
	wantValue(t, "team-b", tableValue(t, byTeam, "value", "team-b"), 100*1.0/4) // r4–r7
	// Per day: 4 March r1 (0 %), 5 March r2, r3 (50 %), 6 March r4, r5 (50 %), 7 and 8 March 0 %, weekend none.
	got := seriesValues(t, f.query(t, `{"metric":"rework_rate","interval":"day"}`, doraFrom, doraTo), data.Labels{})
	wantSeries(t, "rework_rate per day", got, []float64{0, 50, 50, 0, 0, null, null})
}
