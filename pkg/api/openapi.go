package api

import (
	"encoding/json"
	"net/http"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// openAPI serves the OpenAPI 3.1 document of the REST API (no key needed: it holds no data).
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(OpenAPI())
}

// OpenAPI returns the document; the metric and dimension ids come from the catalog.
func OpenAPI() map[string]any {
	var ids, dims []string
	for _, d := range metrics.Catalog() {
		ids = append(ids, d.ID)
	}
	for _, d := range metrics.Dimensions() {
		dims = append(dims, d.ID)
	}
	q := func(name, desc string, schema map[string]any) map[string]any {
		return map[string]any{"name": name, "in": "query", "description": desc, "schema": schema}
	}
	str := map[string]any{"type": "string"}
	timeP := map[string]any{"type": "string", "description": "RFC 3339 or YYYY-MM-DD (UTC)"}
	errResp := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	}
	records := map[string]any{"description": "Records: one object per row, columns in order; times RFC 3339; null for no value. text/csv when Accept asks for it.",
		"content": map[string]any{
			"application/json": map[string]any{"schema": map[string]any{"type": "array", "items": map[string]any{"type": "object"}}},
			"text/csv":         map[string]any{"schema": str},
		}}
	std := map[string]any{"200": records, "400": errResp("invalid parameter (the message says which and what is accepted)"),
		"401": errResp("missing, unknown or revoked API key"), "429": errResp("hourly rate limit reached; see Retry-After"),
		"504": errResp("the query took longer than 30 s")}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "PlatformLens API", "version": "1",
			"description": "Read-only metrics of PlatformLens. Send an API key as Authorization: Bearer <key>. Limits per key: 1,000 REST requests and 500 GraphQL queries per hour; ranges up to 400 days; 100,000 records per answer. GraphQL: POST /graphql."},
		"security": []any{map[string]any{"apiKey": []any{}}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"apiKey": map[string]any{"type": "http", "scheme": "bearer"}},
			"schemas":         map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{"error": str}}},
		},
		"paths": map[string]any{
			"/api/v1/metrics": map[string]any{"get": map[string]any{"summary": "The metric catalog and the dimensions",
				"responses": map[string]any{"200": map[string]any{"description": "{metrics: [...], dimensions: [...]}"}, "401": errResp("no valid key")}}},
			"/api/v1/metrics/{id}": map[string]any{"get": map[string]any{"summary": "One metric over a range",
				"parameters": []any{
					map[string]any{"name": "id", "in": "path", "required": true, "schema": map[string]any{"type": "string", "enum": ids}},
					q("from", "range start; default: 30 days before to", timeP),
					q("to", "range end (exclusive); default: now", timeP),
					q("groupBy", "dimension to group by", map[string]any{"type": "string", "enum": dims}),
					q("filter", "dimension=value[,value…], repeatable", map[string]any{"type": "array", "items": str}),
					q("interval", "bucket of time series", map[string]any{"type": "string", "enum": []string{"auto", "hour", "day", "week", "month"}}),
					q("compare", "comparison period", map[string]any{"type": "string", "enum": []string{"previous", "wow", "mom", "yoy"}}),
					q("format", "table (default: one row per group) or time_series", map[string]any{"type": "string", "enum": []string{"table", "time_series"}}),
					q("stat", "percentile metrics", map[string]any{"type": "string", "enum": []string{"p50", "p95", "p99", "mean"}}),
					q("funnel", "funnel metrics", str), q("breakdown", "funnel_steps breakdown key", str),
					q("baseMetric", "forecast and anomalies", map[string]any{"type": "string", "enum": ids}),
					q("horizon", "forecast days: 30, 60 or 90", map[string]any{"type": "integer"}),
					q("sensitivity", "anomalies k", map[string]any{"type": "number"}),
				},
				"responses": std}},
			"/api/v1/dora": map[string]any{"get": map[string]any{"summary": "The four DORA metrics with their bands",
				"parameters": []any{q("team", "team name(s), comma-separated", str), q("tech_stack", "", str), q("product_line", "", str),
					q("service", "", str), q("from", "", timeP), q("to", "", timeP)},
				"responses": std}},
		},
	}
}
