package grafanahost

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Failure scenarios of the alert rules. Each writes failures through the plugin's ingest route
// (as an Editor, the way a CI webhook or the CLI would), expects one named alert instance to
// fire, then writes a recovery and expects every instance of the rule to be Normal. Times are
// offsets from demoEnd; events use the source "grafanahost" so they never collide with demo rows.

type alertScenario struct {
	// fail writes the failure and returns the labels of the instance that must fire.
	fail func(t *testing.T, w *world, r alertRule) data.Labels
	// recover writes the recovery for that instance.
	recover func(t *testing.T, w *world, inst data.Labels)
	// recoverAt is when the recovered state is evaluated (offset from demoEnd); failures are
	// evaluated at demoEnd.
	recoverAt time.Duration
}

var alertScenarios = map[string]alertScenario{
	"pl-build-success-rate-low": {
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			stack := w.values(t, "tech_stack", nil)[0]
			w.ingest(t, "builds", builds(w, t, stack, "failure", 60, demoEnd.Add(-50*time.Minute), 40*time.Minute, "bsr-fail"))
			return data.Labels{"tech_stack": stack}
		},
		recover: func(t *testing.T, w *world, inst data.Labels) {
			w.ingest(t, "builds", builds(w, t, inst["tech_stack"], "success", 1200, demoEnd.Add(-50*time.Minute), 40*time.Minute, "bsr-ok"))
		},
	},
	"pl-build-success-anomaly": {
		// A failed hour is anomalous against the 7 before it; the alert clears when that hour
		// has left the 12 h span and the stack built normally since.
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			// A stack the rule finds normal now, the busiest of them over the rule's 12 hours: its
			// hourly rate has a steady baseline (tier S's quiet stacks build once in a few hours,
			// so their interpolated hours are too noisy for a failed hour to stand out).
			stack := w.busiestNormalInstance(t, r, "tech_stack", demoEnd.Add(-12*time.Hour), demoEnd)
			w.ingest(t, "builds", builds(w, t, stack, "failure", 300, demoEnd.Add(-55*time.Minute), 50*time.Minute, "anom-fail"))
			return data.Labels{"tech_stack": stack}
		},
		recover: func(t *testing.T, w *world, inst data.Labels) {
			for h := 0; h < 14; h++ {
				start := demoEnd.Add(time.Duration(h) * time.Hour)
				w.ingest(t, "builds", builds(w, t, inst["tech_stack"], "success", 19, start.Add(time.Minute), 50*time.Minute, fmt.Sprintf("anom-ok-%d", h)))
				w.ingest(t, "builds", builds(w, t, inst["tech_stack"], "failure", 1, start.Add(55*time.Minute), time.Minute, fmt.Sprintf("anom-ok-f-%d", h)))
			}
		},
		recoverAt: 14 * time.Hour,
	},
	"pl-change-failure-rate-high": {
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			team := w.values(t, "team", nil)[0]
			w.ingest(t, "deployments", deploys(w, t, team, "failure", 40, demoEnd.Add(-3*24*time.Hour), 24*time.Hour, "cfr-fail"))
			return data.Labels{"team": team}
		},
		recover: func(t *testing.T, w *world, inst data.Labels) {
			w.ingest(t, "deployments", deploys(w, t, inst["team"], "success", 1500, demoEnd.Add(-2*24*time.Hour), 24*time.Hour, "cfr-ok"))
		},
	},
	"pl-mttr-high": {
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			team := w.values(t, "team", nil)[1]
			w.ingest(t, "incidents", incidents(w, t, team, 6, demoEnd.Add(-5*24*time.Hour), 48*time.Hour, "mttr-fail"))
			return data.Labels{"team": team}
		},
		recover: func(t *testing.T, w *world, inst data.Labels) {
			w.ingest(t, "incidents", incidents(w, t, inst["team"], 600, demoEnd.Add(-2*24*time.Hour), time.Minute, "mttr-ok"))
		},
	},
	"pl-pipeline-availability-low": {
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			platform := w.pipelinePlatform(t)
			w.ingest(t, "platform_probes", probes(platform, "down", 6, demoEnd.Add(-40*time.Minute), 20*time.Minute, "pa-fail"))
			return data.Labels{"platform": platform}
		},
		recover: func(t *testing.T, w *world, inst data.Labels) {
			w.ingest(t, "platform_probes", probes(inst["platform"], "operational", 600, demoEnd.Add(-59*time.Minute), 58*time.Minute, "pa-ok"))
		},
	},
	"pl-platform-down": {
		// A platform that is down for the whole 5 minutes; it recovers and is probed up since.
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			w.ingest(t, "platforms", []map[string]any{{"name": "grafanahost-canary", "category": "cd", "is_pipeline": false}})
			w.ingest(t, "platform_probes", probes("grafanahost-canary", "down", 5, demoEnd.Add(-290*time.Second), 4*time.Minute, "pd-fail"))
			return data.Labels{"platform": "grafanahost-canary"}
		},
		recover: func(t *testing.T, w *world, inst data.Labels) {
			w.ingest(t, "platform_probes", probes(inst["platform"], "operational", 10, demoEnd.Add(5*time.Minute+10*time.Second), 4*time.Minute+40*time.Second, "pd-ok"))
		},
		recoverAt: 10 * time.Minute,
	},
	"pl-cost-per-deploy-high": {
		// A license bill of a new tool spikes the monthly OpEx; its corrected snapshot (the
		// latest per platform counts) brings it back.
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			w.ingest(t, "license_snapshots", []map[string]any{licence("grafanahost-tool", 1e7, demoEnd.Add(-24*time.Hour), "cost-fail")})
			return data.Labels{}
		},
		recover: func(t *testing.T, w *world, _ data.Labels) {
			w.ingest(t, "license_snapshots", []map[string]any{licence("grafanahost-tool", 0, demoEnd.Add(-time.Hour), "cost-ok")})
		},
	},
	"pl-onboarding-conversion-drop": {
		// The rule reads the week before last (conversions need up to a week to complete).
		fail: func(t *testing.T, w *world, r alertRule) data.Labels {
			w.ingest(t, "product_events", funnelEvents([]string{"Sign Up"}, 200, demoEnd.Add(-13*24*time.Hour), "onb-fail"))
			return data.Labels{}
		},
		recover: func(t *testing.T, w *world, _ data.Labels) {
			for b := 0; b < 2; b++ {
				w.ingest(t, "product_events", funnelEvents([]string{"Sign Up", "Profile Setup", "First Template", "First Deployment"},
					200, demoEnd.Add(-12*24*time.Hour+time.Duration(b)*time.Hour), fmt.Sprintf("onb-ok-%d", b)))
			}
		},
	},
}

// runScenario writes the failure and re-evaluates until the instance fires, then writes the
// recovery and re-evaluates until it is Normal, like Grafana's periodic evaluation: rollups of
// long ranges are refreshed in the background a few seconds after an ingest, so the first
// evaluation may not see the rows yet. The deadline is generous (a loaded machine is slow).
func (w *world) runScenario(t *testing.T, r alertRule, s alertScenario) {
	inst := s.fail(t, w, r)
	if f, ok := knownFindings[r.UID][inst.String()]; ok {
		// Already not Normal on healthy data (knownFindings): no Normal → Alerting → Normal cycle
		// can be shown until the rule or the demo data is fixed, but the rule must still follow
		// the data: Alerting on the injected failure, back to its pinned state after recovery.
		ev := w.evaluateUntil(t, r, demoEnd, func(ev evaluation) bool { return ev.instances[inst.String()] == "Alerting" })
		if got := ev.instances[inst.String()]; got != "Alerting" {
			t.Fatalf("after the injected failure, instance %q (known finding: %s when healthy) is %q, want Alerting (%s)", inst, f, got, ev)
		}
		s.recover(t, w, inst)
		ev = w.evaluateUntil(t, r, demoEnd.Add(s.recoverAt), func(ev evaluation) bool { return ev.instances[inst.String()] == f })
		if got := ev.instances[inst.String()]; got != f {
			t.Fatalf("after recovery, instance %q is %q, want its pinned healthy-data state %s (%s)", inst, got, f, ev)
		}
		t.Logf("known finding %s: failing → Alerting, recovered → %s; no full cycle counted", inst, f)
		return
	}
	ev := w.evaluateUntil(t, r, demoEnd, func(ev evaluation) bool { return ev.instances[inst.String()] == "Alerting" })
	if got := ev.instances[inst.String()]; got != "Alerting" {
		t.Fatalf("after the injected failure, instance %q is %q, want Alerting (%s)", inst, got, ev)
	}
	t.Logf("failing: %s", ev)
	s.recover(t, w, inst)
	ev = w.evaluateUntil(t, r, demoEnd.Add(s.recoverAt), func(ev evaluation) bool { return ev.instances[inst.String()] == "Normal" })
	if got := ev.instances[inst.String()]; got != "Normal" {
		t.Fatalf("after recovery, instance %q is %q, want Normal (%s)", inst, got, ev)
	}
	t.Logf("recovered: %s", ev)
	checkStates(t, "after recovery", r.UID, ev, nil)
	w.cycles++
}

// evaluateUntil evaluates the rule every second until done or two minutes passed.
func (w *world) evaluateUntil(t *testing.T, r alertRule, now time.Time, done func(evaluation) bool) evaluation {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ev := w.evaluate(t, r, now)
		if done(ev) || time.Now().After(deadline) {
			return ev
		}
		time.Sleep(time.Second)
	}
}

// ingest posts events through the plugin's ingest route as an Editor and requires all stored.
func (w *world) ingest(t *testing.T, table string, events []map[string]any) {
	t.Helper()
	code, body := w.h.callResource(t, w.as("Editor"), "POST", "ingest/"+table, map[string]any{"events": events})
	var res struct {
		Stored int `json:"stored"`
	}
	if err := json.Unmarshal(body, &res); code != 200 || err != nil || res.Stored != len(events) {
		t.Fatalf("POST /ingest/%s (%d events) = %d %.400s", table, len(events), code, body)
	}
}

// values lists a dimension's values through the /variables route, narrowed by selections.
func (w *world) values(t *testing.T, dim string, sel url.Values) []string {
	t.Helper()
	path := "variables/" + dim
	if len(sel) > 0 {
		path += "?" + sel.Encode()
	}
	code, body := w.h.callResource(t, w.as("Viewer"), "GET", path, nil)
	var opts []struct{ Value string }
	if err := json.Unmarshal(body, &opts); code != 200 || err != nil || len(opts) < 2 {
		t.Fatalf("GET %s = %d %s: want at least two values", path, code, body)
	}
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Value
	}
	return out
}

// pipelinePlatform is a platform the pipeline availability rule reports on (is_pipeline).
func (w *world) pipelinePlatform(t *testing.T) string {
	t.Helper()
	for _, r := range readAlertRules(t) {
		if r.UID == "pl-pipeline-availability-low" {
			for inst := range w.evaluate(t, r, demoEnd).instances {
				var l data.Labels
				if l, _ = data.LabelsFromString(inst); l["platform"] != "" {
					return l["platform"]
				}
			}
		}
	}
	t.Fatal("the pipeline availability rule reports no platform on demo data")
	return ""
}

// busiestNormalInstance is the tech stack, among the rule's Normal instances at demoEnd, with the
// most builds finished in [from, to).
func (w *world) busiestNormalInstance(t *testing.T, r alertRule, key string, from, to time.Time) string {
	t.Helper()
	normal := map[string]bool{}
	ev := w.evaluate(t, r, demoEnd)
	for inst, state := range ev.instances {
		if l, err := data.LabelsFromString(inst); err == nil && state == "Normal" && l[key] != "" {
			normal[l[key]] = true
		}
	}
	rows, err := w.st.Pool().Query(context.Background(), `SELECT tech_stack FROM builds
		WHERE finished_at >= $1 AND finished_at < $2 GROUP BY tech_stack ORDER BY count(*) DESC, tech_stack`, from, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var stack string
		if err := rows.Scan(&stack); err != nil {
			t.Fatal(err)
		}
		if normal[stack] {
			return stack
		}
	}
	t.Fatalf("rule %s has no Normal instance with builds in the last 12 h (%s)", r.UID, ev)
	return ""
}

// spread places n events evenly over [start, start+span).
func spread(i, n int, start time.Time, span time.Duration) time.Time {
	return start.Add(span * time.Duration(i) / time.Duration(n)).Truncate(time.Millisecond)
}

func builds(w *world, t *testing.T, stack, status string, n int, start time.Time, span time.Duration, id string) []map[string]any {
	team := w.values(t, "team", url.Values{"tech_stack": {stack}})[0]
	out := make([]map[string]any, n)
	for i := range out {
		fin := spread(i, n, start, span)
		out[i] = map[string]any{"source": "grafanahost", "external_id": fmt.Sprintf("%s-%d", id, i),
			"finished_at": fin, "started_at": fin.Add(-2 * time.Minute), "pipeline": "main", "repo": "grafanahost",
			"service": "grafanahost", "team": team, "tech_stack": stack, "status": status, "duration_seconds": 120}
	}
	return out
}

func deploys(w *world, t *testing.T, team, status string, n int, start time.Time, span time.Duration, id string) []map[string]any {
	env := w.values(t, "environment", nil)[0]
	stack := w.values(t, "tech_stack", nil)[0]
	out := make([]map[string]any, n)
	for i := range out {
		fin := spread(i, n, start, span)
		out[i] = map[string]any{"source": "grafanahost", "external_id": fmt.Sprintf("%s-%d", id, i),
			"finished_at": fin, "started_at": fin.Add(-5 * time.Minute), "first_commit_at": fin.Add(-5 * time.Hour),
			"service": "grafanahost-" + team, "team": team, "product_line": "grafanahost", "tech_stack": stack,
			"environment": env, "is_production": true, "status": status, "change_failed": status != "success", "duration_seconds": 300}
	}
	return out
}

func incidents(w *world, t *testing.T, team string, n int, start time.Time, resolveAfter time.Duration, id string) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		opened := spread(i, n, start, 24*time.Hour)
		out[i] = map[string]any{"source": "grafanahost", "external_id": fmt.Sprintf("%s-%d", id, i),
			"opened_at": opened, "resolved_at": opened.Add(resolveAfter), "severity": "p3",
			"service": "grafanahost-incidents", "team": team, "title": "grafanahost scenario"}
	}
	return out
}

func probes(platform, status string, n int, start time.Time, span time.Duration, id string) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"source": "grafanahost", "external_id": fmt.Sprintf("%s-%d", id, i),
			"probed_at": spread(i, n, start, span), "platform": platform, "status": status, "response_ms": 50}
	}
	return out
}

func licence(platform string, cost float64, at time.Time, id string) map[string]any {
	return map[string]any{"source": "grafanahost", "external_id": id, "measured_at": at, "platform": platform,
		"seats_total": 10, "seats_active": 5, "monthly_cost": cost}
}

// funnelEvents has n subjects each doing the steps in order, a minute apart, starting at start.
func funnelEvents(steps []string, n int, start time.Time, id string) []map[string]any {
	var out []map[string]any
	for s := 0; s < n; s++ {
		at := start.Add(time.Duration(s) * time.Second)
		for k, step := range steps {
			out = append(out, map[string]any{"source": "grafanahost", "external_id": fmt.Sprintf("%s-%d-%d", id, s, k),
				"occurred_at": at.Add(time.Duration(k) * time.Minute), "subject_id": fmt.Sprintf("gh-%s-%d", id, s), "event": step})
		}
	}
	return out
}
