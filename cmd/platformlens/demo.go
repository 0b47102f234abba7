package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
)

func init() {
	register(command{
		name:    "demo",
		summary: "load (or replace) a deterministic year of demo data: tier S ~100k rows, M ~16M, L ~160M",
		usage:   "[--tier S|M|L] [--seed N] [--end RFC3339] [--json] [--dsn DSN] [--schema NAME]",
		run:     runDemo,
	})
}

func runDemo(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("demo")
	db := addDBFlags(fs)
	tierFlag := fs.String("tier", "S", "data scale: S (laptop, ~100k rows), M (1,000 developers, ~16M rows), L (10× M)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed, tier and end give the same data")
	endFlag := fs.String("end", "", "end of the year of data, RFC 3339 (default: now, truncated to the minute)")
	asJSON := fs.Bool("json", false, "print the result as JSON instead of progress lines")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	tier, err := demo.ParseTier(*tierFlag)
	if err != nil {
		return usagef("%v", err)
	}
	var end time.Time
	if *endFlag != "" {
		if end, err = time.Parse(time.RFC3339, *endFlag); err != nil {
			return usagef("--end %q is not an RFC 3339 time such as 2025-06-01T00:00:00Z", *endFlag)
		}
	}
	st, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := demo.Options{Tier: tier, Seed: *seed, End: end}
	if !*asJSON {
		opts.Progress = demo.PrintProgress(out)
	}
	res, err := demo.Load(ctx, st, opts)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(out, res)
	}
	_, err = fmt.Fprintf(out, "tier %s, seed %d: %d rows from %s to %s in %.1f s\n", res.Tier, res.Seed, res.Rows,
		res.Start.Format(time.RFC3339), res.End.Format(time.RFC3339), res.Seconds)
	return err
}
