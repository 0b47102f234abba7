package demo

import (
	"fmt"
	"strings"
	"time"
)

// Tier is a data scale (shared/spec/quality-bar.md).
type Tier string

// The tiers: S ~100k rows in all (laptop demo), M one year of a 1,000-developer organisation
// (~2M builds, 300k deployments, 8M probes, 5M product events), L ten times M.
const (
	TierS Tier = "S"
	TierM Tier = "M"
	TierL Tier = "L"
)

// ParseTier accepts s, m, l in either case.
func ParseTier(s string) (Tier, error) {
	switch Tier(strings.ToUpper(strings.TrimSpace(s))) {
	case TierS:
		return TierS, nil
	case TierM:
		return TierM, nil
	case TierL:
		return TierL, nil
	}
	return "", fmt.Errorf("unknown tier %q: use S (~100k rows), M (~16M rows) or L (~160M rows)", s)
}

// tierSpec holds a tier's yearly volumes.
type tierSpec struct {
	builds, deployments, pullRequests, productEvents, changeTickets int
	probeEvery                                                      time.Duration
	dxRate                                                          float64 // share of developers answering a survey wave
	incidentPerFailedChange                                         float64 // chance that a failed production change opens an incident
	backgroundIncidents                                             int     // incidents not caused by a deployment or an outage
	// costScale scales the platforms' license costs (and budgets). The organisation is the same
	// 1,000 developers at every tier, but tier S records about 1/75 of tier M's deliveries: at
	// full license prices its cost per deployment would be ~$950 against the $30 target (tier M
	// sits near $13). Scaled, tier S's healthy demo sits under the target (~$20–28) like every
	// other metric with a target; seats, and so utilization and unused seats, are not scaled.
	costScale float64
}

var tierSpecs = map[Tier]tierSpec{
	TierS: {15_000, 4_000, 3_000, 12_000, 300, time.Hour, 0.1, 0.35, 60, 0.021},
	TierM: {2_000_000, 300_000, 100_000, 5_000_000, 3_000, 30 * time.Second, 0.25, 0.04, 150, 1},
	TierL: {20_000_000, 3_000_000, 1_000_000, 50_000_000, 30_000, 3 * time.Second, 0.25, 0.04, 1_500, 1},
}

// outage is a period in which a platform is down or degraded.
type outage struct {
	platform int
	from, to time.Time
	down     bool
}

// plan is everything generators share: the time frame, the organisation and the outages.
type plan struct {
	tier       Tier
	spec       tierSpec
	seed       uint64
	start, end time.Time
	teams      []team
	outages    []outage
	hours      []time.Time // start of every hour in [start, end)
}

func newPlan(tier Tier, seed uint64, end time.Time) (*plan, error) {
	spec, ok := tierSpecs[tier]
	if !ok {
		return nil, fmt.Errorf("unknown tier %q", tier)
	}
	end = end.UTC().Truncate(time.Minute)
	p := &plan{tier: tier, spec: spec, seed: seed, start: end.AddDate(-1, 0, 0), end: end, teams: buildTeams()}
	for h := p.start; h.Before(end); h = h.Add(time.Hour) {
		p.hours = append(p.hours, h)
	}
	p.outages = p.makeOutages()
	return p, nil
}

// frac is the position of t in the year, 0 at the start and 1 at the end: the x of every trend.
func (p *plan) frac(t time.Time) float64 {
	return clamp(float64(t.Sub(p.start))/float64(p.end.Sub(p.start)), 0, 1)
}

// makeOutages places 7 outages (down 20–150 min) and 12 degraded periods (30–120 min) on working
// hours of weekdays, plus a degraded Nexus Firewall during the last 90 minutes, so that the
// Operations dashboard shows a live problem.
func (p *plan) makeOutages() []outage {
	r := newRNG(p.seed, "outages")
	var out []outage
	place := func(down bool, minDur, maxDur float64) {
		for {
			at := p.start.Add(time.Duration(r.Int64N(int64(p.end.Sub(p.start) - 24*time.Hour))))
			at = at.Truncate(time.Minute)
			if dayFactor(at) < 1 || hourWeight[at.Hour()] < 0.8 {
				continue // outages are noticed and recorded when people work
			}
			dur := time.Duration(r.between(minDur, maxDur)) * time.Minute
			out = append(out, outage{platform: r.IntN(len(platforms)), from: at, to: at.Add(dur), down: down})
			return
		}
	}
	for range 7 {
		place(true, 20, 150)
	}
	for range 12 {
		place(false, 30, 120) // short enough that their p2 incidents keep MTTR near its target
	}
	out = append(out, outage{platform: platformIndex("Nexus Firewall"), from: p.end.Add(-90 * time.Minute), to: p.end.Add(time.Hour)})
	return out
}

func platformIndex(name string) int {
	for i, pl := range platforms {
		if pl.name == name {
			return i
		}
	}
	panic("demo: unknown platform " + name)
}

// platformState returns whether platform i is down or degraded at t.
func (p *plan) platformState(i int, t time.Time) (down, degraded bool) {
	for _, o := range p.outages {
		if o.platform == i && !t.Before(o.from) && t.Before(o.to) {
			if o.down {
				return true, false
			}
			degraded = true
		}
	}
	return false, degraded
}

// pipelineDown reports whether a platform that builds or deployments need (of the given
// categories) is down at t.
func (p *plan) pipelineDown(t time.Time, categories ...string) bool {
	for _, o := range p.outages {
		if o.down && !t.Before(o.from) && t.Before(o.to) {
			for _, c := range categories {
				if platforms[o.platform].category == c {
					return true
				}
			}
		}
	}
	return false
}

// teamRate returns a function giving the expected number of events of a team in an hour, so that
// the whole organisation produces total events in the year: proportional to the team's
// developers, the hour's activity and its stack's usage trend.
func (p *plan) teamRate(total float64) func(ti int, hour time.Time) float64 {
	z := 0.0
	for _, h := range p.hours {
		a, f := activity(h), p.frac(h)
		for _, t := range p.teams {
			s := stackByID(t.stack)
			z += float64(t.devs) * a * lerp(s.volStart, s.volEnd, f)
		}
	}
	return func(ti int, hour time.Time) float64 {
		t := p.teams[ti]
		s := stackByID(t.stack)
		return total * float64(t.devs) * activity(hour) * lerp(s.volStart, s.volEnd, p.frac(hour)) / z
	}
}

// teamEvents walks the events of every team: per hour and team a Poisson number at scale × rate,
// each at a uniformly random instant of its hour (within the data set). visit gets the hour, the
// instant and the team; when it returns false the walk stops and teamEvents returns false. The
// builds, deployments and pull request generators share it.
func (p *plan) teamEvents(r rng, rate func(ti int, hour time.Time) float64, scale float64,
	visit func(hour, at time.Time, ti int, t team) bool) bool {
	for _, h := range p.hours {
		for ti, t := range p.teams {
			for range r.poisson(scale * rate(ti, h)) {
				at, ok := p.within(r, h)
				if !ok {
					continue
				}
				if !visit(h, at, ti, t) {
					return false
				}
			}
		}
	}
	return true
}

// within returns a uniformly random instant of the hour starting at h, or false if it falls at or
// after the end of the data set.
func (p *plan) within(r rng, h time.Time) (time.Time, bool) {
	t := h.Add(time.Duration(r.Int64N(int64(time.Hour))) / time.Millisecond * time.Millisecond)
	return t, t.Before(p.end)
}
