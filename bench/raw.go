package bench

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5/pgxpool"
)

// RawBaseline is the SQL a Grafana core-PostgreSQL user would write over the raw event tables
// for a panel: date_trunc buckets (UTC; ISO weeks start on Monday, as the plugin's weeks do),
// GROUP BY over the whole range, no rollups. It answers (key, value) rows, the key being the
// bucket time or a label, for the comparison with the plugin's answer.
type RawBaseline struct {
	Metric string // the panel's metric id
	// Field is the plugin frame's value field to compare ("" = its first numeric field).
	Field string
	SQL   string // $1 = from, $2 = to
}

// RawBaselines are keyed by metric id. Only the current period is computed: the plugin's panels
// also compute the previous period for their comparison, so the speed-up is understated.
var RawBaselines = map[string]RawBaseline{
	"uptime": {Metric: "uptime", SQL: `SELECT date_trunc('day', probed_at, 'UTC') AS time,
  (100.0 * count(*) FILTER (WHERE status <> 'down') / count(*))::float8 AS uptime
FROM platform_probes WHERE probed_at >= $1 AND probed_at < $2 GROUP BY 1 ORDER BY 1`},
	"pipeline_availability": {Metric: "pipeline_availability", SQL: `SELECT date_trunc('day', p.probed_at, 'UTC') AS time,
  (100.0 * count(*) FILTER (WHERE p.status <> 'down') / count(*))::float8 AS availability
FROM platform_probes p JOIN platforms pl ON pl.name = p.platform AND pl.is_pipeline
WHERE p.probed_at >= $1 AND p.probed_at < $2 GROUP BY 1 ORDER BY 1`},
	"dx_score": {Metric: "dx_score", SQL: `SELECT date_trunc('week', submitted_at, 'UTC') AS time, avg(dx_score)::float8
FROM dx_responses WHERE submitted_at >= $1 AND submitted_at < $2 GROUP BY 1 ORDER BY 1`},
	"deployments": {Metric: "deployments", SQL: `SELECT date_trunc('week', finished_at, 'UTC') AS time, count(*)::float8
FROM deployments WHERE finished_at >= $1 AND finished_at < $2 GROUP BY 1 ORDER BY 1`},
	"revenue": {Metric: "revenue", SQL: `SELECT date_trunc('month', period_start, 'UTC') AS time, sum(amount)::float8
FROM revenue WHERE period_start >= $1 AND period_start < $2 GROUP BY 1 ORDER BY 1`},
	"cost_per_deploy": {Metric: "cost_per_deploy", SQL: `WITH cost AS (
  SELECT week, sum(monthly_cost) AS cost FROM (
    SELECT DISTINCT ON (1, platform) date_trunc('week', measured_at, 'UTC') AS week, platform, monthly_cost
    FROM license_snapshots WHERE measured_at >= $1 AND measured_at < $2 ORDER BY 1, platform, measured_at DESC) l
  GROUP BY 1
), dep AS (
  SELECT date_trunc('week', finished_at, 'UTC') AS week, count(*) AS n FROM deployments
  WHERE status = 'success' AND finished_at >= $1 AND finished_at < $2 GROUP BY 1
)
-- monthly OpEx prorated to the 7-day week (÷ 30.44 days a month), as the catalog defines it
SELECT cost.week AS time, (cost.cost * 7 / 30.44 / nullif(dep.n, 0))::float8 FROM cost JOIN dep USING (week) ORDER BY 1`},
	"license_utilization": {Metric: "license_utilization", SQL: `SELECT day AS time, (100.0 * sum(seats_active) / nullif(sum(seats_total), 0))::float8 FROM (
  SELECT DISTINCT ON (1, platform) date_trunc('day', measured_at, 'UTC') AS day, platform, seats_active, seats_total
  FROM license_snapshots WHERE measured_at >= $1 AND measured_at < $2 ORDER BY 1, platform, measured_at DESC) l
GROUP BY 1 ORDER BY 1`},
	"throughput": {Metric: "throughput", SQL: `SELECT tech_stack, count(*)::float8 AS builds
FROM builds WHERE finished_at >= $1 AND finished_at < $2 GROUP BY 1 ORDER BY 1`},
}

// RunRaw runs a baseline over [from, to) and returns its (key, value) rows and the elapsed time.
func RunRaw(ctx context.Context, pool *pgxpool.Pool, b RawBaseline, from, to time.Time) (map[string]float64, time.Duration, error) {
	start := time.Now()
	rows, err := pool.Query(ctx, b.SQL, from, to)
	if err != nil {
		return nil, 0, fmt.Errorf("raw baseline %s: %w", b.Metric, err)
	}
	defer rows.Close()
	out := map[string]float64{}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, 0, err
		}
		out[keyOf(vals[0])] = toFloat(vals[1])
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("raw baseline %s: %w", b.Metric, err)
	}
	return out, time.Since(start), nil
}

func keyOf(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case nil:
		return math.NaN()
	}
	var f float64
	if _, err := fmt.Sscan(fmt.Sprint(v), &f); err != nil {
		return math.NaN()
	}
	return f
}

// PluginPoints reads the plugin's answer as (key, value): the first frame's time field (or its
// first string field, for tables) as key, and the named field (or the first numeric one) as value.
func PluginPoints(frames data.Frames, field string) map[string]float64 {
	out := map[string]float64{}
	if len(frames) == 0 {
		return out
	}
	f := frames[0]
	var key, val *data.Field
	for _, fld := range f.Fields {
		switch {
		case key == nil && (fld.Type().Time() || fld.Type() == data.FieldTypeString || fld.Type() == data.FieldTypeNullableString):
			key = fld
		case val == nil && fld.Type().Numeric() && (field == "" || fld.Name == field):
			val = fld
		}
	}
	if key == nil || val == nil {
		return out
	}
	for i := 0; i < f.Rows(); i++ {
		k, _ := key.ConcreteAt(i)
		v, ok := val.ConcreteAt(i)
		if !ok {
			continue
		}
		out[keyOf(k)] = toFloat(v)
	}
	return out
}

// Compare reports how many keys differ between the plugin and the baseline (relative tolerance
// 1e-6: both compute exact aggregates; an empty bucket the plugin fills with 0 or null counts as
// equal) and describes the first difference.
func Compare(plugin, raw map[string]float64) (mismatches int, first string) {
	keys := map[string]bool{}
	for k := range plugin {
		keys[k] = true
	}
	for k := range raw {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		p, pok := plugin[k]
		r, rok := raw[k]
		if pok && rok && math.Abs(p-r) <= 1e-6*math.Max(1, math.Abs(r)) {
			continue
		}
		if pok && !rok && (p == 0 || math.IsNaN(p)) {
			continue // a bucket the plugin fills (zero or null) where no row exists
		}
		mismatches++
		if first == "" {
			first = fmt.Sprintf("%s: plugin %v (present %v), raw %v (present %v)", k, p, pok, r, rok)
		}
	}
	return mismatches, first
}
