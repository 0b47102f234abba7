package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Explained is EXPLAIN (ANALYZE, BUFFERS) of one recorded statement.
type Explained struct {
	SQL                 string
	PlanningMS, ExecMS  float64
	SharedHit, SharedRd int64
	Text                string // the plan in text form
}

// Explain runs EXPLAIN (ANALYZE, BUFFERS) of each statement with its recorded arguments, once as
// JSON (planning and execution time, shared buffers of the top node) and once as text. The
// statements are planned with their values (custom plans): planning time is what every execution
// pays while plans are custom, and TimescaleDB's share of it (chunk exclusion over many chunks)
// is what this is for.
func (h *Harness) Explain(ctx context.Context, stmts []Statement) ([]Explained, error) {
	var out []Explained
	for _, s := range stmts {
		e := Explained{SQL: s.SQL}
		var js []byte
		if err := h.Store.Pool().QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+s.SQL, s.Args...).Scan(&js); err != nil {
			return nil, fmt.Errorf("explain %.80q: %w", s.SQL, err)
		}
		var doc []struct {
			Plan          map[string]any `json:"Plan"`
			PlanningTime  float64        `json:"Planning Time"`
			ExecutionTime float64        `json:"Execution Time"`
		}
		if err := json.Unmarshal(js, &doc); err != nil || len(doc) == 0 {
			return nil, fmt.Errorf("explain %.80q: %v", s.SQL, err)
		}
		e.PlanningMS, e.ExecMS = doc[0].PlanningTime, doc[0].ExecutionTime
		hit, _ := doc[0].Plan["Shared Hit Blocks"].(float64)
		rd, _ := doc[0].Plan["Shared Read Blocks"].(float64)
		e.SharedHit, e.SharedRd = int64(hit), int64(rd)
		rows, err := h.Store.Pool().Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+s.SQL, s.Args...)
		if err != nil {
			return nil, err
		}
		var lines []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				rows.Close()
				return nil, err
			}
			lines = append(lines, l)
		}
		rows.Close()
		e.Text = strings.Join(lines, "\n")
		out = append(out, e)
	}
	return out, nil
}

// PrintExplained prints one line per statement (planning vs execution) and, if plans, the plans.
func PrintExplained(w io.Writer, title string, ex []Explained, plans bool) {
	var plan, exec float64
	for i, e := range ex {
		first := strings.Join(strings.Fields(e.SQL), " ")
		if len(first) > 110 {
			first = first[:110] + "…"
		}
		fmt.Fprintf(w, "%s stmt %d: planning %.1f ms, execution %.1f ms, shared hit %d read %d — %s\n",
			title, i+1, e.PlanningMS, e.ExecMS, e.SharedHit, e.SharedRd, first)
		plan += e.PlanningMS
		exec += e.ExecMS
		if plans {
			fmt.Fprintf(w, "```\n%s\n```\n", e.Text)
		}
	}
	fmt.Fprintf(w, "%s total: planning %.1f ms, execution %.1f ms over %d statements, load %s\n", title, plan, exec, len(ex), Load())
}
