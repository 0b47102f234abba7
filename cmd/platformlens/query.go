package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/internal/timespan"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

func init() {
	register(command{
		name:    "query",
		summary: "compute one metric like a dashboard panel does",
		usage:   "--metric ID [--range 30d | --from T --to T] [--interval auto|hour|day|week|month] [--filter dim=v1,v2]... [--group-by dim] [--compare previous|wow|mom|yoy] [--stat p50|p95|p99|mean] [--funnel NAME] [--breakdown KEY] [--base-metric ID] [--horizon 30|60|90] [--sensitivity K] [--bands 2023|2021] [--key DORA_KEY] [--format time_series|table] [--output text|csv|json|frames]",
		run:     runQuery,
	})
}

// filterFlags collects repeated --filter dim=v1,v2 flags.
type filterFlags map[string][]string

func (f filterFlags) String() string { return fmt.Sprint(map[string][]string(f)) }

func (f filterFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("filter %q is not dim=value[,value…]", s)
	}
	f[strings.TrimSpace(k)] = append(f[strings.TrimSpace(k)], strings.Split(v, ",")...)
	return nil
}

func runQuery(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("query")
	db := addDBFlags(fs)
	metric := fs.String("metric", "", "metric id (list them with: platformlens catalog)")
	rng := fs.String("range", "7d", "range ending now: 90m, 12h, 30d, 1y (ignored with --from/--to)")
	fromS := fs.String("from", "", "range start, RFC 3339 or YYYY-MM-DD (UTC)")
	toS := fs.String("to", "", "range end (exclusive), RFC 3339 or YYYY-MM-DD; default now")
	interval := fs.String("interval", "auto", "bucket: auto, hour, day, week or month")
	groupBy := fs.String("group-by", "", "dimension to group by")
	compare := fs.String("compare", "", "compare period: previous, wow, mom or yoy")
	stat := fs.String("stat", "", "statistic for percentile metrics: p50, p95, p99, mean")
	funnel := fs.String("funnel", "", "funnel name (funnel metrics)")
	breakdown := fs.String("breakdown", "", "product_events property to break funnel_steps down by")
	baseMetric := fs.String("base-metric", "", "base metric id (forecast, anomalies)")
	horizon := fs.Int("horizon", 0, "forecast horizon in days: 30, 60 or 90")
	sensitivity := fs.Float64("sensitivity", 0, "anomalies: k in median ± k × MAD (default 3)")
	bands := fs.String("bands", "", "DORA band set of dora_summary: 2023 or 2021 (default: the catalog's)")
	doraKey := fs.String("key", "", "dora_evidence: DORA key (deployment_frequency, lead_time, change_failure_rate, recovery_time, rework_rate)")
	format := fs.String("format", "table", "time_series or table")
	output := fs.String("output", "text", "text (rounded, with units), csv or json (records: column → value), frames (Grafana data frame JSON)")
	filters := filterFlags{}
	fs.Var(filters, "filter", "filter dim=v1,v2 (repeatable)")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if *metric == "" {
		return usagef("--metric is required (see `platformlens catalog` for the ids)")
	}
	if *output != "text" && *output != "csv" && *output != "json" && *output != "frames" {
		return usagef("--output %q is not text, csv, json or frames", *output)
	}
	from, to, err := queryRange(*rng, *fromS, *toS, cliNow().UTC())
	if err != nil {
		return usageError{err.Error()}
	}
	body := map[string]any{"refId": "A", "metric": *metric, "filters": map[string][]string(filters),
		"groupBy": *groupBy, "interval": *interval, "format": *format, "compare": *compare, "stat": *stat,
		"funnel": *funnel, "breakdown": *breakdown, "baseMetric": *baseMetric, "bands": *bands, "doraKey": *doraKey}
	// Numeric options go in only when given, so the metric's own defaults apply otherwise.
	if *horizon != 0 {
		body["horizon"] = *horizon
	}
	if *sensitivity != 0 {
		body["sensitivity"] = *sensitivity
	}
	raw, _ := json.Marshal(body)
	q, err := metrics.ParseQuery(raw, backend.TimeRange{From: from, To: to}, 0, 0)
	if err != nil {
		return usageError{err.Error()}
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	frames, err := metrics.NewEngine(st).Run(ctx, q)
	if err != nil {
		return err
	}
	switch *output {
	case "frames":
		return writeJSON(out, frames)
	case "json":
		return records.WriteJSON(out, records.FromFrames(frames))
	case "csv":
		return records.WriteCSV(out, records.FromFrames(frames))
	}
	unit := ""
	if def, ok := metrics.Lookup(*metric); ok {
		unit = def.GrafanaUnit
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range frameRows(frames, unit) {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	for _, f := range frames {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				fmt.Fprintf(tw, "note: %s\n", n.Text)
			}
		}
	}
	return tw.Flush()
}

// queryRange resolves --range / --from / --to.
func queryRange(rng, fromS, toS string, now time.Time) (time.Time, time.Time, error) {
	parse := func(s string) (time.Time, error) {
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("time %q is not RFC 3339 (2024-01-31T12:00:00Z) or a date (2024-01-31)", s)
	}
	to := now
	if toS != "" {
		t, err := parse(toS)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		to = t
	}
	if fromS != "" {
		from, err := parse(fromS)
		return from, to, err
	}
	from, err := timespan.Before(rng, to)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("--range: %w", err)
	}
	return from, to, nil
}

// frameRows flattens the answer into a header and rows for people: tables as they are; time
// series wide, one row per time and one column per series. Numbers are rounded and carry their
// unit (the field's, else the metric's unit).
func frameRows(frames data.Frames, unit string) [][]string {
	if len(frames) == 0 || len(frames[0].Fields) == 0 {
		return [][]string{{"(no data)"}}
	}
	if frames[0].Meta == nil || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti {
		var rows [][]string
		for _, f := range frames {
			head := []string{}
			for _, fld := range f.Fields {
				head = append(head, fld.Name)
			}
			rows = append(rows, head)
			for i := 0; i < f.Rows(); i++ {
				row := []string{}
				for _, fld := range f.Fields {
					row = append(row, cell(fld.At(i), fieldUnit(fld, unit)))
				}
				rows = append(rows, row)
			}
		}
		return rows
	}
	head := []string{"time"}
	byTime := map[time.Time][]string{}
	for c, f := range frames {
		name := f.Fields[1].Name
		if f.Fields[1].Config != nil && f.Fields[1].Config.DisplayNameFromDS != "" {
			name = f.Fields[1].Config.DisplayNameFromDS
		}
		head = append(head, name)
		for i := 0; i < f.Rows(); i++ {
			t := f.Fields[0].At(i).(time.Time)
			if byTime[t] == nil {
				byTime[t] = make([]string, len(frames))
			}
			byTime[t][c] = cell(f.Fields[1].At(i), fieldUnit(f.Fields[1], unit))
		}
	}
	times := make([]time.Time, 0, len(byTime))
	for t := range byTime {
		times = append(times, t)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	rows := [][]string{head}
	for _, t := range times {
		rows = append(rows, append([]string{t.Format(time.RFC3339)}, byTime[t]...))
	}
	return rows
}

// fieldUnit is the unit a field's values are shown with: its own config unit, else the metric's.
func fieldUnit(f *data.Field, metricUnit string) string {
	if f.Config != nil && f.Config.Unit != "" {
		return f.Config.Unit
	}
	return metricUnit
}

func cell(v any, unit string) string {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return ""
		}
		return humanNumber(*x, unit)
	case float64:
		return humanNumber(x, unit)
	case *int64:
		if x == nil {
			return ""
		}
		return humanNumber(float64(*x), unit)
	case int64:
		return humanNumber(float64(x), unit)
	case time.Time:
		return x.Format(time.RFC3339)
	case *string:
		if x == nil {
			return ""
		}
		return *x
	}
	return fmt.Sprint(v)
}
