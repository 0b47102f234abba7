package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestServeHealthzAndGracefulShutdown runs the real command on a real socket: it answers
// /healthz, and cancelling its context (what SIGINT/SIGTERM do in main) ends it with status 0.
func TestServeHealthzAndGracefulShutdown(t *testing.T) {
	db := testdb.New(t)
	t.Setenv("PLATFORMLENS_DSN", db.DSN)
	if code, _, errOut := run(t, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var out, errOut bytes.Buffer
	go func() { done <- runMain(ctx, []string{"serve", "--listen", addr}, &out, &errOut) }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
				t.Fatalf("healthz: %d %s", resp.StatusCode, body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never answered: %v (stderr %q)", err, errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errOut.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
}

func TestServeRefusesUnmigratedSchema(t *testing.T) {
	db := testdb.New(t)
	code, _, errOut := run(t, "serve", "--dsn", db.DSN, "--listen", freeAddr(t))
	if code != 1 || !strings.Contains(errOut, "platformlens migrate") {
		t.Fatalf("unmigrated: code %d, stderr %q", code, errOut)
	}
}

func TestLimitBodyRejectsOversizedRequests(t *testing.T) {
	h := limitBody(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		}
	}), 10)
	for _, tc := range []struct {
		name   string
		chunk  bool
		status int
	}{{"declared length", false, 413}, {"chunked", true, 413}} {
		req := httptest.NewRequest("POST", "/x", strings.NewReader(strings.Repeat("a", 11)))
		if tc.chunk {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d", tc.name, rec.Code)
		}
	}
}
