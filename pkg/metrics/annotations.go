package datasource

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/jackc/pgx/v5"
)

// rowQuerier is the part of a pgx pool the annotation queries use.
type rowQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// annotationSource describes one kind of annotation: its table's time columns and the filter
// keys a user may use. Filter keys are whitelisted here, so only these column names ever reach
// the SQL text; the values are bound parameters.
type annotationSource struct {
	table, start, end string
	filters           []string
	// selectSQL returns time, timeEnd, title, text and tags, in that order.
	selectSQL string
	// overlap: an incident that opened before the range but is still open belongs to it.
	overlap bool
}

var annotationSources = map[string]annotationSource{
	"deployments": {
		table: "deployments", start: "finished_at", end: "finished_at",
		filters: []string{"environment", "product_line", "service", "status", "team", "tech_stack"},
		selectSQL: `SELECT coalesce(started_at, finished_at), finished_at,
			'Deploy ' || service || ' → ' || environment || ' (' || status || ')',
			'Team ' || team || ', ' || tech_stack || ', ' || product_line ||
				CASE WHEN change_failed THEN ' — change failed' ELSE '' END,
			concat_ws(',', 'deployment', status, service, environment, team)
			FROM deployments`,
	},
	"incidents": {
		table: "incidents", start: "opened_at", end: "resolved_at", overlap: true,
		filters: []string{"platform", "service", "severity", "team"},
		selectSQL: `SELECT opened_at, coalesce(resolved_at, now()),
			upper(severity) || ' incident: ' || title,
			'Service ' || service || coalesce(' on ' || platform, '') || ', team ' || team ||
				CASE WHEN resolved_at IS NULL THEN ' — still open' ELSE '' END ||
				coalesce(', caused by deployment ' || caused_by_deployment, ''),
			concat_ws(',', 'incident', severity, service, team, platform)
			FROM incidents`,
	},
}

// annotationFrames runs an annotation query and returns one frame with the fields Grafana maps
// to annotations: time, timeEnd, title, text and tags (comma separated).
func annotationFrames(ctx context.Context, db rowQuerier, q AnnotationQuery, rowLimit int) (data.Frames, error) {
	src, ok := annotationSources[q.Kind]
	if !ok {
		return nil, backend.DownstreamErrorf("annotation kind must be deployments or incidents, got %q", q.Kind)
	}
	args := []any{q.TimeRange.From.UTC(), q.TimeRange.To.UTC()}
	where := []string{fmt.Sprintf("%s >= $1 AND %s <= $2", src.start, src.start)}
	if src.overlap {
		where[0] = fmt.Sprintf("%s <= $2 AND (%s IS NULL OR %s >= $1)", src.start, src.end, src.end)
	}
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		values := q.Filters[k]
		if len(values) == 0 {
			continue
		}
		if !slices.Contains(src.filters, k) {
			return nil, backend.DownstreamErrorf("%s annotations cannot be filtered by %q; use one of %s", q.Kind, k, strings.Join(src.filters, ", "))
		}
		args = append(args, values)
		where = append(where, fmt.Sprintf("%s = ANY($%d)", k, len(args)))
	}
	if q.ProductionOnly && q.Kind == "deployments" {
		where = append(where, "is_production")
	}
	args = append(args, rowLimit+1)
	sql := fmt.Sprintf("%s WHERE %s ORDER BY %s LIMIT $%d", src.selectSQL, strings.Join(where, " AND "), src.start, len(args))

	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, backend.DownstreamError(fmt.Errorf("%s annotations: %w", q.Kind, err))
	}
	defer rows.Close()
	var (
		starts, ends        []time.Time
		titles, texts, tags []string
	)
	for rows.Next() {
		var s, e time.Time
		var title, text, tag string
		if err := rows.Scan(&s, &e, &title, &text, &tag); err != nil {
			return nil, backend.DownstreamError(fmt.Errorf("%s annotations: %w", q.Kind, err))
		}
		starts, ends, titles, texts, tags = append(starts, s), append(ends, e), append(titles, title), append(texts, text), append(tags, tag)
	}
	if err := rows.Err(); err != nil {
		return nil, backend.DownstreamError(fmt.Errorf("%s annotations: %w", q.Kind, err))
	}
	frame := data.NewFrame(q.Kind,
		data.NewField("time", nil, starts),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
	)
	frame.RefID = q.RefID
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
