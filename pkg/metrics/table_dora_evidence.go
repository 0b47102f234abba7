package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// dora_evidence lists the rows behind one DORA number: the same row sources the key's metric
// aggregates (so the evidence and the headline cannot drift), each row with its contribution.
// Rates: a counted row contributes 100 ÷ rows when it is failed / rework, else 0, so the
// contributions sum to the headline. Medians (lead_time, recovery_time): the row's hours; the
// median of the counted rows is the headline. deployment_frequency: 1 ÷ days in range per
// successful production deployment, summing to the headline.

var doraEvidenceKeys = []string{"change_failure_rate", "deployment_frequency", "lead_time", "recovery_time", "rework_rate"}

// maxEvidenceRows bounds the answer; a larger range is cut with a notice.
const maxEvidenceRows = 10000

// deployFreqEvidenceRaw: successful production deployments (deployment_frequency's rows).
const deployFreqEvidenceRaw = `SELECT d.finished_at AS ts, d.external_id AS id, d.tech_stack, d.team, d.product_line, d.environment, ` + envType + `, d.service
  FROM deployments d WHERE d.is_production AND d.status = 'success'`

func init() {
	dims := []string{"tech_stack", "team", "product_line", "environment", "service"}
	Register(Definition{
		ID: "dora_evidence", Title: "DORA evidence", Category: "efficiency", Unit: "table", Formats: tableOnly,
		Dimensions: dims, Options: []Option{OptionKey},
		Description: "The rows behind one DORA number (option doraKey) in the range and filters: id (external_id), service, team, " +
			"tech_stack, time, the row's contribution and whether it is counted, with the reason (the incident and attribution " +
			"rule that made a deployment failed; the lead-time cap that excluded it). change_failure_rate and rework_rate: a " +
			"failed / rework deployment contributes 100 ÷ deployments, others 0 (the contributions sum to the rate); " +
			"deployment_frequency: each successful production deployment contributes 1 ÷ days in range; lead_time and " +
			"recovery_time: the row's hours (the median of the counted rows is the headline). At most 10,000 rows.",
	}, runDORAEvidence)
}

func runDORAEvidence(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	cols := sameNameColumns("tech_stack", "team", "product_line", "environment", "service")
	where, args, err := filterArgs(q, cols)
	if err != nil {
		return nil, err
	}
	var source, contribution, counted, reason string
	switch q.Key {
	case "change_failure_rate":
		window, rule, err := attribution(ctx, env)
		if err != nil {
			return nil, err
		}
		args["window_hours"], args["rule"] = window, rule
		source, contribution, counted, reason = changeFailureRaw, "CASE WHEN failed THEN 100.0 / count(*) OVER () ELSE 0 END", "true", "reason"
	case "rework_rate":
		source, contribution, counted, reason = reworkRaw, "CASE WHEN rework THEN 100.0 / count(*) OVER () ELSE 0 END", "true", "reason"
	case "deployment_frequency":
		args["days"] = q.To.Sub(q.From).Hours() / 24
		source, contribution, counted, reason = deployFreqEvidenceRaw, "1.0 / @days::double precision", "true", "''"
	case "lead_time":
		capDays, err := env.SettingFloat(ctx, "lead_time_cap_days", defaultLeadTimeCapDays)
		if err != nil {
			return nil, err
		}
		args["cap_hours"] = capDays * 24
		source, contribution, counted = leadTimeRaw, "hours", "NOT excluded"
		reason = fmt.Sprintf("CASE WHEN excluded THEN 'excluded: first commit more than %g days before (lead_time_cap_days)' ELSE '' END", capDays)
	case "recovery_time":
		source, contribution, counted, reason = recoveryRaw, "hours", "true", "''"
	default:
		return nil, fmt.Errorf("dora_evidence: key %q has no evidence source", q.Key)
	}
	args["limit"] = maxEvidenceRows + 1
	sql := fmt.Sprintf(`SELECT s.ts, s.id, s.service, s.team, s.tech_stack, (%s)::double precision, (%s), coalesce((%s)::text, '')
FROM (%s) s WHERE s.ts >= @from AND s.ts < @to%s ORDER BY s.ts, s.id LIMIT @limit`, contribution, counted, reason, source, where)
	rows, err := env.Query(ctx, q.Metric, sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var times []time.Time
	var ids, services, teams, stacks, status, reasons []string
	var contribs []*float64
	for rows.Next() {
		var t time.Time
		var id, svc, team, stack, why string
		var c float64
		var ok bool
		if err := rows.Scan(&t, &id, &svc, &team, &stack, &c, &ok, &why); err != nil {
			return nil, dbError(q.Metric+": read row", err)
		}
		st := "counted"
		if !ok {
			st = "excluded"
		}
		times, ids, services, teams, stacks = append(times, t.UTC()), append(ids, id), append(services, svc), append(teams, team), append(stacks, stack)
		contribs, status, reasons = append(contribs, fptr(c)), append(status, st), append(reasons, why)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(q.Metric, err)
	}
	var notices []data.Notice
	if len(ids) > maxEvidenceRows {
		times, ids, services, teams, stacks = times[:maxEvidenceRows], ids[:maxEvidenceRows], services[:maxEvidenceRows], teams[:maxEvidenceRows], stacks[:maxEvidenceRows]
		contribs, status, reasons = contribs[:maxEvidenceRows], status[:maxEvidenceRows], reasons[:maxEvidenceRows]
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("More than %d rows: only the first %d are listed; narrow the range or filter.", maxEvidenceRows, maxEvidenceRows)})
	}
	notices = append(notices, infoNotice("Evidence of %s.", q.Key))
	f := data.NewFrame(q.Metric, data.NewField("time", nil, times))
	t := &table{f: f}
	t.str("id", "Id", ids).str("service", "Service", services).str("team", "Team", teams).str("tech_stack", "Tech stack", stacks).
		num("contribution", "Contribution", "none", contribs).str("status", "Counted", status).str("reason", "Reason", reasons)
	return data.Frames{t.frame(sql, notices...)}, nil
}
