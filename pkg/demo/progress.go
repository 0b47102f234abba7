package demo

import (
	"fmt"
	"io"
	"time"
)

// PrintProgress returns a Progress callback that writes one line per report to w, e.g.
// "builds            1,200,000 rows   48,000 rows/s   25.0 s".
func PrintProgress(w io.Writer) func(Progress) {
	return func(p Progress) {
		state := ""
		if p.Done {
			state = "  done"
		}
		if p.Table == RollupsStep {
			fmt.Fprintf(w, "%-18s refreshed in %.1f s\n", p.Table, p.Elapsed.Seconds())
			return
		}
		fmt.Fprintf(w, "%-18s %12s rows %9s rows/s %7.1f s%s\n", p.Table, thousands(p.Rows),
			thousands(int64(p.RowsPerSecond())), p.Elapsed.Round(100*time.Millisecond).Seconds(), state)
	}
}

// thousands formats n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// EstimateRows is about how many rows Load writes for tier (within a few per cent): the total a
// progress display shows percentages and an ETA against.
func EstimateRows(tier Tier) int64 {
	spec, ok := tierSpecs[tier]
	if !ok {
		return 0
	}
	year := 365 * 24 * time.Hour
	probes := int64(len(platforms)) * (int64(year/spec.probeEvery) + int64(liveProbeWindow/time.Minute))
	dx := int64(13 * 1000 * spec.dxRate)                                // 13 survey waves of ~1,000 developers
	fixed := int64(5_000 + 365*len(platforms) + 12*2*len(productLines)) // quality, licenses, revenue
	return probes + int64(spec.builds) + int64(float64(spec.deployments)*(1+historyDeployScale)) +
		int64(spec.pullRequests) + int64(spec.productEvents) + int64(spec.changeTickets) + dx + fixed
}

// PrintProgressTotal is PrintProgress with the whole load in view: each line adds the share of
// total (EstimateRows) written so far and the estimated time left, e.g.
// "builds     1,200,000 rows   48,000 rows/s   25.0 s   42% of ~16,100,000, ETA 1m05s".
// now is the clock (tests pass a fixed one).
func PrintProgressTotal(w io.Writer, total int64, now func() time.Time) func(Progress) {
	began := now()
	var finished int64 // rows of the tables already done
	return func(p Progress) {
		if p.Table == RollupsStep {
			fmt.Fprintf(w, "%-18s refreshed in %.1f s\n", p.Table, p.Elapsed.Seconds())
			return
		}
		done := finished + p.Rows
		if p.Done {
			finished += p.Rows
		}
		pct := 0.0
		if total > 0 {
			pct = min(99, 100*float64(done)/float64(total)) // rollups still follow
		}
		eta := "?"
		if elapsed := now().Sub(began); done > 0 && total > done {
			eta = (time.Duration(float64(elapsed) * float64(total-done) / float64(done))).Round(time.Second).String()
		} else if total <= done {
			eta = "0s"
		}
		state := ""
		if p.Done {
			state = "  done"
		}
		fmt.Fprintf(w, "%-18s %12s rows %9s rows/s %7.1f s  %3.0f%% of ~%s, ETA %s%s\n", p.Table, thousands(p.Rows),
			thousands(int64(p.RowsPerSecond())), p.Elapsed.Round(100*time.Millisecond).Seconds(), pct, thousands(total), eta, state)
	}
}
