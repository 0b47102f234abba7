package demo

import (
	"fmt"
	"iter"
	"sort"
	"time"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// probes: every platform probed every tier.probeEvery (every minute over the last day); response times follow the platform's
// baseline and the working day; outages answer with errors and timeouts, degraded periods slowly.
func (p *plan) probes() iter.Seq[Row] {
	tb := mustTable("platform_probes")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "platform_probes")
		n := 0
		for at := p.start; at.Before(p.end); at = at.Add(p.probeStep(at)) {
			load := 0.7 + 0.3*activity(at.Truncate(time.Hour))
			for pi, pl := range platforms {
				n++
				down, degraded := p.platformState(pi, at)
				status, errored := "operational", r.chance(0.001)
				ms := r.lognormal(pl.responseMS*load, 0.25)
				switch {
				case down:
					status, errored, ms = "down", true, 10_000 // probe timeout
				case degraded:
					status, errored, ms = "degraded", r.chance(0.08), ms*r.between(2.5, 5)
				}
				if !yield(newRow(tb, "probed_at", at, "platform", pl.name, "status", status,
					"response_ms", round2(ms), "error", errored, "source", Source, "external_id", id("p-", n))) {
					return
				}
			}
		}
	}
}

// liveProbeWindow is the most recent stretch probed every minute whatever the tier, as a real
// prober does: the Operations wall screen and the "Platform down" / "Pipeline availability"
// alert rules (5-minute and 1-hour windows) need a live cadence; older probes keep the tier's.
const liveProbeWindow = 24 * time.Hour

// probeStep is the time to the next probe after at.
func (p *plan) probeStep(at time.Time) time.Duration {
	if p.end.Sub(at) <= liveProbeWindow && p.spec.probeEvery > time.Minute {
		return time.Minute
	}
	return p.spec.probeEvery
}

// incidents: one per outage (p1 when down, p2 when degraded) on the platform's service, one for
// a share of failed production changes (caused_by_deployment = that deployment), and background
// incidents of services. Incidents not yet resolved at the end have resolved_at NULL.
func (p *plan) incidents() iter.Seq[Row] {
	tb := mustTable("incidents")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "incidents")
		type inc struct {
			opened   time.Time
			sev, svc string
			platform any
			team     string
			cause    any
			title    string
			resolved *time.Time // outages: resolved a few minutes after the platform recovered
		}
		var all []inc
		for _, o := range p.outages {
			pl := platforms[o.platform]
			sev, what := "p2", "degraded"
			if o.down {
				sev, what = "p1", "outage"
			}
			opened := o.from.Add(time.Duration(r.between(2, 10) * float64(time.Minute))).Truncate(time.Second)
			res := o.to.Add(time.Duration(r.between(3, 20) * float64(time.Minute))).Truncate(time.Second)
			if opened.Before(p.end) {
				all = append(all, inc{opened, sev, pl.service, pl.name, "platform-engineering", nil, pl.name + " " + what, &res})
			}
		}
		// Failed changes come from the deployment generator, replayed here without its rows so
		// that the two tables agree while staying independent streams.
		for range p.deployments(func(fc failedChange) {
			if !r.chance(p.spec.incidentPerFailedChange) {
				return
			}
			opened := fc.finished.Add(time.Duration(r.between(5, 90) * float64(time.Minute))).Truncate(time.Second)
			if !opened.Before(p.end) {
				return
			}
			sev := "p3" // mostly: p1 and p2 are rare enough that MTBF (p1 + p2) stays above a week
			switch x := r.Float64(); {
			case x < 0.05:
				sev = "p1"
			case x < 0.2:
				sev = "p2"
			}
			all = append(all, inc{opened, sev, fc.service, nil, fc.team, fc.externalID, "Error rate spike in " + fc.service + " after deployment", nil})
		}) {
		}
		for range p.spec.backgroundIncidents {
			t := p.teams[r.IntN(len(p.teams))]
			svc := t.services[r.IntN(len(t.services))]
			opened := p.start.Add(time.Duration(r.Int64N(int64(p.end.Sub(p.start))))).Truncate(time.Second)
			all = append(all, inc{opened, "p3", svc, nil, t.name, nil, r.pick(backgroundTitles) + " in " + svc, nil})
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].opened.Before(all[j].opened) })
		for i, in := range all {
			// Restored in well under an hour typically (p1s get everyone at once), so MTTR sits
			// just under its 60-minute target; outages resolve when the platform recovers.
			median := map[string]float64{"p1": 30, "p2": 45, "p3": 35}[in.sev]
			res := in.opened.Add(time.Duration(r.lognormal(median, 0.6) * float64(time.Minute))).Truncate(time.Second)
			if in.resolved != nil {
				res = *in.resolved
			}
			var resolved any
			if res.Before(p.end) {
				resolved = res
			}
			if !yield(newRow(tb, "opened_at", in.opened, "resolved_at", resolved, "severity", in.sev,
				"service", in.svc, "platform", in.platform, "team", in.team, "caused_by_deployment", in.cause,
				"title", in.title, "source", Source, "external_id", id("inc-", i+1))) {
				return
			}
		}
	}
}

var backgroundTitles = []string{"Elevated latency", "Memory leak", "Certificate expiry warning", "Disk pressure", "Queue backlog"}
