package metrics

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// DocTarget is a default target as the docs print it (read from a freshly migrated store, so the
// migration stays the one place that holds the defaults).
type DocTarget struct {
	Key            string
	Value          float64
	Unit           string
	HigherIsBetter bool
	Description    string
}

// WriteCatalogMarkdown renders the catalog (and the default targets) as the Markdown page
// docs/metrics.md. The page is generated, never edited by hand: a test compares it with this output.
func WriteCatalogMarkdown(w io.Writer, targets []DocTarget) error {
	var b strings.Builder
	b.WriteString("# Metric catalog\n\n")
	b.WriteString("<!-- Generated from pkg/metrics by `go test ./pkg/metrics -run TestCatalogDoc -update`. Do not edit. -->\n\n")
	b.WriteString("Every metric the PlatformLens datasource answers. A query names one metric and may add filters on\n")
	b.WriteString("the listed dimensions (multi-value, bound parameters), one group-by dimension, an interval\n")
	b.WriteString("(`auto`, `hour`, `day`, `week`, `month`), a format and, where listed, a comparison (`previous`,\n")
	b.WriteString("`wow`, `mom`, `yoy`). Ranges are Grafana's time range; \"in range\" means the event's time column is in it.\n\n")

	byCat := map[string][]Definition{}
	for _, d := range Catalog() {
		byCat[d.Category] = append(byCat[d.Category], d)
	}
	printed := map[string]bool{}
	section := func(id, title string) {
		defs := byCat[id]
		if len(defs) == 0 {
			return
		}
		printed[id] = true
		fmt.Fprintf(&b, "## %s\n\n| id | title | unit | formats | dimensions | options | target | definition |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n", title)
		for _, d := range defs {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | %s | %s |\n",
				d.ID, cell(d.Title), cell(d.Unit), joinFormats(d.Formats), orDash(strings.Join(d.Dimensions, ", ")),
				orDash(joinOptions(d.Options)), orDash(d.TargetKey), cell(d.Description))
		}
		b.WriteString("\n")
	}
	for _, c := range categories {
		section(c.ID, c.Title)
	}
	var rest []string
	for id := range byCat {
		if !printed[id] {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	for _, id := range rest {
		section(id, id)
	}

	b.WriteString("## Dimensions\n\n| id | label |\n| --- | --- |\n")
	for _, d := range Dimensions() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", d.ID, cell(d.Label))
	}
	if len(targets) > 0 {
		b.WriteString("\n## Default targets\n\nStored in the `targets` table (Admins edit them on the app's Configuration page); they colour\n")
		b.WriteString("panels through field thresholds and feed the SEQ scores.\n\n| key | default | unit | better | meaning |\n| --- | --- | --- | --- | --- |\n")
		for _, t := range targets {
			dir := "lower"
			if t.HigherIsBetter {
				dir = "higher"
			}
			fmt.Fprintf(&b, "| `%s` | %g | %s | %s | %s |\n", t.Key, t.Value, orDash(t.Unit), dir, cell(t.Description))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func joinFormats(fs []Format) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func joinOptions(os []Option) string {
	s := make([]string, len(os))
	for i, o := range os {
		s[i] = string(o)
	}
	return strings.Join(s, ", ")
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.Join(strings.Fields(s), " ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
