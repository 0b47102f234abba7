package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

// cliNow is the CLI's clock and liveWait the live demo's sleep; tests replace both so a live
// demo runs simulated minutes without sleeping.
var (
	cliNow   = time.Now
	liveWait func(ctx context.Context, until time.Time) error // nil: real sleeping
)

// runLive runs the live demo until ctx ends (Ctrl-C / SIGTERM), printing one line per step that
// stored rows, and touching heartbeat (when set) after each step.
func runLive(ctx context.Context, st *store.Store, seed uint64, heartbeat string, out io.Writer) error {
	fmt.Fprintln(out, "live demo: writing new events every minute (a scripted outage at minute 20 of every even hour); Ctrl-C stops")
	live := demo.NewLive(st, demo.LiveOptions{Seed: seed, Now: cliNow})
	err := live.Run(ctx, liveWait, func(s demo.LiveStep) {
		if heartbeat != "" {
			now := cliNow()
			if err := os.Chtimes(heartbeat, now, now); err != nil {
				_ = os.WriteFile(heartbeat, nil, 0o644)
			}
		}
		if s.Stored == 0 {
			return
		}
		state := ""
		if s.Degraded {
			state = "  (scripted outage)"
		}
		fmt.Fprintf(out, "%s  %d new rows%s\n", s.To.Format("15:04"), s.Stored, state)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "live demo stopped")
	return nil
}
