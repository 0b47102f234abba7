package metrics

import (
	"fmt"
	"sort"
	"strings"
)

// DORA performance bands. The band table is data: every set below is printed into the catalog
// (dora_summary's description and the `bands` option), so the docs and the computation cannot
// disagree. A query picks a set with the option `bands`; a datasource may set its own default
// (jsonData.doraBands); otherwise the catalog default applies. The answer says which set it used.

// doraBand is one cut-off: a value on the good side of Limit earns Band.
type doraBand struct {
	Band  string
	Limit float64
	// Inclusive: ≤ rather than <.
	Inclusive bool
}

// bandSet is one published benchmark table, read monotonically (each band ends where the next
// begins) as Apache DevLake applies it, since the reports' own ranges leave gaps and overlaps.
type bandSet struct {
	ID     string
	Title  string
	Source string
	// Deployment frequency is banded on deployment days (median per week for elite and high, per
	// month for medium), not on a deployment count, as DevLake does.
	DFEliteDaysPerWeek, DFHighDaysPerWeek, DFMediumDaysPerMonth float64
	// LowerIsBetter holds the cut-offs of lead_time (h), change_failure_rate (%) and
	// recovery_time (h).
	LowerIsBetter map[string][]doraBand
}

// doraBandSets are the selectable sets. Sources: the 2021 and 2023 Accelerate State of DevOps
// reports (Google DORA), in the monotonic reading documented by Apache DevLake
// (devlake.apache.org/docs/Metrics/DeploymentFrequency, LeadTimeForChanges, CFR, MTTR). The
// 2023 deployment-frequency elite cut-off (5 deployment days per week) is the product spec's.
var doraBandSets = map[string]bandSet{
	"2023": {ID: "2023", Title: "State of DevOps 2023",
		Source:             "2023 Accelerate State of DevOps report (Google DORA), monotonic cut-offs as in Apache DevLake's DORA docs",
		DFEliteDaysPerWeek: 5, DFHighDaysPerWeek: 1, DFMediumDaysPerMonth: 1,
		LowerIsBetter: map[string][]doraBand{
			"lead_time":           {{"elite", 24, false}, {"high", 24 * 7, false}, {"medium", 24 * 30, false}},
			"change_failure_rate": {{"elite", 5, true}, {"high", 10, true}, {"medium", 15, true}},
			"recovery_time":       {{"elite", 1, false}, {"high", 24, false}, {"medium", 24 * 7, false}},
		}},
	"2021": {ID: "2021", Title: "State of DevOps 2021",
		Source:             "2021 Accelerate State of DevOps report (Google DORA), monotonic cut-offs as in Apache DevLake's DORA docs",
		DFEliteDaysPerWeek: 3, DFHighDaysPerWeek: 1, DFMediumDaysPerMonth: 1,
		LowerIsBetter: map[string][]doraBand{
			"lead_time":           {{"elite", 1, false}, {"high", 24 * 7, false}, {"medium", 24 * 180, false}},
			"change_failure_rate": {{"elite", 15, true}, {"high", 20, true}, {"medium", 30, true}},
			"recovery_time":       {{"elite", 1, false}, {"high", 24, false}, {"medium", 24 * 7, false}},
		}},
}

// defaultBandSet is the catalog default of the `bands` option.
const defaultBandSet = "2023"

// doraLowerKeys are the keys banded lower-is-better, in display order.
var doraLowerKeys = []string{"lead_time", "change_failure_rate", "recovery_time"}

// bandSetIDs returns the set ids, newest first.
func bandSetIDs() []string {
	ids := make([]string, 0, len(doraBandSets))
	for id := range doraBandSets {
		ids = append(ids, id)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(ids)))
	return ids
}

// band returns the band of a lower-is-better key's value ("" for a key without bands).
func (s bandSet) band(metric string, v float64) string {
	cuts, ok := s.LowerIsBetter[metric]
	if !ok {
		return ""
	}
	for _, b := range cuts {
		if v < b.Limit || b.Inclusive && v == b.Limit {
			return b.Band
		}
	}
	return "low"
}

// dfBand bands deployment frequency from the median deployment days per week and per month.
func (s bandSet) dfBand(perWeek, perMonth float64) string {
	switch {
	case perWeek >= s.DFEliteDaysPerWeek:
		return "elite"
	case perWeek >= s.DFHighDaysPerWeek:
		return "high"
	case perMonth >= s.DFMediumDaysPerMonth:
		return "medium"
	}
	return "low"
}

// text prints the set's cut-offs for the catalog.
func (s bandSet) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "deployment_frequency (median days per week with a successful production deployment): ≥ %g elite, ≥ %g high, "+
		"median days per month ≥ %g medium, else low", s.DFEliteDaysPerWeek, s.DFHighDaysPerWeek, s.DFMediumDaysPerMonth)
	for _, m := range doraLowerKeys {
		fmt.Fprintf(&b, "; %s:", m)
		for _, x := range s.LowerIsBetter[m] {
			op := "<"
			if x.Inclusive {
				op = "≤"
			}
			fmt.Fprintf(&b, " %s %g %s,", op, x.Limit, x.Band)
		}
		b.WriteString(" else low")
	}
	return b.String()
}

// doraBandText prints every set for the catalog, default first.
func doraBandText() string {
	var parts []string
	for _, id := range bandSetIDs() {
		s := doraBandSets[id]
		parts = append(parts, fmt.Sprintf("bands %q (%s; source: %s): %s", id, s.Title, s.Source, s.text()))
	}
	return strings.Join(parts, ". ")
}

// ValidBandSet reports whether id names a band set (the datasource checks its jsonData default).
func ValidBandSet(id string) bool {
	_, ok := doraBandSets[id]
	return ok
}

// bandSetOf returns the set the query selected (the catalog default when none).
func bandSetOf(q Query) bandSet {
	if s, ok := doraBandSets[q.Bands]; ok {
		return s
	}
	return doraBandSets[defaultBandSet]
}
