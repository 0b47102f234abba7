package metrics

import (
	"context"
	_ "embed"
	"strings"
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
	// r3 (is_rework) and r5 (fixes r4) of the 9 production deployments; s1 is not production.
	wantValue(t, "rework_rate", tableValue(t, f.query(t, `{"metric":"rework_rate","format":"table"}`, doraFrom, doraTo), "value", ""), 100*2.0/9)
	byTeam := f.query(t, `{"metric":"rework_rate","format":"table","groupBy":"team"}`, doraFrom, doraTo)
	wantValue(t, "team-a", tableValue(t, byTeam, "value", "team-a"), 100*1.0/3) // r1, r2, r3
	wantValue(t, "team-b", tableValue(t, byTeam, "value", "team-b"), 100*1.0/4) // r4–r7
	// Per day: 4 March r1 (0 %), 5 March r2, r3 (50 %), 6 March r4, r5 (50 %), 7 and 8 March 0 %,
	// 9 March r8, r9 (0 %), 10 March none.
	got := seriesValues(t, f.query(t, `{"metric":"rework_rate","interval":"day"}`, doraFrom, doraTo), data.Labels{})
	wantSeries(t, "rework_rate per day", got, []float64{0, 50, 50, 0, 0, 0, null})
}

// Lead time with the 30-day cap: successful production r1 2, r3 1, r4 5, r5 1, r6 4, r7 6, r8 720
// (exactly the cap: counted) → median 4; r9 (721 h) is excluded and reported.
func TestLeadTimeCap(t *testing.T) {
	st := loadedStore(t, doraFixtureSQL)
	f := &fixtureDB{engine: NewEngine(st)}
	frames := f.query(t, `{"metric":"lead_time","format":"table"}`, doraFrom, doraTo)
	wantValue(t, "lead_time", tableValue(t, frames, "value", ""), 4)
	if !hasNotice(frames, "1 deployment(s) excluded from lead time") {
		t.Errorf("no exclusion notice: %v", noticesOf(frames[0]))
	}
	// A 1-day cap leaves r1 2, r3 1, r4 5, r5 1, r6 4, r7 6 → median 3, and excludes r8 and r9.
	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO settings (key, value, updated_at) VALUES ('lead_time_cap_days', '1', now())
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`); err != nil {
		t.Fatal(err)
	}
	frames = f.query(t, `{"metric":"lead_time","format":"table"}`, doraFrom, doraTo)
	wantValue(t, "lead_time capped at 1 day", tableValue(t, frames, "value", ""), 3)
	if !hasNotice(frames, "2 deployment(s) excluded") {
		t.Errorf("no exclusion notice: %v", noticesOf(frames[0]))
	}
}

// Change failure rate under each attribution rule, with the window's edges (fixture_dora.sql):
// 9 production deployments; r2 rolled back, r4 change_failed, r6 explicitly caused i4.
// explicit_then_latest adds r1 (i1) and r7 (i2, exactly 24 h: inside); i3 is 1 s outside → 5/9.
// explicit_only: r2, r4, r6 → 3/9.
func TestAttributionRules(t *testing.T) {
	st := loadedStore(t, doraFixtureSQL)
	f := &fixtureDB{engine: NewEngine(st)}
	q := `{"metric":"change_failure_rate","format":"table","groupBy":"service"}`
	frames := f.query(t, q, doraFrom, doraTo)
	wantValue(t, "web", tableValue(t, frames, "value", "web"), 100*2.0/3) // r1 (i1), r2 of r1–r3
	wantValue(t, "api", tableValue(t, frames, "value", "api"), 100*3.0/4) // r4, r6 (i4), r7 (i2) of r4–r7
	wantValue(t, "batch", tableValue(t, frames, "value", "batch"), 0)     // i3 outside the window
	wantValue(t, "overall", tableValue(t, f.query(t, `{"metric":"change_failure_rate","format":"table"}`, doraFrom, doraTo), "value", ""), 100*5.0/9)
	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO settings (key, value, updated_at) VALUES ('incident_attribution_rule', '"explicit_only"', now())
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`); err != nil {
		t.Fatal(err)
	}
	wantValue(t, "explicit_only", tableValue(t, f.query(t, `{"metric":"change_failure_rate","format":"table"}`, doraFrom, doraTo), "value", ""), 100*3.0/9)
	if _, err := st.Pool().Exec(context.Background(), `UPDATE settings SET value = '"newest"' WHERE key = 'incident_attribution_rule'`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.tryQuery(`{"metric":"change_failure_rate","format":"table"}`, doraFrom, doraTo); err == nil || !strings.Contains(err.Error(), "explicit_only") {
		t.Errorf("an unknown rule must be refused naming the valid ones, got %v", err)
	}
}

// Revert detection (fixture_dora.sql plus a service cron of team-c): v1 is named by v2's
// fixes_deployment → failed; v3 (10 March 20:00) is fixed by v4 on 11 March 01:00, after the range
// end but within the 24 h window → failed, v4 itself is out of range; v5 is fixed by v6 exactly 24 h
// after the range end → outside (edge), not failed; v6's staging twin s2 naming v2 does not count
// (only production fixes do). In range: 9 + v1, v2, v3, v5 = 13 production deployments, failed
// r1, r2, r4, r6, r7, v1, v3 → 7/13; explicit_only keeps reverts: r2, r4, r6, v1, v3 → 5/13.
func TestRevertDetection(t *testing.T) {
	st := loadedStore(t, doraFixtureSQL)
	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO deployments (finished_at, started_at, service, team, product_line,
		tech_stack, environment, status, duration_seconds, is_production, first_commit_at, change_failed, is_rework, fixes_deployment,
		source, external_id)
		SELECT f, f - interval '5 minutes', 'cron', 'team-c', 'payments', 'go', env, 'success', 300, prod, f - interval '1 hour', false,
		       fx IS NOT NULL, fx, 'fx', id
		FROM (VALUES ('v1', 'prod', true, '2024-03-10 08:00Z'::timestamptz, NULL),
		             ('v2', 'prod', true, '2024-03-10 09:00Z', 'v1'),
		             ('v3', 'prod', true, '2024-03-10 20:00Z', NULL),
		             ('v4', 'prod', true, '2024-03-11 01:00Z', 'v3'),
		             ('v5', 'prod', true, '2024-03-10 22:00Z', NULL),
		             ('v6', 'prod', true, '2024-03-12 00:00Z', 'v5'),
		             ('s2', 'staging', false, '2024-03-10 10:00Z', 'v2')) v(id, env, prod, f, fx)`); err != nil {
		t.Fatal(err)
	}
	f := &fixtureDB{engine: NewEngine(st)}
	cron := f.query(t, `{"metric":"change_failure_rate","format":"table","groupBy":"service"}`, doraFrom, doraTo)
	wantValue(t, "cron", tableValue(t, cron, "value", "cron"), 100*2.0/4) // v1, v3 of v1, v2, v3, v5
	wantValue(t, "overall", tableValue(t, f.query(t, `{"metric":"change_failure_rate","format":"table"}`, doraFrom, doraTo), "value", ""), 100*7.0/13)

	// The evidence names the revert and its rule, and sums to the headline.
	ev := f.query(t, `{"metric":"dora_evidence","doraKey":"change_failure_rate","format":"table","filters":{"service":["cron"]}}`, doraFrom, doraTo)
	reasons := map[string]string{}
	sum := 0.0
	fr := ev[0]
	ids, _ := fr.FieldByName("id")
	whys, _ := fr.FieldByName("reason")
	contribs, _ := fr.FieldByName("contribution")
	if ids == nil || whys == nil || contribs == nil {
		t.Fatalf("evidence frame lacks id, reason or contribution: %v", fr.Fields)
	}
	for i := 0; i < fr.Rows(); i++ {
		c, _ := contribs.ConcreteAt(i)
		reasons[ids.At(i).(string)] = whys.At(i).(string)
		sum += c.(float64)
	}
	want := map[string]string{
		"v1": "deployment v2 (revert: a production deployment names it in fixes_deployment)",
		"v2": "", "v5": "",
		"v3": "deployment v4 (revert: a production deployment names it in fixes_deployment)",
	}
	for id, w := range want {
		if got, ok := reasons[id]; !ok || got != w {
			t.Errorf("evidence of %s: reason %q (listed %v), want %q", id, got, ok, w)
		}
	}
	if len(reasons) != len(want) {
		t.Errorf("evidence rows %v, want %v", reasons, want)
	}
	wantValue(t, "evidence sum", &sum, 100*2.0/4)

	if _, err := st.Pool().Exec(context.Background(), `INSERT INTO settings (key, value, updated_at) VALUES ('incident_attribution_rule', '"explicit_only"', now())
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`); err != nil {
		t.Fatal(err)
	}
	wantValue(t, "explicit_only", tableValue(t, f.query(t, `{"metric":"change_failure_rate","format":"table"}`, doraFrom, doraTo), "value", ""), 100*5.0/13)
}
