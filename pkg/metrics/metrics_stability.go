package metrics

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"
)

// Stability and DORA metrics: incidents, lead time, cycle time, change failure rate, recovery.

const incidentsRaw = `SELECT opened_at AS ts, severity, service, platform, team, opened_at, resolved_at FROM incidents`

// incidentsResolvedRaw puts incidents at their resolution time (MTTR: incidents resolved in range).
const incidentsResolvedRaw = `SELECT resolved_at AS ts, severity, service, platform, team, opened_at, resolved_at
  FROM incidents WHERE resolved_at IS NOT NULL`

var incidentDims = sameNameColumns("severity", "service", "platform", "team")

// leadTimeRaw: successful production deployments with their commit-to-production hours; those
// whose first commit is older than @cap_hours are excluded (and counted, see runLeadTime).
const leadTimeRaw = `SELECT finished_at AS ts, external_id AS id, tech_stack, team, product_line, environment, service,
  extract(epoch FROM finished_at - first_commit_at) / 3600 AS hours,
  extract(epoch FROM finished_at - first_commit_at) / 3600 > @cap_hours::double precision AS excluded
  FROM deployments WHERE is_production AND status = 'success'`

// defaultLeadTimeCapDays is used when settings has no lead_time_cap_days.
const defaultLeadTimeCapDays = 30.0

// Incident attribution rules (setting incident_attribution_rule).
const (
	ruleExplicitThenLatest = "explicit_then_latest"
	ruleExplicitOnly       = "explicit_only"
)

const cycleTimeRaw = `SELECT merged_at AS ts, repo, team, tech_stack,
  extract(epoch FROM merged_at - first_commit_at) / 3600 AS hours FROM pull_requests`

// changeFailureRaw marks each production deployment failed when it is change_failed, rolled back,
// or an incident is attributed to it: the incident's caused_by_deployment, else the latest
// successful production deployment of the same service finished before the incident opened,
// within @window_hours, each link with the rule that made it; or when it was reverted (revert
// detection): a production deployment finished up to the window after the range end names it in
// fixes_deployment (set by ingest and by the receivers' revert marks), under either rule. per_deployment folds the links of a
// deployment into one row, so the LEFT JOIN matches a deployment at most once however many
// incidents hit it; it is computed once and joined, not re-run per deployment as a correlated
// EXISTS in the select list was (1 s on tier S). reason is what dora_evidence shows. Incidents up to the
// window after the range end are considered, since they can hit deployments in range. Named
// deployments are looked up in [@from, @to) only (the engine keeps only those rows of this source),
// so TimescaleDB excludes the other chunks instead of scanning every deployment ever made.
const changeFailureRaw = `WITH inc AS (
    SELECT opened_at, service, caused_by_deployment, external_id FROM incidents
    WHERE opened_at >= @from AND opened_at < @to::timestamptz + @window_hours::double precision * interval '1 hour'
  ), attributed AS (
    SELECT d.external_id, d.finished_at, 'incident ' || inc.external_id AS link, 'explicit caused_by_deployment' AS rule
    FROM inc JOIN deployments d ON d.external_id = inc.caused_by_deployment
      AND d.finished_at >= @from AND d.finished_at < @to
    UNION
    SELECT x.external_id, x.finished_at, 'incident ' || inc.external_id, 'latest production deployment of the service within the window'
    FROM inc CROSS JOIN LATERAL (
      SELECT d.external_id, d.finished_at FROM deployments d
      WHERE inc.caused_by_deployment IS NULL AND @rule::text = 'explicit_then_latest' AND d.service = inc.service AND d.is_production AND d.status = 'success'
        AND d.finished_at < inc.opened_at AND d.finished_at >= inc.opened_at - @window_hours::double precision * interval '1 hour'
      ORDER BY d.finished_at DESC LIMIT 1) x
    UNION
    SELECT d.external_id, d.finished_at, 'deployment ' || f.external_id, 'revert: a production deployment names it in fixes_deployment'
    FROM deployments f JOIN deployments d ON d.external_id = f.fixes_deployment
      AND d.finished_at >= @from AND d.finished_at < @to
    WHERE f.is_production AND f.finished_at >= @from AND f.finished_at < @to::timestamptz + @window_hours::double precision * interval '1 hour'
  ), per_deployment AS (
    SELECT external_id, finished_at,
      string_agg(link || ' (' || rule || ')', ', ' ORDER BY link) AS incidents
    FROM attributed GROUP BY external_id, finished_at
  )
  SELECT d.finished_at AS ts, d.external_id AS id, d.tech_stack, d.team, d.product_line, d.environment, ` + envType + `, d.service,
    (d.change_failed OR d.status = 'rolled_back' OR a.external_id IS NOT NULL) AS failed,
    concat_ws('; ', CASE WHEN d.change_failed THEN 'marked change_failed' END, CASE WHEN d.status = 'rolled_back' THEN 'rolled back' END,
      a.incidents) AS reason
  FROM deployments d LEFT JOIN per_deployment a ON a.external_id = d.external_id AND a.finished_at = d.finished_at
  WHERE d.is_production`

// recoveryRaw: each failed production deployment and the hours to the next successful
// deployment of the same service and environment (none yet: not counted).
//
// One pass with a window (the earliest success strictly after each row, per service and
// environment), not a LATERAL lookup per failed deployment: on TimescaleDB every rescan of the
// lookup re-ran chunk exclusion over all deployment chunks (0.3 ms per failed deployment at tier
// S, linear in the failures), and plain PostgreSQL gains nothing from the loop either. The window
// reads production deployments from @from on: a failure in range is at or after @from, so its
// next success is too; successes after @to still count (recovery may come after the range).
// The window runs newest first with the frame from the partition's start to 1 µs before the
// row (= every later deployment): a frame whose start never moves is aggregated incrementally;
// "1 µs FOLLOWING to UNBOUNDED FOLLOWING" in time order re-aggregated the frame per row (min has
// no inverse), 30 s at tier M.
const recoveryRaw = `SELECT ts, id, tech_stack, team, product_line, environment, service,
    extract(epoch FROM next_success - ts) / 3600 AS hours
  FROM (SELECT d.finished_at AS ts, d.external_id AS id, d.tech_stack, d.team, d.product_line, d.environment, d.service,
      d.status IN ('failure', 'rolled_back') OR d.change_failed AS failed,
      min(d.finished_at) FILTER (WHERE d.status = 'success') OVER (PARTITION BY d.service, d.environment ORDER BY d.finished_at DESC
        RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL '1 microsecond' PRECEDING) AS next_success
    FROM deployments d WHERE d.is_production AND d.finished_at >= @from) w
  WHERE failed AND next_success IS NOT NULL`

// attribution reads the incident attribution window (hours) and rule from the settings.
func attribution(ctx context.Context, env *Env) (float64, string, error) {
	window, err := env.SettingFloat(ctx, "incident_attribution_window_hours", defaultAttributionWindow)
	if err != nil {
		return 0, "", err
	}
	rule, err := env.SettingString(ctx, "incident_attribution_rule", ruleExplicitThenLatest)
	if err != nil {
		return 0, "", err
	}
	if rule != ruleExplicitThenLatest && rule != ruleExplicitOnly {
		return 0, "", backend.DownstreamErrorf("setting incident_attribution_rule is %q; use %q or %q", rule, ruleExplicitThenLatest, ruleExplicitOnly)
	}
	return window, rule, nil
}

// defaultAttributionWindow is used when settings has no incident_attribution_window_hours.
const defaultAttributionWindow = 24.0

func init() {
	registerAgg(Definition{
		ID: "incidents", Title: "Incidents", Category: "stability", Unit: "count", GrafanaUnit: "short",
		Description: "Incidents opened in range (by severity when grouped by severity).",
	}, &aggSpec{Source: incidentsRaw, Dims: incidentDims, Fill: []fill{fillZero}, Values: []string{"count(*)"}})

	registerAgg(Definition{
		ID: "mtbf", Title: "Mean time between failures", Category: "stability", Unit: "h", GrafanaUnit: "h", TargetKey: "mtbf",
		Description: "Hours in range ÷ number of p1 and p2 incidents opened in range (no such incident: no value).",
		Dimensions:  []string{"service", "platform", "team"},
	}, &aggSpec{Source: incidentsRaw, Dims: incidentDims, Fill: []fill{fillZero},
		Values: []string{"count(*) FILTER (WHERE severity IN ('p1', 'p2'))"},
		Post: func(v []*float64, span time.Duration) *float64 {
			if v[0] == nil || *v[0] == 0 {
				return nil
			}
			return fptr(span.Hours() / *v[0])
		}})

	registerAgg(Definition{
		ID: "mttr", Title: "Mean time to recovery", Category: "stability", Unit: "min", GrafanaUnit: "m", TargetKey: "mttr",
		Description: "Mean (resolved_at − opened_at) in minutes of incidents resolved in range; by severity when grouped.",
	}, &aggSpec{Source: incidentsResolvedRaw, Dims: incidentDims, Fill: []fill{fillNull},
		Values: []string{"avg(extract(epoch FROM resolved_at - opened_at) / 60)"}})

	leadDims := sameNameColumns("tech_stack", "team", "product_line", "environment", "service")
	RegisterSeries(Definition{
		ID: "lead_time", Title: "Lead time for changes", Category: "efficiency", Unit: "h", GrafanaUnit: "h", TargetKey: "lead_time",
		Dimensions: leadDims.keys(),
		Description: "Median (finished_at − first_commit_at) in hours of successful production deployments finished in range (DORA " +
			"lead time for changes). Deployments whose first commit is more than the cap before them (setting lead_time_cap_days, " +
			"default 30; exactly the cap still counts) are excluded and their number is reported in a notice.",
	}, func(ctx context.Context, env *Env, q Query) (*Result, error) {
		capDays, err := env.SettingFloat(ctx, "lead_time_cap_days", defaultLeadTimeCapDays)
		if err != nil {
			return nil, err
		}
		args := pgx.NamedArgs{"cap_hours": capDays * 24}
		res, err := runAgg(ctx, env, q, &aggSpec{Source: leadTimeRaw, Dims: leadDims, Fill: []fill{fillNull}, Args: args,
			Values: []string{"percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE NOT excluded)"}})
		if err != nil {
			return nil, err
		}
		whole := q
		whole.Format, whole.GroupBy, whole.Compare = FormatTable, "", CompareNone
		ex, err := runAgg(ctx, env, whole, &aggSpec{Source: leadTimeRaw, Dims: leadDims, Fill: []fill{fillZero}, Args: args,
			Values: []string{"count(*) FILTER (WHERE excluded)"}})
		if err != nil {
			return nil, err
		}
		if len(ex.Series) > 0 {
			if n := first(ex.Series[0].Values); n != nil && *n > 0 {
				res.Notices = append(res.Notices, infoNotice("%g deployment(s) excluded from lead time: first commit more than %g days "+
					"before the deployment (setting lead_time_cap_days).", *n, capDays))
			}
		}
		res.SQL += ";\n-- excluded by the lead-time cap:\n" + ex.SQL
		return res, nil
	})

	registerAgg(Definition{
		ID: "cycle_time", Title: "Cycle time", Category: "efficiency", Unit: "h", GrafanaUnit: "h", TargetKey: "cycle_time",
		Description: "Median (merged_at − first_commit_at) in hours of pull requests merged in range.",
	}, &aggSpec{Source: cycleTimeRaw, Dims: sameNameColumns("repo", "team", "tech_stack"),
		Fill: []fill{fillNull}, Values: []string{"percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)"}})

	cfrDims := sameNameColumns("tech_stack", "team", "product_line", "environment", "environment_type", "service")
	RegisterSeries(pct0to100(Definition{
		ID: "change_failure_rate", Title: "Change failure rate", Category: "efficiency", Unit: "%", GrafanaUnit: "percent",
		TargetKey: "change_failure_rate", Dimensions: cfrDims.keys(),
		Description: "Failed production deployments ÷ production deployments finished in range × 100. A deployment failed when it is marked " +
			"change_failed, was rolled back, or an incident is attributed to it: the incident's caused_by_deployment, else the latest successful " +
			"production deployment of the same service finished before the incident opened, within the attribution window (setting " +
			"incident_attribution_window_hours, default 24; a deployment exactly the window before the incident still counts). " +
			"The rule is the setting incident_attribution_rule: explicit_then_latest (default) as described, or explicit_only " +
			"(only caused_by_deployment links). Revert detection, under either rule: a deployment is also failed when a production " +
			"deployment finished up to the window after the range end names it in fixes_deployment (a revert or fix of it). " +
			"Each deployment counts once however many incidents it caused.",
	}), func(ctx context.Context, env *Env, q Query) (*Result, error) {
		window, rule, err := attribution(ctx, env)
		if err != nil {
			return nil, err
		}
		return runAgg(ctx, env, q, &aggSpec{Source: changeFailureRaw, Dims: cfrDims, Fill: []fill{fillNull},
			Args:   pgx.NamedArgs{"window_hours": window, "rule": rule},
			Values: []string{"100.0 * count(*) FILTER (WHERE failed) / nullif(count(*), 0)"}})
	})

	registerAgg(Definition{
		ID: "recovery_time", Title: "Failed deployment recovery time", Category: "efficiency", Unit: "h", GrafanaUnit: "h",
		Description: "Median hours from a failed production deployment (failure, rolled back or change_failed) finished in range to the next " +
			"successful production deployment of the same service and environment (DORA failed-deployment recovery time).",
	}, &aggSpec{Source: recoveryRaw, Dims: sameNameColumns("tech_stack", "team", "product_line", "environment", "service"),
		Fill: []fill{fillNull}, Values: []string{"percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)"}})
}
