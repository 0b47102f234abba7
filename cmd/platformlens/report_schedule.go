package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/delivery"
	"github.com/platformlens/platformlens-analytics-app/pkg/report"
)

func init() {
	reportSubcommands["schedule"] = runReportSchedule
}

// listFlag collects a repeatable or comma-separated string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

// runReportSchedule is `platformlens report schedule add|list|rm|runs`.
func runReportSchedule(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usagef("say add, list, rm or runs after `report schedule`")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("report")
	db := addDBFlags(fs)
	var sc delivery.Schedule
	var emails, hooks listFlag
	filters := filterFlags{}
	var format string
	asJSON := fs.Bool("json", false, "print JSON (list, runs)")
	switch sub {
	case "add":
		fs.StringVar(&sc.Name, "name", "", "schedule name")
		fs.StringVar(&sc.When, "when", "weekly, Monday 08:00, UTC", `when to send: "weekly, Monday 08:00, Europe/Berlin", "daily, 07:30, UTC", "monthly, 1, 08:00, Europe/Berlin"`)
		fs.IntVar(&sc.RangeDays, "range-days", 30, "days the report covers, ending at the start of the sending day")
		fs.StringVar(&format, "format", "pdf", "pdf, csv, xlsx or md")
		fs.Var(&emails, "email", "e-mail recipient (repeatable or comma-separated)")
		fs.Var(&hooks, "webhook", "Slack incoming webhook or other URL to POST a JSON summary to (repeatable)")
		fs.Var(filters, "filter", "filter dim=v1,v2 (repeatable)")
	case "list", "rm", "runs":
	default:
		return usagef("unknown schedule subcommand %q: use add, list, rm or runs", sub)
	}
	if err := parseFlags(fs, args, sub == "rm"); err != nil {
		return err
	}
	if sub == "rm" && fs.NArg() != 1 {
		return usagef("rm takes one schedule id or name")
	}
	sc.Format, sc.Emails, sc.Webhooks, sc.Filters = report.Format(format), emails, hooks, filters
	if sub == "add" {
		if err := sc.Validate(); err != nil {
			return usageError{err.Error()}
		}
	}
	st, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	store := delivery.Store{DB: st.Pool()}
	switch sub {
	case "add":
		added, err := store.Add(ctx, sc, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "schedule %d %q: %s, %d days, %s, to %s\n", added.ID, added.Name, added.When, added.RangeDays, added.Format,
			strings.Join(append(append([]string{}, added.Emails...), added.Webhooks...), ", "))
		fmt.Fprintln(out, "`platformlens serve` sends it (e-mail needs PLATFORMLENS_SMTP_HOST and PLATFORMLENS_SMTP_FROM).")
		return nil
	case "rm":
		if err := store.Remove(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(out, "removed schedule %s\n", fs.Arg(0))
		return nil
	case "runs":
		runs, err := store.Runs(ctx, 0, 50)
		if err != nil || *asJSON {
			if err != nil {
				return err
			}
			return writeJSON(out, runs)
		}
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SCHEDULE\tPERIOD\tSTATUS\tATTEMPTS\tRECIPIENTS\tERROR")
		for _, r := range runs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", r.ScheduleID, r.Period.UTC().Format(time.RFC3339), r.Status, r.Attempts,
				strings.Join(r.Recipients, ","), oneLine(r.Error))
		}
		return tw.Flush()
	}
	list, err := store.List(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(out, list)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tWHEN\tDAYS\tFORMAT\tRECIPIENTS")
	for _, s := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", s.ID, s.Name, s.When, s.RangeDays, s.Format,
			strings.Join(append(append([]string{}, s.Emails...), s.Webhooks...), ", "))
	}
	return tw.Flush()
}
