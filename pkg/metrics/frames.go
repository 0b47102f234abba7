package metrics

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Series is one labelled series. In time-series results Times holds the bucket starts of the
// grid and Values one value per bucket (nil = no value); in table results Times is nil and
// Values has exactly one element, the value for the whole range.
type Series struct {
	Labels data.Labels
	Times  []time.Time
	Values []*float64
}

// Result is what a SeriesFunc returns: the series, the SQL it ran (shown in Grafana's query
// inspector) and notices for the user.
type Result struct {
	Series  []Series
	SQL     string
	Notices []data.Notice
}

// empty reports whether r holds no value at all.
func (r *Result) empty() bool {
	for _, s := range r.Series {
		for _, v := range s.Values {
			if v != nil {
				return false
			}
		}
	}
	return true
}

// sortSeries orders series by their labels so frames come out in a stable order.
func (r *Result) sortSeries() {
	sort.SliceStable(r.Series, func(i, j int) bool { return r.Series[i].Labels.String() < r.Series[j].Labels.String() })
}

// typeVersion is the dataplane contract version the frames follow.
var typeVersion = data.FrameTypeVersion{0, 1}

// fieldConfig is the unit, display name, bounds, mappings and thresholds of a value field.
func fieldConfig(def Definition, display string, t *Target) *data.FieldConfig {
	fc := &data.FieldConfig{DisplayNameFromDS: display, Unit: def.GrafanaUnit, Description: def.Description, Mappings: def.Mappings}
	if def.Min != nil {
		fc.SetMin(*def.Min)
	}
	if def.Max != nil {
		fc.SetMax(*def.Max)
	}
	if t != nil {
		fc.Thresholds = t.Thresholds()
	}
	return fc
}

// displayName is the title, or the group's label values when grouped, plus the compare suffix.
func displayName(def Definition, labels data.Labels, suffix string) string {
	name := def.Title
	if len(labels) > 0 {
		keys := make([]string, 0, len(labels))
		for k := range labels {
			if k != periodLabel {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		vals := make([]string, 0, len(keys))
		for _, k := range keys {
			vals = append(vals, labels[k])
		}
		if len(vals) > 0 {
			name = strings.Join(vals, " ")
		}
	}
	if suffix != "" {
		name += " (" + suffix + ")"
	}
	return name
}

// periodLabel marks compare series so every series of a response has a distinct label set, which
// Grafana alerting requires (one alert instance per label set).
const periodLabel = "period"

// timeSeriesFrames builds one frame per series in the dataplane "timeseries-multi" shape: a time
// field and one numeric field carrying the labels.
func timeSeriesFrames(def Definition, res *Result, cmp *Result, mode CompareMode, t *Target) data.Frames {
	var frames data.Frames
	add := func(s Series, suffix string) {
		value := data.NewField("value", s.Labels, s.Values)
		value.Config = fieldConfig(def, displayName(def, s.Labels, suffix), t)
		f := data.NewFrame(def.ID, data.NewField("time", nil, s.Times), value)
		f.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: typeVersion}
		frames = append(frames, f)
	}
	for _, s := range res.Series {
		add(s, "")
	}
	if cmp != nil {
		for _, s := range cmp.Series {
			labels := data.Labels{periodLabel: string(mode)}
			for k, v := range s.Labels {
				labels[k] = v
			}
			s.Labels = labels
			add(s, mode.Label())
		}
	}
	return frames
}

// tableFrame builds the "numeric-long" table: one string column per label (the group-by) and the
// value column; with a compare mode also previous, change_percent and trend.
func tableFrame(def Definition, groupBy string, res *Result, cmp *Result, mode CompareMode, t *Target) *data.Frame {
	prev := map[string]*float64{}
	if cmp != nil {
		for _, s := range cmp.Series {
			prev[s.Labels.String()] = first(s.Values)
		}
	}
	var groups []string
	var vals, prevs, changes []*float64
	var trends []string
	for _, s := range res.Series {
		groups = append(groups, s.Labels[groupBy])
		cur := first(s.Values)
		vals = append(vals, cur)
		p := prev[s.Labels.String()]
		prevs = append(prevs, p)
		changes = append(changes, ChangePercent(cur, p))
		trends = append(trends, Trend(cur, p))
	}
	f := data.NewFrame(def.ID)
	if groupBy != "" {
		f.Fields = append(f.Fields, data.NewField(groupBy, nil, groups))
	}
	value := data.NewField("value", nil, vals)
	value.Config = fieldConfig(def, def.Title, t)
	f.Fields = append(f.Fields, value)
	if cmp != nil {
		p := data.NewField("previous", nil, prevs)
		p.Config = fieldConfig(def, def.Title+" ("+mode.Label()+")", t)
		c := data.NewField("change_percent", nil, changes)
		c.Config = &data.FieldConfig{DisplayNameFromDS: "Change", Unit: "percent"}
		f.Fields = append(f.Fields, p, c, data.NewField("trend", nil, trends))
	}
	f.Meta = &data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: typeVersion}
	return f
}

func first(v []*float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	return v[0]
}

// EmptyFrame is the answer when a metric cannot be computed: no fields, and a notice saying
// why — never an error and never a made-up zero.
func EmptyFrame(id, reason string) *data.Frame {
	f := data.NewFrame(id)
	f.Meta = &data.FrameMeta{Notices: []data.Notice{{Severity: data.NoticeSeverityInfo, Text: reason}}}
	return f
}

// noDataReason is the notice of an empty result.
func noDataReason(q Query) string {
	msg := fmt.Sprintf("No data for %s between %s and %s", q.Metric, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	if len(q.Filters) > 0 || len(q.AdHoc) > 0 {
		msg += " with the selected filters"
	}
	return msg + "."
}

// setExecuted stores the executed SQL (Grafana's query inspector shows it) and the notices.
func setExecuted(frames data.Frames, sql string, notices []data.Notice) {
	for _, f := range frames {
		if f.Meta == nil {
			f.Meta = &data.FrameMeta{}
		}
		f.Meta.ExecutedQueryString = sql
		f.Meta.Notices = append(f.Meta.Notices, notices...)
	}
}
