package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// BackgroundJobsSetting is a PostgreSQL setting that an operator (or internal/testdb, for every
// test database) sets per database to take TimescaleDB's policy jobs off the scheduler:
//
//	ALTER DATABASE platformlens SET platformlens.background_jobs = 'paused';
//
// With it, every migration and every ApplyRetention leaves the compression, retention and
// continuous-aggregate refresh jobs it creates unscheduled (alter_job(scheduled => false)), so
// nothing runs against the wall clock behind the caller's back: tests load data at fixed dates
// and run a job by hand (CALL run_job(id)) when they mean to. Correctness never depends on the
// jobs anyway: writes refresh the rollups they touch (Store.RefreshRollups).
const BackgroundJobsSetting = "platformlens.background_jobs"

// pauseJobsSQL unschedules the policy jobs of this database (ids from 1000 up are policies and
// user jobs; lower ids are TimescaleDB's own housekeeping) when BackgroundJobsSetting says
// 'paused'. It selects no row otherwise, so alter_job is never called without the setting.
// alter_job is called in a subquery's select list, not inside count(): recent TimescaleDB
// versions (2.28) declare it set-returning, and an aggregate cannot contain a set-returning call.
const pauseJobsSQL = `SELECT count(*) FROM (SELECT alter_job(job_id, scheduled => false)
FROM timescaledb_information.jobs
WHERE job_id >= 1000 AND scheduled
  AND coalesce(current_setting('` + BackgroundJobsSetting + `', true), '') = 'paused') paused`

// execer is what pauseJobs needs: a transaction, a connection or the pool.
type execer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// pauseJobs applies BackgroundJobsSetting after jobs were created (inside the same transaction,
// so the scheduler never sees them scheduled). Without TimescaleDB there are no jobs.
func pauseJobs(ctx context.Context, db execer, mode Mode) error {
	if !mode.HasHypertables() {
		return nil
	}
	var n int64
	if err := db.QueryRow(ctx, pauseJobsSQL).Scan(&n); err != nil {
		return fmt.Errorf("pause TimescaleDB jobs (%s = paused): %w", BackgroundJobsSetting, err)
	}
	return nil
}

// JobFailure is a TimescaleDB policy or job (id 1000 and up: the ones the migrations create, not
// TimescaleDB's own housekeeping) whose last run failed. PlatformLens never relies on them for
// correct answers (writes refresh their rollups), but while they fail nothing is compressed and,
// under the Timescale License, retention does not run.
type JobFailure struct {
	JobID     int        `json:"jobId"`
	Proc      string     `json:"proc"`     // e.g. _timescaledb_functions.policy_retention
	Relation  string     `json:"relation"` // table or continuous aggregate it works on ("" if none)
	Failures  int64      `json:"failures"` // failed runs in total
	LastRun   *time.Time `json:"lastRun"`
	LastError string     `json:"lastError"` // message of the newest failed run ("" if not kept)
}

// String says what failed, for notices and health messages.
func (j JobFailure) String() string {
	on := ""
	if j.Relation != "" {
		on = " on " + j.Relation
	}
	msg := j.LastError
	if msg == "" {
		msg = "no error message kept (see the PostgreSQL server log)"
	}
	return fmt.Sprintf("TimescaleDB job %d (%s%s) is failing: %s (%d failed runs)", j.JobID, j.Proc, on, msg, j.Failures)
}

// failingJobsSQL reads timescaledb_information.job_stats (last run status) and job_errors (the
// newest error message); continuous-aggregate policies are named by their view.
const failingJobsSQL = `SELECT j.job_id, j.proc_schema || '.' || j.proc_name,
    coalesce(ca.view_schema || '.' || ca.view_name, j.hypertable_schema || '.' || j.hypertable_name, j.config ->> 'relation', ''),
    coalesce(s.total_failures, 0), s.last_run_started_at,
    coalesce((SELECT e.err_message FROM timescaledb_information.job_errors e
              WHERE e.job_id = j.job_id ORDER BY e.finish_time DESC NULLS LAST LIMIT 1), '')
FROM timescaledb_information.jobs j
JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
LEFT JOIN timescaledb_information.continuous_aggregates ca
    ON ca.materialization_hypertable_schema = j.hypertable_schema AND ca.materialization_hypertable_name = j.hypertable_name
WHERE j.job_id >= 1000 AND s.last_run_status = 'Failed'
ORDER BY j.job_id
LIMIT 50`

// FailingJobs lists the policy jobs whose last run failed; none without TimescaleDB.
func (s *Store) FailingJobs(ctx context.Context) ([]JobFailure, error) {
	info, err := s.Mode(ctx)
	if err != nil {
		return nil, err
	}
	out := []JobFailure{}
	if !info.Mode.HasHypertables() {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, failingJobsSQL)
	if err != nil {
		return nil, fmt.Errorf("read TimescaleDB job statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var j JobFailure
		if err := rows.Scan(&j.JobID, &j.Proc, &j.Relation, &j.Failures, &j.LastRun, &j.LastError); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
