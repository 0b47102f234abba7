package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

const buildRuleTitle = "Build success rate low"

// grafanaRule is one rule of /api/prometheus/grafana/api/v1/rules: its health, last evaluation
// and alert instances.
type grafanaRule struct {
	Name           string `json:"name"`
	Health         string `json:"health"`
	LastError      string `json:"lastError"`
	LastEvaluation string `json:"lastEvaluation"`
	Alerts         []struct {
		Labels map[string]string `json:"labels"`
		State  string            `json:"state"`
	} `json:"alerts"`
}

// evaluated reports whether Grafana has evaluated the rule yet (it reports year 1 before).
func (r grafanaRule) evaluated() bool {
	return r.LastEvaluation != "" && !strings.HasPrefix(r.LastEvaluation, "0001-")
}

// grafanaRules returns every rule Grafana evaluates, by title.
func grafanaRules(t *testing.T, g *grafana) map[string]grafanaRule {
	t.Helper()
	var resp struct {
		Data struct {
			Groups []struct {
				Rules []grafanaRule `json:"rules"`
			} `json:"groups"`
		} `json:"data"`
	}
	g.getJSON(t, "/api/prometheus/grafana/api/v1/rules", &resp)
	out := map[string]grafanaRule{}
	for _, grp := range resp.Data.Groups {
		for _, r := range grp.Rules {
			out[r.Name] = r
		}
	}
	return out
}

// ruleInstances returns the state of every alert instance of a rule by tech stack, and whether the
// rule has been evaluated yet.
func ruleInstances(t *testing.T, g *grafana, title string) (map[string]string, bool) {
	t.Helper()
	r, ok := grafanaRules(t, g)[title]
	if !ok {
		t.Fatalf("rule %q is not in /api/prometheus/grafana/api/v1/rules", title)
	}
	if r.LastError != "" {
		t.Logf("rule %q: last error: %s", title, r.LastError)
	}
	states := map[string]string{}
	for _, a := range r.Alerts {
		states[a.Labels["tech_stack"]] = a.State
	}
	return states, r.evaluated()
}

func firing(state string) bool {
	s := strings.ToLower(state)
	return strings.HasPrefix(s, "alerting") || strings.HasPrefix(s, "pending") || s == "firing"
}

// ingestBuilds posts builds for one tech stack spread over the last 55 minutes.
func ingestBuilds(t *testing.T, g *grafana, prefix, stack, status string, n int) {
	t.Helper()
	now := time.Now()
	const batch = 1000
	for start := 0; start < n; start += batch {
		var events []any
		for i := start; i < n && i < start+batch; i++ {
			at := now.Add(-time.Duration(i%55+1) * time.Minute).Add(-time.Duration(i) * time.Millisecond)
			events = append(events, buildEvent(fmt.Sprintf("%s-%d", prefix, i), stack, status, at))
		}
		var res struct {
			Stored   int   `json:"stored"`
			Rejected []any `json:"rejected"`
		}
		g.mustJSON(t, http.MethodPost, dsPath+"/resources/ingest/builds", map[string]any{"events": events}, &res)
		if len(res.Rejected) != 0 {
			t.Fatalf("ingest %s builds: %d rejected: %v", status, len(res.Rejected), res.Rejected)
		}
	}
}

// TestBuildSuccessRuleFiresAndRecovers runs against the harness's test-only copy of the rule
// group (evaluation every 10 s, for: 0s), injects failed builds for one tech stack and expects
// that stack's alert instance to fire, then adds successful builds and expects it back to Normal.
func TestBuildSuccessRuleFiresAndRecovers(t *testing.T) {
	g := adminClient(t)
	const timeout, poll = 150 * time.Second, 3 * time.Second

	var states map[string]string
	eventually(t, 90*time.Second, poll, "first evaluation of "+buildRuleTitle, func() (bool, string) {
		var evaluated bool
		states, evaluated = ruleInstances(t, g, buildRuleTitle)
		return evaluated, fmt.Sprintf("instances by tech_stack: %v", states)
	})
	stack := ""
	for _, s := range techStacks(t, g) {
		if !firing(states[s]) {
			stack = s
			break
		}
	}
	if stack == "" {
		t.Fatalf("every tech stack already fires %q on the demo data (%v): the test needs a healthy one", buildRuleTitle, states)
	}
	t.Logf("tech stack %q before the breach: %q", stack, states[stack])

	run := time.Now().Format("150405.000")
	ingestBuilds(t, g, "breach-"+run, stack, "failure", 60)
	eventually(t, timeout, poll, "alert for "+stack+" to fire", func() (bool, string) {
		st, _ := ruleInstances(t, g, buildRuleTitle)
		return firing(st[stack]), fmt.Sprintf("%s=%q", stack, st[stack])
	})

	ingestBuilds(t, g, "recover-"+run, stack, "success", 1200)
	eventually(t, timeout, poll, "alert for "+stack+" to return to Normal", func() (bool, string) {
		st, _ := ruleInstances(t, g, buildRuleTitle)
		s, ok := st[stack]
		return !ok || strings.HasPrefix(strings.ToLower(s), "normal"), fmt.Sprintf("%s=%q", stack, s)
	})
}

// TestAlertRulesEvaluateWithoutError waits (≤ 90 s; the harness's copy evaluates every 10 s) until
// Grafana has evaluated every provisioned rule, then requires that none is in health "error": a
// rule whose query the datasource rejects, or whose frames the expressions cannot read, would
// otherwise only show up as an Error alert in production. No data is a valid outcome here (the
// tier S demo data probes platforms hourly).
func TestAlertRulesEvaluateWithoutError(t *testing.T) {
	g := adminClient(t)
	want := provisionedRules(t)
	var health map[string]grafanaRule
	eventually(t, 90*time.Second, 3*time.Second, "first evaluation of every provisioned rule", func() (bool, string) {
		health = grafanaRules(t, g)
		var pending []string
		for _, title := range want {
			h, ok := health[title]
			if !ok || !h.evaluated() {
				pending = append(pending, title)
			}
		}
		return len(pending) == 0, fmt.Sprintf("not evaluated yet: %v", pending)
	})
	for uid, title := range want {
		h := health[title]
		t.Logf("rule %q (%s): health %q, %d instance(s)", title, uid, h.Health, len(h.Alerts))
		if strings.EqualFold(h.Health, "error") {
			t.Errorf("rule %q (%s) failed to evaluate: %s", title, uid, h.LastError)
		}
	}
}
