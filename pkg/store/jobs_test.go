package store_test

import (
	"strings"
	"testing"
)

// TestStatusReportsFailingJobs records a failed run of the raw-probe retention job the way
// TimescaleDB's scheduler does (job statistics and the history job_errors reads: the scheduler
// cannot be made to fail on demand) and requires Status to name the job and its last error.
func TestStatusReportsFailingJobs(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	info := requireTimescale(t, st)
	jobs, err := st.FailingJobs(ctx)
	if err != nil || len(jobs) != 0 {
		t.Fatalf("fresh schema: failing jobs = %v (%v); want none", jobs, err)
	}
	if !info.Mode.HasContinuousAggregates() {
		return // no policy jobs under the Apache license: nothing can fail
	}
	var job int
	if err := st.Pool().QueryRow(ctx, `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'retention_after_refresh'`).Scan(&job); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO _timescaledb_internal.bgw_job_stat (job_id, last_start, last_finish, next_start,
		last_successful_finish, last_run_success, total_runs, total_duration, total_duration_failures, total_successes,
		total_failures, total_crashes, consecutive_failures, consecutive_crashes)
		VALUES ($1, $2::timestamptz, $2::timestamptz + interval '1 second', $2::timestamptz + interval '1 day', '-infinity', false, 2, interval '2 seconds',
		        interval '2 seconds', 0, 2, 0, 2, 0)
		ON CONFLICT (job_id) DO UPDATE SET last_start = excluded.last_start, last_finish = excluded.last_finish,
		    last_run_success = false, total_runs = 2, total_failures = 2, consecutive_failures = 2`, job, testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO _timescaledb_internal.bgw_job_stat_history (job_id, pid, execution_start, execution_finish, succeeded, data)
		VALUES ($1, 1, $2::timestamptz, $2::timestamptz + interval '1 second', false, '{"error_data": {"message": "cannot drop portal \"\" while it is being set up", "sqlerrcode": "24000"}}')`,
		job, testNow); err != nil {
		t.Fatal(err)
	}
	s, err := st.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.FailingJobs) != 1 || s.FailingJobs[0].JobID != job || s.FailingJobs[0].Failures != 2 ||
		!strings.Contains(s.FailingJobs[0].Relation, "platform_probes") || !strings.Contains(s.FailingJobs[0].LastError, "cannot drop portal") {
		t.Fatalf("failing jobs = %+v; want job %d on platform_probes with its error", s.FailingJobs, job)
	}
	found := false
	for _, n := range s.Notices {
		found = found || (strings.Contains(n, "retention_after_refresh") && strings.Contains(n, "cannot drop portal"))
	}
	if !found {
		t.Fatalf("no notice names the failing job and its error: %q", s.Notices)
	}
}
