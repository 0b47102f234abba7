package store_test

import (
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// The schema itself rejects impossible events, whatever path wrote them.
func TestConstraintsRejectBadRows(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	const build = `INSERT INTO builds (finished_at, started_at, pipeline, repo, service, team, tech_stack, status,
		queue_seconds, duration_seconds, source, external_id) VALUES `
	cases := []struct {
		name, sql, code string
	}{
		{"negative duration", build + `('2025-01-01 10:00Z', '2025-01-01 09:00Z', 'p', 'r', 's', 't', 'go', 'success', 0, -1, 'ci', 'b1')`, "23514"},
		{"bad build status", build + `('2025-01-01 10:00Z', '2025-01-01 09:00Z', 'p', 'r', 's', 't', 'go', 'ok', 0, 1, 'ci', 'b2')`, "23514"},
		{"started after finished", build + `('2025-01-01 10:00Z', '2025-01-01 11:00Z', 'p', 'r', 's', 't', 'go', 'success', 0, 1, 'ci', 'b3')`, "23514"},
		{"missing team", build + `('2025-01-01 10:00Z', '2025-01-01 09:00Z', 'p', 'r', 's', NULL, 'go', 'success', 0, 1, 'ci', 'b4')`, "23502"},
		{"empty external id", build + `('2025-01-01 10:00Z', '2025-01-01 09:00Z', 'p', 'r', 's', 't', 'go', 'success', 0, 1, 'ci', '')`, "23514"},
		{"resolved before opened", `INSERT INTO incidents (opened_at, resolved_at, severity, service, team, title, source, external_id)
			VALUES ('2025-01-02Z', '2025-01-01Z', 'p1', 's', 't', 'x', 'pd', 'i1')`, "23514"},
		{"bad severity", `INSERT INTO incidents (opened_at, severity, service, team, title, source, external_id)
			VALUES ('2025-01-02Z', 'sev1', 's', 't', 'x', 'pd', 'i2')`, "23514"},
		{"bad deployment status", `INSERT INTO deployments (finished_at, started_at, service, team, product_line, tech_stack, environment,
			status, duration_seconds, is_production, first_commit_at, source, external_id)
			VALUES ('2025-01-02Z', '2025-01-02Z', 's', 't', 'pl', 'go', 'prod', 'done', 1, true, '2025-01-01Z', 'cd', 'd1')`, "23514"},
		{"probe status", `INSERT INTO platform_probes (probed_at, platform, status, response_ms, source, external_id)
			VALUES (now(), 'GitHub', 'up', 10, 'probe', 'p1')`, "23514"},
		{"dx score above 100", `INSERT INTO dx_responses (submitted_at, respondent, team, tech_stack, dx_score, build_time,
			deployment_ease, platform_usability, tooling_effectiveness, source, external_id)
			VALUES (now(), 'h', 't', 'go', 101, 50, 50, 50, 50, 'survey', 'r1')`, "23514"},
		{"quality grade", `INSERT INTO quality_snapshots (measured_at, repo, team, tech_stack, test_coverage, code_quality_grade,
			critical_bugs_open, technical_debt_hours, source, external_id) VALUES (now(), 'r', 't', 'go', 80, 'G', 0, 0, 'sonar', 'q1')`, "23514"},
		{"revenue mid-month", `INSERT INTO revenue (period_start, product_line, amount, source, external_id)
			VALUES ('2025-01-15Z', 'pl', 100, 'erp', 'rv1')`, "23514"},
		{"platform category", `INSERT INTO platforms (name, category) VALUES ('X', 'ci')`, "23514"},
		{"environment type", `INSERT INTO environments (name, type) VALUES ('X', 'edge')`, "23514"},
		{"change ticket priority", `INSERT INTO change_tickets (opened_at, priority, status, title, source, external_id)
			VALUES (now(), 'urgent', 'pending', 't', 'snow', 'c1')`, "23514"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.Pool().Exec(ctx, c.sql)
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != c.code {
				t.Fatalf("err = %v; want SQLSTATE %s", err, c.code)
			}
		})
	}

	// Valid rows go in; the same (source, external_id, time) again is a duplicate.
	ok := build + `('2025-01-01 10:00Z', '2025-01-01 09:00Z', 'p', 'r', 's', 't', 'go', 'success', 0, 1, 'ci', 'b9')`
	if _, err := st.Pool().Exec(ctx, ok); err != nil {
		t.Fatalf("valid build rejected: %v", err)
	}
	_, err := st.Pool().Exec(ctx, ok)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Fatalf("duplicate build: err = %v; want unique violation 23505", err)
	}
	tag, err := st.Pool().Exec(ctx, ok+` ON CONFLICT (source, external_id, finished_at) DO NOTHING`)
	if err != nil || tag.RowsAffected() != 0 {
		t.Fatalf("ON CONFLICT DO NOTHING: %v, %d rows; want 0 rows", err, tag.RowsAffected())
	}
	// Another source may reuse the external id.
	if _, err := st.Pool().Exec(ctx, build+`('2025-01-01 10:00Z', '2025-01-01 09:00Z', 'p', 'r', 's', 't', 'go', 'success', 0, 1, 'gh', 'b9')`); err != nil {
		t.Fatalf("same external id from another source rejected: %v", err)
	}
}
