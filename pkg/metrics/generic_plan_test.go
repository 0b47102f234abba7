package metrics

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// recordingDB is a Querier that remembers every statement the engine runs (SQL and arguments).
type recordingDB struct {
	Querier
	mu    sync.Mutex
	calls []recordedCall
}

type recordedCall struct {
	sql  string
	args pgx.NamedArgs
}

func (r *recordingDB) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	r.record(sql, args)
	return r.Querier.Query(ctx, sql, args...)
}

func (r *recordingDB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	r.record(sql, args)
	return r.Querier.QueryRow(ctx, sql, args...)
}

func (r *recordingDB) record(sql string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var na pgx.NamedArgs
	if len(args) == 1 {
		na, _ = args[0].(pgx.NamedArgs)
	}
	r.calls = append(r.calls, recordedCall{sql: sql, args: na})
}

// TestRollupEdgesBoundedUnderGenericPlan: PostgreSQL runs a prepared statement with a generic
// plan after five executions (Grafana's long-lived pool always gets there). Under
// plan_cache_mode = force_generic_plan, the raw half of every rollup-routed query must still read
// only the raw rows of the partial edges of the range, never the rows of the middle the rollup
// answers. The check is on rows the executor touched on the raw table (EXPLAIN ANALYZE of the
// prepared statement, sequential scans disabled so the index ranges show), not on time; the
// answers of the same connection must equal the raw path's.
func TestRollupEdgesBoundedUnderGenericPlan(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := f.st.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	// The pool hands this connection back after the test: undo the settings then.
	defer conn.Exec(context.Background(), "RESET plan_cache_mode; RESET enable_seqscan") //nolint:errcheck
	if _, err := conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	mode, err := f.st.Mode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordingDB{Querier: conn.Conn()}
	generic := NewEngineWith(rec, mode.Mode)
	raw := &Engine{db: f.engine.db, mode: f.engine.mode, rawOnly: true}

	// Partial first day (00:30) and last day (12:00): the raw edges hold some rows, the middle
	// days more (probes p2–p4 on the edge, p5–p8 in the middle).
	from := time.Date(2024, 1, 1, 0, 30, 0, 0, time.UTC)
	to := time.Date(2024, 1, 8, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		query    string
		rawTable string
		rawTime  string
	}{
		{`{"metric":"platform_uptime","format":"table"}`, "platform_probes", "probed_at"},
		{`{"metric":"pipeline_availability","interval":"day"}`, "platform_probes", "probed_at"},
		{`{"metric":"platform_error_rate","interval":"hour"}`, "platform_probes", "probed_at"},
		{`{"metric":"build_success_rate","format":"table","groupBy":"tech_stack"}`, "builds", "finished_at"},
		{`{"metric":"builds","interval":"day"}`, "builds", "finished_at"},
		{`{"metric":"deployments","format":"table"}`, "deployments", "finished_at"},
		{`{"metric":"deployment_frequency","interval":"day"}`, "deployments", "finished_at"},
		{`{"metric":"build_duration","stat":"p95","format":"table"}`, "builds", "finished_at"},
		{`{"metric":"platform_response_p95","interval":"day"}`, "platform_probes", "probed_at"},
	}
	for _, c := range cases {
		rec.calls = nil
		// Six runs: the answers must not change once the plan is generic (it is from the first
		// run here), and equal the raw path's.
		for range 6 {
			compareEngines(t, generic, raw, c.query, from, to, 0.02)
		}
		var routed int
		seen := map[string]bool{}
		for _, call := range rec.calls {
			mf, ok := call.args["mid_from"].(time.Time)
			if !ok || seen[call.sql] {
				continue
			}
			seen[call.sql] = true
			routed++
			mt := call.args["mid_to"].(time.Time)
			var edgeRows, allRows int64
			q := fmt.Sprintf(`SELECT count(*) FILTER (WHERE %[1]s < $2 OR %[1]s >= $3), count(*)
				FROM %[2]s WHERE %[1]s >= $1 AND %[1]s < $4`, c.rawTime, c.rawTable)
			if err := conn.QueryRow(ctx, q, from, mf, mt, to).Scan(&edgeRows, &allRows); err != nil {
				t.Fatal(err)
			}
			if allRows <= edgeRows {
				t.Fatalf("%s: fixture has no raw rows in the middle [%v, %v): the check would prove nothing", c.query, mf, mt)
			}
			plan := explainGeneric(t, ctx, conn.Conn(), call)
			rels := rawRelations(t, ctx, conn.Conn(), c.rawTable)
			walkPlan(plan, func(n map[string]any) {
				rel, _ := n["Relation Name"].(string)
				if !rels[rel] {
					return
				}
				touched := (num(n["Actual Rows"]) + num(n["Rows Removed by Filter"]) + num(n["Rows Removed by Index Recheck"])) * num(n["Actual Loops"])
				if int64(touched) > edgeRows {
					t.Errorf("%s: generic plan's %s on %s touched %d rows, the edges hold %d (index cond %v, filter %v)",
						c.query, n["Node Type"], rel, int64(touched), edgeRows, n["Index Cond"], n["Filter"])
				}
			})
		}
		if routed == 0 {
			t.Errorf("%s: no rollup-routed statement recorded", c.query)
		}
	}
}

// explainGeneric prepares call's statement on conn and returns EXPLAIN ANALYZE of executing it
// with its arguments: under force_generic_plan that is the generic plan.
func explainGeneric(t *testing.T, ctx context.Context, conn *pgx.Conn, call recordedCall) map[string]any {
	t.Helper()
	sql, args, err := call.args.RewriteQuery(ctx, conn, call.sql, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Prepare(ctx, "generic_plan_check", sql); err != nil {
		t.Fatalf("prepare %s: %v", sql, err)
	}
	defer conn.Deallocate(ctx, "generic_plan_check") //nolint:errcheck
	lits := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			lits[i] = "'" + v.UTC().Format(time.RFC3339Nano) + "'"
		case string:
			lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		default:
			t.Fatalf("argument %d of type %T: extend explainGeneric", i, a)
		}
	}
	var out []byte
	stmt := "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE generic_plan_check"
	if len(lits) > 0 {
		stmt += "(" + strings.Join(lits, ", ") + ")"
	}
	if err := conn.QueryRow(ctx, stmt).Scan(&out); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	if !strings.Contains(string(out), "$") {
		t.Fatalf("plan mentions no parameter: not a generic plan?\n%s", out)
	}
	var doc []map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	return doc[0]["Plan"].(map[string]any)
}

// rawRelations is the raw table and, on TimescaleDB, its chunks (which inherit from it).
func rawRelations(t *testing.T, ctx context.Context, conn *pgx.Conn, table string) map[string]bool {
	t.Helper()
	rels := map[string]bool{table: true}
	rows, err := conn.Query(ctx, `SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = $1::regclass`, table)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		rels[n] = true
	}
	return rels
}

func walkPlan(n map[string]any, visit func(map[string]any)) {
	visit(n)
	kids, _ := n["Plans"].([]any)
	for _, k := range kids {
		if m, ok := k.(map[string]any); ok {
			walkPlan(m, visit)
		}
	}
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}
