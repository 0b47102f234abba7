package datasource

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// Demo job states (DemoJob.State).
const (
	DemoRunning = "running"
	DemoDone    = "done"
	DemoFailed  = "failed"
)

// rollupsStep is the progress row of the rollup refresh that follows the tables (demo.Load
// reports it under this name).
const rollupsStep = "rollups"

// DemoJob is the answer of POST and GET /demo: one background demo load and how far it got.
type DemoJob struct {
	ID        string     `json:"id"`
	Tier      string     `json:"tier"`
	Seed      int64      `json:"seed"`
	State     string     `json:"state"` // running, done or failed
	StartedAt time.Time  `json:"startedAt"`
	EndedAt   *time.Time `json:"finishedAt,omitempty"`
	// ElapsedSeconds is the time since the start while running, the run time once finished.
	ElapsedSeconds float64             `json:"elapsedSeconds"`
	Tables         []DemoTableProgress `json:"tables"`
	Result         *demo.Result        `json:"result,omitempty"` // set when done
	Error          string              `json:"error,omitempty"`  // set when failed
	Hint           string              `json:"hint,omitempty"`
}

// DemoTableProgress is how far the load of one table (or the rollup refresh) got.
type DemoTableProgress struct {
	Table   string  `json:"table"`
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
	Done    bool    `json:"done"`
}

// demoRunner runs at most one demo load per datasource instance, in the background: tier M takes
// minutes, far longer than Grafana's resource proxy waits for an answer. The load runs under the
// runner's own context, not the request's (which ends with the 202), and stop cancels it when
// Grafana disposes the instance.
type demoRunner struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu  sync.Mutex
	job *DemoJob // current or last job, nil before the first; guarded by mu
}

func newDemoRunner() *demoRunner {
	ctx, cancel := context.WithCancel(context.Background())
	return &demoRunner{ctx: ctx, cancel: cancel}
}

// start begins a load of tier and seed, ending at end, with eng and returns the job as it starts. A load that is
// still running is a 409 naming it.
func (r *demoRunner) start(eng Engine, tier string, seed int64, end time.Time) (DemoJob, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return DemoJob{}, &httpError{status: http.StatusServiceUnavailable,
			msg: "the datasource instance was disposed (settings changed)", hint: "retry the request"}
	}
	if j := r.job; j != nil && j.State == DemoRunning {
		var rows int64
		for _, t := range j.Tables {
			rows += t.Rows
		}
		return DemoJob{}, &httpError{status: http.StatusConflict,
			msg: fmt.Sprintf("a demo load (tier %s, seed %d, job %s) started at %s is still running (%d rows so far)",
				j.Tier, j.Seed, j.ID, j.StartedAt.UTC().Format(time.RFC3339), rows),
			hint:  "wait for it to finish; GET /demo shows its progress",
			extra: map[string]any{"job": r.snapshotLocked()}}
	}
	job := &DemoJob{ID: newJobID(), Tier: tier, Seed: seed, State: DemoRunning, StartedAt: time.Now().UTC()}
	// Every event table is listed from the start (demo.Load replaces all of them), so a client can
	// draw the whole list before the first progress report arrives.
	for _, t := range ingest.Tables() {
		if t.Event {
			job.Tables = append(job.Tables, DemoTableProgress{Table: t.Name})
		}
	}
	job.Tables = append(job.Tables, DemoTableProgress{Table: rollupsStep})
	r.job = job
	r.wg.Add(1)
	go r.run(eng, job.ID, tier, seed, end)
	return r.snapshotLocked(), nil
}

// run loads the data and records the outcome; a panic fails the job instead of the plugin.
func (r *demoRunner) run(eng Engine, id, tier string, seed int64, end time.Time) {
	defer r.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			log.DefaultLogger.Error("demo load panicked", "job", id, "panic", p)
			r.finish(id, demo.Result{}, fmt.Errorf("the demo load crashed (%v); this is a plugin bug, see the Grafana server log", p))
		}
	}()
	res, err := eng.Demo(r.ctx, tier, seed, end, func(p demo.Progress) { r.progress(id, p) })
	r.finish(id, res, err)
}

// progress records a progress report of job id.
func (r *demoRunner) progress(id string, p demo.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil || r.job.ID != id {
		return
	}
	setRow(r.job, DemoTableProgress{Table: p.Table, Rows: p.Rows, Seconds: p.Elapsed.Seconds(), Done: p.Done})
}

// finish records the outcome of job id.
func (r *demoRunner) finish(id string, res demo.Result, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil || r.job.ID != id {
		return
	}
	j := r.job
	now := time.Now().UTC()
	j.EndedAt = &now
	j.ElapsedSeconds = now.Sub(j.StartedAt).Seconds()
	if err != nil {
		j.State = DemoFailed
		j.Error, j.Hint = r.explain(err)
		log.DefaultLogger.Warn("demo load failed", "job", id, "tier", j.Tier, "error", err)
		return
	}
	j.State = DemoDone
	j.Result = &res
	// The result is the authority on what was written, whatever the last progress tick said.
	for _, t := range res.Tables {
		setRow(j, DemoTableProgress{Table: t.Table, Rows: t.Rows, Seconds: t.Seconds, Done: true})
	}
	for i := range j.Tables {
		j.Tables[i].Done = true
	}
}

// setRow replaces the progress row of row.Table, or appends it for a step not listed up front.
func setRow(j *DemoJob, row DemoTableProgress) {
	for i := range j.Tables {
		if j.Tables[i].Table == row.Table {
			j.Tables[i] = row
			return
		}
	}
	j.Tables = append(j.Tables, row)
}

// explain turns a load error into the message and hint a person reads on the Configuration page.
func (r *demoRunner) explain(err error) (msg, hint string) {
	var he *httpError
	var ee *explainedError
	hint = "fix the cause and load the demo data again; each table's demo rows are replaced in one transaction"
	switch {
	case r.ctx.Err() != nil:
		// pgx reports a COPY cancelled mid-stream as a closed connection, not context.Canceled.
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

// current answers GET /demo: the current or last job, nil before the first.
func (r *demoRunner) current() *DemoJob {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil {
		return nil
	}
	j := r.snapshotLocked()
	return &j
}

// snapshotLocked copies the job (its slices too) so it can be marshalled without the lock.
func (r *demoRunner) snapshotLocked() DemoJob {
	j := *r.job
	j.Tables = append([]DemoTableProgress(nil), r.job.Tables...)
	if j.State == DemoRunning {
		j.ElapsedSeconds = time.Since(j.StartedAt).Seconds()
	}
	if r.job.Result != nil {
		res := *r.job.Result
		res.Tables = append([]demo.TableResult(nil), r.job.Result.Tables...)
		j.Result = &res
	}
	return j
}

// stop cancels a running load and waits (bounded) for it to roll back, so the pool is not closed
// under its feet.
func (r *demoRunner) stop(wait time.Duration) {
	r.cancel()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(wait):
		log.DefaultLogger.Warn("demo load did not stop in time after the instance was disposed", "waited", wait)
	}
}

// newJobID returns a random 16-hex-digit job id.
func newJobID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
