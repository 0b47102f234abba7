package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/ingest"
)

// Job states (Job.State).
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// RollupsStep is the progress row of the rollup refresh that follows the tables (Load reports it
// under this name).
const RollupsStep = "rollups"

// Job is one background demo load and how far it got: the answer of the datasource's POST and
// GET /demo.
type Job struct {
	ID        string     `json:"id"`
	Tier      string     `json:"tier"`
	Seed      int64      `json:"seed"`
	State     string     `json:"state"` // running, done or failed
	StartedAt time.Time  `json:"startedAt"`
	EndedAt   *time.Time `json:"finishedAt,omitempty"`
	// ElapsedSeconds is the time since the start while running, the run time once finished.
	ElapsedSeconds float64         `json:"elapsedSeconds"`
	Tables         []TableProgress `json:"tables"`
	Result         *Result         `json:"result,omitempty"` // set when done
	Error          string          `json:"error,omitempty"`  // set when failed
	Hint           string          `json:"hint,omitempty"`
}

// TableProgress is how far the load of one table (or the rollup refresh) got.
type TableProgress struct {
	Table   string  `json:"table"`
	Rows    int64   `json:"rows"`
	Seconds float64 `json:"seconds"`
	Done    bool    `json:"done"`
}

// LoadFunc runs one load under ctx, reporting progress (Load with its options bound).
type LoadFunc func(ctx context.Context, progress func(Progress)) (Result, error)

// ErrJobsStopped is returned by Jobs.Start after Stop, and is in the chain of the error a load
// cancelled by Stop is explained with.
var ErrJobsStopped = errors.New("demo jobs stopped")

// BusyError refuses a load while another is still running; Job is the running one.
type BusyError struct{ Job Job }

func (e *BusyError) Error() string {
	var rows int64
	for _, t := range e.Job.Tables {
		rows += t.Rows
	}
	return fmt.Sprintf("a demo load (tier %s, seed %d, job %s) started at %s is still running (%d rows so far)",
		e.Job.Tier, e.Job.Seed, e.Job.ID, e.Job.StartedAt.UTC().Format(time.RFC3339), rows)
}

// Jobs runs at most one demo load at a time in the background: tier M takes minutes, far longer
// than a caller (Grafana's resource proxy) waits for an answer. Loads run under the Jobs' own
// context, not the request's, and Stop cancels them.
type Jobs struct {
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	explain func(Job, error) (msg, hint string)

	mu  sync.Mutex
	job *Job // current or last job, nil before the first; guarded by mu
}

// NewJobs returns an idle Jobs. explain turns the error of a failed job into the message and hint
// a person reads, and may log it (a load cancelled by Stop has ErrJobsStopped in its chain; a
// panicking load is an error naming the panic). It is called under the Jobs' lock: it must not
// call back into the Jobs.
func NewJobs(explain func(Job, error) (msg, hint string)) *Jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{ctx: ctx, cancel: cancel, explain: explain}
}

// Start begins load (of tier and seed, as the job records them) in the background and returns
// the job as it starts. It fails with *BusyError while a load runs and with ErrJobsStopped after
// Stop.
func (r *Jobs) Start(tier string, seed int64, load LoadFunc) (Job, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return Job{}, ErrJobsStopped
	}
	if j := r.job; j != nil && j.State == JobRunning {
		return Job{}, &BusyError{Job: r.snapshotLocked()}
	}
	job := &Job{ID: newJobID(), Tier: tier, Seed: seed, State: JobRunning, StartedAt: time.Now().UTC()}
	// Every event table is listed from the start (Load replaces all of them), so a client can
	// draw the whole list before the first progress report arrives.
	for _, t := range ingest.Tables() {
		if t.Event {
			job.Tables = append(job.Tables, TableProgress{Table: t.Name})
		}
	}
	job.Tables = append(job.Tables, TableProgress{Table: RollupsStep})
	r.job = job
	r.wg.Add(1)
	go r.run(job.ID, load)
	return r.snapshotLocked(), nil
}

// run loads the data and records the outcome; a panic fails the job instead of the process.
func (r *Jobs) run(id string, load LoadFunc) {
	defer r.wg.Done()
	defer func() {
		if p := recover(); p != nil {
			r.finish(id, Result{}, fmt.Errorf("the demo load crashed (%v); this is a plugin bug, see the Grafana server log", p))
		}
	}()
	res, err := load(r.ctx, func(p Progress) { r.progress(id, p) })
	r.finish(id, res, err)
}

// progress records a progress report of job id.
func (r *Jobs) progress(id string, p Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil || r.job.ID != id {
		return
	}
	setRow(r.job, TableProgress{Table: p.Table, Rows: p.Rows, Seconds: p.Elapsed.Seconds(), Done: p.Done})
}

// finish records the outcome of job id.
func (r *Jobs) finish(id string, res Result, err error) {
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
		j.State = JobFailed
		if r.ctx.Err() != nil {
			// pgx reports a COPY cancelled mid-stream as a closed connection, not context.Canceled.
			err = errors.Join(ErrJobsStopped, err)
		}
		j.Error, j.Hint = r.explain(*j, err)
		return
	}
	j.State = JobDone
	j.Result = &res
	// The result is the authority on what was written, whatever the last progress tick said.
	for _, t := range res.Tables {
		setRow(j, TableProgress{Table: t.Table, Rows: t.Rows, Seconds: t.Seconds, Done: true})
	}
	for i := range j.Tables {
		j.Tables[i].Done = true
	}
}

// setRow replaces the progress row of row.Table, or appends it for a step not listed up front.
func setRow(j *Job, row TableProgress) {
	for i := range j.Tables {
		if j.Tables[i].Table == row.Table {
			j.Tables[i] = row
			return
		}
	}
	j.Tables = append(j.Tables, row)
}

// Current is the current or last job, nil before the first.
func (r *Jobs) Current() *Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.job == nil {
		return nil
	}
	j := r.snapshotLocked()
	return &j
}

// snapshotLocked copies the job (its slices too) so it can be marshalled without the lock.
func (r *Jobs) snapshotLocked() Job {
	j := *r.job
	j.Tables = append([]TableProgress(nil), r.job.Tables...)
	if j.State == JobRunning {
		j.ElapsedSeconds = time.Since(j.StartedAt).Seconds()
	}
	if r.job.Result != nil {
		res := *r.job.Result
		res.Tables = append([]TableResult(nil), r.job.Result.Tables...)
		j.Result = &res
	}
	return j
}

// Stop cancels a running load and waits at most wait for it to roll back, so the pool is not
// closed under its feet. It reports whether the load ended in time (true when none ran).
func (r *Jobs) Stop(wait time.Duration) bool {
	r.cancel()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}

// newJobID returns a random 16-hex-digit job id.
func newJobID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}
