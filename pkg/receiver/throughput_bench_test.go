package receiver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tracecol "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
	"github.com/platformlens/platformlens-analytics-app/pkg/receiver"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// BenchmarkThroughput measures what `platformlens serve` sustains on this machine, over real
// loopback HTTP with keep-alive and 4 concurrent senders, against the ingest API path (the
// ingest.Writer the datasource's POST /ingest/{table} calls, without its HTTP layer, so the
// comparison is conservative) with the same rows per call:
//
//	webhooks: one signed GitHub workflow_run per request  vs  Writer.Write of 1 row
//	OTLP:     100 pipeline-run spans per protobuf request vs  Writer.Write of 100 rows
//
// Run: go test ./pkg/receiver -run '^$' -bench Throughput -benchtime 1x
// (PLATFORMLENS_BENCH_WEBHOOKS / PLATFORMLENS_BENCH_OTLP_REQUESTS change the counts).
func BenchmarkThroughput(b *testing.B) {
	ctx := context.Background()
	db := testdb.New(b)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	secret := []byte("bench-secret")
	w := ingest.NewWriter(st.Pool(), st, ingest.Options{})
	rcv := receiver.New(st, w, func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }, nil)
	mux := http.NewServeMux()
	receiver.NewHandler(rcv, receiver.Config{GitHubSecret: secret}).Mount(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}

	nHooks := envInt("PLATFORMLENS_BENCH_WEBHOOKS", 2000)
	nOTLP := envInt("PLATFORMLENS_BENCH_OTLP_REQUESTS", 100)
	const spansPerRequest = 100
	template, err := os.ReadFile("testdata/github_workflow_run_completed.json")
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		base := i * 10_000_000
		// Payloads and signatures are made before the clock starts: they are the sender's work.
		hooks := make([][2][]byte, nHooks)
		for k := range hooks {
			body := bytes.Replace(template, []byte(`"id": 30433642`), []byte(`"id": `+strconv.Itoa(base+k)), 1)
			hooks[k] = [2][]byte{body, []byte("sha256=" + receiver.Sign(secret, body))}
		}
		hookRate := run(b, nHooks, func(k int) error {
			req, _ := http.NewRequest("POST", srv.URL+"/webhooks/github", bytes.NewReader(hooks[k][0]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "workflow_run")
			req.Header.Set("X-Hub-Signature-256", string(hooks[k][1]))
			return expect(client.Do(req))(http.StatusAccepted)
		})
		rows := make([]json.RawMessage, nHooks)
		for k := range rows {
			rows[k] = buildRow(fmt.Sprintf("api-%d", base+k))
		}
		ingestRate := run(b, nHooks, func(k int) error {
			res, err := w.Write(ctx, "builds", rows[k:k+1])
			if err == nil && res.Stored != 1 {
				err = fmt.Errorf("stored %d", res.Stored)
			}
			return err
		})

		reqs := make([][]byte, nOTLP)
		for k := range reqs {
			reqs[k] = spanRequest(b, base+k, spansPerRequest)
		}
		spanRate := run(b, nOTLP, func(k int) error {
			req, _ := http.NewRequest("POST", srv.URL+"/v1/traces", bytes.NewReader(reqs[k]))
			req.Header.Set("Content-Type", "application/x-protobuf")
			return expect(client.Do(req))(http.StatusOK)
		}) * spansPerRequest
		batches := make([][]json.RawMessage, nOTLP)
		for k := range batches {
			for j := 0; j < spansPerRequest; j++ {
				batches[k] = append(batches[k], buildRow(fmt.Sprintf("api-batch-%d-%d", base+k, j)))
			}
		}
		batchRate := run(b, nOTLP, func(k int) error {
			_, err := w.Write(ctx, "builds", batches[k])
			return err
		}) * spansPerRequest

		b.ReportMetric(hookRate, "webhooks/s")
		b.ReportMetric(ingestRate, "ingest-1row/s")
		b.ReportMetric(spanRate, "otlp-spans/s")
		b.ReportMetric(batchRate, "ingest-100rows-events/s")
		fmt.Printf("receiver throughput (4 senders): webhooks %.0f/s vs ingest path %.0f/s (%.2f×); OTLP spans %.0f/s vs ingest path %.0f rows/s (%.2f×)\n",
			hookRate, ingestRate, hookRate/ingestRate, spanRate, batchRate, spanRate/batchRate)
	}
	if err := w.Flush(ctx); err != nil {
		b.Fatal(err)
	}
}

// run calls f(0..n-1) from 4 goroutines and returns calls per second.
func run(b *testing.B, n int, f func(k int) error) float64 {
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(next.Add(1) - 1); k < n; k = int(next.Add(1) - 1) {
				if err := f(k); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return float64(n) / time.Since(start).Seconds()
}

func expect(resp *http.Response, err error) func(int) error {
	return func(status int) error {
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != status {
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(resp.Body)
			return fmt.Errorf("status %d: %s", resp.StatusCode, buf.String())
		}
		_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
		return nil
	}
}

func buildRow(id string) json.RawMessage {
	return json.RawMessage(`{"source":"api","external_id":"` + id + `","finished_at":"2026-11-20T08:07:30Z","started_at":"2026-11-20T08:00:45Z",` +
		`"pipeline":"Build","repo":"octo-org/octo-repo","service":"octo-repo","team":"unassigned","tech_stack":"unassigned",` +
		`"status":"success","queue_seconds":45,"duration_seconds":405}`)
}

// spanRequest is an OTLP protobuf request with n pipeline-run spans of distinct ids.
func spanRequest(b *testing.B, seq, n int) []byte {
	str := func(k, v string) *commonpb.KeyValue {
		return &commonpb.KeyValue{Key: k, Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: v}}}
	}
	start := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	ss := &tracepb.ScopeSpans{}
	for j := 0; j < n; j++ {
		tid := []byte(fmt.Sprintf("%016d", seq))
		sid := []byte(fmt.Sprintf("%08d", j))
		ss.Spans = append(ss.Spans, &tracepb.Span{TraceId: tid, SpanId: sid, Name: "build",
			StartTimeUnixNano: uint64(start.UnixNano()), EndTimeUnixNano: uint64(start.Add(4 * time.Minute).UnixNano()),
			Attributes: []*commonpb.KeyValue{str("cicd.pipeline.name", "build"), str("cicd.pipeline.result", "success")}})
	}
	req := &tracecol.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{{
		Resource: &resourcepb.Resource{Attributes: []*commonpb.KeyValue{str("service.name", "shop-api"),
			str("vcs.repository.url.full", "https://github.com/octo-org/shop-api")}},
		ScopeSpans: []*tracepb.ScopeSpans{ss},
	}}}
	body, err := proto.Marshal(req)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(strings.TrimSpace(os.Getenv(name))); err == nil && v > 0 {
		return v
	}
	return def
}
