package metrics

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
)

// TestDORAEvidenceSumsToHeadline loads the demo data (tier S) and checks, for every key, over the
// last 90 days and for one team, that the evidence adds up to the key's metric exactly: rates and
// deployment frequency as the sum of the contributions, lead time and recovery time as the median
// of the counted rows.
func TestDORAEvidenceSumsToHeadline(t *testing.T) {
	end := testworld.MonthStartEnd
	st, _ := testworld.DemoStore(t, end)
	f := &fixtureDB{engine: NewEngine(st)}
	from := end.AddDate(0, 0, -90)
	excluded := 0
	for _, key := range doraEvidenceKeys {
		for _, filter := range []string{"", `,"filters":{"team":["payments-core"]}`} {
			name := key + filter
			head := tableValue(t, f.query(t, fmt.Sprintf(`{"metric":%q,"format":"table"%s}`, key, filter), from, end), "value", "")
			ev := f.query(t, fmt.Sprintf(`{"metric":"dora_evidence","format":"table","doraKey":%q%s}`, key, filter), from, end)[0]
			contrib, status := col(t, ev, "contribution"), col(t, ev, "status")
			var sum float64
			var counted []float64
			for i := 0; i < ev.Rows(); i++ {
				c := *contrib.At(i).(*float64)
				if status.At(i).(string) == "counted" {
					sum += c
					counted = append(counted, c)
				} else {
					excluded++
				}
			}
			if head == nil || ev.Rows() == 0 {
				t.Errorf("%s: headline %v, %d evidence rows: the demo data should answer", name, head, ev.Rows())
				continue
			}
			got := sum
			if key == "lead_time" || key == "recovery_time" {
				sort.Float64s(counted)
				n := len(counted)
				got = (counted[(n-1)/2] + counted[n/2]) / 2
			}
			if math.Abs(got-*head) > 1e-9*math.Max(1, math.Abs(*head)) {
				t.Errorf("%s: evidence gives %v, headline %v", name, got, *head)
			}
		}
	}
	if excluded == 0 {
		t.Error("no evidence row excluded: the demo data has commits older than the lead-time cap")
	}
}
