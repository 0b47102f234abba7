package metrics

import (
	"context"
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
// and a tie of entry events is broken by external_id. Chain and oracle must both give the rows.
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
    ('2024-03-01 11:00+00',        'e3', 'B', '{}',              'fx', 'x11');
`)
	ctx := context.Background()
	f := funnelDef{Name: "edge", Steps: []string{"A", "B", "A"}, Window: time.Hour}
	args := funnelArgs(Query{From: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}, f)
	args["bk"] = "plan"
	want := [][]string{
		{"e1", "pro", "2024-03-01T10:00:00Z", "2024-03-01T10:30:00Z", "2024-03-01T11:00:00Z"},
		{"e2", "(none)", "2024-03-01T10:00:00Z", "2024-03-01T10:20:00Z", ""},
		{"e3", "a", "2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z", ""},
	}
	tail := "SELECT subject_id, bk, t1, t2, t3 FROM chain ORDER BY subject_id"
	for name, sql := range map[string]string{"chain": funnelChainSQL(3, true), "oracle": lateralChainSQL(3, true)} {
		if got := chainRows(t, ctx, st, sql+tail, args); !reflect.DeepEqual(got, want) {
			t.Errorf("%s rows:\n%v\nwant\n%v", name, got, want)
		}
	}
}
