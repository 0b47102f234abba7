package receiver

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReplayFixtures sends every documented payload through the HTTP endpoints, twice, and
// checks the answers and the stored rows field by field.
func TestReplayFixtures(t *testing.T) {
	e := newEnv(t, testCfg)
	deliveries := []struct {
		name    string
		d       delivery
		stored  float64
		ignored float64
	}{
		{"github workflow_run", githubDelivery("workflow_run", fixture(t, "github_workflow_run_completed.json"), "gh-secret"), 1, 0},
		{"github workflow_run requested", githubDelivery("workflow_run", fixture(t, "github_workflow_run_requested.json"), "gh-secret"), 0, 1},
		{"github workflow_job", githubDelivery("workflow_job", fixture(t, "github_workflow_job_completed.json"), "gh-secret"), 0, 1},
		{"github pull_request", githubDelivery("pull_request", fixture(t, "github_pull_request_closed.json"), "gh-secret"), 1, 0},
		{"github deployment_status", githubDelivery("deployment_status", fixture(t, "github_deployment_status.json"), "gh-secret"), 1, 0},
		{"github revert deployment", githubDelivery("deployment_status", fixture(t, "github_deployment_status_revert.json"), "gh-secret"), 1, 0},
		{"github incident opened", githubDelivery("issues", fixture(t, "github_issues_opened.json"), "gh-secret"), 1, 0},
		{"github incident closed", githubDelivery("issues", fixture(t, "github_issues_closed.json"), "gh-secret"), 0, 0},
		{"github bug issue", githubDelivery("issues", fixture(t, "github_issues_opened_bug.json"), "gh-secret"), 0, 1},
		{"gitlab pipeline", gitlabDelivery(fixture(t, "gitlab_pipeline.json"), "gl-token"), 1, 0},
		{"gitlab job", gitlabDelivery(fixture(t, "gitlab_job.json"), "gl-token"), 0, 1},
		{"gitlab merge request", gitlabDelivery(fixture(t, "gitlab_merge_request.json"), "gl-token"), 1, 0},
		{"gitlab deployment", gitlabDelivery(fixture(t, "gitlab_deployment.json"), "gl-token"), 1, 0},
		{"gitlab revert deployment", gitlabDelivery(fixture(t, "gitlab_deployment_revert.json"), "gl-token"), 1, 0},
		{"gitlab incident", gitlabDelivery(fixture(t, "gitlab_incident.json"), "gl-token"), 1, 0},
		{"pagerduty triggered", pagerdutyDelivery(fixture(t, "pagerduty_incident_triggered.json"), "pd-secret"), 1, 0},
		{"pagerduty resolved", pagerdutyDelivery(fixture(t, "pagerduty_incident_resolved.json"), "pd-secret"), 0, 0},
		{"generic incident", incidentDelivery(fixture(t, "incident_generic.json"), "inc-token"), 1, 0},
		{"opsgenie create", incidentDelivery(fixture(t, "opsgenie_alert_create.json"), "inc-token"), 1, 0},
		{"opsgenie close", incidentDelivery(fixture(t, "opsgenie_alert_close.json"), "inc-token"), 0, 0},
	}
	for _, round := range []string{"first", "again"} {
		for _, c := range deliveries {
			code, out := e.send(t, c.d)
			wantStored := c.stored
			if round == "again" {
				wantStored = 0 // the same delivery twice stores once
			}
			if code != http.StatusAccepted || out["stored"] != wantStored || out["ignored"] != c.ignored {
				t.Errorf("%s (%s): %d %v; want 202, stored %v, ignored %v", c.name, round, code, out, wantStored, c.ignored)
			}
			if round == "again" && c.stored == 1 && out["duplicates"] != 1.0 {
				t.Errorf("%s resent: duplicates = %v", c.name, out["duplicates"])
			}
		}
	}
	for table, n := range map[string]int{"builds": 2, "pull_requests": 2, "deployments": 4, "incidents": 5} {
		if got := e.count(t, table); got != n {
			t.Errorf("%s has %d rows, want %d", table, got, n)
		}
	}

	t.Run("builds", func(t *testing.T) {
		checkRow(t, e.row(t, "builds", "workflow_run:30433642:1"), map[string]any{
			"source": "github", "external_id": "workflow_run:30433642:1", "finished_at": ts("2026-11-20T08:07:30Z"),
			"started_at": ts("2026-11-20T08:00:45Z"), "pipeline": "Build", "repo": "octo-org/octo-repo",
			"service": "checkout-api", "team": "checkout", "tech_stack": "java", "status": "success",
			"queue_seconds": 45.0, "duration_seconds": 405.0})
		checkRow(t, e.row(t, "builds", "pipeline:31"), map[string]any{
			"source": "gitlab", "external_id": "pipeline:31", "finished_at": ts("2026-11-20T10:06:00Z"),
			"started_at": ts("2026-11-20T10:01:00Z"), "pipeline": "Pipeline for branch: main", "repo": "gitlab-org/gitlab-test",
			"service": "Gitlab Test", "team": "unassigned", "tech_stack": "unassigned", "status": "failure",
			"queue_seconds": 60.0, "duration_seconds": 300.0})
	})
	t.Run("pull_requests", func(t *testing.T) {
		checkRow(t, e.row(t, "pull_requests", "pull_request:279147437"), map[string]any{
			"source": "github", "external_id": "pull_request:279147437", "merged_at": ts("2026-11-19T10:30:00Z"),
			"repo": "octo-org/octo-repo", "team": "checkout", "tech_stack": "java", "first_commit_at": ts("2026-11-18T14:00:00Z"),
			"opened_at": ts("2026-11-18T14:00:00Z"), "deployed_at": nil})
	})
	t.Run("deployments", func(t *testing.T) {
		checkRow(t, e.row(t, "deployments", "deployment:145988746"), map[string]any{
			"source": "github", "external_id": "deployment:145988746", "finished_at": ts("2026-11-20T08:20:00Z"),
			"started_at": ts("2026-11-20T08:10:00Z"), "service": "checkout-api", "team": "checkout", "product_line": "commerce",
			"tech_stack": "java", "environment": "production", "status": "success", "duration_seconds": 600.0,
			"is_production": true, "first_commit_at": ts("2026-11-20T08:10:00Z"), "change_failed": false,
			"is_rework": false, "fixes_deployment": nil})
		// Revert detection: the revert deployment is stored as rework, naming the deployment it fixes.
		checkRow(t, e.row(t, "deployments", "deployment:145988790"), map[string]any{
			"source": "github", "external_id": "deployment:145988790", "finished_at": ts("2026-11-20T09:40:00Z"),
			"started_at": ts("2026-11-20T09:35:00Z"), "service": "checkout-api", "team": "checkout", "product_line": "commerce",
			"tech_stack": "java", "environment": "production", "status": "success", "duration_seconds": 300.0,
			"is_production": true, "first_commit_at": ts("2026-11-20T09:35:00Z"), "change_failed": false,
			"is_rework": true, "fixes_deployment": "deployment:145988746"})
		checkRow(t, e.row(t, "deployments", "deployment:16"), map[string]any{
			"source": "gitlab", "external_id": "deployment:16", "finished_at": ts("2026-11-20T11:30:00Z"),
			"started_at": ts("2026-11-20T11:30:00Z"), "service": "test-deployment-webhooks", "team": "unassigned",
			"product_line": "unassigned", "tech_stack": "unassigned", "environment": "production", "status": "success",
			"duration_seconds": 0.0, "is_production": true, "first_commit_at": ts("2026-11-20T11:30:00Z"),
			"change_failed": false, "is_rework": true, "fixes_deployment": nil})
	})
	t.Run("incidents", func(t *testing.T) {
		// Opened, then closed by a later delivery: the close fills resolved_at of the stored row.
		checkRow(t, e.row(t, "incidents", "issue:444500041"), map[string]any{
			"source": "github", "external_id": "issue:444500041", "opened_at": ts("2026-11-20T09:00:00Z"),
			"resolved_at": ts("2026-11-20T10:15:00Z"), "severity": "p1", "service": "checkout-api", "platform": nil,
			"team": "checkout", "caused_by_deployment": nil, "title": "Checkout returns 500 for EU customers"})
		checkRow(t, e.row(t, "incidents", "incident:PGR0VU2"), map[string]any{
			"source": "pagerduty", "external_id": "incident:PGR0VU2", "opened_at": ts("2026-11-20T13:00:00Z"),
			"resolved_at": ts("2026-11-20T13:40:00Z"), "severity": "p1", "service": "API Service", "platform": nil,
			"team": "sre", "caused_by_deployment": nil, "title": "A little bump in the road"})
		checkRow(t, e.row(t, "incidents", "INC-4711"), map[string]any{
			"source": "incident", "external_id": "INC-4711", "opened_at": ts("2026-11-20T14:00:00Z"),
			"resolved_at": ts("2026-11-20T14:30:00Z"), "severity": "p2", "service": "checkout", "platform": nil,
			"team": "payments", "caused_by_deployment": "deployment:145988746", "title": "Checkout error rate above 5 %"})
		got := e.row(t, "incidents", "alert:a3e2ac1b-07d3-4a0c-8b8e-3bb9d3a4fa19-1731070000000")
		if got["resolved_at"] != ts("2026-11-26T13:30:00Z") || got["team"] != "unassigned" {
			t.Errorf("opsgenie incident: %v", got)
		}
	})

	t.Run("bookkeeping", func(t *testing.T) {
		if err := e.rcv.Stats.Flush(context.Background(), e.st.Pool(), e.st.Schema()); err != nil {
			t.Fatal(err)
		}
		var received, stored, dups int64
		var last, lastRecv any
		if err := e.st.Pool().QueryRow(context.Background(), `SELECT received, stored, duplicates, last_event_at, last_received_at
			FROM platformlens.receiver_sources WHERE source = 'github' AND table_name = 'builds'`).Scan(&received, &stored, &dups, &last, &lastRecv); err != nil {
			t.Fatal(err)
		}
		if received != 2 || stored != 1 || dups != 1 || last == nil || lastRecv == nil {
			t.Errorf("github/builds bookkeeping: received %d stored %d duplicates %d last %v %v", received, stored, dups, last, lastRecv)
		}
		var n int64
		if err := e.st.Pool().QueryRow(context.Background(), `SELECT events FROM platformlens.receiver_unmapped
			WHERE source = 'gitlab' AND name = 'gitlab-org/gitlab-test'`).Scan(&n); err != nil || n != 6 {
			t.Errorf("unmapped gitlab-org/gitlab-test: %d events, %v (want 6: pipeline, merge request, incident × 2 rounds)", n, err)
		}
	})
}

// TestBadInput checks every endpoint's refusals: nothing is stored and the counters say why.
func TestBadInput(t *testing.T) {
	e := newEnv(t, testCfg)
	run := fixture(t, "github_workflow_run_completed.json")
	cases := []struct {
		name   string
		d      delivery
		status int
		reason string
	}{
		{"github wrong secret", githubDelivery("workflow_run", run, "wrong"), 401, "signature"},
		{"github unsigned", delivery{path: "/webhooks/github", body: run, headers: map[string]string{"X-GitHub-Event": "workflow_run"}}, 401, "signature"},
		{"github body changed after signing", func() delivery {
			d := githubDelivery("workflow_run", run, "gh-secret")
			d.body = []byte(strings.Replace(string(run), `"success"`, `"failure"`, 1))
			return d
		}(), 401, "signature"},
		{"gitlab wrong token", gitlabDelivery(fixture(t, "gitlab_pipeline.json"), "nope"), 401, "token"},
		{"pagerduty wrong secret", pagerdutyDelivery(fixture(t, "pagerduty_incident_triggered.json"), "nope"), 401, "signature"},
		{"incident no token", incidentDelivery(fixture(t, "incident_generic.json"), ""), 401, "token"},
		{"github malformed JSON", githubDelivery("workflow_run", []byte(`{"action":"completed",`), "gh-secret"), 400, "not valid JSON"},
		{"gitlab malformed JSON", gitlabDelivery([]byte(`{"object_kind":`), "gl-token"), 400, "not valid JSON"},
		{"pagerduty malformed JSON", pagerdutyDelivery([]byte(`[1,2`), "pd-secret"), 400, "not valid JSON"},
		{"incident malformed JSON", incidentDelivery([]byte(`nope`), "inc-token"), 400, "not valid JSON"},
		{"github wrong shape", githubDelivery("workflow_run", []byte(`{"workflow_run":[]}`), "gh-secret"), 400, "documented shape"},
		{"incident missing fields", incidentDelivery([]byte(`{"id":"x"}`), "inc-token"), 400, ""},
		{"otlp malformed JSON", otlpDelivery("/v1/traces", []byte(`{"resourceSpans":`), "application/json"), 400, "OTLP/JSON"},
		{"otlp malformed protobuf", otlpDelivery("/v1/traces", []byte{0xff, 0xff, 0xff}, "application/x-protobuf"), 400, ""},
		{"otlp wrong content type", otlpDelivery("/v1/traces", []byte(`{}`), "text/plain"), 415, "Content-Type"},
		{"otlp metrics malformed", otlpDelivery("/v1/metrics", []byte(`{"resourceMetrics":7}`), "application/json"), 400, "OTLP/JSON"},
	}
	for _, c := range cases {
		code, out := e.send(t, c.d)
		msg, _ := out["error"].(string)
		if m, ok := out["message"].(string); ok {
			msg = m
		}
		if code != c.status || !strings.Contains(msg, c.reason) {
			t.Errorf("%s: %d %v; want %d with %q", c.name, code, out, c.status, c.reason)
		}
	}
	for _, table := range []string{"builds", "incidents"} {
		if n := e.count(t, table); n != 0 {
			t.Errorf("%s has %d rows after refused deliveries", table, n)
		}
	}
	var m strings.Builder
	e.rcv.Stats.WritePrometheus(&m)
	for _, line := range []string{
		`platformlens_receiver_signature_failures_total{source="github",table=""} 3`,
		`platformlens_receiver_malformed_total{source="otlp",table=""} 3`,
		`platformlens_receiver_events_rejected_total{source="incident",table="incidents"} 1`,
	} {
		if !strings.Contains(m.String(), line) {
			t.Errorf("metrics lack %q:\n%s", line, m.String())
		}
	}
}

func TestDisabledEndpointsAnswer404WithHint(t *testing.T) {
	e := newEnv(t, Config{})
	for _, d := range []delivery{
		githubDelivery("workflow_run", fixture(t, "github_workflow_run_completed.json"), ""),
		gitlabDelivery(fixture(t, "gitlab_pipeline.json"), ""),
		pagerdutyDelivery(fixture(t, "pagerduty_incident_triggered.json"), ""),
		incidentDelivery(fixture(t, "incident_generic.json"), ""),
	} {
		code, out := e.send(t, d)
		if hint, _ := out["hint"].(string); code != 404 || !strings.Contains(hint, "PLATFORMLENS_") {
			t.Errorf("%s: %d %v", d.path, code, out)
		}
	}
	if n := e.count(t, "builds") + e.count(t, "incidents"); n != 0 {
		t.Fatalf("disabled endpoints stored %d rows", n)
	}
}

// TestOTLPEndpoints replays the CI/CD trace fixture as JSON, as gzip-compressed protobuf and
// again (duplicates), and the metrics fixture (accepted, counted as ignored).
func TestOTLPEndpoints(t *testing.T) {
	e := newEnv(t, testCfg)
	code, out := e.send(t, otlpDelivery("/v1/traces", fixture(t, "otlp_traces_cicd.json"), "application/json"))
	pl, _ := out["platformlens"].(map[string]any)
	if code != 200 || pl["stored"] != 3.0 || pl["ignored"] != 2.0 {
		t.Fatalf("JSON traces: %d %v", code, out)
	}
	d := otlpDelivery("/v1/traces", gz(t, protoBody(t, "otlp_traces_cicd.json")), "application/x-protobuf")
	d.headers["Content-Encoding"] = "gzip"
	code, _ = e.send(t, d)
	if code != 200 {
		t.Fatalf("protobuf traces: %d", code)
	}
	if b, dep := e.count(t, "builds"), e.count(t, "deployments"); b != 2 || dep != 1 {
		t.Fatalf("after JSON + the same spans as protobuf: %d builds, %d deployments; want 2 and 1", b, dep)
	}
	checkRow(t, e.row(t, "builds", "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174"), map[string]any{
		"source": "otlp", "external_id": "span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174",
		"finished_at": ts("2026-11-20T15:04:00Z"), "started_at": ts("2026-11-20T15:00:00Z"), "pipeline": "build",
		"repo": "octo-org/shop-api", "service": "shop-api", "team": "unassigned", "tech_stack": "unassigned",
		"status": "success", "queue_seconds": 0.0, "duration_seconds": 240.0})
	checkRow(t, e.row(t, "deployments", "deployment:rel-2026-11-20.1"), map[string]any{
		"source": "otlp", "external_id": "deployment:rel-2026-11-20.1", "finished_at": ts("2026-11-20T15:12:30Z"),
		"started_at": ts("2026-11-20T15:10:00Z"), "service": "shop-api", "team": "unassigned", "product_line": "unassigned",
		"tech_stack": "unassigned", "environment": "production", "status": "success", "duration_seconds": 150.0,
		"is_production": true, "first_commit_at": ts("2026-11-20T15:10:00Z"), "change_failed": false,
		"is_rework": false, "fixes_deployment": nil})

	code, out = e.send(t, otlpDelivery("/v1/metrics", fixture(t, "otlp_metrics_cicd.json"), "application/json"))
	if pl, _ := out["platformlens"].(map[string]any); code != 200 || pl["ignored"] != 2.0 {
		t.Fatalf("metrics: %d %v", code, out)
	}
	t.Run("token", func(t *testing.T) {
		cfg := testCfg
		cfg.OTLPToken = []byte("otlp-token")
		e := newEnv(t, cfg)
		d := otlpDelivery("/v1/traces", fixture(t, "otlp_traces_cicd.json"), "application/json")
		if code, _ := e.send(t, d); code != 401 {
			t.Fatalf("without token: %d", code)
		}
		d.headers["Authorization"] = "Bearer otlp-token"
		if code, _ := e.send(t, d); code != 200 {
			t.Fatalf("with token: %d", code)
		}
	})
}

// TestGitHubFormContentType: a webhook configured with content type
// application/x-www-form-urlencoded sends the JSON as the field "payload", signed as sent.
func TestGitHubFormContentType(t *testing.T) {
	e := newEnv(t, testCfg)
	body := []byte("payload=" + url.QueryEscape(string(fixture(t, "github_workflow_run_completed.json"))))
	d := githubDelivery("workflow_run", body, "gh-secret")
	d.headers["Content-Type"] = "application/x-www-form-urlencoded"
	if code, out := e.send(t, d); code != http.StatusAccepted || out["stored"] != 1.0 {
		t.Fatalf("form delivery: %d %v", code, out)
	}
}
