package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
	"github.com/platformlens/platformlens-analytics-app/pkg/report"
)

func init() {
	register(command{
		name:    "report",
		summary: "write the executive report (PDF, CSV, XLSX or Markdown); `report schedule` manages scheduled delivery",
		usage:   "[--range 30d | --from T --to T] [--filter dim=v1,v2]... --format pdf|csv|xlsx|md --out FILE  |  schedule add|list|rm …",
		run:     runReport,
	})
}

// reportSubcommands are `platformlens report <name> …` (registered by report_schedule.go).
var reportSubcommands = map[string]func(ctx context.Context, args []string, out io.Writer) error{}

func runReport(ctx context.Context, args []string, out io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, ok := reportSubcommands[args[0]]
		if !ok {
			return usagef("unknown report subcommand %q (use schedule, or flags to write a report)", args[0])
		}
		return sub(ctx, args[1:], out)
	}
	fs := newFlagSet("report")
	db := addDBFlags(fs)
	rng := fs.String("range", "30d", "range ending now: 7d, 30d, 90d … (ignored with --from/--to)")
	fromS := fs.String("from", "", "range start, RFC 3339 or YYYY-MM-DD (UTC)")
	toS := fs.String("to", "", "range end (exclusive), RFC 3339 or YYYY-MM-DD; default now")
	format := fs.String("format", "", "pdf, csv, xlsx or md (default: from the --out extension)")
	outPath := fs.String("out", "", "file to write (- for standard output)")
	filters := filterFlags{}
	fs.Var(filters, "filter", "filter dim=v1,v2 (repeatable), applied to each metric that has the dimension")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if *outPath == "" {
		return usagef("--out is required (a file name, or - for standard output)")
	}
	f := report.Format(strings.ToLower(*format))
	if f == "" {
		f = report.Format(strings.TrimPrefix(strings.ToLower(filepath.Ext(*outPath)), "."))
	}
	known := false
	for _, x := range report.Formats {
		known = known || x == f
	}
	if !known {
		return usagef("--format %q is not pdf, csv, xlsx or md", f)
	}
	for k := range filters {
		if !isDimension(k) {
			return usagef("--filter %q is not a dimension (see `platformlens catalog`)", k)
		}
	}
	from, to, err := queryRange(*rng, *fromS, *toS, time.Now().UTC())
	if err != nil {
		return usageError{err.Error()}
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := report.Build(ctx, metrics.NewEngine(st), report.Spec{From: from, To: to, Filters: filters})
	if err != nil {
		return err
	}
	if *outPath == "-" {
		return report.Render(out, r, f)
	}
	// Write to a temporary file beside the target and rename, so a failed render never leaves a
	// truncated report where the last good one was.
	tmp, err := os.CreateTemp(filepath.Dir(*outPath), ".report-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", *outPath, err)
	}
	defer os.Remove(tmp.Name())
	if err := report.Render(tmp, r, f); err != nil {
		tmp.Close()
		return err
	}
	// CreateTemp makes the file 0600; the report is an ordinary readable file like os.Create's.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *outPath); err != nil {
		return fmt.Errorf("cannot write %s: %w", *outPath, err)
	}
	fmt.Fprintf(out, "wrote %s (%s, %s)\n", *outPath, f, r.Period())
	return nil
}

// isDimension reports whether id is a dimension of the catalog.
func isDimension(id string) bool {
	for _, d := range metrics.Dimensions() {
		if d.ID == id {
			return true
		}
	}
	return false
}
