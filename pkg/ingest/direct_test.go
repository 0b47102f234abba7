package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// Tests of the two event write paths (direct COPY, and the staging fallback it takes on a unique
// violation) against the real database.

var directT0 = time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC)

func directStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.Config{DSN: db.DSN, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// directBuild is builds event i; duration varies so that a wrong or missing row shows in sums.
func directBuild(i int) json.RawMessage {
	fin := directT0.Add(time.Duration(i) * 97 * time.Second) // spans hours and, from i = 891, days
	return json.RawMessage(fmt.Sprintf(`{"source":"ci","external_id":"b-%d","finished_at":%q,"started_at":%q,`+
		`"pipeline":"main","repo":"checkout","service":"checkout","team":"team-%d","tech_stack":"go",`+
		`"status":"success","queue_seconds":1,"duration_seconds":%d}`,
		i, fin.Format(time.RFC3339), fin.Add(-time.Minute).Format(time.RFC3339), i%3, 100+i))
}

func directBuilds(idx ...int) []json.RawMessage {
	out := make([]json.RawMessage, len(idx))
	for j, i := range idx {
		out[j] = directBuild(i)
	}
	return out
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func queryInt(t *testing.T, st *store.Store, sql string) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// rollupsMatchRaw checks that builds_hourly and builds_daily equal the rollup recomputed from
// the raw rows, bucket by bucket (durations are whole numbers, so the sums are exact).
func rollupsMatchRaw(t *testing.T, st *store.Store) {
	t.Helper()
	for _, r := range []struct{ name, width string }{{"builds_hourly", "1 hour"}, {"builds_daily", "1 day"}} {
		raw := fmt.Sprintf(`SELECT date_bin(INTERVAL '%s', finished_at, TIMESTAMPTZ '2000-01-03 00:00:00+00') AS bucket,
			tech_stack, team, status, count(*)::bigint AS builds, sum(duration_seconds) AS duration_sum
			FROM builds GROUP BY 1, 2, 3, 4`, r.width)
		rollup := fmt.Sprintf(`SELECT bucket, tech_stack, team, status, builds::bigint, duration_sum FROM %s`, r.name)
		diff := queryInt(t, st, fmt.Sprintf(`SELECT count(*) FROM ((%[1]s EXCEPT ALL %[2]s) UNION ALL (%[2]s EXCEPT ALL %[1]s)) d`, raw, rollup))
		if diff != 0 {
			t.Errorf("%s differs from the raw rows in %d bucket rows", r.name, diff)
		}
	}
}

// TestDirectCopyThenFallback: a new batch goes in by the direct COPY; a batch that overlaps
// stored rows makes that COPY fail with a unique violation (leaving nothing behind) and the
// fallback stores exactly the new rows; a batch with a key repeated inside it does the same.
// The rollups equal the raw rows after each path.
func TestDirectCopyThenFallback(t *testing.T) {
	st := directStore(t)
	ctx := context.Background()
	w := NewWriter(st.Pool(), st, Options{})
	tb, _ := Lookup("builds")

	res, err := w.Write(ctx, "builds", directBuilds(seq(0, 500)...))
	if err != nil || res.Stored != 500 || res.Duplicates != 0 {
		t.Fatalf("new batch = %+v, %v", res, err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rollupsMatchRaw(t, st)

	// The direct COPY alone refuses the overlapping batch and stores none of it.
	overlap := directBuilds(seq(400, 1000)...)
	v := Validate(tb, overlap, DefaultSource)
	if err := w.copyDirect(ctx, tb, v.Rows, nil); !isUniqueViolation(err) {
		t.Fatalf("direct COPY of an overlapping batch: %v, want a unique violation", err)
	}
	if n := queryInt(t, st, "SELECT count(*) FROM builds"); n != 500 {
		t.Fatalf("the failed COPY left rows behind: %d rows, want 500", n)
	}
	// Write takes the fallback and stores exactly the 500 new rows, with their own values.
	res, err = w.Write(ctx, "builds", overlap)
	if err != nil || res.Stored != 500 || res.Duplicates != 100 {
		t.Fatalf("overlapping batch = %+v, %v", res, err)
	}
	if n := queryInt(t, st, "SELECT count(*) FROM builds"); n != 1000 {
		t.Fatalf("%d rows, want 1000", n)
	}
	if sum := queryInt(t, st, "SELECT sum(duration_seconds)::int FROM builds"); sum != 1000*100+999*1000/2 {
		t.Fatalf("sum of durations %d: rows lost or altered", sum)
	}

	// A key twice inside a batch of otherwise new rows: one copy stored, one duplicate.
	internal := directBuilds(append(seq(1000, 1100), 1050)...)
	res, err = w.Write(ctx, "builds", internal)
	if err != nil || res.Stored != 100 || res.Duplicates != 1 {
		t.Fatalf("batch with an internal duplicate = %+v, %v", res, err)
	}
	if n := queryInt(t, st, "SELECT count(*) FROM builds WHERE external_id = 'b-1050'"); n != 1 {
		t.Fatalf("b-1050 stored %d times", n)
	}

	// Re-delivery of everything: all duplicates, nothing changes.
	res, err = w.Write(ctx, "builds", directBuilds(seq(0, 1100)...))
	if err != nil || res.Stored != 0 || res.Duplicates != 1100 {
		t.Fatalf("re-delivery = %+v, %v", res, err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, st, "SELECT count(*) FROM builds"); n != 1100 {
		t.Fatalf("%d rows, want 1100", n)
	}
	rollupsMatchRaw(t, st)
}

// TestPartialWriteFallbackRecordsRejectsOnce: in partial mode the rejects are recorded in the
// transaction of the direct COPY; when that COPY fails the fallback records them instead, so
// ingest_errors gets them exactly once on either path.
func TestPartialWriteFallbackRecordsRejectsOnce(t *testing.T) {
	st := directStore(t)
	ctx := context.Background()
	w := NewWriter(st.Pool(), st, Options{AllowPartial: true})
	if res, err := w.Write(ctx, "builds", directBuilds(seq(0, 10)...)); err != nil || res.Stored != 10 {
		t.Fatalf("first batch = %+v, %v", res, err)
	}
	batch := directBuilds(seq(5, 20)...)
	batch[3] = json.RawMessage(`{"source":"ci","external_id":"bad","status":"weird"}`) // was b-8
	res, err := w.Write(ctx, "builds", batch)
	// b-5, b-6, b-7 and b-9 are stored already; b-10 … b-19 are new.
	if err != nil || res.Stored != 10 || res.Duplicates != 4 || len(res.Rejected) == 0 {
		t.Fatalf("partial batch over stored rows = %+v, %v", res, err)
	}
	if n := queryInt(t, st, "SELECT count(*) FROM ingest_errors WHERE table_name = 'builds'"); n != len(res.Rejected) {
		t.Fatalf("ingest_errors has %d rows, want %d", n, len(res.Rejected))
	}
	if n := queryInt(t, st, "SELECT count(*) FROM builds"); n != 20 {
		t.Fatalf("%d rows, want 20", n)
	}
	// New rows plus a bad one: the direct COPY succeeds and its transaction records the rejects.
	logged := len(res.Rejected)
	batch = directBuilds(seq(20, 30)...)
	batch[0] = json.RawMessage(`{"source":"ci","external_id":"bad","status":"weird"}`) // was b-20
	res, err = w.Write(ctx, "builds", batch)
	if err != nil || res.Stored != 9 || res.Duplicates != 0 || len(res.Rejected) == 0 {
		t.Fatalf("partial batch of new rows = %+v, %v", res, err)
	}
	if n := queryInt(t, st, "SELECT count(*) FROM ingest_errors WHERE table_name = 'builds'"); n != logged+len(res.Rejected) {
		t.Fatalf("ingest_errors has %d rows, want %d", n, logged+len(res.Rejected))
	}
}

// TestSortedEventsKeepsCallerSlice: rows out of order are sorted by time, then source and
// external_id byte-wise, in a copy; rows already in order are returned as they are.
func TestSortedEventsKeepsCallerSlice(t *testing.T) {
	tb, _ := Lookup("builds")
	v := Validate(tb, directBuilds(2, 0, 1), DefaultSource)
	got := sortedEvents(tb, v.Rows)
	for i, want := range []string{"b-0", "b-1", "b-2"} {
		if got[i].Get("external_id") != want {
			t.Fatalf("sorted[%d] = %v, want %s", i, got[i].Get("external_id"), want)
		}
	}
	if v.Rows[0].Get("external_id") != "b-2" {
		t.Fatal("sortedEvents reordered the caller's slice")
	}
	if again := sortedEvents(tb, got); &again[0] != &got[0] {
		t.Fatal("sortedEvents copied rows that were already in order")
	}
	// Same time: source, then external_id, byte-wise ("B" < "a").
	same := []json.RawMessage{
		json.RawMessage(`{"source":"x","external_id":"a","finished_at":"2026-03-11T09:00:00Z","started_at":"2026-03-11T08:00:00Z","pipeline":"p","repo":"r","service":"s","team":"t","tech_stack":"go","status":"success","duration_seconds":1}`),
		json.RawMessage(`{"source":"x","external_id":"B","finished_at":"2026-03-11T09:00:00Z","started_at":"2026-03-11T08:00:00Z","pipeline":"p","repo":"r","service":"s","team":"t","tech_stack":"go","status":"success","duration_seconds":1}`),
		json.RawMessage(`{"source":"W","external_id":"z","finished_at":"2026-03-11T09:00:00Z","started_at":"2026-03-11T08:00:00Z","pipeline":"p","repo":"r","service":"s","team":"t","tech_stack":"go","status":"success","duration_seconds":1}`),
	}
	v = Validate(tb, same, "")
	got = sortedEvents(tb, v.Rows)
	for i, want := range []string{"z", "B", "a"} {
		if got[i].Get("external_id") != want {
			t.Fatalf("same-time sorted[%d] = %v, want %s", i, got[i].Get("external_id"), want)
		}
	}
}
