package report

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

// builder runs the report's queries; the first error stops the build (err is sticky so the
// section code reads straight through).
type builder struct {
	ctx  context.Context
	run  Runner
	spec Spec
	err  error
}

// QueryJSON is the query the report sends for metric with extra options over [from, to): the
// same JSON a dashboard panel sends. Spec filters apply only where the metric has the
// dimension. Exported so tests (and the CLI's docs) can run exactly the report's query.
func QueryJSON(spec Spec, metric string, opts map[string]any) map[string]any {
	body := map[string]any{"refId": "report", "metric": metric, "format": "table"}
	if def, ok := metrics.Lookup(metric); ok {
		f := map[string][]string{}
		for k, v := range spec.Filters {
			if def.HasDimension(k) {
				f[k] = v
			}
		}
		if len(f) > 0 {
			body["filters"] = f
		}
	}
	for k, v := range opts {
		body[k] = v
	}
	return body
}

// ParseFor parses QueryJSON(...) for the range [from, to).
func ParseFor(body map[string]any, from, to time.Time) (metrics.Query, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return metrics.Query{}, err
	}
	return metrics.ParseQuery(raw, backend.TimeRange{From: from, To: to}, 0, 0)
}

// frames runs metric over the spec's range (or [from, to) when given) with opts.
func (b *builder) framesIn(metric string, opts map[string]any, from, to time.Time) data.Frames {
	if b.err != nil {
		return nil
	}
	q, err := ParseFor(QueryJSON(b.spec, metric, opts), from, to)
	if err != nil {
		b.err = fmt.Errorf("report query %s: %w", metric, err)
		return nil
	}
	fr, err := b.run.Run(b.ctx, q)
	if err != nil {
		b.err = fmt.Errorf("report query %s: %w", metric, err)
		return nil
	}
	return fr
}

func (b *builder) frames(metric string, opts map[string]any) data.Frames {
	return b.framesIn(metric, opts, b.spec.From, b.spec.To)
}

// table runs metric in table format and returns its records; frame selects which frame (some
// table metrics answer a detail frame and a summary frame).
func (b *builder) table(title, metric string, opts map[string]any, frame int, columns ...string) Table {
	return b.tableIn(b.spec.From, b.spec.To, title, metric, opts, frame, columns...)
}

// tableIn is table over [from, to) instead of the report's range.
func (b *builder) tableIn(from, to time.Time, title, metric string, opts map[string]any, frame int, columns ...string) Table {
	fr := b.framesIn(metric, opts, from, to)
	t := Table{Title: title, Metric: metric}
	if frame < len(fr) {
		t.Table = records.FromFrames(data.Frames{fr[frame]})
	}
	if len(columns) > 0 {
		t.Table = pick(t.Table, columns)
	}
	return t
}

// pick keeps the named columns (in that order) that the table has.
func pick(t records.Table, columns []string) records.Table {
	idx := map[string]int{}
	for i, c := range t.Columns {
		idx[c] = i
	}
	out := records.Table{Notices: t.Notices}
	var keep []int
	for _, c := range columns {
		if i, ok := idx[c]; ok {
			out.Columns = append(out.Columns, c)
			keep = append(keep, i)
		}
	}
	for _, row := range t.Rows {
		r := make([]any, len(keep))
		for j, i := range keep {
			r[j] = row[i]
		}
		out.Rows = append(out.Rows, r)
	}
	return out
}

// kpi runs metric as a table over the range, with the previous period when the metric supports
// compare, and reads the value, previous value, change and target (from the value field's
// thresholds, which the engine sets from the targets table).
func (b *builder) kpi(metric string, opts map[string]any) KPI {
	def, _ := metrics.Lookup(metric)
	k := KPI{Metric: metric, Label: def.Title, Unit: def.Unit}
	o := map[string]any{}
	for key, v := range opts {
		o[key] = v
	}
	if def.HasOption(metrics.OptionCompare) {
		o["compare"] = "previous"
	}
	fr := b.frames(metric, o)
	if len(fr) == 0 {
		return k
	}
	f := fr[0]
	for _, fld := range f.Fields {
		if f.Rows() == 0 {
			break
		}
		switch fld.Name {
		case "value":
			k.Value = num(fld.At(0))
			if th := fld.Config; th != nil && th.Thresholds != nil && len(th.Thresholds.Steps) == 2 {
				t := float64(th.Thresholds.Steps[1].Value)
				k.Target = &t
				k.HigherIsBetter = th.Thresholds.Steps[1].Color == "green"
			}
		case "previous":
			k.Previous = num(fld.At(0))
		case "change_percent":
			k.ChangePct = num(fld.At(0))
		}
	}
	return k
}

// num returns a frame cell as *float64 (nil for null, NaN or a non-number).
func num(v any) *float64 {
	if f, ok := records.Value(v).(float64); ok {
		return &f
	}
	if i, ok := records.Value(v).(int64); ok {
		f := float64(i)
		return &f
	}
	return nil
}

// column returns the values of column name of t as strings and numbers.
func column(t records.Table, name string) []any {
	for i, c := range t.Columns {
		if c == name {
			out := make([]any, len(t.Rows))
			for r, row := range t.Rows {
				out[r] = row[i]
			}
			return out
		}
	}
	return nil
}

// barChart builds a bar chart from two columns of t (label, value), skipping null values.
func barChart(title, unit string, t records.Table, labelCol, valueCol string) *Chart {
	c := &Chart{Title: title, Kind: "bar", Unit: unit}
	labels, values := column(t, labelCol), column(t, valueCol)
	for i := range labels {
		if v, ok := values[i].(float64); ok {
			c.Labels = append(c.Labels, records.Text(labels[i]))
			c.Values = append(c.Values, v)
		}
	}
	return c
}

// lineChart runs metric as a time series (ungrouped) and charts its points.
func (b *builder) lineChart(title, metric, interval string) *Chart {
	def, _ := metrics.Lookup(metric)
	fr := b.frames(metric, map[string]any{"format": "time_series", "interval": interval})
	c := &Chart{Title: title, Kind: "line", Unit: def.Unit}
	t := records.FromFrames(fr)
	times, values := column(t, "time"), column(t, "value")
	for i := range times {
		if v, ok := values[i].(float64); ok {
			ts, _ := time.Parse(time.RFC3339Nano, records.Text(times[i]))
			c.Labels = append(c.Labels, ts.Format("Jan 2"))
			c.Values = append(c.Values, v)
		}
	}
	return c
}
