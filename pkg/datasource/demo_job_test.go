package datasource

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/platformlens/platformlens-analytics-app/pkg/demo"
)

// demoAnswer decodes the {"job": …} answer of POST and GET /demo.
func demoAnswer(t *testing.T, body []byte) *demo.Job {
	t.Helper()
	var a struct {
		Job *demo.Job `json:"job"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer is not {job}: %s (%v)", body, err)
	}
	return a.Job
}

// demoWait bounds a tier S load in the tests: generous, because the machine may be loaded (a load
// takes seconds on an idle one); waitForDemo returns as soon as the job is done.
const demoWait = 10 * time.Minute

// waitForDemo polls GET /demo as a Viewer until the job is no longer running (at most limit).
func waitForDemo(t *testing.T, d *Datasource, limit time.Duration) *demo.Job {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		code, body := call(t, d, "Viewer", "GET", "/demo", nil)
		if code != http.StatusOK {
			t.Fatalf("GET /demo = %d %s", code, body)
		}
		job := demoAnswer(t, body)
		if job == nil {
			t.Fatalf("GET /demo has no job after a POST: %s", body)
		}
		if job.State != demo.JobRunning {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo job still running after %s: %s", limit, body)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func TestDemoLoadRunsInTheBackground(t *testing.T) {
	d, db := newDBDatasource(t)

	// Before any load GET answers {"job": null}; an unmigrated schema is refused before the 202.
	if code, body := call(t, d, "Viewer", "GET", "/demo", nil); code != http.StatusOK || demoAnswer(t, body) != nil {
		t.Fatalf("GET /demo before a load = %d %s, want 200 {job:null}", code, body)
	}
	if code, body := call(t, d, "Admin", "POST", "/demo", []byte(`{"tier":"S","seed":7}`)); code != http.StatusBadRequest {
		t.Fatalf("POST /demo on an unmigrated schema = %d %s, want 400", code, body)
	} else if msg, _ := errorJSON(t, body); !strings.Contains(strings.ToLower(msg), "migrat") {
		t.Fatalf("unmigrated schema error must say to migrate: %s", body)
	}
	migrate(t, d)

	// call cancels its request context as soon as the 202 is back: the load must outlive it.
	code, body := call(t, d, "Admin", "POST", "/demo", []byte(`{"tier":"S","seed":7}`))
	if code != http.StatusAccepted {
		t.Fatalf("POST /demo = %d %s, want 202", code, body)
	}
	job := demoAnswer(t, body)
	if job == nil || job.ID == "" || job.State != demo.JobRunning || job.Tier != "S" || job.Seed != 7 || job.StartedAt.IsZero() {
		t.Fatalf("202 answer = %s, want a running job of tier S, seed 7", body)
	}
	if !hasTable(job, "builds") || !hasTable(job, demo.RollupsStep) {
		t.Fatalf("202 answer must list the tables to load: %s", body)
	}

	// A second POST while the first runs is refused with the running job's id.
	code, body = call(t, d, "Admin", "POST", "/demo", []byte(`{"tier":"S"}`))
	if msg, hint := errorJSON(t, body); code != http.StatusConflict || !strings.Contains(msg, job.ID) || hint == "" {
		t.Fatalf("second POST /demo = %d %s, want 409 naming job %s", code, body, job.ID)
	}

	done := waitForDemo(t, d, demoWait)
	if done.State != demo.JobDone || done.ID != job.ID || done.Error != "" || done.Result == nil || done.EndedAt == nil {
		t.Fatalf("finished job = %+v, want done with a result", done)
	}
	if done.Result.Rows <= 0 || done.Result.Seconds <= 0 || done.ElapsedSeconds <= 0 {
		t.Fatalf("result must count rows and seconds: %+v", done.Result)
	}
	var sum int64
	for _, tp := range done.Tables {
		if !tp.Done {
			t.Fatalf("table %s not done in a finished job: %+v", tp.Table, done.Tables)
		}
		sum += tp.Rows
	}
	if sum != done.Result.Rows {
		t.Fatalf("per-table rows add up to %d, result says %d", sum, done.Result.Rows)
	}
	// The reported rows are really in the database.
	var builds int64
	for _, tp := range done.Tables {
		if tp.Table == "builds" {
			builds = tp.Rows
		}
	}
	if got := db.CountSourceRows(t, "builds", "demo"); builds == 0 || got != builds {
		t.Fatalf("job reports %d builds, the database holds %d demo builds", builds, got)
	}

	// The job stays readable, and a new load may start once it is done.
	if code, body := call(t, d, "Admin", "POST", "/demo", nil); code != http.StatusAccepted {
		t.Fatalf("POST /demo after the first finished = %d %s, want 202", code, body)
	}
	if again := waitForDemo(t, d, demoWait); again.State != demo.JobDone || again.ID == job.ID || again.Seed != 1 {
		t.Fatalf("second load = %+v, want a new done job with the default seed 1", again)
	}
}

func TestDemoRequestsAreChecked(t *testing.T) {
	d, _ := newDBDatasource(t)
	cases := []struct {
		role, body string
		want       int
		says       string
	}{
		{"Viewer", `{"tier":"S"}`, http.StatusForbidden, "Admin"},
		{"Editor", `{"tier":"S"}`, http.StatusForbidden, "Admin"},
		{"Admin", `{"tier":"XL"}`, http.StatusBadRequest, "S, M or L"},
		{"Admin", `{"tier":"S","seed":-1}`, http.StatusBadRequest, "negative"},
		{"Admin", `{"tier":`, http.StatusBadRequest, "JSON"},
	}
	for _, c := range cases {
		code, body := call(t, d, c.role, "POST", "/demo", []byte(c.body))
		if msg, _ := errorJSON(t, body); code != c.want || !strings.Contains(msg, c.says) {
			t.Fatalf("POST /demo %s as %s = %d %s, want %d saying %q", c.body, c.role, code, body, c.want, c.says)
		}
	}
	if job := d.demos.Current(); job != nil {
		t.Fatalf("a refused request started a job: %+v", job)
	}
}

func TestDisposeCancelsARunningDemoLoad(t *testing.T) {
	d, _ := newDBDatasource(t)
	migrate(t, d)
	// Tier M takes minutes, so it is certainly still running when the instance is disposed.
	if code, body := call(t, d, "Admin", "POST", "/demo", []byte(`{"tier":"M"}`)); code != http.StatusAccepted {
		t.Fatalf("POST /demo = %d %s", code, body)
	}
	time.Sleep(300 * time.Millisecond)
	began := time.Now()
	d.Dispose()
	// Dispose must not hang: it gives up waiting after demoStopWait (the margin is for a loaded
	// machine). The rollback may finish after that; wait for it without a tight deadline.
	if waited := time.Since(began); waited > demoStopWait+time.Minute {
		t.Fatalf("Dispose waited %s for the load to stop", waited)
	}
	job := d.demos.Current()
	for deadline := time.Now().Add(demoWait); job != nil && job.State == demo.JobRunning && time.Now().Before(deadline); job = d.demos.Current() {
		time.Sleep(100 * time.Millisecond)
	}
	if job == nil || job.State != demo.JobFailed || !strings.Contains(job.Error, "cancelled") || job.Hint == "" {
		t.Fatalf("job after Dispose = %+v, want failed saying it was cancelled", job)
	}
	if code, _ := call(t, d, "Admin", "POST", "/demo", nil); code != http.StatusServiceUnavailable {
		t.Fatalf("POST /demo on a disposed instance = %d, want 503", code)
	}
}

func hasTable(j *demo.Job, table string) bool {
	for _, tp := range j.Tables {
		if tp.Table == table {
			return true
		}
	}
	return false
}
