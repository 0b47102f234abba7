package api

import (
	"sort"
	"strings"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// SchemaSDL is the GraphQL schema, generated from the catalog: the metric and dimension ids are
// enums, so a client's tooling knows every valid id and a typo fails validation before any
// query runs.
func SchemaSDL() string {
	var ids, dims []string
	for _, d := range metrics.Catalog() {
		ids = append(ids, d.ID)
	}
	for _, d := range metrics.Dimensions() {
		dims = append(dims, d.ID)
	}
	sort.Strings(ids)
	return `schema { query: Query }

"Read-only PlatformLens metrics. Times are RFC 3339 strings or dates (UTC); to defaults to now, from to 30 days before to."
type Query {
  "The metric catalog."
  metrics: [MetricDefinition!]!
  "The dimensions metrics can be filtered and grouped by."
  dimensions: [Dimension!]!
  "One metric over a range: value (table answer), table (records) and series (time series), each computed only when selected."
  metric(id: MetricId!, from: String, to: String, groupBy: DimensionId, interval: Interval, compare: Compare,
    stat: Stat, funnel: String, breakdown: String, baseMetric: MetricId, horizon: Int, sensitivity: Float,
    filters: [Filter!]): MetricResult!
  "The four DORA metrics with their bands (dora_summary), optionally for one team."
  dora(team: String, from: String, to: String): [DoraRow!]!
}

enum MetricId { ` + strings.Join(ids, " ") + ` }
enum DimensionId { ` + strings.Join(dims, " ") + ` }
enum Interval { auto hour day week month }
enum Compare { previous wow mom yoy }
enum Stat { p50 p95 p99 mean }

input Filter { dimension: DimensionId!, values: [String!]! }

type MetricDefinition {
  id: MetricId!
  title: String!
  category: String!
  description: String!
  unit: String!
  dimensions: [DimensionId!]!
  formats: [String!]!
  options: [String!]!
  targetKey: String
}

type Dimension { id: DimensionId!, label: String! }

type MetricResult {
  definition: MetricDefinition!
  from: String!
  to: String!
  "The first value of the table answer (the metric over the whole range, ungrouped)."
  value: Float
  "The table answer as records: column names and rows of cells (numbers as text, null as null)."
  table: Table!
  "The time-series answer: one series per label set."
  series: [Series!]!
  notices: [String!]!
}

type Table { columns: [String!]!, rows: [[String]!]! }
type Series { name: String!, labels: [Label!]!, points: [Point!]! }
type Label { name: String!, value: String! }
type Point { time: String!, value: Float }
type DoraRow { metric: String!, value: Float, unit: String!, band: String }
`
}
