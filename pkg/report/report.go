// Package report builds the weekly executive report — seven sections of numbers, a chart and a
// one-line reading each, and recommendations from explicit rules — from the metric engine, and
// renders it as PDF, CSV, XLSX or Markdown.
//
// Every number comes from one engine query (metrics.Engine.Run with a metrics.Query parsed from
// the same JSON a dashboard panel sends): the report holds no metric SQL of its own, so it reads
// the same as the dashboards, the CLI's `query` and the API.
package report

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/records"
)

// Runner computes one metric query; *metrics.Engine implements it.
type Runner interface {
	Run(ctx context.Context, q metrics.Query) (data.Frames, error)
}

// Spec is what a report covers: the range [From, To) and optional filters (dimension → values),
// applied to each metric that has that dimension.
type Spec struct {
	From, To time.Time
	Filters  map[string][]string
}

// Report is a built report, ready for any renderer.
type Report struct {
	Title    string
	From, To time.Time
	Filters  map[string][]string
	Sections []Section
}

// Section is one of the seven parts of the report.
type Section struct {
	Number  int
	Title   string
	Reading string // one line saying what the numbers mean
	KPIs    []KPI
	Chart   *Chart
	Tables  []Table
	// Recommendations is filled in the last section only.
	Recommendations []Recommendation
}

// KPI is one headline number with its comparison and target.
type KPI struct {
	Metric    string // catalog id
	Label     string
	Unit      string // the catalog's human unit
	Value     *float64
	Previous  *float64 // the previous period of the same length (nil without compare)
	ChangePct *float64
	Target    *float64
	// HigherIsBetter is the target's direction (meaningful when Target is set).
	HigherIsBetter bool
}

// Breached reports whether the KPI has a value and a target and is on the wrong side of it.
func (k KPI) Breached() bool {
	if k.Value == nil || k.Target == nil {
		return false
	}
	if k.HigherIsBetter {
		return *k.Value < *k.Target
	}
	return *k.Value > *k.Target
}

// Table is a titled set of records (one engine answer, possibly reduced to some columns).
type Table struct {
	Title  string
	Metric string
	records.Table
}

// Chart is a simple chart: bars (one per label) or a line (labels are times).
type Chart struct {
	Title  string
	Kind   string // "bar" or "line"
	Unit   string
	Labels []string
	Values []float64
}

// Recommendation is one action item produced by a rule, naming its evidence.
type Recommendation struct {
	Rule     string // the rule's id: target_breached, band_dropped, anomaly, unused_licenses, forecast_crosses_target
	Severity string // high, medium or low
	Text     string
	Evidence string // which metric, range and numbers the rule read
}

// SectionTitles are the seven sections in order (renderers and tests use them).
var SectionTitles = []string{
	"Executive summary",
	"Platform health",
	"Pipeline performance trends",
	"Developer-experience insights",
	"Cost & ROI",
	"Revenue impact",
	"Recommendations & action items",
}
