package metrics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics/stats"
)

// The anomalies metric (rules in anomaly_math.go) and its annotation form.

func init() {
	zero, three := 0.0, 3.0
	Register(Definition{
		ID: "anomalies", Title: "Anomalies", Category: "advanced-analytics", Unit: "as base metric", GrafanaUnit: "short",
		Description: fmt.Sprintf("Points of a base metric's series (at the query's interval; unfinished intervals "+
			"excluded) outside the rolling median ± k × MAD of the %d points before each point; k is the "+
			"sensitivity (default 3). Expected = that median. Severity by the distance in MADs: low up to 1.5 k, "+
			"medium up to 2 k, high beyond. Table: time, expected, actual, deviation, MADs and severity of each "+
			"anomalous point (with the group-by column). Time series: severity_score per evaluated point "+
			"(0 normal, 1 low, 2 medium, 3 high) per label set, for alert rules. Also served as annotations. "+
			"Look-back: the base series is read from %d intervals before the range start (bounded: that many "+
			"intervals, never more), so the first points of a short range (a 6 h or 24 h panel at interval hour) "+
			"are judged against the intervals just before it; points before the range start are never answered.",
			stats.AnomalyWindow, AnomalyLookback),
		Dimensions: allDimensions(), GroupBy: allDimensions(), Formats: []Format{FormatTimeSeries, FormatTable},
		Options: []Option{OptionBaseMetric, OptionSensitivity, OptionStat}, Min: &zero, Max: &three,
	}, runAnomalies)
}

// anomalySeries is the verdict on one base series.
type anomalySeries struct {
	base  baseSeries
	evals []stats.AnomalyEval
}

// AnomalyLookback is how many intervals before the range start the anomalies metric reads as
// the baseline of the range's first points: three trailing windows, so that intervals without a
// value at the edge (trimmed, see loadBase) still leave a full window before the range starts.
// It is a bound: the extra read is exactly this many intervals of the query's bucket.
const AnomalyLookback = 3 * stats.AnomalyWindow

// lookbackFrom is where detect reads the base series from: AnomalyLookback buckets before the
// bucket containing from.
func lookbackFrom(b Bucket, from time.Time) time.Time {
	return b.Back(b.Floor(from), AnomalyLookback)
}

// detect computes the base series on q's interval, from AnomalyLookback intervals before the
// range (the baseline of its first points), and judges the points of buckets starting inside
// the range.
func detect(ctx context.Context, env *Env, q Query) (Definition, []anomalySeries, string, []data.Notice, error) {
	ext := q
	ext.From = lookbackFrom(q.Bucket, q.From)
	def, series, sql, baseNotes, err := loadBase(ctx, env, ext, q.Bucket)
	if err != nil {
		return Definition{}, nil, "", nil, err
	}
	k := q.Sensitivity
	if k == 0 {
		k = defaultSensitivity
	}
	var out []anomalySeries
	var notices []data.Notice // per-series notes first: the empty answer's reason is the first
	for _, s := range series {
		if len(s.Values) <= stats.AnomalyWindow {
			notices = append(notices, infoNotice("%s: %d complete points (with the %d intervals of look-back before the range); anomaly detection needs more than %d (its trailing window). Widen the time range or shorten the interval.",
				displayName(def, s.Labels, ""), len(s.Values), AnomalyLookback, stats.AnomalyWindow))
			continue
		}
		if s.Filled > 0 {
			notices = append(notices, infoNotice("%s: %d interval(s) without a value were interpolated linearly.", displayName(def, s.Labels, ""), s.Filled))
		}
		var evals []stats.AnomalyEval
		for _, e := range stats.EvaluateAnomalies(s.Values, k) {
			if !s.Times[e.Index].Before(q.From) { // look-back points are the baseline, not the answer
				evals = append(evals, e)
			}
		}
		if len(evals) == 0 {
			notices = append(notices, infoNotice("%s: no complete interval starts inside the range.", displayName(def, s.Labels, "")))
			continue
		}
		out = append(out, anomalySeries{base: s, evals: evals})
	}
	return def, out, sql, append(notices, baseNotes...), nil
}

func runAnomalies(ctx context.Context, env *Env, q Query) (data.Frames, error) {
	def, series, sql, notices, err := detect(ctx, env, q)
	if err != nil {
		return nil, err
	}
	if len(series) == 0 {
		reason := fmt.Sprintf("No data for %s between %s and %s.", def.ID, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
		if len(notices) > 0 && strings.Contains(notices[0].Text, "trailing window") {
			reason, notices = notices[0].Text, notices[1:]
		}
		f := EmptyFrame("anomalies", reason)
		setExecuted(data.Frames{f}, sql, notices)
		return data.Frames{f}, nil
	}
	var frames data.Frames
	if q.Format == FormatTable {
		frames = data.Frames{anomalyTable(def, q.GroupBy, series)}
		if frames[0].Rows() == 0 {
			notices = append(notices, infoNotice("No anomalies in %s at sensitivity %g.", def.Title, sensitivityOf(q)))
		}
	} else {
		for _, s := range series {
			times := make([]time.Time, len(s.evals))
			scores := make([]*float64, len(s.evals))
			for i, e := range s.evals {
				times[i], scores[i] = s.base.Times[e.Index], fptr(e.SeverityScore)
			}
			v := data.NewField("severity_score", s.base.Labels, scores)
			v.Config = &data.FieldConfig{DisplayNameFromDS: displayName(def, s.base.Labels, "anomaly severity"), Unit: "none"}
			v.Config.SetMin(0)
			v.Config.SetMax(3)
			f := data.NewFrame("anomalies", data.NewField("time", nil, times), v)
			f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: typeVersion}
			frames = append(frames, f)
		}
	}
	setExecuted(frames, sql, notices)
	return frames, nil
}

func sensitivityOf(q Query) float64 {
	if q.Sensitivity == 0 {
		return defaultSensitivity
	}
	return q.Sensitivity
}

// anomalousRow is one anomalous point with its series' labels.
type anomalousRow struct {
	labels data.Labels
	t      time.Time
	e      stats.AnomalyEval
}

// anomalousRows lists the anomalous points of every series, by time then labels.
func anomalousRows(series []anomalySeries) []anomalousRow {
	var rows []anomalousRow
	for _, s := range series {
		for _, e := range s.evals {
			if e.Severity != "" {
				rows = append(rows, anomalousRow{s.base.Labels, s.base.Times[e.Index], e})
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if !rows[i].t.Equal(rows[j].t) {
			return rows[i].t.Before(rows[j].t)
		}
		return rows[i].labels.String() < rows[j].labels.String()
	})
	return rows
}

func anomalyTable(def Definition, groupBy string, series []anomalySeries) *data.Frame {
	rows := anomalousRows(series)
	times := make([]time.Time, len(rows))
	var groups, sev []string
	var expected, actual, deviation, score []*float64
	for i, r := range rows {
		times[i] = r.t
		groups, sev = append(groups, r.labels[groupBy]), append(sev, r.e.Severity)
		expected, actual = append(expected, fptr(r.e.Expected)), append(actual, fptr(r.e.Actual))
		deviation, score = append(deviation, fptr(r.e.Actual-r.e.Expected)), append(score, fptr(r.e.Score))
	}
	t := newTable("anomalies")
	tf := data.NewField("time", nil, times)
	tf.Config = &data.FieldConfig{DisplayNameFromDS: "Time"}
	t.f.Fields = append(t.f.Fields, tf)
	if groupBy != "" {
		t.str(groupBy, dimensionLabels[groupBy], groups)
	}
	t.num("expected", "Expected", def.GrafanaUnit, expected).
		num("actual", "Actual", def.GrafanaUnit, actual).
		num("deviation", "Deviation", def.GrafanaUnit, deviation).
		num("mads", "MADs from expected", "none", score).
		str("severity", "Severity", sev)
	return t.frame("")
}

// AnomalyAnnotations answers an annotation query of kind "anomalies": q names the base metric
// (BaseMetric), its filters, group-by, interval and sensitivity like an anomalies metric query.
// It returns one frame with the fields Grafana maps to annotations — time, timeEnd (the end of
// the anomalous interval), title, text and tags (comma separated) — one row per anomalous point.
func AnomalyAnnotations(ctx context.Context, e *Engine, q Query) (data.Frames, error) {
	env, done, err := e.env(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	if q.Metric == "" {
		q.Metric = "anomalies"
	}
	def, series, sql, notices, err := detect(ctx, env, q)
	if err != nil {
		return nil, err
	}
	var starts, ends []time.Time
	var titles, texts, tags []string
	for _, r := range anomalousRows(series) {
		name := displayName(def, r.labels, "")
		starts, ends = append(starts, r.t), append(ends, q.Bucket.Next(r.t))
		titles = append(titles, fmt.Sprintf("%s anomaly: %s", strings.ToUpper(r.e.Severity[:1])+r.e.Severity[1:], name))
		texts = append(texts, fmt.Sprintf("%s was %s (expected %s, %.1f MADs away)%s", def.Title,
			formatValue(r.e.Actual, def.Unit), formatValue(r.e.Expected, def.Unit), r.e.Score, labelText(r.labels)))
		tag := []string{"anomaly", r.e.Severity, def.ID}
		for _, k := range labelKeys(r.labels) {
			tag = append(tag, r.labels[k])
		}
		tags = append(tags, strings.Join(tag, ","))
	}
	f := data.NewFrame("anomalies",
		data.NewField("time", nil, starts), data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles), data.NewField("text", nil, texts), data.NewField("tags", nil, tags))
	f.RefID = q.RefID
	f.Meta = &data.FrameMeta{}
	setExecuted(data.Frames{f}, sql, notices)
	return data.Frames{f}, nil
}

func formatValue(v float64, unit string) string {
	switch unit {
	case "%":
		return fmt.Sprintf("%.4g %%", v)
	case "count", "0–100", "A–F", "currency":
		return fmt.Sprintf("%.4g", v)
	}
	return fmt.Sprintf("%.4g %s", v, unit)
}

func labelText(l data.Labels) string {
	if len(l) == 0 {
		return ""
	}
	var parts []string
	for _, k := range labelKeys(l) {
		parts = append(parts, k+"="+l[k])
	}
	return " — " + strings.Join(parts, ", ")
}

func labelKeys(l data.Labels) []string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
