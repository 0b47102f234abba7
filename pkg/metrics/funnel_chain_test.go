package metrics

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/internal/testworld"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// lateralChainSQL is the chain as it was first written: one LATERAL lookup per subject and step.
// It is the plain reading of the funnel rules and serves as the oracle of funnelChainSQL, whose
// shape was changed for speed on TimescaleDB.
func lateralChainSQL(n int, breakdown bool) string {
	bk := "''::text"
	if breakdown {
		bk = "coalesce(e.properties ->> @bk::text, '(none)')"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `WITH entry AS (
  SELECT DISTINCT ON (e.subject_id) e.subject_id, e.occurred_at AS t1, %s AS bk
  FROM product_events e
  WHERE e.event = (@steps::text[])[1] AND e.occurred_at >= @from AND e.occurred_at < @to
  ORDER BY e.subject_id, e.occurred_at, e.external_id
),
chain AS (
  SELECT entry.subject_id, entry.bk, entry.t1`, bk)
	for i := 2; i <= n; i++ {
		fmt.Fprintf(&b, ", s%d.t AS t%d", i, i)
	}
	b.WriteString("\n  FROM entry")
	for i := 2; i <= n; i++ {
		prev := "entry.t1"
		if i > 2 {
			prev = fmt.Sprintf("s%d.t", i-1)
		}
		fmt.Fprintf(&b, `
  LEFT JOIN LATERAL (SELECT min(e.occurred_at) AS t FROM product_events e
    WHERE e.subject_id = entry.subject_id AND e.event = (@steps::text[])[%d]
      AND e.occurred_at > %s AND e.occurred_at <= entry.t1 + @win_s * interval '1 second') s%d ON true`, i, prev, i)
	}
	b.WriteString("\n)\n")
	return b.String()
}

// TestFunnelChainMatchesLateralOracle compares the chain row by row (subject, breakdown value,
// every step time) with the lateral oracle on a year of demo data, for every funnel, ranges from a
// day to the year (edges off midnight included), with and without a breakdown. The fixture tests
// (TestFunnels) pin the rules on hand-made boundary rows; this one shows the two shapes agree on
// thousands of subjects.
func TestFunnelChainMatchesLateralOracle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	end := testworld.WeekdayEnd
	st, _ := testworld.DemoStore(t, end)
	env := &Env{DB: st.Pool()}
	funnels, err := loadFunnels(ctx, env, nil)
	if err != nil || len(funnels) == 0 {
		t.Fatalf("funnels of the demo world: %v (%d)", err, len(funnels))
	}
	ranges := []struct{ from, to time.Time }{
		{end.Add(-24 * time.Hour), end},
		{end.AddDate(0, 0, -30), end},
		{end.AddDate(0, 0, -45).Add(7*time.Hour + 30*time.Minute), end.AddDate(0, 0, -9).Add(-90 * time.Minute)},
		{end.AddDate(-1, 0, 0), end},
	}
	completed := 0
	for _, f := range funnels {
		n := len(f.Steps)
		for _, r := range ranges {
			for _, breakdown := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s..%s/breakdown=%v", f.Name, r.from.Format(time.RFC3339), r.to.Format(time.RFC3339), breakdown)
				args := funnelArgs(Query{From: r.from, To: r.to}, f)
				if breakdown {
					args["bk"] = "plan"
				}
				cols := "subject_id, bk, t1"
				for i := 2; i <= n; i++ {
					cols += fmt.Sprintf(", t%d", i)
				}
				tail := "SELECT " + cols + " FROM chain ORDER BY subject_id"
				got := chainRows(t, ctx, st, funnelChainSQL(n, breakdown)+tail, args)
				want := chainRows(t, ctx, st, lateralChainSQL(n, breakdown)+tail, args)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: chain has %d rows, the lateral oracle %d, or they differ", name, len(got), len(want))
					for i := 0; i < len(got) && i < len(want); i++ {
						if !reflect.DeepEqual(got[i], want[i]) {
							t.Errorf("first difference: %v, oracle %v", got[i], want[i])
							break
						}
					}
				}
				for _, row := range want {
					if row[len(row)-1] != "" {
						completed++
					}
				}
			}
		}
	}
	if completed == 0 {
		t.Fatal("no subject completed any funnel: the comparison proves nothing on this data")
	}
}

// chainRows runs a chain query and returns its rows as strings (NULL as "").
func chainRows(t *testing.T, ctx context.Context, st *store.Store, sql string, args pgx.NamedArgs) [][]string {
	t.Helper()
	rows, err := st.Pool().Query(ctx, sql, args)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			if v != nil {
				if tm, ok := v.(time.Time); ok {
					v = tm.UTC().Format(time.RFC3339Nano)
				}
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFunnelChainBoundaries pins the rules where a changed comparison would show: a step at the
// same instant as the previous one does not count (strictly after), a step exactly at entry +
// window counts and one a microsecond later does not, a repeated step name needs a new event,
// a tie of entry events is broken by external_id, a step-3 event between step 1 and step 2 does
// not count (e4), an entry exactly at the range end does not enter (e5), and events before the
// range neither enter nor count as steps (e6). Chain and oracle must both give the rows.
func TestFunnelChainBoundaries(t *testing.T) {
	st := loadedStore(t, `
INSERT INTO funnels (name, title, steps, conversion_window) VALUES ('edge', 'Edge', ARRAY['A', 'B', 'A'], INTERVAL '1 hour');
INSERT INTO product_events (occurred_at, subject_id, event, properties, source, external_id) VALUES
    ('2024-03-01 10:00+00',        'e1', 'A', '{"plan":"pro"}',  'fx', 'x01'),
    ('2024-03-01 10:00+00',        'e1', 'B', '{}',              'fx', 'x02'),
    ('2024-03-01 10:30+00',        'e1', 'B', '{}',              'fx', 'x03'),
    ('2024-03-01 10:30+00',        'e1', 'A', '{}',              'fx', 'x04'),
    ('2024-03-01 11:00+00',        'e1', 'A', '{}',              'fx', 'x05'),
    ('2024-03-01 10:00+00',        'e2', 'A', '{}',              'fx', 'x06'),
    ('2024-03-01 10:20+00',        'e2', 'B', '{}',              'fx', 'x07'),
    ('2024-03-01 11:00:00.000001+00', 'e2', 'A', '{}',           'fx', 'x08'),
    ('2024-03-01 10:00+00',        'e3', 'A', '{"plan":"b"}',    'fx', 'x10'),
    ('2024-03-01 10:00+00',        'e3', 'A', '{"plan":"a"}',    'fx', 'x09'),
    ('2024-03-01 11:00+00',        'e3', 'B', '{}',              'fx', 'x11'),
    ('2024-03-01 10:00+00',        'e4', 'A', '{}',              'fx', 'x12'),
    ('2024-03-01 10:10+00',        'e4', 'A', '{}',              'fx', 'x13'),
    ('2024-03-01 10:20+00',        'e4', 'B', '{}',              'fx', 'x14'),
    ('2024-03-01 12:00+00',        'e5', 'A', '{}',              'fx', 'x15'),
    ('2024-03-01 12:10+00',        'e5', 'B', '{}',              'fx', 'x16'),
    ('2024-03-01 08:59+00',        'e6', 'A', '{"plan":"old"}',  'fx', 'x17'),
    ('2024-03-01 09:30+00',        'e6', 'B', '{}',              'fx', 'x18'),
    ('2024-03-01 09:40+00',        'e6', 'A', '{"plan":"new"}',  'fx', 'x19'),
    ('2024-03-01 09:50+00',        'e6', 'B', '{}',              'fx', 'x20');
`)
	ctx := context.Background()
	f := funnelDef{Name: "edge", Steps: []string{"A", "B", "A"}, Window: time.Hour}
	args := funnelArgs(Query{From: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}, f)
	args["bk"] = "plan"
	want := [][]string{
		{"e1", "pro", "2024-03-01T10:00:00Z", "2024-03-01T10:30:00Z", "2024-03-01T11:00:00Z"},
		{"e2", "(none)", "2024-03-01T10:00:00Z", "2024-03-01T10:20:00Z", ""},
		{"e3", "a", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", ""},
		{"e4", "(none)", "2024-03-01T10:00:00Z", "2024-03-01T10:20:00Z", ""},
		{"e6", "new", "2024-03-01T09:40:00Z", "2024-03-01T09:50:00Z", ""},
	}
	tail := "SELECT subject_id, bk, t1, t2, t3 FROM chain ORDER BY subject_id"
	for name, sql := range map[string]string{"chain": funnelChainSQL(3, true), "oracle": lateralChainSQL(3, true)} {
		if got := chainRows(t, ctx, st, sql+tail, args); !reflect.DeepEqual(got, want) {
			t.Errorf("%s rows:\n%v\nwant\n%v", name, got, want)
		}
	}
}

// TestFunnelChainReadsEachTableOnce guards the shape of the chain rather than its rows: no table,
// hypertable chunk or CTE may be scanned more than once per statement, with a custom plan or with
// the generic plan PostgreSQL switches to after five runs of a prepared statement (pgx prepares
// and caches every statement). A per-subject LATERAL lookup (rescans product_events, and on
// TimescaleDB reruns chunk exclusion each time) and a nested loop over a candidate CTE (what the
// generic plan of a CTE join per step chose) both fail it.
func TestFunnelChainReadsEachTableOnce(t *testing.T) {
	st := loadedStore(t, `
INSERT INTO funnels (name, title, steps, conversion_window) VALUES ('shape', 'Shape', ARRAY['A', 'B', 'C'], INTERVAL '1 hour');
INSERT INTO product_events (occurred_at, subject_id, event, properties, source, external_id)
SELECT timestamptz '2024-03-01 10:00+00' + (i % 7) * interval '1 minute' + s * interval '5 minutes',
       'u' || (i % 40), (ARRAY['A', 'B', 'C'])[1 + s], '{}', 'fx', 'x' || i || '-' || s
FROM generate_series(1, 200) i, generate_series(0, 2) s;
`)
	ctx := context.Background()
	from, to := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	// EXECUTE takes its arguments as literals; these are the test's own constants
	exec := fmt.Sprintf("EXECUTE funnel_chain_shape('%s', '%s', ARRAY['A', 'B', 'C'], 3600, 'plan')",
		from.Format(time.RFC3339), to.Format(time.RFC3339))
	for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
		tx, err := st.Pool().Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sql := funnelChainSQL(3, true) + "SELECT count(*), count(t3) FROM chain"
		for from, to := range map[string]string{"@from": "$1", "@to": "$2", "@steps": "$3", "@win_s": "$4", "@bk": "$5"} {
			sql = strings.ReplaceAll(sql, from, to)
		}
		var plan string
		if _, err = tx.Exec(ctx, "SET LOCAL plan_cache_mode = "+mode); err == nil {
			_, err = tx.Exec(ctx, "PREPARE funnel_chain_shape (timestamptz, timestamptz, text[], float8, text) AS "+sql)
		}
		if err == nil {
			err = tx.QueryRow(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+exec, pgx.QueryExecModeSimpleProtocol).Scan(&plan)
		}
		_ = tx.Rollback(ctx) // the prepared statement is the session's: drop it with the connection state
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if _, err := st.Pool().Exec(ctx, "DEALLOCATE ALL"); err != nil {
			t.Fatal(err)
		}
		var root []struct {
			Plan map[string]any `json:"Plan"`
		}
		if err := json.Unmarshal([]byte(plan), &root); err != nil || len(root) != 1 {
			t.Fatalf("%s: read the plan: %v", mode, err)
		}
		var walk func(n map[string]any)
		walk = func(n map[string]any) {
			kind, _ := n["Node Type"].(string)
			_, onRel := n["Relation Name"]
			loops, _ := n["Actual Loops"].(float64)
			if (onRel || kind == "CTE Scan" || kind == "Custom Scan") && loops > 1 {
				t.Errorf("%s: %s %v ran %v times: the chain rescans a table per subject\n%s", mode, kind, n["Relation Name"], loops, plan)
			}
			subs, _ := n["Plans"].([]any)
			for _, s := range subs {
				if m, ok := s.(map[string]any); ok {
					walk(m)
				}
			}
		}
		walk(root[0].Plan)
	}
}
