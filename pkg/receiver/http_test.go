package receiver

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
	"google.golang.org/protobuf/proto"
)

// fixedNow is the receiver's clock in tests.
var fixedNow = ts("2026-11-27T00:00:00Z")

var testCfg = Config{
	GitHubSecret:    []byte("gh-secret"),
	GitLabToken:     []byte("gl-token"),
	PagerDutySecret: []byte("pd-secret"),
	IncidentToken:   []byte("inc-token"),
}

type env struct {
	st  *store.Store
	rcv *Receiver
	mux *http.ServeMux
}

// newEnv migrates a fresh database, maps octo-org/octo-repo (table) and returns the endpoints.
func newEnv(t testing.TB, cfg Config) *env {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	st, err := store.Open(ctx, store.ConfigFromDSN(db.DSN, ""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO platformlens.receiver_repo_map (name, team, tech_stack, product_line, service)
		VALUES ('octo-org/octo-repo', 'checkout', 'java', 'commerce', 'checkout-api'), ('API Service', 'sre', 'go', 'core', NULL)`); err != nil {
		t.Fatal(err)
	}
	rcv := New(st, ingest.NewWriter(st.Pool(), st, ingest.Options{}), func() time.Time { return fixedNow }, nil)
	if err := rcv.Mapper.Load(ctx, st.Pool(), st.Schema()); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	NewHandler(rcv, cfg).Mount(mux)
	return &env{st: st, rcv: rcv, mux: mux}
}

// delivery is one request as the tool sends it.
type delivery struct {
	path    string
	body    []byte
	headers map[string]string
}

func githubDelivery(event string, body []byte, secret string) delivery {
	return delivery{path: "/webhooks/github", body: body, headers: map[string]string{
		"X-GitHub-Event": event, "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
		"X-Hub-Signature-256": "sha256=" + Sign([]byte(secret), body), "Content-Type": "application/json"}}
}

func gitlabDelivery(body []byte, token string) delivery {
	return delivery{path: "/webhooks/gitlab", body: body, headers: map[string]string{"X-Gitlab-Token": token, "Content-Type": "application/json"}}
}

func pagerdutyDelivery(body []byte, secret string) delivery {
	return delivery{path: "/webhooks/pagerduty", body: body, headers: map[string]string{
		"X-PagerDuty-Signature": "v1=0000000000000000000000000000000000000000000000000000000000000000, v1=" + Sign([]byte(secret), body),
		"Content-Type":          "application/json"}}
}

func incidentDelivery(body []byte, token string) delivery {
	return delivery{path: "/webhooks/incident", body: body, headers: map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}}
}

func otlpDelivery(path string, body []byte, contentType string) delivery {
	return delivery{path: path, body: body, headers: map[string]string{"Content-Type": contentType}}
}

func (e *env) send(t testing.TB, d delivery) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, d.path, bytes.NewReader(d.body))
	for k, v := range d.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	var out map[string]any
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s answered invalid JSON %q: %v", d.path, rec.Body.String(), err)
		}
	}
	return rec.Code, out
}

func (e *env) count(t testing.TB, table string) int {
	t.Helper()
	var n int
	if err := e.st.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+pgx.Identifier{"platformlens", table}.Sanitize()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// row reads the stored row of table with external_id as column → value.
func (e *env) row(t testing.TB, table, externalID string) map[string]any {
	t.Helper()
	rows, err := e.st.Pool().Query(context.Background(), "SELECT * FROM "+pgx.Identifier{"platformlens", table}.Sanitize()+" WHERE external_id = $1", externalID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToMap)
	if err != nil || len(got) != 1 {
		t.Fatalf("%s row %s: %d rows, %v", table, externalID, len(got), err)
	}
	for k, v := range got[0] {
		if tm, ok := v.(time.Time); ok {
			got[0][k] = tm.UTC()
		}
	}
	return got[0]
}

func checkRow(t *testing.T, got, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s = %#v, want %#v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("row has %d columns, the test checks %d: check every field (%v)", len(got), len(want), got)
	}
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func protoBody(t testing.TB, fixtureName string) []byte {
	spans, err := decodeTracesJSON(fixture(t, fixtureName))
	if err != nil {
		t.Fatal(err)
	}
	b, err := proto.Marshal(protoRequest(t, spans))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
