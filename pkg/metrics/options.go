package metrics

import "encoding/json"

// OptionSpec describes one query option a metric reads besides filters and group-by. The catalog
// serves it (GET /catalog → metrics[].options), the query editor renders its control and shows
// its Default, and the backend applies the same Default when a saved query lacks the option
// (Query.applyDefaults), so the editor and the computed answer cannot drift apart.
type OptionSpec struct {
	// Name is the key of the option in the query JSON ("stat", "horizon", …).
	Name string `json:"name"`
	// Default is what the backend computes with when the query omits the option (a string or a
	// number, as the query JSON carries it); nil when there is none (funnel, baseMetric).
	Default any `json:"default,omitempty"`
	// Choices lists the accepted values when the option is a closed set (as strings).
	Choices     []string `json:"choices,omitempty"`
	Description string   `json:"description"`
	// Min and Max bound a numeric option (what the backend accepts).
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
}

// Option names a query option a metric reads (its key in the query JSON). Definitions list the
// names; optionSpecs holds each option's spec, declared once.
type Option string

// The options a Definition may declare.
const (
	OptionStat        Option = "stat"        // p50 / p95 / p99 / mean
	OptionFunnel      Option = "funnel"      // funnel name
	OptionHorizon     Option = "horizon"     // forecast horizon in days
	OptionBaseMetric  Option = "baseMetric"  // forecast / anomalies base metric
	OptionSensitivity Option = "sensitivity" // anomalies k
	OptionCompare     Option = "compare"     // previous / wow / mom / yoy
	OptionBreakdown   Option = "breakdown"   // funnel_steps: product_events property key
	OptionBands       Option = "bands"       // DORA band set: 2023 / 2021
	OptionKey         Option = "doraKey"     // dora_evidence: which DORA key ("key" is Grafana's own query field)
)

// Defaults of the options (metrics.md: stat picks one of p50/p95/p99/mean, forecasts run 30, 60
// or 90 days ahead, anomalies use k = sensitivity). The backend has always computed p50, 30 days
// and k = 3 for a query without them; dashboards and alert rules saved that way keep their answers.
const (
	defaultStat        = "p50"
	defaultHorizon     = 30
	defaultSensitivity = 3.0
)

func f64(v float64) *float64 { return &v }

// optionSpecs declares every option once, with its default and choices.
var optionSpecs = map[Option]OptionSpec{
	OptionStat: {Default: defaultStat, Choices: []string{"p50", "p95", "p99", "mean"},
		Description: "Statistic of the durations: median (p50), 95th or 99th percentile, or mean."},
	OptionFunnel: {Description: "Funnel name (the funnels table; list it with /variables/funnel)."},
	OptionHorizon: {Default: defaultHorizon, Choices: []string{"30", "60", "90"},
		Description: "Forecast horizon in days.", Min: f64(0), Max: f64(3650)},
	OptionBaseMetric: {Description: "Metric whose time series is forecast or searched for anomalies."},
	OptionSensitivity: {Default: defaultSensitivity, Min: f64(0), Max: f64(100),
		Description: "k of median ± k × MAD: a point further than k MADs from the rolling median is an anomaly; lower finds more."},
	OptionCompare: {Choices: []string{"previous", "wow", "mom", "yoy"},
		Description: "Adds the value of an earlier period: previous (same length just before), wow (−7 d), mom (−1 month), yoy (−1 year)."},
	OptionBreakdown: {Description: "Product event property key to break the funnel down by (e.g. plan)."},
	OptionKey: {Default: "change_failure_rate", Choices: doraEvidenceKeys,
		Description: "DORA key whose evidence rows to list: deployment_frequency, lead_time, change_failure_rate, recovery_time or rework_rate."},
	OptionBands: {Default: defaultBandSet, Choices: bandSetIDs(),
		Description: "DORA band set: the cut-offs of the 2023 or the 2021 State of DevOps report (dora_summary lists both). " +
			"A datasource may set its own default (jsonData.doraBands); the answer names the set it used."},
}

// Spec returns the option's spec (name, default, choices, description, bounds).
func (o Option) Spec() OptionSpec {
	s := optionSpecs[o]
	s.Name = string(o)
	return s
}

// OptionSpecs returns the specs of the options the metric reads, in declaration order.
func (d Definition) OptionSpecs() []OptionSpec {
	out := make([]OptionSpec, len(d.Options))
	for i, o := range d.Options {
		out[i] = o.Spec()
	}
	return out
}

// MarshalJSON serves the options as specs (GET /catalog: metrics[].options is OptionSpec[]).
func (d Definition) MarshalJSON() ([]byte, error) {
	type plain Definition // without the method, so Marshal does not recurse
	return json.Marshal(struct {
		plain
		Options []OptionSpec `json:"options,omitempty"`
	}{plain(d), d.OptionSpecs()})
}
