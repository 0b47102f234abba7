package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

func init() {
	register(command{
		name:    "catalog",
		summary: "list the metrics (id, unit, family); catalog ID shows one metric's full definition",
		usage:   "[ID] [--json]",
		run:     runCatalog,
	})
}

// runCatalog prints the catalog the datasource serves; it needs no database. Without an id it is
// a narrow list that fits a terminal; with one, the metric's whole definition.
func runCatalog(_ context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("catalog")
	asJSON := fs.Bool("json", false, "print JSON (the /catalog route's answer, or one metric's definition)")
	// The id may come before or after the flags (catalog mttr --json, catalog --json mttr).
	id := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args, id == ""); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("catalog takes at most one metric id, got %d", fs.NArg())
	}
	if fs.NArg() == 1 {
		id = fs.Arg(0)
	}
	if id != "" {
		return printDefinition(out, id, *asJSON)
	}
	defs := metrics.Catalog()
	if *asJSON {
		return writeJSON(out, metrics.Document())
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUNIT\tFAMILY")
	for _, d := range defs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.ID, d.Unit, d.Category)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\n%d metrics. `platformlens catalog ID` shows a definition.\n", len(defs))
	return err
}

func printDefinition(out io.Writer, id string, asJSON bool) error {
	d, ok := metrics.Lookup(id)
	if !ok {
		return usagef("metric %q is not in the catalog%s (run `platformlens catalog` for the list)", id, suggest(id))
	}
	if asJSON {
		return writeJSON(out, d)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("id", d.ID)
	row("title", d.Title)
	row("family", d.Category)
	row("unit", d.Unit+" (Grafana unit "+d.GrafanaUnit+")")
	row("dimensions", orDash(strings.Join(d.Dimensions, ", ")))
	formats := make([]string, len(d.Formats))
	for i, f := range d.Formats {
		formats[i] = string(f)
	}
	row("formats", strings.Join(formats, ", "))
	if len(d.Options) > 0 {
		row("options", strings.Trim(fmt.Sprint(d.Options), "[]"))
	}
	row("target", orDash(d.TargetKey))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\n%s\n\nexample: platformlens query --metric %s --range 30d\n", d.Description, d.ID)
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// suggest names catalog ids that contain id (or that id contains), for a mistyped metric.
func suggest(id string) string {
	var near []string
	for _, d := range metrics.Catalog() {
		if strings.Contains(d.ID, id) || strings.Contains(id, d.ID) {
			near = append(near, d.ID)
		}
	}
	sort.Strings(near)
	if len(near) == 0 || len(near) > 5 {
		return ""
	}
	return "; did you mean " + strings.Join(near, " or ") + "?"
}
