package metrics

import (
	"context"
	"math"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
)

// Scores 0–100: each component metric (computed by its own definition through the engine) is
// scored against its target from the targets table; a category is the mean of its components
// and seq_score the mean of the three categories.

// scoreComponents lists each category's component metrics; the target key is the metric's
// Definition.TargetKey.
var scoreComponents = map[string][]string{
	"stability_score":  {"uptime", "mtbf", "mttr"},
	"efficiency_score": {"lead_time", "cycle_time", "deployment_frequency", "change_failure_rate"},
	"quality_score":    {"build_success_rate", "test_coverage", "critical_bugs_open"},
}

var scoreCategories = []string{"stability_score", "efficiency_score", "quality_score"}

func init() {
	desc := "Each component is scored min(100, 100 × actual ÷ target) when higher is better, min(100, 100 × target ÷ actual) " +
		"when lower is better (an actual of 0 scores 100), with targets from the targets table; the score is the mean of " +
		"the components that have data (missing ones are named in a notice). A second frame lists the components."
	titles := map[string]string{"stability_score": "Stability score", "efficiency_score": "Efficiency score", "quality_score": "Quality score"}
	for _, id := range scoreCategories {
		Register(scoreDefinition(id, titles[id], scoreCategory[id], "Components: "+strings.Join(scoreComponents[id], ", ")+". "+desc), runCategoryScore)
	}
	Register(scoreDefinition("seq_score", "SEQ score", "stability",
		"Mean of stability_score, efficiency_score and quality_score (categories without data are left out). "+desc), runSEQScore)
}

// scoreCategory files each score under the catalog category of its components.
var scoreCategory = map[string]string{"stability_score": "stability", "efficiency_score": "efficiency", "quality_score": "quality"}

func scoreDefinition(id, title, category, description string) Definition {
	zero, hundred := 0.0, 100.0
	return Definition{ID: id, Title: title, Category: category, Unit: "0–100", GrafanaUnit: "none", Formats: tableOnly,
		Description: description, Min: &zero, Max: &hundred}
}

// componentScore is one scored component.
type componentScore struct {
	metric         string
	actual, target *float64
	score          *float64
}

// scoreAgainst scores actual against target t on the 0–100 scale.
func scoreAgainst(actual float64, t Target) float64 {
	if t.HigherIsBetter {
		if t.Value <= 0 {
			return 100
		}
		return math.Min(100, 100*actual/t.Value)
	}
	if actual <= 0 {
		return 100
	}
	return math.Min(100, 100*t.Value/actual)
}

// scoreTargets reads the targets of every component of the categories in one statement (a
// statement per component was half of a score panel's round trips), keyed by target key.
func scoreTargets(ctx context.Context, env *Env, categories ...string) (map[string]Target, error) {
	var keys []string
	for _, id := range categories {
		for _, m := range scoreComponents[id] {
			if def, ok := Lookup(m); ok && def.TargetKey != "" {
				keys = append(keys, def.TargetKey)
			}
		}
	}
	rows, err := env.DB.Query(ctx, `SELECT key, value, coalesce(unit, ''), coalesce(higher_is_better, true)
		FROM targets WHERE key = ANY($1)`, keys)
	if err != nil {
		return nil, dbError("read score targets", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Target, error) {
		var t Target
		err := r.Scan(&t.Key, &t.Value, &t.Unit, &t.HigherIsBetter)
		return t, err
	})
	if err != nil {
		return nil, dbError("read score targets", err)
	}
	out := make(map[string]Target, len(list))
	for _, t := range list {
		out[t.Key] = t
	}
	return out, nil
}

// categoryScore computes the components of category id and their mean; targets come from
// scoreTargets.
func categoryScore(ctx context.Context, env *Env, q Query, id string, targets map[string]Target) (*float64, []componentScore, []string, []string, error) {
	var comps []componentScore
	var sqls, missing []string
	var sum float64
	var n int
	for _, m := range scoreComponents[id] {
		def, _ := Lookup(m)
		actual, sql, err := metricValue(ctx, env, q, m)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		sqls = append(sqls, sql)
		t, hasTarget := targets[def.TargetKey]
		c := componentScore{metric: m, actual: actual}
		if hasTarget {
			c.target = fptr(t.Value)
		}
		if actual != nil && hasTarget {
			c.score = fptr(scoreAgainst(*actual, t))
			sum += *c.score
			n++
		} else {
			missing = append(missing, m)
		}
		comps = append(comps, c)
	}
	if n == 0 {
		return nil, comps, sqls, missing, nil
	}
	return fptr(sum / float64(n)), comps, sqls, missing, nil
}

func runCategoryScore(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	targets, err := scoreTargets(ctx, env, q.Metric)
	if err != nil {
		return nil, err
	}
	score, comps, sqls, missing, err := categoryScore(ctx, env, q, q.Metric, targets)
	if err != nil {
		return nil, err
	}
	return scoreFrames(q, score, comps, joinSQL(sqls...), missing), nil
}

func runSEQScore(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	var comps []componentScore
	var sqls, missing []string
	var sum float64
	var n int
	targets, err := scoreTargets(ctx, env, scoreCategories...)
	if err != nil {
		return nil, err
	}
	for _, id := range scoreCategories {
		s, _, sq, miss, err := categoryScore(ctx, env, q, id, targets)
		if err != nil {
			return nil, err
		}
		sqls, missing = append(sqls, sq...), append(missing, miss...)
		comps = append(comps, componentScore{metric: id, score: s})
		if s != nil {
			sum += *s
			n++
		}
	}
	var score *float64
	if n > 0 {
		score = fptr(sum / float64(n))
	}
	return scoreFrames(q, score, comps, joinSQL(sqls...), missing), nil
}

// scoreFrames builds the value frame (alertable: one numeric column) and the components frame.
func scoreFrames(q Query, score *float64, comps []componentScore, sql string, missing []string) data.Frames {
	var notices []data.Notice
	if len(missing) > 0 {
		notices = append(notices, infoNotice("Left out for lack of data or target in range: %s.", strings.Join(missing, ", ")))
	}
	if score == nil {
		f := EmptyFrame(q.Metric, noDataReason(q)+" No component has data.")
		f.Meta.ExecutedQueryString = sql
		return data.Frames{f}
	}
	def, _ := Lookup(q.Metric)
	value := newTable(q.Metric).num("value", def.Title, "none", []*float64{score}).frame(sql, notices...)
	value.Meta.Type = data.FrameTypeNumericLong
	value.Fields[0].Config.SetMin(0)
	value.Fields[0].Config.SetMax(100)
	var names []string
	var actual, target, scores []*float64
	for _, c := range comps {
		names, actual, target, scores = append(names, c.metric), append(actual, c.actual), append(target, c.target), append(scores, c.score)
	}
	parts := newTable(q.Metric+"_components").str("component", "Component", names).
		num("actual", "Actual", "none", actual).num("target", "Target", "none", target).
		num("score", "Score", "none", scores).frame(sql)
	return data.Frames{value, parts}
}
