package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"iter"
	"math"
	"time"
)

// respondent is the pseudonym of developer i of a team: a truncated hash, stable across waves
// (so trends per person are possible) and carrying no name or e-mail address.
func (p *plan) respondent(team string, i int) string {
	sum := sha256.Sum256([]byte(sprintf("platformlens-demo/%d/%s/%d", p.seed, team, i)))
	return "r-" + hex.EncodeToString(sum[:8])
}

var commonPainPoints = []string{"Too many manual approvals", "Poor observability", "Documentation gaps", "Slow CI queue"}

// dxResponses: monthly pulse-survey waves, each open for the first ten days of a month (so any
// 30-day range holds answers);
// scores follow the stack's DX trend, sub-scores the stack's strengths and weaknesses.
func (p *plan) dxResponses() iter.Seq[Row] {
	tb := mustTable("dx_responses")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "dx_responses")
		n := 0
		first := time.Date(p.start.Year(), p.start.Month(), 1, 0, 0, 0, 0, time.UTC)
		for wave := range 13 {
			open := first.AddDate(0, wave, 0)
			for _, t := range p.teams {
				s := stackByID(t.stack)
				teamBias := float64(len(t.name)%7) - 3 // fixed per team: some teams are happier
				for dev := range t.devs {
					if !r.chance(p.spec.dxRate) {
						continue
					}
					at := open.Add(time.Duration(r.Int64N(int64(10 * 24 * time.Hour)))).Truncate(time.Second)
					if at.Before(p.start) || !at.Before(p.end) {
						continue
					}
					dx := lerp(s.dxStart, s.dxEnd, p.frac(at)) + teamBias
					var sub [4]float64
					sum := 0.0
					for k := range sub {
						sub[k] = math.Round(clamp(dx+s.sub[k]+r.NormFloat64()*9, 0, 100))
						sum += sub[k]
					}
					score := math.Round(clamp(sum/4+r.NormFloat64()*3, 0, 100))
					var pains []string
					for k, pp := range s.painPoint {
						if r.chance(0.55 / float64(k+1)) {
							pains = append(pains, pp)
						}
					}
					if r.chance(0.2) {
						pains = append(pains, r.pick(commonPainPoints))
					}
					if pains == nil {
						pains = []string{}
					}
					n++
					if !yield(newRow(tb, "submitted_at", at, "respondent", p.respondent(t.name, dev), "team", t.name,
						"tech_stack", t.stack, "dx_score", score, "build_time", sub[0], "deployment_ease", sub[1],
						"platform_usability", sub[2], "tooling_effectiveness", sub[3], "pain_points", dedupe(pains),
						"source", Source, "external_id", id("dx-", n))) {
						return
					}
				}
			}
		}
	}
}

func dedupe(list []string) []string {
	out := list[:0]
	seen := map[string]bool{}
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func grade(coverage float64, bugs int) string {
	switch {
	case coverage >= 85 && bugs == 0:
		return "A"
	case coverage >= 75 && bugs <= 1:
		return "B"
	case coverage >= 65 && bugs <= 2:
		return "C"
	case coverage >= 55:
		return "D"
	case coverage >= 45:
		return "E"
	}
	return "F"
}

// qualitySnapshots: every Monday 00:00 UTC per repository (one per service); coverage follows
// the stack's trend with a per-repo offset, debt drifts slowly.
func (p *plan) qualitySnapshots() iter.Seq[Row] {
	tb := mustTable("quality_snapshots")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "quality_snapshots")
		type repo struct {
			name, team, stack string
			offset, debt      float64
		}
		var repos []repo
		for _, t := range p.teams {
			for _, svc := range t.services {
				repos = append(repos, repo{svc, t.name, t.stack, r.NormFloat64() * 6, r.lognormal(120, 0.6)})
			}
		}
		monday := p.start.Truncate(24 * time.Hour)
		for monday.Weekday() != time.Monday || monday.Before(p.start) {
			monday = monday.Add(24 * time.Hour)
		}
		n := 0
		for at := monday; at.Before(p.end); at = at.AddDate(0, 0, 7) {
			f := p.frac(at)
			for i := range repos {
				rp := &repos[i]
				s := stackByID(rp.stack)
				cov := round2(clamp(lerp(s.covStart, s.covEnd, f)+rp.offset+r.NormFloat64()*1.2, 0, 100))
				bugs := r.poisson(s.bugs)
				rp.debt = math.Max(0, rp.debt*(1+r.NormFloat64()*0.03)+r.between(-2, 3))
				n++
				if !yield(newRow(tb, "measured_at", at, "repo", rp.name, "team", rp.team, "tech_stack", rp.stack,
					"test_coverage", cov, "code_quality_grade", grade(cov, bugs), "critical_bugs_open", int32(bugs),
					"technical_debt_hours", round2(rp.debt), "source", Source, "external_id", id("q-", n))) {
					return
				}
			}
		}
	}
}

// licenseSnapshots: daily per platform. Seats grow by ~8 % over the year to 1,247 in all, cost
// grows with seats to ~$142K a month × the tier's costScale (tier S ~$3.0K), utilization hovers
// around each platform's level (≈ 87 %).
func (p *plan) licenseSnapshots() iter.Seq[Row] {
	tb := mustTable("license_snapshots")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "license_snapshots")
		n := 0
		last := p.end.Add(-time.Nanosecond).Truncate(24 * time.Hour)
		for day := p.start.Truncate(24 * time.Hour).Add(24 * time.Hour); !day.After(last); day = day.Add(24 * time.Hour) {
			f := p.frac(day)
			months := math.Floor(12 * (1 - f)) // seats are bought in monthly steps
			for _, pl := range platforms {
				total := int(math.Round(float64(pl.seats) * math.Pow(0.9936, months)))
				util := clamp(pl.util+r.NormFloat64()*0.012, 0, 1)
				active := min(total, int(math.Round(float64(total)*util)))
				cost := round2(pl.cost * p.spec.costScale * float64(total) / float64(pl.seats))
				n++
				if !yield(newRow(tb, "measured_at", day, "platform", pl.name, "seats_total", int32(total),
					"seats_active", int32(active), "monthly_cost", cost, "source", Source, "external_id", id("lic-", n))) {
					return
				}
			}
		}
	}
}

// revenue: monthly per product line over two years (so year-over-year growth is defined), with
// the line's monthly growth, a December peak for Commerce and ±2 % noise.
func (p *plan) revenue() iter.Seq[Row] {
	tb := mustTable("revenue")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "revenue")
		first := time.Date(p.start.Year()-1, p.start.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
		n := 0
		for k, m := 0, first; m.Before(p.end); k, m = k+1, m.AddDate(0, 1, 0) {
			for _, l := range productLines {
				amount := l.revenue * math.Pow(1+l.growth, float64(k)) * (1 + r.NormFloat64()*0.02)
				if l.name == "Commerce" && m.Month() == time.December {
					amount *= 1.35
				}
				n++
				if !yield(newRow(tb, "period_start", m, "product_line", l.name, "amount", round2(amount),
					"source", Source, "external_id", id("rev-", n))) {
					return
				}
			}
		}
	}
}
