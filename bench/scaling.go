package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// ScalePoint is one measured database of the scaling curve: a demo tier on one store.
type ScalePoint struct {
	Tier    string
	Store   store.Mode
	Rows    int64         // rows of the event tables
	Total   time.Duration // dashboard time: sum of the panels' median plugin times
	Slowest time.Duration
	Metric  string // slowest panel's metric
	Load    string
}

// EventRows counts the rows of every event table (exact count: reltuples is 0 on a hypertable's
// parent).
func (h *Harness) EventRows(ctx context.Context) (int64, error) {
	parts := make([]string, len(store.EventTables))
	for i, t := range store.EventTables {
		parts[i] = "(SELECT count(*) FROM " + pgx.Identifier{t.Name}.Sanitize() + ")"
	}
	var n int64
	err := h.Store.Pool().QueryRow(ctx, "SELECT "+strings.Join(parts, " + ")).Scan(&n)
	return n, err
}

// GuessTier names a database by its size when the caller did not: the demo tiers are ~128 k (S),
// ~16 M (M) and ~160 M (L) rows.
func GuessTier(rows int64) string {
	switch {
	case rows < 2_000_000:
		return "S"
	case rows < 60_000_000:
		return "M"
	default:
		return "L"
	}
}

// PrintScaling prints the scaling table: per store, each tier with its rows, dashboard time and
// the growth from the store's previous (smaller) tier, as a factor and per 10× rows (the issue's
// bound: at most 2× per 10× rows).
func PrintScaling(w io.Writer, title string, pts []ScalePoint) {
	fmt.Fprintf(w, "\n#### %s\n\n", title)
	fmt.Fprintln(w, "| store | tier | rows | dashboard ms | slowest ms (metric) | rows × | time × | time × per 10× rows | load |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- |")
	prev := map[store.Mode]ScalePoint{}
	for _, p := range pts {
		growth, rowsX, timeX := "—", "—", "—"
		if q, ok := prev[p.Store]; ok && q.Rows > 0 && p.Rows > q.Rows && q.Total > 0 {
			rx, tx := float64(p.Rows)/float64(q.Rows), Ratio(p.Total, q.Total)
			rowsX, timeX = fmt.Sprintf("%.1f", rx), fmt.Sprintf("%.2f", tx)
			growth = fmt.Sprintf("%.2f", math.Pow(tx, 1/math.Log10(rx)))
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s (%s) | %s | %s | %s | %s |\n",
			p.Store, p.Tier, p.Rows, ms(p.Total), ms(p.Slowest), p.Metric, rowsX, timeX, growth, p.Load)
		prev[p.Store] = p
	}
}
