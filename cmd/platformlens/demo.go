package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func init() {
	register(command{
		name:    "demo",
		summary: "load (or replace) a year of demo data (S ~100k rows, M ~16M, L ~160M); --live keeps it going",
		usage:   "[--tier S|M|L] [--seed N] [--end RFC3339] [--json] [--live [--skip-load] [--heartbeat FILE]] [--dsn DSN] [--schema NAME]",
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
	live := fs.Bool("live", false, "after loading, keep writing builds, deployments, probes and incidents every minute until Ctrl-C / SIGTERM")
	skipLoad := fs.Bool("skip-load", false, "with --live: do not load the year first (it is already there)")
	heartbeat := fs.String("heartbeat", "", "with --live: touch this file after every minute written (for container healthchecks)")
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
	if (*skipLoad || *heartbeat != "") && !*live {
		return usagef("--skip-load and --heartbeat only apply with --live")
	}
	if *live && *endFlag != "" {
		return usagef("--live continues from now; it cannot be combined with --end")
	}
	st, err := db.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if !*skipLoad {
		if err := loadDemo(ctx, st, tier, *seed, end, *asJSON, out); err != nil {
			return err
		}
	}
	if *live {
		return runLive(ctx, st, *seed, *heartbeat, out)
	}
	return nil
}

func loadDemo(ctx context.Context, st *store.Store, tier demo.Tier, seed uint64, end time.Time, asJSON bool, out io.Writer) error {
	if end.IsZero() {
		end = cliNow()
	}
	opts := demo.Options{Tier: tier, Seed: seed, End: end}
	if !asJSON {
		total := demo.EstimateRows(tier)
		fmt.Fprintf(out, "loading a year of tier %s demo data (~%s rows); Ctrl-C stops, a re-run finishes it\n", tier, humanNumber(float64(total), ""))
		opts.Progress = demo.PrintProgressTotal(out, total, cliNow)
	}
	res, err := demo.Load(ctx, st, opts)
	if err != nil {
		if ctx.Err() != nil {
			// Each table is replaced in its own transaction: the finished ones stay, the one in
			// progress rolled back; a re-run replaces everything again.
			return interruptedError{stored: res.Rows}
		}
		return err
	}
	if asJSON {
		return writeJSON(out, res)
	}
	_, err = fmt.Fprintf(out, "tier %s, seed %d: %s rows from %s to %s in %.1f s\n", res.Tier, res.Seed, humanNumber(float64(res.Rows), ""),
		res.Start.Format(time.RFC3339), res.End.Format(time.RFC3339), res.Seconds)
	return err
}
