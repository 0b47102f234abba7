package metrics

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"
)

// Value is one choice of a dashboard variable.
type Value struct {
	Value string `json:"value"`
	Text  string `json:"text"`
}

// variableSource lists a dimension's values: SQL yielding value and text, and the columns the
// other selections filter on (constants).
type variableSource struct {
	sql  string
	cols Columns
}

// variableSources: dimension tables where they exist, else the smaller event tables. Statuses,
// severities and priorities are the CHECK constraint lists.
var variableSources = map[string]variableSource{
	"tech_stack": {`SELECT ts.id AS value, ts.label AS text, ts.sort_order AS ord FROM tech_stacks ts
		WHERE (@no_team OR ts.id IN (SELECT tech_stack FROM teams WHERE name = ANY(@team::text[])))
		  AND (@no_product_line OR ts.id IN (SELECT tech_stack FROM teams WHERE product_line = ANY(@product_line::text[])))`, nil},
	"team": {`SELECT DISTINCT name AS value, name AS text, 0 AS ord FROM teams WHERE true`,
		Columns{"tech_stack": "tech_stack", "product_line": "product_line"}},
	"product_line": {`SELECT DISTINCT product_line AS value, product_line AS text, 0 AS ord FROM teams WHERE true`,
		Columns{"tech_stack": "tech_stack", "team": "name"}},
	"service": {`SELECT DISTINCT service AS value, service AS text, 0 AS ord FROM deployments WHERE true`,
		Columns{"tech_stack": "tech_stack", "team": "team", "product_line": "product_line", "environment": "environment"}},
	"platform": {`SELECT name AS value, name AS text, 0 AS ord FROM platforms WHERE true`, nil},
	"environment": {`SELECT name AS value, name AS text, 0 AS ord FROM environments WHERE true`,
		Columns{"environment_type": "type"}},
	"environment_type": {`SELECT DISTINCT type AS value, type AS text, 0 AS ord FROM environments WHERE true`, nil},
	"funnel":           {`SELECT name AS value, title AS text, 0 AS ord FROM funnels WHERE true`, nil},
	"repo": {`SELECT DISTINCT repo AS value, repo AS text, 0 AS ord FROM (
		SELECT repo, team, tech_stack FROM quality_snapshots UNION SELECT repo, team, tech_stack FROM pull_requests) r WHERE true`,
		Columns{"tech_stack": "tech_stack", "team": "team"}},
	"pipeline": {`SELECT DISTINCT pipeline AS value, pipeline AS text, 0 AS ord FROM builds WHERE true`,
		Columns{"tech_stack": "tech_stack", "team": "team", "repo": "repo"}},
}

var staticValues = map[string][]string{
	"severity": {"p1", "p2", "p3"},
	"priority": {"emergency", "standard", "normal"},
	"status":   {"success", "failure", "cancelled", "rolled_back", "pending", "in_progress", "completed", "operational", "degraded", "down"},
}

// Values lists the values of dimension (or "metric" for the catalog ids), narrowed by the other
// variables' selections where the dimension's table carries them (team narrowed by tech_stack …).
// Selections for dimensions that do not narrow this one are ignored.
func (e *Engine) Values(ctx context.Context, dimension string, selections map[string][]string) ([]Value, error) {
	if dimension == "metric" {
		var out []Value
		for _, d := range Catalog() {
			out = append(out, Value{Value: d.ID, Text: d.Title})
		}
		return out, nil
	}
	if vals, ok := staticValues[dimension]; ok {
		out := make([]Value, len(vals))
		for i, v := range vals {
			out[i] = Value{v, v}
		}
		return out, nil
	}
	src, ok := variableSources[dimension]
	if !ok {
		ids := []string{"metric"}
		for _, d := range dimensionOrder {
			ids = append(ids, d.ID)
		}
		return nil, backend.DownstreamErrorf("dimension %q has no variable values; valid: %s", dimension, strings.Join(ids, ", "))
	}
	for k, vals := range selections {
		for _, v := range vals {
			if err := checkValue("a value of variable "+strconv.Quote(k), v); err != nil {
				return nil, backend.DownstreamError(err)
			}
		}
	}
	args := pgx.NamedArgs{}
	sql := src.sql
	if dimension == "tech_stack" {
		for _, k := range []string{"team", "product_line"} {
			args[k] = selections[k]
			args["no_"+k] = len(selections[k]) == 0
		}
	} else {
		q := Query{Metric: "variable " + dimension, Filters: map[string][]string{}}
		for k, v := range selections {
			if _, ok := src.cols[k]; ok && len(v) > 0 {
				q.Filters[k] = v
			}
		}
		where, err := FilterSQL(q, src.cols, args)
		if err != nil {
			return nil, err
		}
		sql += where
	}
	sql = "SELECT value, text FROM (" + sql + ") v ORDER BY ord, text LIMIT 10000"
	env, done, err := e.env(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	rows, err := env.Query(ctx, fmt.Sprintf("list values of %s", dimension), sql, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Value{}
	for rows.Next() {
		var v Value
		if err := rows.Scan(&v.Value, &v.Text); err != nil {
			return nil, dbError("list values of "+dimension, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("list values of "+dimension, err)
	}
	return out, nil
}

// TagKeys returns the ad hoc filter keys of a metric (all whitelisted dimensions when metricID
// is empty), for the /tag-keys route.
func TagKeys(metricID string) ([]string, error) {
	if metricID == "" {
		ids := make([]string, len(dimensionOrder))
		for i, d := range dimensionOrder {
			ids[i] = d.ID
		}
		return ids, nil
	}
	def, ok := Lookup(metricID)
	if !ok {
		return nil, backend.DownstreamErrorf("metric %q is not in the catalog", metricID)
	}
	keys := append([]string{}, def.Dimensions...)
	sort.Strings(keys)
	return keys, nil
}
