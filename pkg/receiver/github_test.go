package receiver

import (
	"encoding/json"
	"testing"
)

func TestMapGitHub(t *testing.T) {
	cases := []mapCase{
		{name: "workflow_run completed", fixture: "github_workflow_run_completed.json", event: "workflow_run", table: "builds",
			row: map[string]any{"external_id": "workflow_run:30433642:1", "pipeline": "Build", "repo": "octo-org/octo-repo",
				"service": "checkout-api", "team": "checkout", "tech_stack": "java", "status": "success",
				"started_at": ts("2026-11-20T08:00:45Z"), "finished_at": ts("2026-11-20T08:07:30Z"),
				"queue_seconds": 45.0, "duration_seconds": 405.0}},
		{name: "workflow_run requested", fixture: "github_workflow_run_requested.json", event: "workflow_run", ignored: 1},
		{name: "workflow_job without --jobs", fixture: "github_workflow_job_completed.json", event: "workflow_job", ignored: 1},
		{name: "workflow_job with --jobs", fixture: "github_workflow_job_completed.json", event: "workflow_job", cfg: Config{Jobs: true},
			table: "builds", row: map[string]any{"external_id": "workflow_job:2832853555:1", "pipeline": "Build / test",
				"status": "failure", "queue_seconds": 15.0, "duration_seconds": 180.0}},
		{name: "merged pull request", fixture: "github_pull_request_closed.json", event: "pull_request", table: "pull_requests",
			row: map[string]any{"external_id": "pull_request:279147437", "repo": "octo-org/octo-repo", "team": "checkout",
				"tech_stack": "java", "opened_at": ts("2026-11-18T14:00:00Z"), "first_commit_at": ts("2026-11-18T14:00:00Z"),
				"merged_at": ts("2026-11-19T10:30:00Z")}},
		{name: "deployment_status success", fixture: "github_deployment_status.json", event: "deployment_status", table: "deployments",
			row: map[string]any{"external_id": "deployment:145988746", "environment": "production", "is_production": true,
				"status": "success", "product_line": "commerce", "service": "checkout-api",
				"started_at": ts("2026-11-20T08:10:00Z"), "finished_at": ts("2026-11-20T08:20:00Z"), "duration_seconds": 600.0,
				"is_rework": false}},
		{name: "deployment_status of a revert fixing a deployment", fixture: "github_deployment_status_revert.json",
			event: "deployment_status", table: "deployments",
			row: map[string]any{"external_id": "deployment:145988790", "is_production": true, "status": "success",
				"is_rework": true, "fixes_deployment": "deployment:145988746", "finished_at": ts("2026-11-20T09:40:00Z")}},
		{name: "incident issue opened", fixture: "github_issues_opened.json", event: "issues", table: "incidents",
			row: map[string]any{"external_id": "issue:444500041", "severity": "p1", "team": "checkout", "service": "checkout-api",
				"opened_at": ts("2026-11-20T09:00:00Z"), "title": "Checkout returns 500 for EU customers"}},
		{name: "incident issue closed", fixture: "github_issues_closed.json", event: "issues", table: "incidents",
			row: map[string]any{"external_id": "issue:444500041", "resolved_at": ts("2026-11-20T10:15:00Z")}},
		{name: "issue without incident label", fixture: "github_issues_opened_bug.json", event: "issues", ignored: 1},
		{name: "ping", fixture: "github_workflow_run_requested.json", event: "ping", ignored: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.cfg.IncidentLabel == "" {
				c.cfg.IncidentLabel = "incident"
			}
			m, p := MapGitHub(c.event, fixture(t, c.fixture), testMapper(t), c.cfg)
			if p != nil {
				t.Fatal(p)
			}
			checkMapped(t, c, m)
		})
	}
}

func TestMapGitHubWrongShape(t *testing.T) {
	_, p := MapGitHub("workflow_run", []byte(`{"action":"completed","workflow_run":{"id":"not a number"}}`), NewMapper(), Config{})
	if p == nil || p.status != 400 {
		t.Fatalf("problem = %v", p)
	}
}

// TestGitHubReworkMarks: each mark alone makes a deployment rework, and nothing else does.
func TestGitHubReworkMarks(t *testing.T) {
	cases := []struct {
		name, ref, description, payload string
		rework                          bool
		fixes                           string
	}{
		{"plain deployment", "main", "Deploy v1.4.2", `{}`, false, ""},
		{"revert branch", "revert-1347-checkout-v2", "", `{}`, true, ""},
		{"branch merely named revert", "revert-button-styles", "", `{}`, false, ""},
		{"git revert subject", "main", `Revert "Checkout v2"`, `{}`, true, ""},
		{"rollback description", "v1.4.1", "Rollback to v1.4.1", `{}`, true, ""},
		{"roll back description", "v1.4.1", "roll back checkout", `{}`, true, ""},
		{"description mentioning a revert later", "main", "Deploy after the revert of #12", `{}`, false, ""},
		{"payload rework", "main", "", `{"rework": true}`, true, ""},
		{"payload fixes a GitHub deployment id", "main", "", `{"fixes_deployment": 145988746}`, true, "deployment:145988746"},
		{"payload fixes a numeric string", "main", "", `{"fixes_deployment": "145988746"}`, true, "deployment:145988746"},
		{"payload fixes an external id", "main", "", `{"fixes_deployment": "argo:checkout:77"}`, true, "argo:checkout:77"},
		{"payload fixes null", "main", "", `{"fixes_deployment": null}`, false, ""},
		{"string payload", "main", "", `"deploy"`, false, ""},
		{"no payload", "main", "", ``, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rework, fixes := ghRework(c.ref, c.description, json.RawMessage(c.payload))
			if rework != c.rework || fixes != c.fixes {
				t.Errorf("ghRework(%q, %q, %s) = %v, %q; want %v, %q", c.ref, c.description, c.payload, rework, fixes, c.rework, c.fixes)
			}
		})
	}
}
