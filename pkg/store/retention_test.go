package store_test

import "testing"

// TestRetentionKeepsMaterializedHistory backfills a year of hourly probes that were never
// refreshed into the continuous aggregates, runs the raw-probe retention job by hand, and
// requires the daily and hourly aggregates to still hold every day and every probe: the job
// materializes what it drops first. The rows are placed relative to the database's clock because
// retention is defined by it (now() - 90 days); the test reads no clock itself.
func TestRetentionKeepsMaterializedHistory(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	info := requireTimescale(t, st)
	var jobs int
	countJobs := `SELECT count(*) FROM timescaledb_information.jobs WHERE proc_name = 'retention_after_refresh'`
	if err := st.Pool().QueryRow(ctx, countJobs).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if !info.Mode.HasContinuousAggregates() {
		if jobs != 0 {
			t.Fatalf("%s mode has %d retention jobs; want none (nothing is ever dropped)", info.Mode, jobs)
		}
		return
	}
	if jobs != 1 {
		t.Fatalf("retention_after_refresh jobs = %d; want 1 (raw probes)", jobs)
	}
	var hasPolicy bool
	if err := st.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM timescaledb_information.jobs
		WHERE proc_name = 'policy_retention' AND hypertable_name = 'platform_probes')`).Scan(&hasPolicy); err != nil || hasPolicy {
		t.Fatalf("platform_probes still has TimescaleDB's plain retention policy (%v): it drops unmaterialized rows", err)
	}

	// 366 days × 24 hourly probes, the last day being today (UTC), all older than any refresh.
	const days, probes = 366, 366 * 24
	if _, err := st.Pool().Exec(ctx, `INSERT INTO platform_probes (probed_at, platform, status, response_ms, source, external_id)
		SELECT ts, 'GitHub', CASE WHEN extract(hour FROM ts AT TIME ZONE 'UTC') = 3 THEN 'down' ELSE 'operational' END, 20, 'test', ts::text
		FROM generate_series(date_trunc('day', now(), 'UTC') - ($1::int - 1) * interval '1 day',
		                     date_trunc('day', now(), 'UTC') + interval '23 hours', interval '1 hour') ts`, days); err != nil {
		t.Fatal(err)
	}
	var job int
	if err := st.Pool().QueryRow(ctx, `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'retention_after_refresh'`).Scan(&job); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, "CALL run_job($1)", job); err != nil {
		t.Fatalf("run the retention job: %v", err)
	}

	var rawDays int
	if err := st.Pool().QueryRow(ctx, `SELECT count(DISTINCT date_trunc('day', probed_at, 'UTC')) FROM platform_probes`).Scan(&rawDays); err != nil {
		t.Fatal(err)
	}
	// Retention drops whole chunks (7 days since migration 9): 90 days plus at most one chunk stay.
	if rawDays > 97 || rawDays < 89 {
		t.Fatalf("raw probes cover %d days after retention; want 90 to 97 (the job must drop the rest)", rawDays)
	}
	var dailyDays, dailyProbes, dailyDown int
	if err := st.Pool().QueryRow(ctx, `SELECT count(DISTINCT bucket), coalesce(sum(probes), 0), coalesce(sum(down), 0)
		FROM platform_probes_daily`).Scan(&dailyDays, &dailyProbes, &dailyDown); err != nil {
		t.Fatal(err)
	}
	if dailyDays != days || dailyProbes != probes || dailyDown != days {
		t.Fatalf("daily aggregate after retention: %d days, %d probes, %d down; want %d, %d, %d",
			dailyDays, dailyProbes, dailyDown, days, probes, days)
	}
	var hourly int
	if err := st.Pool().QueryRow(ctx, `SELECT coalesce(sum(probes), 0) FROM platform_probes_hourly`).Scan(&hourly); err != nil || hourly != probes {
		t.Fatalf("hourly aggregate after retention holds %d probes (%v); want %d", hourly, err, probes)
	}
	var hist int
	if err := st.Pool().QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM platform_response_hist_daily`).Scan(&hist); err != nil || hist != probes {
		t.Fatalf("response histogram after retention holds %d probes (%v); want %d", hist, err, probes)
	}
}
