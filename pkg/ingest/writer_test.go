package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// migratedStore returns a store on a fresh, migrated database.
func migratedStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.Config{DSN: db.DSN, MaxConns: 12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return st
}

// t0 is a fixed hour: test databases keep TimescaleDB's retention and compression jobs
// unscheduled (internal/testdb), so no policy touches the rows by the real clock.
var t0 = time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC)

// buildRow is a valid builds event numbered i.
func buildRow(i int) json.RawMessage {
	fin := t0.Add(time.Duration(i) * time.Second)
	return json.RawMessage(fmt.Sprintf(`{"external_id":"b-%d","finished_at":%q,"started_at":%q,
		"pipeline":"main","repo":"checkout","service":"checkout","team":"payments","tech_stack":"go",
		"status":"success","queue_seconds":2,"duration_seconds":%d}`,
		i, fin.Format(time.RFC3339), fin.Add(-5*time.Minute).Format(time.RFC3339), 300+i%50))
}

func buildRows(from, to int) []json.RawMessage {
	var rows []json.RawMessage
	for i := from; i < to; i++ {
		rows = append(rows, buildRow(i))
	}
	return rows
}

func count(t testing.TB, st *store.Store, sql string) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestWriteStoresThenResendIsDuplicate(t *testing.T) {
	st := migratedStore(t)
	ctx := context.Background()
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{Source: "ci"})
	rows := buildRows(0, 100)
	res, err := w.Write(ctx, "builds", rows)
	if err != nil || res.Stored != 100 || res.Duplicates != 0 || len(res.Rejected) != 0 {
		t.Fatalf("first write = %+v, %v", res, err)
	}
	res, err = w.Write(ctx, "builds", rows)
	if err != nil || res.Stored != 0 || res.Duplicates != 100 {
		t.Fatalf("re-send = %+v, %v", res, err)
	}
	// Overlap plus a repeat inside the batch: 50 new, 50 old, 1 repeat.
	mixed := append(buildRows(50, 150), buildRow(149))
	res, err = w.Write(ctx, "builds", mixed)
	if err != nil || res.Stored != 50 || res.Duplicates != 51 {
		t.Fatalf("overlap = %+v, %v", res, err)
	}
	if n := count(t, st, "SELECT count(*) FROM builds WHERE source = 'ci'"); n != 150 {
		t.Fatalf("stored %d rows, want 150", n)
	}
	// Rollups follow after Flush.
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, "SELECT coalesce(sum(builds), 0)::int FROM builds_daily"); n != 150 {
		t.Fatalf("builds_daily counts %d builds, want 150", n)
	}
}

func TestWriteRejectsWholeBatchUnlessPartial(t *testing.T) {
	st := migratedStore(t)
	ctx := context.Background()
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{Source: "ci"})
	rows := buildRows(0, 10)
	rows[3] = json.RawMessage(`{"external_id":"x","status":"weird"}`)
	rows[7] = json.RawMessage(`not json`)

	res, err := w.Write(ctx, "builds", rows)
	if !errors.Is(err, ingest.ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	if res.Stored != 0 || count(t, st, "SELECT count(*) FROM builds") != 0 {
		t.Fatalf("rows stored from a rejected batch: %+v", res)
	}
	idx := map[int]bool{}
	fields := map[string]bool{}
	for _, e := range res.Rejected {
		idx[e.Index] = true
		fields[e.Field] = true
	}
	if len(idx) != 2 || !idx[3] || !idx[7] || !fields["status"] || !fields["finished_at"] {
		t.Fatalf("rejected = %+v", res.Rejected)
	}
	logged := count(t, st, "SELECT count(*) FROM ingest_errors WHERE table_name = 'builds' AND row_index IN (3, 7)")
	if logged != len(res.Rejected) {
		t.Fatalf("ingest_errors has %d rows, want %d", logged, len(res.Rejected))
	}

	rejectedBefore := len(res.Rejected)
	partial := w.WithOptions(ingest.Options{Source: "ci", AllowPartial: true})
	res, err = partial.Write(ctx, "builds", rows)
	if err != nil || res.Stored != 8 || res.Duplicates != 0 || len(res.Rejected) != rejectedBefore {
		t.Fatalf("partial = %+v, %v", res, err)
	}
	if n := count(t, st, "SELECT count(*) FROM builds"); n != 8 {
		t.Fatalf("stored %d, want 8", n)
	}
}

func TestWriteUnknownTableAndTooLarge(t *testing.T) {
	w := ingest.NewWriter(nil, nil, ingest.Options{})
	if _, err := w.Write(context.Background(), "pg_authid", nil); !errors.Is(err, ingest.ErrUnknownTable) {
		t.Fatalf("err = %v", err)
	}
	big := make([]json.RawMessage, ingest.MaxBatchRows+1)
	if _, err := w.Write(context.Background(), "builds", big); !errors.Is(err, ingest.ErrBatchTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

func TestWriteDimensionsUpsert(t *testing.T) {
	st := migratedStore(t)
	ctx := context.Background()
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{})
	rows := []json.RawMessage{
		json.RawMessage(`{"name":"Harness CD","category":"cd","is_pipeline":true,"monthly_budget":1000}`),
		json.RawMessage(`{"name":"Wiz","category":"cloud_security","monthly_budget":500}`),
	}
	if res, err := w.Write(ctx, "platforms", rows); err != nil || res.Stored != 2 {
		t.Fatalf("insert = %+v, %v", res, err)
	}
	if res, err := w.Write(ctx, "platforms", rows); err != nil || res.Stored != 0 || res.Duplicates != 2 {
		t.Fatalf("re-send = %+v, %v", res, err)
	}
	rows[1] = json.RawMessage(`{"name":"Wiz","category":"cloud_security","monthly_budget":750}`)
	if res, err := w.Write(ctx, "platforms", rows); err != nil || res.Stored != 1 || res.Duplicates != 1 {
		t.Fatalf("change = %+v, %v", res, err)
	}
	if n := count(t, st, "SELECT monthly_budget::int FROM platforms WHERE name = 'Wiz'"); n != 750 {
		t.Fatalf("budget %d", n)
	}
	f := []json.RawMessage{json.RawMessage(`{"name":"onboarding","title":"Onboarding","steps":["a","b"],"conversion_window":"3 days"}`)}
	if res, err := w.Write(ctx, "funnels", f); err != nil || res.Stored != 1 {
		t.Fatalf("funnel = %+v, %v", res, err)
	}
	if n := count(t, st, "SELECT extract(epoch FROM conversion_window)::int FROM funnels"); n != 3*86400 {
		t.Fatalf("window %d", n)
	}
}

// Eight writers each send overlapping batches, and each retries every batch (as a client whose
// response got lost would): the table must end up with every unique event exactly once.
func TestConcurrentWritersWithRetries(t *testing.T) {
	st := migratedStore(t)
	ctx := context.Background()
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{Source: "ci"})
	const writers, batches, size, overlap = 8, 6, 500, 250
	var wg sync.WaitGroup
	var mu sync.Mutex
	stored := 0
	errs := make(chan error, writers)
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				// Writer g covers [g*1500 + b*250, +500): neighbours and consecutive batches overlap.
				start := g*batches*overlap + b*overlap
				rows := buildRows(start, start+size)
				for attempt := 0; attempt < 2; attempt++ {
					res, err := w.Write(ctx, "platform_probes", probeRows(rows))
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					stored += res.Stored
					mu.Unlock()
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	unique := writers*batches*overlap + (size - overlap)
	if n := count(t, st, "SELECT count(*) FROM platform_probes"); n != unique || stored != unique {
		t.Fatalf("table has %d rows, writers reported %d stored; want %d", n, stored, unique)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, st, "SELECT sum(probes)::int FROM platform_probes_hourly"); n != unique {
		t.Fatalf("hourly rollup counts %d probes, want %d", n, unique)
	}
}

// probeRows turns build rows into probe rows with the same numbering (keys and times).
func probeRows(buildRows []json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, len(buildRows))
	for i, r := range buildRows {
		var b struct {
			ExternalID string `json:"external_id"`
			FinishedAt string `json:"finished_at"`
		}
		_ = json.Unmarshal(r, &b)
		out[i] = json.RawMessage(fmt.Sprintf(`{"external_id":%q,"probed_at":%q,"platform":"GitHub Enterprise","status":"operational","response_ms":120,"error":false}`,
			b.ExternalID, b.FinishedAt))
	}
	return out
}
