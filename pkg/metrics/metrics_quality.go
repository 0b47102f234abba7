package metrics

import "github.com/grafana/grafana-plugin-sdk-go/data"

// Quality metrics over each repository's latest quality snapshot, and developer experience.

const qualityRaw = `SELECT measured_at AS ts, repo, team, tech_stack, test_coverage,
  position(code_quality_grade IN 'ABCDEF') AS grade, critical_bugs_open, technical_debt_hours FROM quality_snapshots`

var qualityDims = sameNameColumns("repo", "team", "tech_stack")

// gradeMappings shows the ordinal grade (1 = A … 6 = F) as its letter.
var gradeMappings = func() data.ValueMappings {
	m := data.ValueMapper{}
	for i, g := range []string{"A", "B", "C", "D", "E", "F"} {
		m[string(rune('1'+i))] = data.ValueMappingResult{Text: g, Index: i}
	}
	return data.ValueMappings{m}
}()

func init() {
	latest := func(value string) *aggSpec {
		return &aggSpec{Source: qualityRaw, Dims: qualityDims, Latest: "repo", Fill: []fill{fillNull}, Values: []string{value}}
	}
	registerAgg(pct0to100(Definition{
		ID: "test_coverage", Title: "Test coverage", Category: "quality", Unit: "%", GrafanaUnit: "percent", TargetKey: "test_coverage",
		Description: "Mean test coverage of each repository's latest snapshot in range (per bucket: latest in the bucket).",
	}), latest("avg(test_coverage)"))

	one, six := 1.0, 6.0
	registerAgg(Definition{
		ID: "code_quality_grade", Title: "Code quality grade", Category: "quality", Unit: "A–F", GrafanaUnit: "none",
		Description: "Median code quality grade (1 = A … 6 = F, shown as letters) of each repository's latest snapshot in range; " +
			"with an even count the better of the two middle grades.",
		Min: &one, Max: &six, Mappings: gradeMappings,
	}, latest("percentile_disc(0.5) WITHIN GROUP (ORDER BY grade)"))

	registerAgg(Definition{
		ID: "critical_bugs_open", Title: "Critical bugs open", Category: "quality", Unit: "count", GrafanaUnit: "short",
		TargetKey:   "critical_bugs_open",
		Description: "Sum of critical_bugs_open over each repository's latest snapshot in range.",
	}, latest("sum(critical_bugs_open)"))

	registerAgg(Definition{
		ID: "technical_debt_hours", Title: "Technical debt", Category: "quality", Unit: "h", GrafanaUnit: "h",
		Description: "Sum of technical_debt_hours over each repository's latest snapshot in range.",
	}, latest("sum(technical_debt_hours)"))

	registerAgg(pct0to100(Definition{
		ID: "dx_score", Title: "Developer experience score", Category: "developer-experience", Unit: "0–100", GrafanaUnit: "none",
		Description: "Mean dx_score of the survey responses submitted in range; per tech stack when grouped.",
	}), &aggSpec{Source: `SELECT submitted_at AS ts, team, tech_stack, dx_score FROM dx_responses`,
		Dims: sameNameColumns("team", "tech_stack"), Fill: []fill{fillNull}, Values: []string{"avg(dx_score)"}})
}
