package main

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/api"
	"github.com/platformlens/platformlens-analytics-app/pkg/delivery"
	"github.com/platformlens/platformlens-analytics-app/pkg/metrics"
)

func init() {
	serveMounts = append(serveMounts, mountReportsAPI)
}

// schedulerEvery is how often serve checks for due report schedules.
const schedulerEvery = time.Minute

// mountReportsAPI adds the keyed REST/GraphQL API, the admin API (when PLATFORMLENS_ADMIN_TOKEN
// is set) and starts the report scheduler, which stops with ctx.
func mountReportsAPI(ctx context.Context, mux *http.ServeMux, deps serveDeps) error {
	s, err := api.New(deps.Store, deps.Logger, deps.Now)
	if err != nil {
		return err
	}
	s.Register(mux)
	schedules := delivery.Store{DB: deps.Store.Pool()}
	if token := os.Getenv("PLATFORMLENS_ADMIN_TOKEN"); token != "" {
		(&api.Admin{Token: token, Keys: api.Keys{DB: deps.Store.Pool()}, Schedules: schedules, Now: deps.Now}).Register(mux)
	} else {
		deps.Logger.Info("admin API off: set PLATFORMLENS_ADMIN_TOKEN to manage API keys and report schedules over HTTP (the CLI works without)")
	}
	smtp, err := delivery.SMTPFromEnv()
	if err != nil {
		return err
	}
	sched := &delivery.Scheduler{Store: schedules, Engine: metrics.NewEngine(deps.Store), SMTP: smtp, Now: deps.Now, Log: deps.Logger}
	go sched.Loop(ctx, schedulerEvery)
	return nil
}
