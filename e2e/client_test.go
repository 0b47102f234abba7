// Package e2e holds API-level end-to-end tests that run against a real Grafana server started by
// scripts/e2e-grafana.sh (see scripts/e2e.sh). They talk HTTP to 127.0.0.1 only.
package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// grafana is a small HTTP client for one Grafana user.
type grafana struct {
	base       string
	user, pass string
	http       *http.Client
}

// env reads the connection written by the harness; tests skip when it is absent so that
// `go test ./...` in this module is harmless outside scripts/e2e.sh.
func adminClient(t *testing.T) *grafana {
	t.Helper()
	base := os.Getenv("GRAFANA_URL")
	if base == "" {
		t.Skip("GRAFANA_URL is not set: run scripts/e2e.sh, which starts Grafana and sets it")
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("GRAFANA_URL %q is not on 127.0.0.1: these tests only talk to a local server", base)
	}
	return &grafana{
		base: strings.TrimRight(base, "/"),
		user: envOr("GRAFANA_ADMIN_USER", "admin"),
		pass: os.Getenv("GRAFANA_ADMIN_PASSWORD"),
		http: &http.Client{Timeout: 60 * time.Second},
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// as returns a client for another user of the same server.
func (g *grafana) as(user, pass string) *grafana {
	c := *g
	c.user, c.pass = user, pass
	return &c
}

// do sends a JSON request and returns the status and body. Transport errors fail the test.
func (g *grafana) do(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("encode %s %s body: %v", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, g.base+path, rd)
	if err != nil {
		t.Fatalf("build request %s %s: %v", method, path, err)
	}
	req.SetBasicAuth(g.user, g.pass)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s %s: %v", method, path, err)
	}
	return resp.StatusCode, b
}

// getJSON requires a 200 answer and decodes it into out.
func (g *grafana) getJSON(t *testing.T, path string, out any) {
	t.Helper()
	g.mustJSON(t, http.MethodGet, path, nil, out)
}

// mustJSON requires a 2xx answer and decodes it into out (when out is not nil).
func (g *grafana) mustJSON(t *testing.T, method, path string, body, out any) {
	t.Helper()
	status, b := g.do(t, method, path, body)
	if status/100 != 2 {
		t.Fatalf("%s %s as %s: HTTP %d: %s", method, path, g.user, status, truncate(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, truncate(b), err)
		}
	}
}

func truncate(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + fmt.Sprintf("… (%d bytes)", len(b))
	}
	return string(b)
}

// eventually polls check every interval until it returns true or the timeout passes; the last
// description returned by check explains a timeout.
func eventually(t *testing.T, timeout, interval time.Duration, what string, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for {
		ok, desc := check()
		if ok {
			t.Logf("%s: reached (%s)", what, desc)
			return
		}
		last = desc
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s; last state: %s", what, timeout, last)
		}
		time.Sleep(interval)
	}
}
