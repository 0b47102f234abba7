package datasource

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// instanceSettings builds Grafana instance settings from jsonData and secureJsonData.
func instanceSettings(t *testing.T, jsonData map[string]any, secure map[string]string) backend.DataSourceInstanceSettings {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	return backend.DataSourceInstanceSettings{UID: "platformlens", Name: "PlatformLens", JSONData: raw, DecryptedSecureJSONData: secure}
}

// dbJSON is the jsonData that points at a test database on the trust-auth server.
func dbJSON(db *testdb.Database) map[string]any {
	port, _ := strconv.Atoi(db.Port)
	return map[string]any{"host": db.Host, "port": port, "database": db.Name, "user": db.User,
		"sslMode": "disable", "maxConns": 4, "statementTimeoutSeconds": 10}
}

// newDBDatasource opens a datasource with the real engine on a fresh test database.
func newDBDatasource(t *testing.T) (*Datasource, *testdb.Database) {
	t.Helper()
	db := testdb.New(t)
	d := New(instanceSettings(t, dbJSON(db), nil), OpenEngine)
	d.Now = func() time.Time { return testNow }
	t.Cleanup(d.Dispose)
	return d, db
}

// migrate runs the migration through the datasource's own route, as an Admin would.
func migrate(t *testing.T, d *Datasource) {
	t.Helper()
	if code, body := call(t, d, "Admin", "POST", "/migrate", nil); code != http.StatusOK {
		t.Fatalf("POST /migrate = %d %s", code, body)
	}
}

// fakeSender collects what a CallResource handler sends back, as Grafana's gRPC stream would.
type fakeSender struct {
	status int
	header map[string][]string
	body   []byte
}

func (s *fakeSender) Send(r *backend.CallResourceResponse) error {
	if r.Status != 0 {
		s.status = r.Status
	}
	if r.Headers != nil {
		s.header = r.Headers
	}
	s.body = append(s.body, r.Body...)
	return nil
}

// call sends a resource request through CallResource with the given Grafana role ("" = no user).
func call(t *testing.T, d *Datasource, role, method, path string, body []byte) (int, []byte) {
	t.Helper()
	pc := backend.PluginContext{OrgID: 1, PluginID: PluginID}
	if role != "" {
		pc.User = &backend.User{Login: "u-" + role, Role: role}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s := &fakeSender{}
	// Grafana sends the path without and the URL with the query string.
	p, _, _ := strings.Cut(path, "?")
	err := d.CallResource(ctx, &backend.CallResourceRequest{PluginContext: pc, Method: method, Path: p, URL: path, Body: body}, s)
	if err != nil {
		t.Fatalf("CallResource %s %s: %v", method, path, err)
	}
	return s.status, s.body
}

// errorJSON decodes an {error, hint} answer and fails when it is not one.
func errorJSON(t *testing.T, body []byte) (msg, hint string) {
	t.Helper()
	var e struct {
		Error string `json:"error"`
		Hint  string `json:"hint"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Fatalf("answer is not a JSON error {error, hint}: %s (%v)", body, err)
	}
	return e.Error, e.Hint
}
