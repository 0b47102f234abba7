package ingest

import (
	"encoding/json"
	"strings"
	"time"
)

// The descriptors below follow docs/architecture.md ("Tables"); column names are the contract.

func init() {
	for _, t := range []*Table{
		techStacks, teams, platforms, environments, funnels,
		builds, deployments, pullRequests, platformProbes, incidents, changeTickets,
		dxResponses, qualitySnapshots, licenseSnapshots, revenue, productEvents,
	} {
		register(t)
	}
}

// Dimensions.

var techStacks = &Table{
	Name: "tech_stacks",
	Columns: []Column{
		req("id", Text), req("label", Text), {Name: "sort_order", Kind: Int, Default: int32(0)},
	},
	Key: []string{"id"},
}

var teams = &Table{
	Name: "teams", TimeColumn: "valid_from",
	Columns: []Column{
		req("name", Text), req("tech_stack", Text), req("product_line", Text),
		nonNeg("developer_count", Int), req("valid_from", Time), opt("valid_to", Time),
	},
	Key:    []string{"name", "valid_from"},
	Checks: []RowCheck{after("valid_to", "valid_from")},
}

var platforms = &Table{
	Name: "platforms",
	Columns: []Column{
		req("name", Text),
		enum("category", "scm", "artifact", "cd", "sast", "sca", "firewall", "cloud_security", "dev_env"),
		{Name: "is_pipeline", Kind: Bool, Default: false},
		{Name: "monthly_budget", Kind: Numeric, Min: bound(0)},
	},
	Key: []string{"name"},
}

var environments = &Table{
	Name:    "environments",
	Columns: []Column{req("name", Text), enum("type", "on_prem", "private_cloud", "public_cloud")},
	Key:     []string{"name"},
}

var funnels = &Table{
	Name: "funnels",
	Columns: []Column{
		req("name", Text), req("title", Text),
		{Name: "steps", Kind: TextArray, Required: true, Check: funnelSteps},
		{Name: "conversion_window", Kind: Interval, Default: 7 * 24 * time.Hour},
	},
	Key: []string{"name"},
}

func funnelSteps(v any) string {
	steps, _ := v.([]string)
	if len(steps) < 2 {
		return "must list at least two steps"
	}
	for _, s := range steps {
		if strings.TrimSpace(s) == "" {
			return "must not contain empty step names"
		}
	}
	return ""
}

// Events.

var builds = &Table{
	Name: "builds", TimeColumn: "finished_at", Event: true, Rollups: true,
	Columns: append([]Column{
		req("finished_at", Time), req("started_at", Time), req("pipeline", Text), req("repo", Text),
		req("service", Text), req("team", Text), req("tech_stack", Text),
		enum("status", "success", "failure", "cancelled"),
		{Name: "queue_seconds", Kind: Float, Default: 0.0, Min: bound(0)},
		nonNeg("duration_seconds", Float),
	}, sourceCols()...),
	Key:    eventKey("finished_at"),
	Checks: []RowCheck{notBefore("finished_at", "started_at")},
}

var deployments = &Table{
	Name: "deployments", TimeColumn: "finished_at", Event: true, Rollups: true,
	Columns: append([]Column{
		req("finished_at", Time), req("started_at", Time), req("service", Text), req("team", Text),
		req("product_line", Text), req("tech_stack", Text), req("environment", Text),
		enum("status", "success", "failure", "rolled_back"),
		nonNeg("duration_seconds", Float),
		{Name: "is_production", Kind: Bool, Required: true},
		req("first_commit_at", Time),
		{Name: "change_failed", Kind: Bool, Default: false},
		// Rework (DORA rework rate): an unplanned rollback / roll-forward fix; fixes_deployment
		// names the external_id of the deployment it fixes.
		{Name: "is_rework", Kind: Bool, Default: false},
		opt("fixes_deployment", Text),
	}, sourceCols()...),
	Key: eventKey("finished_at"),
	Checks: []RowCheck{
		notBefore("finished_at", "started_at"), notBefore("finished_at", "first_commit_at"),
	},
}

var pullRequests = &Table{
	Name: "pull_requests", TimeColumn: "merged_at", Event: true,
	Columns: append([]Column{
		req("merged_at", Time), req("repo", Text), req("team", Text), req("tech_stack", Text),
		req("first_commit_at", Time), req("opened_at", Time), opt("deployed_at", Time),
	}, sourceCols()...),
	Key: eventKey("merged_at"),
	Checks: []RowCheck{
		notBefore("merged_at", "first_commit_at"), notBefore("merged_at", "opened_at"),
		notBefore("deployed_at", "merged_at"),
	},
}

var platformProbes = &Table{
	Name: "platform_probes", TimeColumn: "probed_at", Event: true, Rollups: true,
	Columns: append([]Column{
		req("probed_at", Time), req("platform", Text),
		enum("status", "operational", "degraded", "down"),
		nonNeg("response_ms", Float),
		{Name: "error", Kind: Bool, Default: false},
	}, sourceCols()...),
	Key: eventKey("probed_at"),
}

var incidents = &Table{
	Name: "incidents", TimeColumn: "opened_at", Event: true,
	Columns: append([]Column{
		req("opened_at", Time), opt("resolved_at", Time), enum("severity", "p1", "p2", "p3"),
		req("service", Text), opt("platform", Text), req("team", Text),
		opt("caused_by_deployment", Text), req("title", Text),
	}, sourceCols()...),
	Key:    eventKey("opened_at"),
	Checks: []RowCheck{notBefore("resolved_at", "opened_at")},
}

var changeTickets = &Table{
	Name: "change_tickets", TimeColumn: "opened_at", Event: true,
	Columns: append([]Column{
		req("opened_at", Time), opt("completed_at", Time),
		enum("priority", "emergency", "standard", "normal"),
		enum("status", "pending", "in_progress", "completed"),
		opt("team", Text), req("title", Text),
	}, sourceCols()...),
	Key: eventKey("opened_at"),
	Checks: []RowCheck{
		notBefore("completed_at", "opened_at"),
		func(r Row) (string, string) {
			if r.Get("status") == "completed" && r.Get("completed_at") == nil {
				return "completed_at", "is required when status is completed"
			}
			return "", ""
		},
	},
}

var dxResponses = &Table{
	Name: "dx_responses", TimeColumn: "submitted_at", Event: true,
	Columns: append([]Column{
		req("submitted_at", Time),
		{Name: "respondent", Kind: Text, Required: true, Check: pseudonymous},
		req("team", Text), req("tech_stack", Text),
		score("dx_score", true), score("build_time", true), score("deployment_ease", true),
		score("platform_usability", true), score("tooling_effectiveness", true),
		{Name: "pain_points", Kind: TextArray, Default: []string{}},
	}, sourceCols()...),
	Key: eventKey("submitted_at"),
}

// pseudonymous rejects respondents that look like e-mail addresses or personal names: the
// schema must hold no personal data (spec: "pseudonymous hash, never a name or e-mail").
func pseudonymous(v any) string {
	s, _ := v.(string)
	switch {
	case strings.TrimSpace(s) == "":
		return "must not be empty"
	case strings.Contains(s, "@"):
		return "looks like an e-mail address; send a pseudonymous id (for example a salted hash) instead"
	case strings.ContainsAny(s, " \t"):
		return "looks like a name (contains spaces); send a pseudonymous id (for example a salted hash) instead"
	}
	return ""
}

var qualitySnapshots = &Table{
	Name: "quality_snapshots", TimeColumn: "measured_at", Event: true,
	Columns: append([]Column{
		req("measured_at", Time), req("repo", Text), req("team", Text), req("tech_stack", Text),
		score("test_coverage", true),
		enum("code_quality_grade", "A", "B", "C", "D", "E", "F"),
		nonNeg("critical_bugs_open", Int), nonNeg("technical_debt_hours", Float),
	}, sourceCols()...),
	Key: eventKey("measured_at"),
}

var licenseSnapshots = &Table{
	Name: "license_snapshots", TimeColumn: "measured_at", Event: true,
	Columns: append([]Column{
		req("measured_at", Time), req("platform", Text),
		nonNeg("seats_total", Int), nonNeg("seats_active", Int), nonNeg("monthly_cost", Numeric),
	}, sourceCols()...),
	Key: eventKey("measured_at"),
	Checks: []RowCheck{func(r Row) (string, string) {
		total, _ := r.Get("seats_total").(int32)
		active, _ := r.Get("seats_active").(int32)
		if active > total {
			return "seats_active", "must not exceed seats_total"
		}
		return "", ""
	}},
}

var revenue = &Table{
	Name: "revenue", TimeColumn: "period_start", Event: true,
	Columns: append([]Column{
		{Name: "period_start", Kind: Time, Required: true, Check: firstOfMonth},
		req("product_line", Text), req("amount", Numeric),
	}, sourceCols()...),
	Key: eventKey("period_start"),
}

func firstOfMonth(v any) string {
	t, _ := v.(time.Time)
	if t.Day() != 1 || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		return "must be the first day of a month at 00:00 UTC, e.g. \"2025-05-01T00:00:00Z\""
	}
	return ""
}

var productEvents = &Table{
	Name: "product_events", TimeColumn: "occurred_at", Event: true, Rollups: true,
	Columns: append([]Column{
		req("occurred_at", Time), req("subject_id", Text), req("event", Text),
		{Name: "properties", Kind: JSONObject, Default: json.RawMessage("{}")},
	}, sourceCols()...),
	Key: eventKey("occurred_at"),
}
