package demo

import (
	"iter"
	"strconv"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// Row is one generated row: the values of its table's columns in descriptor order
// (ingest.Table.Columns), as COPY takes them.
type Row = []any

func mustTable(name string) *ingest.Table {
	t, ok := ingest.Lookup(name)
	if !ok {
		panic("demo: no ingest descriptor for " + name)
	}
	return t
}

// newRow fills a row of t from name/value pairs; unnamed columns stay NULL.
func newRow(t *ingest.Table, kv ...any) Row {
	row := make(Row, len(t.Columns))
	for i := 0; i < len(kv); i += 2 {
		ci := t.ColumnIndex(kv[i].(string))
		if ci < 0 {
			panic("demo: no column " + kv[i].(string) + " in " + t.Name)
		}
		row[ci] = kv[i+1]
	}
	return row
}

func id(prefix string, n int) string { return prefix + strconv.Itoa(n) }

var pipelines = []struct {
	name  string
	share float64
	dur   float64 // duration factor
}{{"pull-request", 0.45, 0.8}, {"main", 0.42, 1}, {"release", 0.09, 1.4}, {"nightly", 0.04, 2.2}}

func pickPipeline(r rng) (string, float64) {
	x := r.Float64()
	for _, pl := range pipelines {
		if x < pl.share {
			return pl.name, pl.dur
		}
		x -= pl.share
	}
	return "main", 1
}

// builds: per team and hour a Poisson count; stack-specific durations and success rates that
// follow the stack's trend; builds fail when source control or the artifact store is down.
func (p *plan) builds() iter.Seq[Row] {
	tb := mustTable("builds")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "builds")
		n := 0
		p.teamEvents(r, p.teamRate(float64(p.spec.builds)), 1, func(h, fin time.Time, _ int, t team) bool {
			f := p.frac(h)
			s := stackByID(t.stack)
			pipeline, durFactor := pickPipeline(r)
			status := "success"
			pFail := 1 - lerp(s.successStart, s.successEnd, f)
			if p.pipelineDown(fin, "scm", "artifact") {
				pFail = 0.6
			}
			switch {
			case r.chance(0.03):
				status = "cancelled"
			case r.chance(pFail):
				status = "failure"
			}
			dur := r.lognormal(60*lerp(s.buildMin, s.buildEnd, f)*durFactor, 0.45)
			if status != "success" {
				dur *= r.between(0.2, 0.9) // failures and cancellations stop early
			}
			dur = round2(dur)
			queue := round2(r.lognormal(12*(0.5+hourWeight[h.Hour()]), 0.9))
			svc := t.services[r.IntN(len(t.services))]
			n++
			return yield(newRow(tb, "finished_at", fin, "started_at", fin.Add(-time.Duration(dur*float64(time.Second))),
				"pipeline", pipeline, "repo", svc, "service", svc, "team", t.name, "tech_stack", t.stack,
				"status", status, "queue_seconds", queue, "duration_seconds", dur,
				"source", Source, "external_id", id("b-", n)))
		})
	}
}

// deployment is what incidents need to know about a failed production change.
type failedChange struct {
	externalID    string
	finished      time.Time
	service, team string
}

// deployments: production and non-production deployments per team; a share of production
// changes fail in production (rolled back, or marked change_failed), and Harness CD outages make
// deployments fail. onFailedChange (may be nil) sees every failed production change.
//
// Deployments also get a year of history before the data set's year, at historyDeployScale of the
// volume (the organisation grew), so that year-over-year metrics (deploy velocity change, yoy
// comparisons) have a baseline. History changes open no incidents: the incident data starts with
// the year.
func (p *plan) deployments(onFailedChange func(failedChange)) iter.Seq[Row] {
	tb := mustTable("deployments")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "deployments")
		// Rework (DORA rework rate) draws from its own stream, so the other columns stay as they were.
		rw := newRNG(p.seed, "deployments-rework")
		lastFailed := map[string]string{} // service → external_id of its latest failed production change
		rate := p.teamRate(float64(p.spec.deployments))
		n := 0
		for pass, scale := range [2]float64{historyDeployScale, 1} {
			history := pass == 0
			more := p.teamEvents(r, rate, scale, func(h, fin time.Time, ti int, t team) bool {
				f := p.frac(h)
				s := stackByID(t.stack)
				line := lineByName(t.line)
				if history {
					f = 0                         // the history year sits before every trend's start
					fin = fin.AddDate(0, 0, -364) // 52 weeks: weekdays stay weekdays
				}
				n++
				ext := id("d-", n)
				prod := r.chance(0.4)
				env := "openshift-staging"
				if prod {
					env = line.prodEnv
				} else if ti%2 == 1 {
					env = "aws-dev"
				}
				status, changeFailed := "success", false
				cfr := s.cfr * lerp(1.1, 0.85, f) // everyone gets a little better over the year
				switch {
				case p.pipelineDown(fin, "cd", "artifact") && r.chance(0.7):
					status = "failure"
				case r.chance(0.035):
					status = "failure" // failed to deploy: never went live
				case prod && r.chance(cfr*0.3):
					status, changeFailed = "rolled_back", true
				case prod && r.chance(cfr*0.7):
					changeFailed = true // went live, then needed a hotfix or caused an incident
				}
				dur := round2(r.lognormal(60*lerp(7, 5.5, f)*(s.buildMin/10+0.5), 0.5))
				lead := time.Duration(r.lognormal(s.leadH*lerp(1.15, 0.85, f), 0.8) * float64(time.Hour))
				svc := t.services[r.IntN(len(t.services))]
				if prod && changeFailed && onFailedChange != nil && !history {
					onFailedChange(failedChange{externalID: ext, finished: fin, service: svc, team: t.name})
				}
				// Most failed production changes are followed by an unplanned fix of the same service:
				// the next successful production deployment of it is rework and names what it fixes.
				// A few production changes carry a long-forgotten commit (a branch revived after weeks), so
				// the lead-time cap (30 days by default) has something to exclude.
				if prod && rw.chance(0.01) {
					lead = time.Duration(35+rw.IntN(30)) * 24 * time.Hour
				}
				isRework, fixes := false, any(nil)
				if prod && changeFailed {
					lastFailed[svc] = ext
				} else if prod && status == "success" && lastFailed[svc] != "" {
					if rw.chance(0.8) {
						isRework, fixes = true, lastFailed[svc]
					}
					delete(lastFailed, svc)
				}
				return yield(newRow(tb, "finished_at", fin, "started_at", fin.Add(-time.Duration(dur*float64(time.Second))),
					"service", svc, "team", t.name, "product_line", t.line, "tech_stack", t.stack,
					"environment", env, "status", status, "duration_seconds", dur, "is_production", prod,
					"first_commit_at", fin.Add(-lead).Truncate(time.Second), "change_failed", changeFailed,
					"is_rework", isRework, "fixes_deployment", fixes,
					"source", Source, "external_id", ext))
			})
			if !more {
				return
			}
		}
	}
}

// historyDeployScale is the deployment volume of the history year relative to the data year.
const historyDeployScale = 0.8

func lineByName(name string) productLine {
	for _, l := range productLines {
		if l.name == name {
			return l
		}
	}
	panic("demo: unknown product line " + name)
}

// pullRequests: cycle time (first commit → merge) per stack, most merged PRs deployed hours later.
func (p *plan) pullRequests() iter.Seq[Row] {
	tb := mustTable("pull_requests")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "pull_requests")
		n := 0
		p.teamEvents(r, p.teamRate(float64(p.spec.pullRequests)), 1, func(h, merged time.Time, _ int, t team) bool {
			f := p.frac(h)
			s := stackByID(t.stack)
			n++
			cycle := time.Duration(r.lognormal(s.cycleH*lerp(1.1, 0.9, f), 0.7) * float64(time.Hour)).Truncate(time.Second)
			first := merged.Add(-cycle)
			opened := first.Add(time.Duration(r.between(0.1, 0.6) * float64(cycle))).Truncate(time.Second)
			var deployed any
			if d := merged.Add(time.Duration(r.lognormal(5, 0.9) * float64(time.Hour))).Truncate(time.Second); d.Before(p.end) && r.chance(0.92) {
				deployed = d
			}
			svc := t.services[r.IntN(len(t.services))]
			return yield(newRow(tb, "merged_at", merged, "repo", svc, "team", t.name, "tech_stack", t.stack,
				"first_commit_at", first, "opened_at", opened, "deployed_at", deployed,
				"source", Source, "external_id", id("pr-", n)))
		})
	}
}

var ticketTitles = []string{"Rotate TLS certificates for %s", "Scale %s for seasonal peak", "Upgrade runtime of %s",
	"Database maintenance for %s", "Firewall rule change for %s", "Enable feature flag in %s", "Patch CVE in %s"}

// changeTickets: opened on working days; emergency tickets close in hours, normal ones in days;
// tickets still open at the end are pending or in progress.
func (p *plan) changeTickets() iter.Seq[Row] {
	tb := mustTable("change_tickets")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "change_tickets")
		z := 0.0
		for _, h := range p.hours {
			z += activity(h)
		}
		n := 0
		for _, h := range p.hours {
			for range r.poisson(float64(p.spec.changeTickets) * activity(h) / z) {
				opened, ok := p.within(r, h)
				if !ok {
					continue
				}
				n++
				prio, median := "normal", 96.0
				switch x := r.Float64(); {
				case x < 0.05:
					prio, median = "emergency", 4
				case x < 0.40:
					prio, median = "standard", 36
				}
				t := p.teams[r.IntN(len(p.teams))]
				done := opened.Add(time.Duration(r.lognormal(median, 0.6) * float64(time.Hour))).Truncate(time.Second)
				status, completed := "completed", any(done)
				if !done.Before(p.end) {
					completed = nil
					status = "pending"
					if p.end.Sub(opened) > time.Duration(median/4*float64(time.Hour)) {
						status = "in_progress"
					}
				}
				title := sprintf(r.pick(ticketTitles), t.services[r.IntN(len(t.services))])
				if !yield(newRow(tb, "opened_at", opened, "completed_at", completed, "priority", prio, "status", status,
					"team", t.name, "title", title, "source", Source, "external_id", id("ct-", n))) {
					return
				}
			}
		}
	}
}
