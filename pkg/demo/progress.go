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
		if p.Table == "rollups" {
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
