package report

import (
	"context"
	"fmt"
	"strings"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

// Build runs the report's queries over spec's range and assembles the seven sections. Any
// query error stops the build and names the metric.
func Build(ctx context.Context, run Runner, spec Spec) (*Report, error) {
	if !spec.From.Before(spec.To) {
		return nil, fmt.Errorf("report range is empty: from %s is not before to %s", spec.From, spec.To)
	}
	b := &builder{ctx: ctx, run: run, spec: spec}
	r := &Report{Title: "PlatformLens executive report", From: spec.From.UTC(), To: spec.To.UTC(), Filters: spec.Filters}
	ev := Evidence{Period: r.Period()}
	sections := []func(*Evidence) Section{b.summary, b.health, b.pipeline, b.dx, b.cost, b.revenue}
	for _, f := range sections {
		s := f(&ev)
		if b.err != nil {
			return nil, b.err
		}
		r.Sections = append(r.Sections, s)
	}
	rec := b.recommendations(&ev)
	if b.err != nil {
		return nil, b.err
	}
	r.Sections = append(r.Sections, rec)
	for i := range r.Sections {
		r.Sections[i].Number = i + 1
		r.Sections[i].Title = SectionTitles[i]
	}
	return r, nil
}

// Period is the report's range as dates, "2026-05-02 – 2026-06-01" (end exclusive).
func (r *Report) Period() string {
	return r.From.Format("2006-01-02") + " – " + r.To.Format("2006-01-02")
}

// chartInterval is the bucket of the trend charts: days for up to ~two months, else weeks.
func (b *builder) chartInterval() string {
	if b.spec.To.Sub(b.spec.From).Hours() <= 62*24 {
		return "day"
	}
	return "week"
}

func titleOf(id string) string {
	def, _ := metrics.Lookup(id)
	return def.Title
}

// targets counts the KPIs with a target and those meeting it.
func targets(ks []KPI) (met, total int) {
	for _, k := range ks {
		if k.Target != nil && k.Value != nil {
			total++
			if !k.Breached() {
				met++
			}
		}
	}
	return met, total
}

// 1. Executive summary: the executive dashboard's tiles with targets and change vs previous.
func (b *builder) summary(ev *Evidence) Section {
	ids := []string{"uptime", "pipeline_availability", "dx_score", "deployments", "revenue",
		"deploy_velocity_change", "cost_per_deploy", "license_utilization", "seq_score"}
	var s Section
	for _, id := range ids {
		s.KPIs = append(s.KPIs, b.kpi(id, nil))
	}
	ev.KPIs = append(ev.KPIs, s.KPIs...)
	seq := b.table("SEQ components", "seq_score", nil, 1, "component", "score")
	s.Tables = append(s.Tables, seq)
	s.Chart = barChart("SEQ component scores (0–100)", "0–100", seq.Table, "component", "score")
	met, total := targets(s.KPIs)
	seqK := s.KPIs[len(s.KPIs)-1]
	s.Reading = fmt.Sprintf("%d of %d headline metrics with a target meet it; the SEQ score is %s.",
		met, total, FormatValue(seqK.Unit, seqK.Value))
	return s
}

// 2. Platform health: uptime, errors, response times, incidents and each platform's status.
func (b *builder) health(ev *Evidence) Section {
	var s Section
	for _, id := range []string{"uptime", "platform_error_rate", "platform_response_p95", "incidents", "mttr", "mtbf"} {
		s.KPIs = append(s.KPIs, b.kpi(id, nil))
	}
	ev.KPIs = append(ev.KPIs, s.KPIs...)
	st := b.table("Platform status", "platform_status", nil, 0, "platform", "status", "uptime", "response_p95", "error_rate", "incidents")
	s.Tables = append(s.Tables, st)
	s.Chart = b.lineChart("Uptime per "+b.chartInterval()+" (%)", "uptime", b.chartInterval())
	ok := 0
	statuses := column(st.Table, "status")
	for _, v := range statuses {
		if v == "operational" {
			ok++
		}
	}
	up := s.KPIs[0]
	s.Reading = fmt.Sprintf("Uptime was %s (target %s); %d of %d platforms are operational at the end of the period.",
		FormatValue(up.Unit, up.Value), FormatValue(up.Unit, up.Target), ok, len(statuses))
	return s
}

// 3. Pipeline performance trends: builds, DORA metrics and their bands, deployments over time.
func (b *builder) pipeline(ev *Evidence) Section {
	var s Section
	for _, id := range []string{"build_success_rate", "build_duration", "deployment_frequency", "lead_time", "change_failure_rate", "recovery_time"} {
		s.KPIs = append(s.KPIs, b.kpi(id, nil))
	}
	ev.KPIs = append(ev.KPIs, s.KPIs...)
	dora := b.table("DORA summary", "dora_summary", nil, 0)
	s.Tables = append(s.Tables, dora)
	// The previous period's bands, for the band_dropped rule.
	prevFrom := b.spec.From.Add(-b.spec.To.Sub(b.spec.From))
	prev := pickFrames(b.framesIn("dora_summary", nil, prevFrom, b.spec.From), 0)
	prevBand := map[string]string{}
	for i, m := range column(prev, "metric") {
		prevBand[fmt.Sprint(m)] = fmt.Sprint(column(prev, "band")[i])
	}
	var bands []string
	for i, m := range column(dora.Table, "metric") {
		cur := fmt.Sprint(column(dora.Table, "band")[i])
		ev.Bands = append(ev.Bands, BandChange{Metric: fmt.Sprint(m), Previous: prevBand[fmt.Sprint(m)], Current: cur})
		bands = append(bands, fmt.Sprintf("%s %s", label(fmt.Sprint(m)), cur))
	}
	s.Chart = b.lineChart("Deployments per "+b.chartInterval(), "deployments", b.chartInterval())
	s.Reading = "DORA bands: " + strings.Join(bands, ", ") + "."
	if len(bands) == 0 {
		s.Reading = "No production deployments in the period: the DORA metrics have no band."
	}
	return s
}
