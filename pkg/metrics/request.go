package metrics

import (
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Query types of the query JSON (docs/architecture.md). An empty queryType means metric, so
// queries saved before the field existed keep working.
const (
	TypeMetric      = "metric"
	TypeSQL         = "sql"
	TypeAnnotations = "annotations"
	TypeVariable    = "variable"
	TypeTarget      = "target"
)

// Request is one datasource query parsed once into the variant its query type names: exactly one
// of Metric, SQL, Annotation and Variable is set, as Type says. Parse is the only place a query's
// JSON is decoded and validated; handlers receive the variant and never look at JSON again.
type Request struct {
	RefID      string
	Type       string // TypeMetric, TypeSQL, TypeAnnotations, TypeVariable or TypeTarget
	Metric     Query
	SQL        SQLQuery
	Annotation AnnotationQuery
	Variable   VariableQuery
	Target     TargetQuery
}

// SQLQuery is a queryType "sql" query: analyst SQL with macros, run read-only (pkg/sqlmode).
type SQLQuery struct {
	RawSQL string
	Format Format // time_series or table (anything else is table)
	// The range and Grafana's interval / panel width, for the macros.
	From, To      time.Time
	Interval      time.Duration
	MaxDataPoints int64
}

// VariableQuery is a template variable query: the values of one dimension narrowed by other
// selections (dimension → values, possibly already interpolated by the frontend).
type VariableQuery struct {
	Dimension  string
	Selections map[string][]string
}

// Parse decodes q.JSON once and builds the variant of its query type. q.QueryType (set by Grafana
// from the query JSON) wins over the JSON's field; empty means metric. Every error is downstream
// and names the query.
func Parse(q backend.DataQuery) (Request, error) {
	j, err := DecodeQueryJSON(q.JSON)
	if err != nil {
		return Request{}, backend.DownstreamErrorf("query %s is not valid query JSON: %v", q.RefID, err)
	}
	r := Request{RefID: q.RefID, Type: q.QueryType}
	if r.Type == "" {
		r.Type = j.QueryType
	}
	if r.Type == "" {
		r.Type = TypeMetric
	}
	switch r.Type {
	case TypeMetric:
		r.Metric, err = j.metricQuery(q.TimeRange, q.Interval, q.MaxDataPoints)
		r.Metric.RefID = q.RefID
	case TypeSQL:
		r.SQL, err = j.sqlQuery()
		r.SQL.From, r.SQL.To, r.SQL.Interval, r.SQL.MaxDataPoints = q.TimeRange.From, q.TimeRange.To, q.Interval, q.MaxDataPoints
	case TypeAnnotations:
		r.Annotation, err = j.annotationQuery(q)
	case TypeVariable:
		r.Variable, err = j.variableQuery()
	case TypeTarget:
		r.Target = TargetQuery{Key: j.Key, Default: j.Default}
		err = r.Target.validate()
	default:
		return Request{}, backend.DownstreamErrorf("query %s has unknown queryType %q; use metric, sql, annotations or target (or variable for a template variable)", q.RefID, r.Type)
	}
	if err != nil {
		return Request{}, backend.DownstreamError(fmt.Errorf("query %s: %w", q.RefID, err))
	}
	return r, nil
}

func (j QueryJSON) sqlQuery() (SQLQuery, error) {
	if strings.TrimSpace(j.RawSQL) == "" {
		return SQLQuery{}, fmt.Errorf("SQL query is empty: rawSql is empty; write a SELECT statement in the rawSql field")
	}
	f := FormatTable
	if j.Format == string(FormatTimeSeries) {
		f = FormatTimeSeries
	}
	return SQLQuery{RawSQL: j.RawSQL, Format: f}, nil
}

func (j QueryJSON) variableQuery() (VariableQuery, error) {
	if _, ok := dimensionColumn(j.Dimension); !ok {
		return VariableQuery{}, fmt.Errorf("variable query needs a dimension; %s", validKeysMessage(dimensionIDs()))
	}
	return VariableQuery{Dimension: j.Dimension, Selections: j.filterLists()}, nil
}

// annotationQuery builds a queryType "annotations" query. Kind anomalies reads the same fields as
// an anomalies metric query (baseMetric, filters, groupBy, interval, sensitivity), so it is built
// as one here from the already decoded fields.
func (j QueryJSON) annotationQuery(q backend.DataQuery) (AnnotationQuery, error) {
	a := AnnotationQuery{RefID: q.RefID, Kind: j.Kind, From: q.TimeRange.From.UTC(), To: q.TimeRange.To.UTC(),
		Filters: j.filterLists(), ProductionOnly: j.ProductionOnly}
	if _, ok := annotationKind(j.Kind); !ok {
		return AnnotationQuery{}, fmt.Errorf("annotation query needs kind \"deployments\", \"incidents\" or \"anomalies\", got %q", j.Kind)
	}
	if j.Kind != AnnotationAnomalies {
		return a, a.validateFilters()
	}
	j.Metric, j.Format = "anomalies", string(FormatTimeSeries)
	mq, err := j.metricQuery(q.TimeRange, q.Interval, q.MaxDataPoints)
	if err != nil {
		return AnnotationQuery{}, fmt.Errorf("anomaly annotations: %w", err)
	}
	mq.RefID = q.RefID
	a.Anomalies = mq
	return a, nil
}

func dimensionIDs() []string {
	ids := make([]string, len(dimensionOrder))
	for i, d := range dimensionOrder {
		ids[i] = d.ID
	}
	return ids
}
