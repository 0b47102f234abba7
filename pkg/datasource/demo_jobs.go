package datasource

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
)

// newDemoJobs runs the background demo loads of one datasource instance (POST/GET /demo; the
// runner is demo.Jobs) and explains a failed load for the Configuration page.
func newDemoJobs() *demo.Jobs { return demo.NewJobs(explainDemoFailure) }

// startDemo starts a load of tier and seed, ending at end, with eng; a load still running is a
// 409 naming it, a disposed instance a 503.
func startDemo(jobs *demo.Jobs, eng Engine, tier string, seed int64, end time.Time) (demo.Job, error) {
	job, err := jobs.Start(tier, seed, func(ctx context.Context, progress func(demo.Progress)) (demo.Result, error) {
		return eng.Demo(ctx, tier, seed, end, progress)
	})
	var busy *demo.BusyError
	switch {
	case errors.Is(err, demo.ErrJobsStopped):
		return demo.Job{}, &httpError{status: http.StatusServiceUnavailable,
			msg: "the datasource instance was disposed (settings changed)", hint: "retry the request"}
	case errors.As(err, &busy):
		return demo.Job{}, &httpError{status: http.StatusConflict, msg: busy.Error(),
			hint:  "wait for it to finish; GET /demo shows its progress",
			extra: map[string]any{"job": busy.Job}}
	}
	return job, err
}

// explainDemoFailure logs a failed load and turns its error into the message and hint a person
// reads on the Configuration page.
func explainDemoFailure(j demo.Job, err error) (msg, hint string) {
	log.DefaultLogger.Warn("demo load failed", "job", j.ID, "tier", j.Tier, "error", err)
	var he *httpError
	var ee *explainedError
	hint = "fix the cause and load the demo data again; each table's demo rows are replaced in one transaction"
	switch {
	case errors.Is(err, demo.ErrJobsStopped):
		return "the demo load was cancelled because the datasource instance was disposed (its settings changed or Grafana stopped)",
			"load the demo data again; tables already loaded keep their demo rows, the interrupted one was rolled back"
	case errors.As(err, &he):
		return he.msg, he.hint
	case errors.As(err, &ee):
		return err.Error(), hint
	default:
		return dbError(err).Error(), hint
	}
}
