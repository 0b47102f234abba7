package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// explainForTest records what the Jobs asked to explain.
func explainForTest(got *[]error) func(Job, error) (string, string) {
	return func(_ Job, err error) (string, string) {
		*got = append(*got, err)
		return err.Error(), "hint"
	}
}

// waitDone polls Current until the job is no longer running (generous bound: a loaded machine).
func waitDone(t *testing.T, r *Jobs) *Job {
	t.Helper()
	for i := 0; i < 6000; i++ {
		if j := r.Current(); j != nil && j.State != JobRunning {
			return j
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("job still running after a minute")
	return nil
}

func TestJobsRunOneLoadAtATime(t *testing.T) {
	var explained []error
	r := NewJobs(explainForTest(&explained))
	if r.Current() != nil {
		t.Fatal("a job before the first Start")
	}
	release := make(chan struct{})
	job, err := r.Start("S", 7, func(ctx context.Context, progress func(Progress)) (Result, error) {
		progress(Progress{Table: "builds", Rows: 5})
		<-release
		return Result{Tables: []TableResult{{Table: "builds", Rows: 10}}, Rows: 10}, nil
	})
	if err != nil || job.State != JobRunning || job.Tier != "S" || job.Seed != 7 || len(job.ID) != 16 {
		t.Fatalf("Start = %+v, %v; want a running job of tier S, seed 7", job, err)
	}
	if job.Tables[len(job.Tables)-1].Table != RollupsStep {
		t.Fatalf("the job must list the rollup step last: %+v", job.Tables)
	}
	_, err = r.Start("M", 1, func(context.Context, func(Progress)) (Result, error) { return Result{}, nil })
	var busy *BusyError
	if !errors.As(err, &busy) || busy.Job.ID != job.ID || !strings.Contains(err.Error(), job.ID) {
		t.Fatalf("second Start while running = %v; want a BusyError naming job %s", err, job.ID)
	}
	close(release)
	done := waitDone(t, r)
	if done.State != JobDone || done.Result == nil || done.Result.Rows != 10 || done.EndedAt == nil || len(explained) != 0 {
		t.Fatalf("finished job = %+v (explained %v); want done with the result", done, explained)
	}
	for _, tp := range done.Tables {
		if !tp.Done || (tp.Table == "builds" && tp.Rows != 10) {
			t.Fatalf("table rows of a finished job: %+v; want all done, builds 10 as the result says", done.Tables)
		}
	}
}

func TestJobsTurnAPanicIntoAFailedJob(t *testing.T) {
	var explained []error
	r := NewJobs(explainForTest(&explained))
	if _, err := r.Start("S", 1, func(context.Context, func(Progress)) (Result, error) { panic("boom") }); err != nil {
		t.Fatal(err)
	}
	done := waitDone(t, r)
	if done.State != JobFailed || !strings.Contains(done.Error, "crashed (boom)") || done.Hint != "hint" || len(explained) != 1 {
		t.Fatalf("job after a panic = %+v; want failed naming the panic", done)
	}
}

func TestJobsStopCancelsTheLoad(t *testing.T) {
	var explained []error
	r := NewJobs(explainForTest(&explained))
	started := make(chan struct{})
	if _, err := r.Start("M", 1, func(ctx context.Context, _ func(Progress)) (Result, error) {
		close(started)
		<-ctx.Done()
		return Result{}, errors.New("conn closed") // what pgx says for a cancelled COPY
	}); err != nil {
		t.Fatal(err)
	}
	<-started
	if !r.Stop(time.Minute) {
		t.Fatal("Stop gave up waiting for a load that ends as soon as it is cancelled")
	}
	done := r.Current()
	if done.State != JobFailed || len(explained) != 1 || !errors.Is(explained[0], ErrJobsStopped) {
		t.Fatalf("job after Stop = %+v, explained %v; want failed with ErrJobsStopped in the chain", done, explained)
	}
	if _, err := r.Start("S", 1, nil); !errors.Is(err, ErrJobsStopped) {
		t.Fatalf("Start after Stop = %v; want ErrJobsStopped", err)
	}
}

func TestJobsStopGivesUpOnALoadThatIgnoresCancellation(t *testing.T) {
	r := NewJobs(func(Job, error) (string, string) { return "", "" })
	release := make(chan struct{})
	defer close(release)
	if _, err := r.Start("S", 1, func(context.Context, func(Progress)) (Result, error) {
		<-release
		return Result{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if r.Stop(10 * time.Millisecond) {
		t.Fatal("Stop reported the load ended while it still runs")
	}
}
