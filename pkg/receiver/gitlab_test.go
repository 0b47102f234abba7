package receiver

import "testing"

func TestMapGitLab(t *testing.T) {
	cases := []mapCase{
		{name: "pipeline failed", fixture: "gitlab_pipeline.json", table: "builds",
			row: map[string]any{"external_id": "pipeline:31", "pipeline": "Pipeline for branch: main", "repo": "gitlab-org/gitlab-test",
				"service": "Gitlab Test", "team": Unassigned, "tech_stack": Unassigned, "status": "failure",
				"finished_at": ts("2026-11-20T10:06:00Z"), "started_at": ts("2026-11-20T10:01:00Z"),
				"queue_seconds": 60.0, "duration_seconds": 300.0}},
		{name: "job without --jobs", fixture: "gitlab_job.json", ignored: 1},
		{name: "job with --jobs", fixture: "gitlab_job.json", cfg: Config{Jobs: true}, table: "builds",
			row: map[string]any{"external_id": "job:1977", "pipeline": "test / test", "status": "success",
				"started_at": ts("2026-11-20T10:00:20Z"), "queue_seconds": 20.0, "duration_seconds": 120.0}},
		{name: "merge request merged", fixture: "gitlab_merge_request.json", table: "pull_requests",
			row: map[string]any{"external_id": "merge_request:99", "merged_at": ts("2026-11-19T16:00:00Z"),
				"opened_at": ts("2026-11-17T09:00:00Z"), "repo": "gitlab-org/gitlab-test"}},
		{name: "deployment with offset time", fixture: "gitlab_deployment.json", table: "deployments",
			row: map[string]any{"external_id": "deployment:15", "environment": "staging", "is_production": false,
				"status": "success", "finished_at": ts("2026-11-20T10:50:00Z"), "product_line": Unassigned, "is_rework": false}},
		{name: "revert deployment is rework", fixture: "gitlab_deployment_revert.json", table: "deployments",
			row: map[string]any{"external_id": "deployment:16", "is_production": true, "is_rework": true,
				"finished_at": ts("2026-11-20T11:30:00Z")}},
		{name: "incident closed", fixture: "gitlab_incident.json", table: "incidents",
			row: map[string]any{"external_id": "issue:301", "severity": "p2", "opened_at": ts("2026-11-20T12:00:00Z"),
				"resolved_at": ts("2026-11-20T12:45:00Z"), "title": "Payments API latency above SLO"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.cfg.IncidentLabel == "" {
				c.cfg.IncidentLabel = "incident"
			}
			m, p := MapGitLab(fixture(t, c.fixture), testMapper(t), c.cfg)
			if p != nil {
				t.Fatal(p)
			}
			checkMapped(t, c, m)
		})
	}
	if _, p := MapGitLab([]byte(`{"project":{}}`), NewMapper(), Config{}); p == nil || p.status != 400 {
		t.Fatalf("payload without object_kind: %v", p)
	}
}
