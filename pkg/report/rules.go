package report

import (
	"fmt"
	"sort"
	"strings"
)

// Evidence is what the recommendation rules read, gathered from engine answers by Build.
type Evidence struct {
	Period    string // "2026-05-02 – 2026-06-01", named in each recommendation's evidence
	KPIs      []KPI
	Bands     []BandChange
	Anomalies []Anomaly
	Savings   []Saving
	Forecasts []ForecastPoint
}

// BandChange is one DORA metric's band in the previous and the current period.
type BandChange struct {
	Metric   string // deployment_frequency, lead_time, change_failure_rate, recovery_time
	Previous string // elite, high, medium, low ("" without data)
	Current  string
}

// Anomaly is one anomalous point of a base metric (from the anomalies metric).
type Anomaly struct {
	BaseMetric string
	Time       string
	Expected   float64
	Actual     float64
	Severity   string // low, medium, high
}

// Saving is one platform's unused seats and their monthly cost (from cost_savings).
type Saving struct {
	Platform       string
	UnusedSeats    float64
	MonthlySavings float64
}

// ForecastPoint is a base metric's forecast at the end of the horizon with its current KPI.
type ForecastPoint struct {
	Current    KPI
	HorizonEnd string
	Forecast   float64
	MAPE       *float64 // back-test mean absolute percentage error, % (nil: unknown)
}

// maxForecastMAPE is the back-test error above which a forecast is too unreliable to act on.
const maxForecastMAPE = 50.0

var bandRank = map[string]int{"low": 1, "medium": 2, "high": 3, "elite": 4}
var severityRank = map[string]int{"high": 0, "medium": 1, "low": 2}

// Recommend applies the rules, in this order, and sorts the result by severity (stable):
//   - target_breached: a headline metric on the wrong side of its target (high when more than
//     10 % of the target away, else medium);
//   - band_dropped: a DORA metric fell by at least one band against the previous period (high
//     for two or more bands);
//   - anomaly: medium or high anomalies of a base metric in the period (severity of the worst);
//   - unused_licenses: the three platforms with the largest monthly savings from unused seats
//     (medium from $1,000 a month, else low);
//   - forecast_crosses_target: a metric on target now whose forecast at the horizon's end is on
//     the wrong side of the target (medium), if the forecast's back-test MAPE is known and at
//     most 50 % (a less accurate forecast is no evidence).
func Recommend(ev Evidence) []Recommendation {
	var out []Recommendation
	seen := map[string]bool{}
	for _, k := range ev.KPIs {
		if seen[k.Metric] || !k.Breached() {
			continue
		}
		seen[k.Metric] = true
		sev := "medium"
		if gap := *k.Value - *k.Target; *k.Target != 0 && abs(gap)/abs(*k.Target) > 0.10 {
			sev = "high"
		}
		side, verb := "≥", "Raise"
		if !k.HigherIsBetter {
			side, verb = "≤", "Bring down"
		}
		out = append(out, Recommendation{Rule: "target_breached", Severity: sev,
			Text: fmt.Sprintf("%s %s: it is %s, the target is %s %s.", verb, strings.ToLower(k.Label),
				FormatValue(k.Unit, k.Value), side, FormatValue(k.Unit, k.Target)),
			Evidence: fmt.Sprintf("%s over %s = %s (target %s %s)", k.Metric, ev.Period,
				FormatValue(k.Unit, k.Value), side, FormatValue(k.Unit, k.Target))})
	}
	for _, b := range ev.Bands {
		from, to := bandRank[b.Previous], bandRank[b.Current]
		if from == 0 || to == 0 || to >= from {
			continue
		}
		sev := "medium"
		if from-to >= 2 {
			sev = "high"
		}
		out = append(out, Recommendation{Rule: "band_dropped", Severity: sev,
			Text:     fmt.Sprintf("DORA %s dropped from %s to %s: find what changed in the delivery process.", label(b.Metric), b.Previous, b.Current),
			Evidence: fmt.Sprintf("dora_summary %s band: %s in the previous period, %s over %s", b.Metric, b.Previous, b.Current, ev.Period)})
	}
	out = append(out, anomalyRecs(ev)...)
	savings := append([]Saving(nil), ev.Savings...)
	sort.SliceStable(savings, func(i, j int) bool { return savings[i].MonthlySavings > savings[j].MonthlySavings })
	for i, s := range savings {
		if i == 3 || s.MonthlySavings <= 0 {
			break
		}
		sev := "low"
		if s.MonthlySavings >= 1000 {
			sev = "medium"
		}
		m := s.MonthlySavings
		out = append(out, Recommendation{Rule: "unused_licenses", Severity: sev,
			Text:     fmt.Sprintf("Reclaim %.0f unused %s seats to save %s a month.", s.UnusedSeats, s.Platform, FormatValue("currency", &m)),
			Evidence: fmt.Sprintf("cost_savings for %s: %.0f unused seats, %s potential monthly savings (latest license snapshot in %s)", s.Platform, s.UnusedSeats, FormatValue("currency", &m), ev.Period)})
	}
	for _, f := range ev.Forecasts {
		k := f.Current
		if k.Value == nil || k.Target == nil || k.Breached() || f.MAPE == nil || *f.MAPE > maxForecastMAPE {
			continue
		}
		fc := k
		v := f.Forecast
		fc.Value = &v
		if !fc.Breached() {
			continue
		}
		out = append(out, Recommendation{Rule: "forecast_crosses_target", Severity: "medium",
			Text: fmt.Sprintf("%s is on target now (%s) but forecast to reach %s by %s, past its target %s: act before it does.",
				k.Label, FormatValue(k.Unit, k.Value), FormatValue(k.Unit, &v), f.HorizonEnd, FormatValue(k.Unit, k.Target)),
			Evidence: fmt.Sprintf("forecast of %s at %s = %s (back-test MAPE %.0f %%); %s over %s = %s; target %s", k.Metric, f.HorizonEnd,
				FormatValue(k.Unit, &v), *f.MAPE, k.Metric, ev.Period, FormatValue(k.Unit, k.Value), FormatValue(k.Unit, k.Target))})
	}
	sort.SliceStable(out, func(i, j int) bool { return severityRank[out[i].Severity] < severityRank[out[j].Severity] })
	return out
}

// anomalyRecs gives one recommendation per base metric with medium or high anomalies.
func anomalyRecs(ev Evidence) []Recommendation {
	byMetric := map[string][]Anomaly{}
	var order []string
	for _, a := range ev.Anomalies {
		if a.Severity != "medium" && a.Severity != "high" {
			continue
		}
		if byMetric[a.BaseMetric] == nil {
			order = append(order, a.BaseMetric)
		}
		byMetric[a.BaseMetric] = append(byMetric[a.BaseMetric], a)
	}
	var out []Recommendation
	for _, m := range order {
		as := byMetric[m]
		sev, worst := "medium", as[0]
		var when []string
		for _, a := range as {
			if a.Severity == "high" {
				sev = "high"
			}
			if abs(a.Actual-a.Expected) > abs(worst.Actual-worst.Expected) {
				worst = a
			}
			when = append(when, fmt.Sprintf("%s (%.4g, expected %.4g)", a.Time, a.Actual, a.Expected))
		}
		out = append(out, Recommendation{Rule: "anomaly", Severity: sev,
			Text: fmt.Sprintf("Investigate %d unusual %s point(s); the largest on %s: %.4g where %.4g was expected.",
				len(as), label(m), worst.Time, worst.Actual, worst.Expected),
			Evidence: fmt.Sprintf("anomalies of %s over %s (median ± k·MAD): %s", m, ev.Period, strings.Join(when, "; "))})
	}
	return out
}

// label is the catalog title of a metric id, lower-cased for running text.
func label(id string) string {
	if t := titleOf(id); t != "" {
		return strings.ToLower(t)
	}
	return strings.ReplaceAll(id, "_", " ")
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
