package demo

import (
	"math"
	"time"
)

// dimensionRows returns the rows of the dimension tables, in the order they are written. They do
// not depend on the seed, and only the teams' validity split depends on the end time.
func (p *plan) dimensionRows() []struct {
	table string
	rows  [][]any
} {
	type dim = struct {
		table string
		rows  [][]any
	}
	var stackRows, platformRows, envRows, funnelRows, teamRows [][]any
	for i, s := range stacks {
		stackRows = append(stackRows, newRow(mustTable("tech_stacks"), "id", s.id, "label", s.label, "sort_order", int32(i+1)))
	}
	for _, pl := range platforms {
		budget := pl.cost * p.spec.costScale * 1.08 // budgets leave ~8 % headroom
		step := 100.0                               // round to $100, to $10 for tier S's small bills
		if budget < 10_000 {
			step = 10
		}
		budget = math.Round(budget/step) * step
		platformRows = append(platformRows, newRow(mustTable("platforms"), "name", pl.name, "category", pl.category,
			"is_pipeline", pl.pipeline, "monthly_budget", budget))
	}
	for _, e := range environments {
		envRows = append(envRows, newRow(mustTable("environments"), "name", e.name, "type", e.typ))
	}
	for _, f := range funnels {
		funnelRows = append(funnelRows, newRow(mustTable("funnels"), "name", f.name, "title", f.title,
			"steps", f.steps, "conversion_window", f.window))
	}
	tt := mustTable("teams")
	for _, t := range p.teams {
		if t.changeDaysAgo == 0 {
			teamRows = append(teamRows, newRow(tt, "name", t.name, "tech_stack", t.stack, "product_line", t.line,
				"developer_count", int32(t.devs), "valid_from", teamValidFrom))
			continue
		}
		change := p.changeAt(t)
		teamRows = append(teamRows,
			newRow(tt, "name", t.name, "tech_stack", t.stack, "product_line", t.line,
				"developer_count", int32(t.devs), "valid_from", teamValidFrom, "valid_to", change),
			newRow(tt, "name", t.name, "tech_stack", t.stack, "product_line", t.line,
				"developer_count", int32(t.devsAfter), "valid_from", change))
	}
	return []dim{{"tech_stacks", stackRows}, {"platforms", platformRows}, {"environments", envRows},
		{"funnels", funnelRows}, {"teams", teamRows}}
}

// changeAt is when a team's developer count changes (midnight UTC, days before the end).
func (p *plan) changeAt(t team) time.Time {
	return p.end.AddDate(0, 0, -t.changeDaysAgo).Truncate(24 * time.Hour)
}
