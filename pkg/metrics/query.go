package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Query is one parsed, validated datasource query (docs/architecture.md, "Query JSON").
type Query struct {
	RefID     string
	QueryType string // always "metric" (TypeMetric): other query types are other variants of Request
	Metric    string
	Filters   map[string][]string
	AdHoc     []AdHocFilter
	// IgnoredAdHoc lists ad hoc filter keys the metric has no dimension for. Ad hoc filters apply
	// to every panel of a dashboard, so a key one metric lacks is skipped (and said in a notice)
	// rather than failing that panel; explicit filters on unknown keys are still errors.
	IgnoredAdHoc []string
	GroupBy      string
	Interval     string // "auto", "hour", "day", "week", "month" as sent
	Format       Format
	Compare      CompareMode
	Stat         string
	Funnel       string
	Breakdown    string // funnel_steps: product_events property key to break down by
	BaseMetric   string
	Horizon      int
	Sensitivity  float64
	// Bands is the DORA band set (OptionBands); BandsExplicit says the query named it, so a
	// datasource default (jsonData.doraBands) may replace the catalog default otherwise.
	Bands         string
	BandsExplicit bool
	// Key is the DORA key of dora_evidence (OptionKey).
	Key string
	// IgnoredOptions lists options the query set that the metric does not read; the answer
	// says so in a notice instead of dropping them silently.
	IgnoredOptions []string

	From, To        time.Time     // the range, UTC, From < To
	GrafanaInterval time.Duration // Grafana's $__interval (0 if unknown)
	MaxDataPoints   int64
	// Bucket is the resolved bucket width (auto already rounded to a sane step).
	Bucket Bucket
}

// maxFilterValues bounds the values of one filter and maxValueLen one value, so a pasted blob
// or runaway variable cannot make a huge statement.
const (
	maxFilterValues = 1000
	maxValueLen     = 512
)

// ParseQuery parses and validates the JSON of a metric query for the range tr. interval is
// Grafana's $__interval and maxDataPoints the panel width; both steer the "auto" interval. Every
// error is a user error (backend.DownstreamError) that says which field is wrong and what is
// accepted. The datasource uses Parse, which handles every query type; ParseQuery is the metric
// half of it for the CLI and the benchmark.
func ParseQuery(raw []byte, tr backend.TimeRange, interval time.Duration, maxDataPoints int64) (Query, error) {
	j, err := DecodeQueryJSON(raw)
	if err != nil {
		return Query{}, backend.DownstreamError(fmt.Errorf("query is not valid JSON of the PlatformLens query model: %v", err))
	}
	switch j.QueryType {
	case "", TypeMetric:
	case TypeSQL:
		if _, err := j.sqlQuery(); err != nil {
			return Query{}, backend.DownstreamError(err)
		}
		return Query{}, backend.DownstreamErrorf("queryType \"sql\" is SQL mode, not a metric query; run it through the datasource")
	default:
		return Query{}, backend.DownstreamErrorf("queryType %q is unknown; use \"metric\" or \"sql\"", j.QueryType)
	}
	q, err := j.metricQuery(tr, interval, maxDataPoints)
	if err != nil {
		return Query{}, backend.DownstreamError(err)
	}
	return q, nil
}

// metricQuery builds and validates the metric query of j: the one place a metric query's fields
// are checked (format, compare, options and their defaults, interval, filters, group-by).
func (j QueryJSON) metricQuery(tr backend.TimeRange, interval time.Duration, maxDataPoints int64) (Query, error) {
	q := Query{
		RefID: j.RefID, QueryType: TypeMetric, Metric: strings.TrimSpace(j.Metric),
		Filters: map[string][]string{}, AdHoc: j.AdHocFilters, GroupBy: j.GroupBy,
		Interval: j.Interval, Format: Format(j.Format), Compare: CompareMode(j.Compare),
		Stat: j.Stat, Funnel: j.Funnel, Breakdown: j.Breakdown, BaseMetric: j.BaseMetric,
		Bands: j.Bands, BandsExplicit: j.Bands != "", Key: j.DoraKey,
		From: tr.From.UTC(), To: tr.To.UTC(), GrafanaInterval: interval, MaxDataPoints: maxDataPoints,
	}
	if !q.From.Before(q.To) {
		return Query{}, fmt.Errorf("time range is empty: from %s is not before to %s", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.Format == "" {
		q.Format = FormatTimeSeries
	}
	if q.Format != FormatTimeSeries && q.Format != FormatTable {
		return Query{}, fmt.Errorf("format %q is unknown; use \"time_series\" or \"table\"", j.Format)
	}
	if err := q.Compare.validate(); err != nil {
		return Query{}, err
	}
	var err error
	if q.Horizon, err = intOption("horizon", j.Horizon); err != nil {
		return Query{}, err
	}
	if q.Sensitivity, err = floatOption("sensitivity", j.Sensitivity); err != nil {
		return Query{}, err
	}
	if q.Bucket, err = ResolveInterval(q.Interval, q.To.Sub(q.From), interval, maxDataPoints); err != nil {
		return Query{}, err
	}
	return q, q.validateMetric(j.filterLists())
}

func (q *Query) validateMetric(filters map[string][]string) error {
	if q.Metric == "" {
		return errors.New("no metric selected; pick one from the catalog (field \"metric\")")
	}
	def, ok := Lookup(q.Metric)
	if !ok {
		return fmt.Errorf("metric %q is not in the catalog; see the /catalog route or `platformlens catalog` for the ids", q.Metric)
	}
	if !def.HasFormat(q.Format) {
		return fmt.Errorf("metric %q cannot answer in format %q; it supports %v", q.Metric, q.Format, def.Formats)
	}
	if q.Compare != CompareNone && !def.HasOption(OptionCompare) {
		return fmt.Errorf("metric %q does not support compare", q.Metric)
	}
	valid := validKeysMessage(def.Dimensions)
	for k, vals := range filters {
		if !def.HasDimension(k) {
			return fmt.Errorf("filter %q is not available for metric %q; %s", k, q.Metric, valid)
		}
		if len(vals) > maxFilterValues {
			return fmt.Errorf("filter %q has %d values; at most %d are allowed", k, len(vals), maxFilterValues)
		}
		clean := make([]string, 0, len(vals))
		for _, v := range vals {
			if err := checkValue("a value of filter "+strconv.Quote(k), v); err != nil {
				return err
			}
			clean = append(clean, v)
		}
		q.Filters[k] = clean
	}
	kept := q.AdHoc[:0:0]
	for _, f := range q.AdHoc {
		if !def.HasDimension(f.Key) {
			if err := checkValue("an ad hoc filter key", f.Key); err != nil {
				return err
			}
			q.IgnoredAdHoc = append(q.IgnoredAdHoc, f.Key)
			continue
		}
		kept = append(kept, f)
		if f.Operator != "=" && f.Operator != "!=" {
			return fmt.Errorf("ad hoc filter operator %q on %q is not supported; use = or !=", f.Operator, f.Key)
		}
		if err := checkValue("the ad hoc filter value for "+strconv.Quote(f.Key), f.Value); err != nil {
			return err
		}
	}
	q.AdHoc = kept
	q.IgnoredOptions = q.unreadOptions(def)
	if q.GroupBy != "" && !def.HasDimension(q.GroupBy) {
		return fmt.Errorf("group by %q is not available for metric %q; %s", q.GroupBy, q.Metric, valid)
	}
	if q.GroupBy != "" && !def.CanGroupBy(q.GroupBy) {
		if len(def.GroupBy) == 0 {
			return fmt.Errorf("metric %q cannot be grouped (it answers fixed rows); remove the group-by, or filter by %q instead", q.Metric, q.GroupBy)
		}
		return fmt.Errorf("group by %q is not available for metric %q; it can be grouped by: %s", q.GroupBy, q.Metric, strings.Join(def.GroupBy, ", "))
	}
	return q.applyDefaults(def)
}

// applyDefaults fills the options the metric reads but the query omits with the catalog's
// defaults (options.go) and checks closed sets against the catalog's choices. The editor shows
// the same defaults from GET /catalog.
func (q *Query) applyDefaults(def Definition) error {
	if def.HasOption(OptionStat) {
		spec := OptionStat.Spec()
		if q.Stat == "" {
			q.Stat = spec.Default.(string)
		}
		if !slices.Contains(spec.Choices, q.Stat) {
			return fmt.Errorf("stat %q is unknown; use p50, p95, p99 or mean", q.Stat)
		}
	}
	if def.HasOption(OptionBands) {
		if q.Bands == "" {
			q.Bands = OptionBands.Spec().Default.(string)
		}
		if !ValidBandSet(q.Bands) {
			return fmt.Errorf("bands %q is unknown; use one of %s", q.Bands, strings.Join(bandSetIDs(), ", "))
		}
	}
	if def.HasOption(OptionKey) {
		if q.Key == "" {
			q.Key = OptionKey.Spec().Default.(string)
		}
		if !slices.Contains(OptionKey.Spec().Choices, q.Key) {
			return fmt.Errorf("doraKey %q is unknown; use one of %s", q.Key, strings.Join(OptionKey.Spec().Choices, ", "))
		}
	}
	if def.HasOption(OptionHorizon) && q.Horizon == 0 {
		q.Horizon = OptionHorizon.Spec().Default.(int)
	}
	if def.HasOption(OptionSensitivity) && q.Sensitivity == 0 {
		q.Sensitivity = OptionSensitivity.Spec().Default.(float64)
	}
	return nil
}

// unreadOptions lists the options q sets that def does not read (compare is refused separately).
func (q *Query) unreadOptions(def Definition) []string {
	set := map[Option]bool{OptionStat: q.Stat != "", OptionFunnel: q.Funnel != "", OptionBreakdown: q.Breakdown != "",
		OptionBaseMetric: q.BaseMetric != "", OptionHorizon: q.Horizon != 0, OptionSensitivity: q.Sensitivity != 0,
		OptionBands: q.Bands != "", OptionKey: q.Key != ""}
	var out []string
	for _, o := range []Option{OptionStat, OptionFunnel, OptionBreakdown, OptionBaseMetric, OptionHorizon, OptionSensitivity, OptionBands, OptionKey} {
		if set[o] && !def.HasOption(o) {
			out = append(out, string(o))
		}
	}
	return out
}

func intOption(name string, n json.Number) (int, error) {
	if n == "" {
		return 0, nil
	}
	v, err := n.Int64()
	if err != nil || v < 0 || v > 3650 {
		return 0, fmt.Errorf("%s %q must be a whole number of days between 0 and 3650", name, n)
	}
	return int(v), nil
}

func floatOption(name string, n json.Number) (float64, error) {
	if n == "" {
		return 0, nil
	}
	v, err := n.Float64()
	if err != nil || v < 0 || v > 100 {
		return 0, fmt.Errorf("%s %q must be a number between 0 and 100", name, n)
	}
	return v, nil
}

// Shifted returns q over the range [From+d, To+d) computed by shift (for compare periods).
func (q Query) Shifted(shift func(time.Time) time.Time) Query {
	s := q
	s.From, s.To = shift(q.From), shift(q.To)
	s.Compare = CompareNone
	return s
}

// checkValue rejects values PostgreSQL cannot hold as text (NUL bytes, invalid UTF-8) and
// oversized ones, with a message naming the field.
func checkValue(what, v string) error {
	switch {
	case len(v) > maxValueLen:
		return fmt.Errorf("%s is %d bytes long; at most %d are allowed", what, len(v), maxValueLen)
	case strings.ContainsRune(v, 0):
		return fmt.Errorf("%s contains a NUL byte, which is not valid text", what)
	case !utf8.ValidString(v):
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	return nil
}
