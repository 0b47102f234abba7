package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

func init() {
	register(command{
		name:    "catalog",
		summary: "list the metric catalog (id, unit, dimensions, definition)",
		usage:   "[--json]",
		run:     runCatalog,
	})
}

// runCatalog prints the catalog the datasource serves; it needs no database.
func runCatalog(_ context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("catalog")
	asJSON := fs.Bool("json", false, "print the catalog as JSON (the /catalog route's answer)")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	defs := metrics.Catalog()
	if *asJSON {
		return writeJSON(out, metrics.Document())
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CATEGORY\tID\tUNIT\tDIMENSIONS\tDEFINITION")
	for _, d := range defs {
		dims := strings.Join(d.Dimensions, ",")
		if dims == "" {
			dims = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Category, d.ID, d.Unit, dims, d.Description)
	}
	return tw.Flush()
}
