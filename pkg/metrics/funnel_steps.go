package metrics

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// maxBreakdownValues bounds the rows of a breakdown: a property with one value per subject
// would otherwise make a table as long as the user base.
const maxBreakdownValues = 25

// funnelBreakdown returns the query's breakdown property key, validated like a filter value;
// "" means no breakdown.
func funnelBreakdown(q Query) (string, error) {
	key := strings.TrimSpace(q.Breakdown)
	if err := checkValue("the breakdown property key", key); err != nil {
		return "", backend.DownstreamError(err)
	}
	return key, nil
}

// stepRow is one (funnel, breakdown value, step) cell of funnel_steps.
type stepRow struct {
	subjects int64
	median   *float64 // hours from the previous step
}

func runFunnelSteps(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	names := funnelNames(q)
	funnels, err := loadFunnels(ctx, env, names)
	if err != nil {
		return nil, err
	}
	bk, err := funnelBreakdown(q)
	if err != nil {
		return nil, err
	}
	var (
		sqls                []string
		notices             []data.Notice
		funnelCol, groupCol []string
		stepIdx             []int64
		stepName            []string
		subjects, fromPrev  []*float64
		fromFirst, dropOff  []*float64
		medianPrev          []*float64
	)
	for _, f := range funnels {
		n := len(f.Steps)
		vals := make([]string, n)
		for i := range vals {
			switch i {
			case 0:
				vals[i] = "(1, c.t1, NULL::timestamptz)"
			case 1:
				vals[i] = "(2, c.t2, c.t1)"
			default:
				vals[i] = fmt.Sprintf("(%d, c.t%d, c.t%d)", i+1, i+1, i)
			}
		}
		sql := funnelChainSQL(n, bk != "") + fmt.Sprintf(`SELECT c.bk, v.i, count(v.t)::bigint,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.t - v.p) / 3600)
FROM chain c CROSS JOIN LATERAL (VALUES %s) v(i, t, p)
GROUP BY 1, 2 ORDER BY 1, 2`, strings.Join(vals, ", "))
		args := funnelArgs(q, f)
		if bk != "" {
			args["bk"] = bk
		}
		sqls = append(sqls, "-- funnel "+f.Name+"\n"+sql)
		rows, err := env.Query(ctx, "metric funnel_steps ("+f.Name+")", sql, args)
		if err != nil {
			return nil, err
		}
		cells := map[string][]stepRow{}
		for rows.Next() {
			var g string
			var i int
			var r stepRow
			if err := rows.Scan(&g, &i, &r.subjects, &r.median); err != nil {
				rows.Close()
				return nil, dbError("metric funnel_steps: read row", err)
			}
			if cells[g] == nil {
				cells[g] = make([]stepRow, n)
			}
			cells[g][i-1] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, dbError("metric funnel_steps", err)
		}
		groups := make([]string, 0, len(cells))
		for g := range cells {
			groups = append(groups, g)
		}
		// Largest groups first (by entries), then by name, so the cap keeps what matters.
		sort.Slice(groups, func(a, b int) bool {
			ea, eb := cells[groups[a]][0].subjects, cells[groups[b]][0].subjects
			if ea != eb {
				return ea > eb
			}
			return groups[a] < groups[b]
		})
		if len(groups) > maxBreakdownValues {
			notices = append(notices, infoNotice("Funnel %s: breakdown by %q has %d values; showing the %d with the most entries.", f.Name, bk, len(groups), maxBreakdownValues))
			groups = groups[:maxBreakdownValues]
		}
		for _, g := range groups {
			steps := cells[g]
			for i, r := range steps {
				funnelCol, groupCol = append(funnelCol, f.Name), append(groupCol, g)
				stepIdx, stepName = append(stepIdx, int64(i+1)), append(stepName, f.Steps[i])
				subjects = append(subjects, fptr(float64(r.subjects)))
				fromFirst = append(fromFirst, percentOf(r.subjects, steps[0].subjects))
				prev := steps[0].subjects
				if i > 0 {
					prev = steps[i-1].subjects
				}
				conv := percentOf(r.subjects, prev)
				fromPrev = append(fromPrev, conv)
				var drop *float64
				if conv != nil {
					drop = fptr(100 - *conv)
				}
				dropOff = append(dropOff, drop)
				medianPrev = append(medianPrev, r.median)
			}
		}
	}
	sql := joinSQL(sqls...)
	if len(stepIdx) == 0 {
		reason := "No funnels are defined: add rows to the funnels table (or load the demo data)."
		if len(funnels) > 0 {
			var list []string
			for _, f := range funnels {
				list = append(list, f.Name)
			}
			reason = fmt.Sprintf("No subject entered funnel %s between %s and %s (no first-step event in range).",
				strings.Join(list, ", "), q.From.Format("2006-01-02 15:04"), q.To.Format("2006-01-02 15:04"))
		}
		f := EmptyFrame("funnel_steps", reason)
		setExecuted(data.Frames{f}, sql, notices)
		return data.Frames{f}, nil
	}
	t := newTable("funnel_steps")
	if labelByFunnel(q, funnels) {
		t.str("funnel", "Funnel", funnelCol)
	}
	if bk != "" {
		t.str("breakdown", bk, groupCol)
	}
	step := data.NewField("step", nil, stepIdx)
	step.Config = &data.FieldConfig{DisplayNameFromDS: "Step"}
	t.f.Fields = append(t.f.Fields, step)
	t.str("step_name", "Step name", stepName).
		num("subjects", "Subjects", "short", subjects).
		num("conversion_from_previous", "Conversion from previous step", "percent", fromPrev).
		num("conversion_from_first", "Conversion from first step", "percent", fromFirst).
		num("drop_off", "Drop-off", "percent", dropOff).
		num("median_hours_from_previous", "Median time from previous step", "h", medianPrev)
	return data.Frames{t.frame(sql, notices...)}, nil
}

// percentOf is 100·part/whole, nil when whole is 0.
func percentOf(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	return fptr(100 * float64(part) / float64(whole))
}
