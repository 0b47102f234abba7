package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func init() {
	register(command{
		name:    "status",
		summary: "show store mode, schema version, per-table rows and freshness, recent ingest errors",
		usage:   "[--dsn DSN] [--schema NAME] [--json]",
		run:     runStatus,
	})
}

func runStatus(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlagSet("status")
	db := addDBFlags(fs)
	asJSON := fs.Bool("json", false, "print the status as JSON (the shape of the /status resource)")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Status(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(out, s)
	}
	return printStatus(out, s)
}

func printStatus(out io.Writer, s store.Status) error {
	ts := "not installed"
	if s.TimescaleVersion != "" {
		ts = s.TimescaleVersion + " (license " + s.TimescaleLicense + ")"
	}
	fmt.Fprintf(out, "mode:        %s\n", s.Mode)
	fmt.Fprintf(out, "postgresql:  %s\n", s.PostgresVersion)
	fmt.Fprintf(out, "timescaledb: %s\n", ts)
	fmt.Fprintf(out, "schema:      %s, version %d of %d", s.Schema, s.SchemaVersion, s.LatestSchemaVersion)
	if s.Migrated {
		fmt.Fprintf(out, " (up to date)\n")
	} else {
		fmt.Fprintf(out, " (migration needed)\n")
	}
	for _, n := range s.Notices {
		fmt.Fprintf(out, "notice:      %s\n", n)
	}
	if len(s.Tables) > 0 {
		fmt.Fprintln(out)
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TABLE\tROWS\tNEWEST\tFRESHNESS\tSTALE AFTER")
		for _, t := range s.Tables {
			rows := fmt.Sprint(t.Rows)
			if t.RowsEstimated {
				rows = "~" + rows
			}
			newest := "-"
			if t.Newest != nil {
				newest = t.Newest.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Table, rows, newest, t.Freshness, t.StaleAfter)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(s.IngestErrors) > 0 {
		fmt.Fprintf(out, "\nlast %d ingest errors:\n", len(s.IngestErrors))
		for _, e := range s.IngestErrors {
			row, field := "-", "-"
			if e.RowIndex != nil {
				row = fmt.Sprint(*e.RowIndex + 1) // stored 0-based (the API's index); people count from 1
			}
			if e.Field != nil {
				field = *e.Field
			}
			fmt.Fprintf(out, "  %s  %s record %s field %s: %s\n", e.At.UTC().Format(time.RFC3339), e.Table, row, field, e.Reason)
		}
	}
	return nil
}
