package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

var benchStacks = []string{"java", "dotnet", "python", "javascript", "go", "rust", "cpp", "ruby"}
var benchStatus = []string{"success", "success", "success", "success", "success", "success", "failure", "cancelled"}

// benchBatch returns batch number b of 1,000 realistic builds events (distinct keys per batch).
func benchBatch(b int) []json.RawMessage {
	rows := make([]json.RawMessage, 1000)
	for i := range rows {
		n := b*1000 + i
		fin := t0.Add(time.Duration(n) * 500 * time.Millisecond)
		stack := benchStacks[n%len(benchStacks)]
		rows[i] = json.RawMessage(fmt.Sprintf(`{"source":"github","external_id":"run-%d","finished_at":%q,"started_at":%q,`+
			`"pipeline":"main","repo":"service-%d","service":"service-%d","team":"team-%d","tech_stack":%q,`+
			`"status":%q,"queue_seconds":%.1f,"duration_seconds":%.1f}`,
			n, fin.Format(time.RFC3339Nano), fin.Add(-7*time.Minute).Format(time.RFC3339Nano),
			n%120, n%120, n%40, stack, benchStatus[n%len(benchStatus)], float64(n%60)/2, 200+float64(n%900)))
	}
	return rows
}

// BenchmarkIngest writes b.N batches of 1,000 builds through Writer (validation, one COPY into
// builds — the staging table and INSERT … ON CONFLICT only after a duplicate key, which these
// batches never have —, background rollup refresh, final Flush) and, interleaved batch by batch
// (alternating which goes first) so that both see the same machine load, COPYs the same rows
// (already decoded, so without our validation) into two scratch tables: one with builds' indexes
// and constraints (the baseline: the same work for the database minus our path) and a bare
// unlogged heap (an upper bound). The log line carries the load average before and after.
// Run: go test ./pkg/ingest -run '^$' -bench Ingest -benchtime 100x
func BenchmarkIngest(b *testing.B) {
	st := migratedStore(b)
	ctx := context.Background()
	table, _ := ingest.Lookup("builds")
	batches := make([][]json.RawMessage, b.N)
	decoded := make([][][]any, b.N)
	for i := range batches {
		batches[i] = benchBatch(i)
		for _, r := range ingest.Validate(table, batches[i], "api").Rows {
			decoded[i] = append(decoded[i], r.Values)
		}
	}
	for _, ddl := range []string{"CREATE TABLE scratch (LIKE builds INCLUDING ALL)", "CREATE UNLOGGED TABLE bare (LIKE builds)"} {
		if _, err := st.Pool().Exec(ctx, ddl); err != nil {
			b.Fatal(err)
		}
	}
	rawCopy := func(name string, rows [][]any) time.Duration {
		start := time.Now()
		if _, err := st.Pool().CopyFrom(ctx, pgx.Identifier{name}, table.ColumnNames(), pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{})

	var writer, indexed, bare time.Duration
	// Per-batch times too: on a shared machine a burst of other load can hit a few batches of one
	// side, which the sums above take in full and the medians below shrug off.
	writerBatch, indexedBatch := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
	loadBefore := loadavg()
	b.ResetTimer()
	for i, batch := range batches {
		// Alternate which side goes first, so that neither always runs right after the other's
		// commit (WAL flush, checkpoints, the background refresh) and the order biases neither.
		if i%2 == 1 {
			indexedBatch = append(indexedBatch, rawCopy("scratch", decoded[i]))
			bare += rawCopy("bare", decoded[i])
		}
		start := time.Now()
		res, err := w.Write(ctx, "builds", batch)
		if err != nil || res.Stored != len(batch) {
			b.Fatalf("write: %+v, %v", res, err)
		}
		writerBatch = append(writerBatch, time.Since(start))
		if i%2 == 0 {
			indexedBatch = append(indexedBatch, rawCopy("scratch", decoded[i]))
			bare += rawCopy("bare", decoded[i])
		}
	}
	start := time.Now()
	if err := w.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	flush := time.Since(start)
	for i := range writerBatch {
		writer += writerBatch[i]
		indexed += indexedBatch[i]
	}
	writer += flush
	// The median ratio charges the Flush to the batches evenly.
	medianRatio := median(indexedBatch).Seconds() / (median(writerBatch) + flush/time.Duration(b.N)).Seconds()
	b.StopTimer()

	events := float64(b.N * 1000)
	writerRate, indexedRate, bareRate := events/writer.Seconds(), events/indexed.Seconds(), events/bare.Seconds()
	b.ReportMetric(writerRate, "events/s")
	b.ReportMetric(indexedRate, "rawcopy_events/s")
	b.ReportMetric(writerRate/indexedRate, "ratio")
	b.ReportMetric(medianRatio, "median_ratio")
	b.Logf("Writer: %.0f events/s; raw COPY into an indexed copy of builds: %.0f events/s (ratio %.2f); "+
		"raw COPY into a bare unlogged heap: %.0f events/s (ratio %.2f); %d batches of 1,000; "+
		"Writer time %v of which the final Flush %v; ratio of the per-batch medians %.2f; "+
		"load average before %s, after %s",
		writerRate, indexedRate, writerRate/indexedRate, bareRate, writerRate/bareRate, b.N,
		writer.Round(time.Millisecond), flush.Round(time.Millisecond), medianRatio, loadBefore, loadavg())
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// loadavg returns the 1, 5 and 15 minute load averages (/proc/loadavg), printed beside the
// figures: on a shared machine they say how much the other load may have moved them.
func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
