package metrics

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Annotation kinds (queryType "annotations", field kind).
const (
	AnnotationDeployments = "deployments"
	AnnotationIncidents   = "incidents"
	AnnotationAnomalies   = "anomalies"
)

// AnnotationQuery is a parsed queryType "annotations" query (Parse builds it).
type AnnotationQuery struct {
	RefID    string
	Kind     string // AnnotationDeployments, AnnotationIncidents or AnnotationAnomalies
	From, To time.Time
	// Filters narrows deployments and incidents by the kind's filter keys (AnnotationKind).
	Filters map[string][]string
	// ProductionOnly limits deployments to production environments.
	ProductionOnly bool
	// Anomalies is the anomalies metric query a kind "anomalies" annotation reads (baseMetric,
	// filters, groupBy, interval, sensitivity); zero for the other kinds.
	Anomalies Query
}

// AnnotationKind is one kind of annotation as GET /catalog lists it, so the annotation editor
// offers exactly the filter keys the backend accepts.
type AnnotationKind struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	FilterKeys  []string `json:"filterKeys"`
}

// annotationSource describes one SQL-backed kind of annotation: its table's time columns and the
// filter keys a user may use. Filter keys are whitelisted here, so only these column names ever
// reach the SQL text; the values are bound parameters.
type annotationSource struct {
	AnnotationKind
	start, end string
	// selectSQL returns time, timeEnd, title, text and tags, in that order.
	selectSQL string
	// overlap: an incident that opened before the range but is still open belongs to it.
	overlap bool
}

var annotationSources = []annotationSource{
	{
		AnnotationKind: AnnotationKind{ID: AnnotationDeployments, Title: "Deployments",
			Description: "Each deployment finished in range, from its start to its end (optionally production only).",
			FilterKeys:  []string{"environment", "product_line", "service", "status", "team", "tech_stack"}},
		start: "finished_at", end: "finished_at",
		selectSQL: `SELECT coalesce(started_at, finished_at), finished_at,
			'Deploy ' || service || ' → ' || environment || ' (' || status || ')',
			'Team ' || team || ', ' || tech_stack || ', ' || product_line ||
				CASE WHEN change_failed THEN ' — change failed' ELSE '' END,
			concat_ws(',', 'deployment', status, service, environment, team)
			FROM deployments`,
	},
	{
		AnnotationKind: AnnotationKind{ID: AnnotationIncidents, Title: "Incidents",
			Description: "Each incident open during the range, from opened to resolved (now while still open).",
			FilterKeys:  []string{"platform", "service", "severity", "team"}},
		start: "opened_at", end: "resolved_at", overlap: true,
		selectSQL: `SELECT opened_at, coalesce(resolved_at, now()),
			upper(severity) || ' incident: ' || title,
			'Service ' || service || coalesce(' on ' || platform, '') || ', team ' || team ||
				CASE WHEN resolved_at IS NULL THEN ' — still open' ELSE '' END ||
				coalesce(', caused by deployment ' || caused_by_deployment, ''),
			concat_ws(',', 'incident', severity, service, team, platform)
			FROM incidents`,
	},
}

// anomalyKind is served with the SQL-backed kinds; its filters are the base metric's dimensions.
var anomalyKind = AnnotationKind{ID: AnnotationAnomalies, Title: "Anomalies",
	Description: "Points of a base metric's series outside the rolling median ± sensitivity × MAD; filters are the base metric's dimensions.",
	FilterKeys:  []string{}}

// AnnotationKinds lists the annotation kinds with their filter keys (GET /catalog).
func AnnotationKinds() []AnnotationKind {
	out := make([]AnnotationKind, 0, len(annotationSources)+1)
	for _, s := range annotationSources {
		out = append(out, s.AnnotationKind)
	}
	return append(out, anomalyKind)
}

func annotationKind(id string) (AnnotationKind, bool) {
	for _, k := range AnnotationKinds() {
		if k.ID == id {
			return k, true
		}
	}
	return AnnotationKind{}, false
}

func sourceOf(kind string) (annotationSource, bool) {
	for _, s := range annotationSources {
		if s.ID == kind {
			return s, true
		}
	}
	return annotationSource{}, false
}

// validateFilters checks filter keys against the kind's whitelist and the values like a metric's.
func (a AnnotationQuery) validateFilters() error {
	src, _ := sourceOf(a.Kind)
	for k, values := range a.Filters {
		if len(values) == 0 {
			continue
		}
		if !slices.Contains(src.FilterKeys, k) {
			return fmt.Errorf("%s annotations cannot be filtered by %q; use one of %s", a.Kind, k, strings.Join(src.FilterKeys, ", "))
		}
		if len(values) > maxFilterValues {
			return fmt.Errorf("filter %q has %d values; at most %d are allowed", k, len(values), maxFilterValues)
		}
		for _, v := range values {
			if err := checkValue("a value of filter "+k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Annotations answers an annotation query with one frame of the fields Grafana maps to
// annotations: time, timeEnd, title, text and tags (comma separated). At most rowLimit rows are
// returned (a notice says when more matched).
func (e *Engine) Annotations(ctx context.Context, a AnnotationQuery, rowLimit int) (data.Frames, error) {
	if a.Kind == AnnotationAnomalies {
		return AnomalyAnnotations(ctx, e, a.Anomalies)
	}
	src, ok := sourceOf(a.Kind)
	if !ok {
		return nil, backend.DownstreamErrorf("annotation kind must be deployments, incidents or anomalies, got %q", a.Kind)
	}
	if err := a.validateFilters(); err != nil {
		return nil, backend.DownstreamError(err)
	}
	args := []any{a.From.UTC(), a.To.UTC()}
	where := []string{fmt.Sprintf("%s >= $1 AND %s <= $2", src.start, src.start)}
	if src.overlap {
		where[0] = fmt.Sprintf("%s <= $2 AND (%s IS NULL OR %s >= $1)", src.start, src.end, src.end)
	}
	keys := make([]string, 0, len(a.Filters))
	for k := range a.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		values := a.Filters[k]
		if len(values) == 0 {
			continue
		}
		// k is one of src.FilterKeys (validateFilters), a constant column name.
		args = append(args, values)
		where = append(where, fmt.Sprintf("%s = ANY($%d)", k, len(args)))
	}
	if a.ProductionOnly && a.Kind == AnnotationDeployments {
		where = append(where, "is_production")
	}
	args = append(args, rowLimit+1)
	sql := fmt.Sprintf("%s WHERE %s ORDER BY %s LIMIT $%d", src.selectSQL, strings.Join(where, " AND "), src.start, len(args))

	rows, err := e.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, dbError(a.Kind+" annotations", err)
	}
	defer rows.Close()
	var (
		starts, ends        []time.Time
		titles, texts, tags []string
	)
	for rows.Next() {
		var s, end time.Time
		var title, text, tag string
		if err := rows.Scan(&s, &end, &title, &text, &tag); err != nil {
			return nil, dbError(a.Kind+" annotations", err)
		}
		starts, ends, titles, texts, tags = append(starts, s), append(ends, end), append(titles, title), append(texts, text), append(tags, tag)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError(a.Kind+" annotations", err)
	}
	frame := data.NewFrame(a.Kind,
		data.NewField("time", nil, starts),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
	)
	frame.RefID = a.RefID
	frame.Meta = &data.FrameMeta{ExecutedQueryString: sql}
	if len(starts) > rowLimit {
		for _, f := range frame.Fields {
			f.Delete(rowLimit)
		}
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("only the first %d annotations are shown (rowLimit of the datasource settings)", rowLimit)})
	}
	return data.Frames{frame}, nil
}
