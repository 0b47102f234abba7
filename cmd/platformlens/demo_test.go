package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/internal/testdb"
)

// fixedNow is the clock of the CLI tests that need one.
var fixedNow = time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)

// migrated returns the DSN of a fresh migrated test database and sets PLATFORMLENS_DSN to it.
func migrated(t *testing.T) string {
	t.Helper()
	db := testdb.New(t)
	t.Setenv("PLATFORMLENS_DSN", db.DSN)
	if code, _, errOut := run(t, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	return db.DSN
}

// TestDemoLiveStopsCleanly runs `demo --live --skip-load` for 5 simulated minutes at a fixed
// clock; cancelling the context (what SIGINT/SIGTERM do) ends it with exit status 0.
func TestDemoLiveStopsCleanly(t *testing.T) {
	migrated(t)
	now := fixedNow
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cliNow = func() time.Time { return now }
	liveWait = func(ctx context.Context, until time.Time) error {
		if until.Sub(fixedNow) > 5*time.Minute {
			cancel() // the signal
			return ctx.Err()
		}
		now = until
		return nil
	}
	t.Cleanup(func() { cliNow, liveWait = time.Now, nil })
	beat := filepath.Join(t.TempDir(), "beat")
	var out, errOut bytes.Buffer
	code := runMain(ctx, []string{"demo", "--live", "--skip-load", "--heartbeat", beat}, &out, &errOut)
	if code != 0 {
		t.Fatalf("demo --live: code %d, stderr %q", code, errOut.String())
	}
	if n := strings.Count(out.String(), "new rows"); n < 5 || !strings.HasSuffix(out.String(), "live demo stopped\n") {
		t.Fatalf("demo --live wrote %d step lines:\n%s", n, out.String())
	}
	if fi, err := os.Stat(beat); err != nil || !fi.ModTime().Equal(now) {
		t.Fatalf("heartbeat not touched at the clock's time: %v", err)
	}
	code, _, stderr := run(t, "demo", "--skip-load")
	if code != 2 || !strings.Contains(stderr, "only apply with --live") {
		t.Fatalf("--skip-load without --live: code %d, %q", code, stderr)
	}
}
