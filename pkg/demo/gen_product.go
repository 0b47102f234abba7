package demo

import (
	"encoding/json"
	"iter"
	"time"
)

// funnelProps are the properties of a funnel's events (for breakdowns), built once: product
// events are the largest table, and building JSON per row would dominate its generation.
func funnelProps(f funnelSpec) []json.RawMessage {
	var out []json.RawMessage
	switch f.name {
	case "service_creation":
		for _, t := range templates {
			out = append(out, json.RawMessage(sprintf(`{"template": %q}`, t)))
		}
	case "deployment":
		for _, s := range stacks {
			for _, e := range environments {
				out = append(out, json.RawMessage(sprintf(`{"tech_stack": %q, "environment": %q}`, s.id, e.name)))
			}
		}
	default:
		for _, s := range stacks {
			for _, c := range []string{"invite", "self-serve", "sso"} {
				out = append(out, json.RawMessage(sprintf(`{"tech_stack": %q, "channel": %q}`, s.id, c)))
			}
		}
	}
	return out
}

// eventsPerEntry is the expected number of events one subject entering f produces.
func eventsPerEntry(f funnelSpec) float64 {
	total, reach := 1.0, 1.0
	for k := range f.conv {
		reach *= (f.conv[k] + f.convEnd[k]) / 2
		total += reach
	}
	return total
}

// productEvents: subjects enter each funnel following the weekly rhythm and move through its
// steps with the funnel's conversion (improving over the year) and delays; a few onboarding
// subjects take longer than the conversion window for their last step. The rest of the event
// budget is ordinary usage events of a pool of users.
func (p *plan) productEvents() iter.Seq[Row] {
	tb := mustTable("product_events")
	return func(yield func(Row) bool) {
		r := newRNG(p.seed, "product_events")
		z := 0.0
		for _, h := range p.hours {
			z += activity(h)
		}
		props := make([][]json.RawMessage, len(funnels))
		entries := make([]float64, len(funnels))
		otherShare := 1.0
		for i, f := range funnels {
			props[i] = funnelProps(f)
			entries[i] = f.share * float64(p.spec.productEvents) / eventsPerEntry(f)
			otherShare -= f.share
		}
		users := max(200, p.spec.productEvents/1000)
		otherProps := funnelProps(funnelSpec{})
		n, subjects := 0, 0
		emit := func(at time.Time, subject, event string, prop json.RawMessage) bool {
			n++
			return yield(newRow(tb, "occurred_at", at, "subject_id", subject, "event", event,
				"properties", prop, "source", Source, "external_id", id("pe-", n)))
		}
		for _, h := range p.hours {
			share := activity(h) / z
			fr := p.frac(h)
			for fi, f := range funnels {
				for range r.poisson(entries[fi] * share) {
					at, ok := p.within(r, h)
					if !ok {
						continue
					}
					subjects++
					subject := id(f.name[:1]+"-", subjects)
					prop := props[fi][r.IntN(len(props[fi]))]
					if !emit(at, subject, f.steps[0], prop) {
						return
					}
					for k := range f.conv {
						if !r.chance(lerp(f.conv[k], f.convEnd[k], fr)) {
							break
						}
						delay := r.between(f.delay[k][0], f.delay[k][1])
						if f.name == "onboarding" && k == 2 && r.chance(0.04) {
							delay = r.between(8*24*60, 11*24*60) // converts, but outside the window
						}
						at = at.Add(time.Duration(delay * float64(time.Minute))).Truncate(time.Millisecond)
						if !at.Before(p.end) {
							break
						}
						if !emit(at, subject, f.steps[k+1], prop) {
							return
						}
					}
				}
			}
			for range r.poisson(otherShare * float64(p.spec.productEvents) * share) {
				at, ok := p.within(r, h)
				if !ok {
					continue
				}
				if !emit(at, id("u-", r.IntN(users)), r.pick(otherEvents), otherProps[r.IntN(len(otherProps))]) {
					return
				}
			}
		}
	}
}
