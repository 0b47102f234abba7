package demo

import (
	"fmt"
	"time"
)

// liveTeams are the organisation's teams with cumulative developer counts, so a live event picks
// a team in proportion to its size.
var liveTeams, liveTeamCum = func() ([]team, []int) {
	ts := buildTeams()
	cum := make([]int, len(ts))
	total := 0
	for i, t := range ts {
		total += t.devs
		cum[i] = total
	}
	return ts, cum
}()

func pickTeam(r rng) team {
	x := r.IntN(liveTeamCum[len(liveTeamCum)-1])
	for i, c := range liveTeamCum {
		if x < c {
			return liveTeams[i]
		}
	}
	return liveTeams[len(liveTeams)-1]
}

// minute emits the live events of the minute starting at m. The rows depend on the seed and m
// only (one random stream per minute), so a minute written twice yields the same keys.
func (l *Live) minute(m time.Time, emit func(table string, row Row)) {
	r := newRNG(l.opts.Seed, fmt.Sprintf("live-%d", m.Unix()))
	key := func(prefix string, i int) string { return fmt.Sprintf("live-%s%d-%d", prefix, m.Unix()/60, i) }
	within := func() time.Time {
		return m.Add(time.Duration(r.Int64N(int64(time.Minute))) / time.Millisecond * time.Millisecond)
	}
	degraded := l.degraded(m)

	pt := mustTable("platform_probes")
	for pi, pl := range platforms {
		status, errored, ms := "operational", r.chance(0.001), r.lognormal(pl.responseMS, 0.25)
		if degraded && pi == liveDownPlatform {
			status, errored, ms = "down", true, 10_000
		}
		emit("platform_probes", newRow(pt, "probed_at", m, "platform", pl.name, "status", status,
			"response_ms", round2(ms), "error", errored, "source", Source, "external_id", key("p", pi)))
	}

	bt := mustTable("builds")
	for i := range r.poisson(l.opts.BuildsPerHour / 60) {
		t := pickTeam(r)
		s := stackByID(t.stack)
		pFail := 1 - liveSuccess[t.stack]
		if degraded {
			pFail = 0.6 // source control is down: checkouts fail
		}
		status := "success"
		switch {
		case r.chance(0.02):
			status = "cancelled"
		case r.chance(pFail):
			status = "failure"
		}
		dur := r.lognormal(60*s.buildEnd, 0.45)
		if status != "success" {
			dur *= r.between(0.2, 0.9)
		}
		dur = round2(dur)
		fin := within()
		svc := t.services[r.IntN(len(t.services))]
		pipeline, _ := pickPipeline(r)
		emit("builds", newRow(bt, "finished_at", fin, "started_at", fin.Add(-time.Duration(dur*float64(time.Second))),
			"pipeline", pipeline, "repo", svc, "service", svc, "team", t.name, "tech_stack", t.stack,
			"status", status, "queue_seconds", round2(r.lognormal(10, 0.8)), "duration_seconds", dur,
			"source", Source, "external_id", key("b", i)))
	}

	dt := mustTable("deployments")
	for i := range r.poisson(l.opts.DeploymentsPerHour / 60) {
		t := pickTeam(r)
		s := stackByID(t.stack)
		prod := r.chance(0.4)
		env := "openshift-staging"
		if prod {
			env = lineByName(t.line).prodEnv
		}
		status, changeFailed := "success", false
		switch {
		case r.chance(0.03):
			status = "failure"
		case prod && r.chance(s.cfr*0.25):
			status, changeFailed = "rolled_back", true
		case prod && r.chance(s.cfr*0.5):
			changeFailed = true
		}
		dur := round2(r.lognormal(60*5.5*(s.buildEnd/10+0.5), 0.5))
		lead := time.Duration(r.lognormal(s.leadH*0.85, 0.8) * float64(time.Hour))
		fin := within()
		emit("deployments", newRow(dt, "finished_at", fin, "started_at", fin.Add(-time.Duration(dur*float64(time.Second))),
			"service", t.services[r.IntN(len(t.services))], "team", t.name, "product_line", t.line, "tech_stack", t.stack,
			"environment", env, "status", status, "duration_seconds", dur, "is_production", prod,
			"first_commit_at", fin.Add(-lead).Truncate(time.Second), "change_failed", changeFailed,
			"source", Source, "external_id", key("d", i)))
	}

	it := mustTable("incidents")
	// The scripted outage's incident opens two minutes in and resolves five minutes after the
	// platform recovered: its resolution is known when it opens, so it is written once.
	if start := l.degradationStart(m); m.Equal(start.Add(2 * time.Minute)) {
		pl := platforms[liveDownPlatform]
		emit("incidents", newRow(it, "opened_at", m, "resolved_at", start.Add(l.opts.DegradationFor+5*time.Minute),
			"severity", "p1", "service", pl.service, "platform", pl.name, "team", "platform-engineering",
			"title", pl.name+" outage", "source", Source, "external_id", key("inc", 0)))
	}
	// The odd small incident, restored in about half an hour (MTTR stays near its target).
	if r.chance(1.0 / 90) {
		t := pickTeam(r)
		svc := t.services[r.IntN(len(t.services))]
		opened := within().Truncate(time.Second)
		emit("incidents", newRow(it, "opened_at", opened,
			"resolved_at", opened.Add(time.Duration(r.lognormal(30, 0.4)*float64(time.Minute))).Truncate(time.Second),
			"severity", "p3", "service", svc, "team", t.name, "title", r.pick(backgroundTitles)+" in "+svc,
			"source", Source, "external_id", key("inc", 1)))
	}
}
