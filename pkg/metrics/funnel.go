package metrics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/jackc/pgx/v5"
)

// Funnels (shared/spec/metrics.md, "Funnels"), computed as PostHog and Mixpanel do by default:
//
//   - a subject enters a funnel at its FIRST step-1 event in the query range; a later step-1
//     event neither restarts nor re-enters it (uniques: one entry per subject);
//   - it reaches step i when it performed steps 2..i in that order, each strictly after the
//     previous one, all no later than entry + the funnel's conversion window. Other events may
//     come between steps. Later steps may fall after the end of the range as long as they are
//     inside the window (Mixpanel's behaviour), so a subject entering late in the range is not
//     cut off by the range end;
//   - each step takes the subject's EARLIEST qualifying event, which is the choice that lets the
//     most subjects reach the next step (an earlier step time only widens what may follow).
//
// The SQL reads the funnel's events once, grouped per subject: the entry (t1 and its breakdown
// value) and two parallel arrays of the subject's step events in [@from, @to + window). Step i is
// then min(t) over the subject's own arrays (event steps[i], after step i-1, within the window),
// a LATERAL over unnest() that touches no table. History of the shape, so nobody brings back a
// slower one:
//   - a LATERAL lookup of product_events per subject and step: on TimescaleDB every rescan of a
//     lookup on the hypertable re-ran chunk exclusion over all its chunks (a year of demo tier S:
//     ChunkAppend run 732 times per step, 230 ms against 6 ms on plain PostgreSQL);
//   - a MATERIALIZED candidate CTE joined once per step (grouped join): fine with a custom plan,
//     but pgx caches prepared statements and after five runs PostgreSQL may switch to the generic
//     plan, which estimates one row per CTE and rescans the candidate CTE in a nested loop per
//     subject (same year: 6 ms → 95 ms on plain PostgreSQL, 110 ms on TimescaleDB).
// The present shape has no join whose method depends on a row estimate, so custom and generic
// plans do the same linear work. The number of steps comes from the funnels table and is the only
// thing that shapes the SQL text; the step names, the window, the range and the breakdown key are
// bound parameters.

// funnelDef is one row of the funnels table.
type funnelDef struct {
	Name, Title string
	Steps       []string
	Window      time.Duration
}

// funnelNames returns the funnels q asks for: the "funnel" option, else the values of the funnel
// filter; none means every funnel (Grafana's "All" sends an empty selection). Several funnels
// answer one labelled series (or set of rows) per funnel.
func funnelNames(q Query) []string {
	if q.Funnel != "" {
		return []string{q.Funnel}
	}
	return q.Filters["funnel"]
}

// labelByFunnel reports whether results carry the funnel as a label or column: when grouped by
// funnel or when more than one funnel answers (label sets must stay distinct for alerting).
func labelByFunnel(q Query, funnels []funnelDef) bool {
	return q.GroupBy == "funnel" || len(funnels) > 1
}

// loadFunnels reads the named funnels (every funnel when names is empty), in name order. An
// unknown name is a user error that lists the known funnels.
func loadFunnels(ctx context.Context, env *Env, names []string) ([]funnelDef, error) {
	rows, err := env.Query(ctx, "read the funnels table",
		`SELECT name, title, steps, extract(epoch FROM conversion_window)::double precision FROM funnels ORDER BY name`, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	all := map[string]funnelDef{}
	var known []string
	for rows.Next() {
		var f funnelDef
		var secs float64
		if err := rows.Scan(&f.Name, &f.Title, &f.Steps, &secs); err != nil {
			return nil, dbError("read the funnels table", err)
		}
		f.Window = time.Duration(secs * float64(time.Second))
		all[f.Name] = f
		known = append(known, f.Name)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("read the funnels table", err)
	}
	if len(names) == 0 {
		out := make([]funnelDef, 0, len(known))
		for _, n := range known {
			out = append(out, all[n])
		}
		return out, nil
	}
	out := make([]funnelDef, 0, len(names))
	for _, n := range names {
		f, ok := all[n]
		if !ok {
			list := "none are defined: add rows to the funnels table (or load the demo data)"
			if len(known) > 0 {
				list = "known funnels: " + strings.Join(known, ", ")
			}
			return nil, backend.DownstreamErrorf("funnel %q does not exist; %s", n, list)
		}
		out = append(out, f)
	}
	return out, nil
}

// funnelChainSQL returns a WITH clause defining "chain": one row per subject that entered the
// funnel in [@from, @to), with t1 (entry), t2 … tN (NULL once the subject stops) and bk, the
// breakdown value of the entry event (” without breakdown, '(none)' when the property is
// missing). Parameters: @from, @to, @steps (text[]), @win_s (window in seconds) and, with
// breakdown, @bk (the property key).
func funnelChainSQL(n int, breakdown bool) string {
	// the entry: the subject's first step-1 event in range; external_id breaks ties as the
	// DISTINCT ON of the first version did
	const isEntry = "e.event = (@steps::text[])[1] AND e.occurred_at < @to::timestamptz"
	bk := "''::text"
	if breakdown {
		bk = "(array_agg(coalesce(e.properties ->> @bk::text, '(none)') ORDER BY e.occurred_at, e.external_id) FILTER (WHERE " + isEntry + "))[1]"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `WITH subj AS (
  -- every step lies in [entry, entry + window] with the entry in [@from, @to): these are all the
  -- events a step can take, read once
  SELECT e.subject_id, min(e.occurred_at) FILTER (WHERE %s) AS t1, %s AS bk,
    array_agg(e.event) AS evs, array_agg(e.occurred_at) AS ts
  FROM product_events e
  WHERE e.event = ANY (@steps::text[]) AND e.occurred_at >= @from::timestamptz
    AND e.occurred_at < @to::timestamptz + @win_s * interval '1 second'
  GROUP BY e.subject_id
),
chain AS (
  SELECT c.subject_id, c.bk, c.t1`, isEntry, bk)
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, ", s%d.t AS t%d", i, i)
	}
	b.WriteString("\n  FROM subj c")
	for i := 2; i <= n; i++ {
		// step i: the earliest event of steps[i] after step i-1 and within the window; NULL once
		// step i-1 is NULL (the comparison with NULL keeps no event)
		prev := "c.t1"
		if i > 2 {
			prev = fmt.Sprintf("s%d.t", i-1)
		}
		fmt.Fprintf(&b, `
  LEFT JOIN LATERAL (SELECT min(u.t) AS t FROM unnest(c.evs, c.ts) u(ev, t)
    WHERE u.ev = (@steps::text[])[%[1]d] AND u.t > %[2]s AND u.t <= c.t1 + @win_s * interval '1 second') s%[1]d ON true`, i, prev)
	}
	b.WriteString("\n  WHERE c.t1 IS NOT NULL\n)\n")
	return b.String()
}

// funnelArgs binds the parameters of funnelChainSQL for funnel f over q's range.
func funnelArgs(q Query, f funnelDef) pgx.NamedArgs {
	return pgx.NamedArgs{"from": q.From, "to": q.To, "steps": f.Steps, "win_s": f.Window.Seconds()}
}
