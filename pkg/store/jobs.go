package store

import (
	"context"
	"fmt"

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
