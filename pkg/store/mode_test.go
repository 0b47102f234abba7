package store_test

import (
	"strings"
	"testing"

	"github.com/platformlens/platformlens-analytics-app/pkg/store"
)

func TestModeDetection(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	info, err := st.Mode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ext *string
	if err := st.Pool().QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'").Scan(&ext); err != nil && !strings.Contains(err.Error(), "no rows") {
		t.Fatal(err)
	}
	switch {
	case ext == nil && info.Mode != store.ModePostgreSQL:
		t.Fatalf("no extension installed but mode = %s", info.Mode)
	case ext != nil && !info.Mode.HasHypertables():
		t.Fatalf("TimescaleDB %s installed but mode = %s", *ext, info.Mode)
	}
	if info.PostgresVersionNum < 140000 || info.PostgresVersion == "" {
		t.Fatalf("postgres version = %q (%d)", info.PostgresVersion, info.PostgresVersionNum)
	}
	if ext == nil && info.TimescaleVersion != "" {
		t.Fatalf("TimescaleVersion = %q without the extension", info.TimescaleVersion)
	}
	t.Logf("mode %s, PostgreSQL %s, TimescaleDB %q", info.Mode, info.PostgresVersion, info.TimescaleVersion)
}

// requireTimescale skips a test unless the test database has the TimescaleDB extension (only the
// plain-PostgreSQL stage skips: CI's TimescaleDB stages set testdb.ExpectModeEnv, which fails a
// server without it).
func requireTimescale(t *testing.T, st *store.Store) store.ModeInfo {
	t.Helper()
	info, err := st.Mode(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if !info.Mode.HasHypertables() {
		t.Skip("TimescaleDB extension not installed: skipping hypertable checks (plain PostgreSQL mode)")
	}
	return info
}

func TestTimescaleHypertables(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	requireTimescale(t, st)
	for _, table := range store.EventTables {
		var n int
		err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM timescaledb_information.dimensions
			WHERE hypertable_schema = $1 AND hypertable_name = $2 AND column_name = $3`,
			st.Schema(), table.Name, table.TimeColumn).Scan(&n)
		if err != nil || n != 1 {
			t.Errorf("%s is not a hypertable on %s (%d, %v)", table.Name, table.TimeColumn, n, err)
		}
	}
}

// TestRollupKindFollowsMode: real-time continuous aggregates under the Timescale License, plain
// tables (refreshed by the writers) in the other modes. No mode skips it.
func TestRollupKindFollowsMode(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	info, err := st.Mode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Mode.HasContinuousAggregates() {
		for _, name := range store.Rollups() {
			var kind string
			if err := st.Pool().QueryRow(ctx, "SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)", name).Scan(&kind); err != nil || kind != "r" {
				t.Errorf("%s mode: rollup %s is %q (%v), want a plain table", info.Mode, name, kind, err)
			}
		}
		return
	}
	for _, name := range store.Rollups() {
		var materializedOnly bool
		err := st.Pool().QueryRow(ctx, `SELECT materialized_only FROM timescaledb_information.continuous_aggregates
			WHERE view_schema = $1 AND view_name = $2`, st.Schema(), name).Scan(&materializedOnly)
		if err != nil || materializedOnly {
			t.Errorf("%s: continuous aggregate missing or materialized_only (%v, %v)", name, materializedOnly, err)
		}
	}
	// Real-time: a fresh event shows up without any refresh.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO platform_probes (probed_at, platform, status, response_ms, source, external_id)
		VALUES ($1, 'GitHub', 'down', 10, 'test', 'rt1')`, testNow); err != nil {
		t.Fatal(err)
	}
	var down int
	if err := st.Pool().QueryRow(ctx, "SELECT coalesce(sum(down), 0) FROM platform_probes_hourly").Scan(&down); err != nil || down != 1 {
		t.Fatalf("real-time aggregate sees %d down probes (%v); want 1", down, err)
	}
}

// TestTimescalePoliciesFollowSettings: the policies exist under the Timescale License (and are
// left unscheduled in test databases); under the Apache license there are none.
func TestTimescalePoliciesFollowSettings(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	info := requireTimescale(t, st)
	jobs := func() map[string]int {
		t.Helper()
		rows, err := st.Pool().Query(ctx, `SELECT proc_name, count(*) FROM timescaledb_information.jobs
			WHERE proc_name IN ('policy_compression', 'policy_refresh_continuous_aggregate', 'policy_retention', 'retention_after_refresh')
			GROUP BY proc_name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var name string
			var n int
			if err := rows.Scan(&name, &n); err != nil {
				t.Fatal(err)
			}
			out[name] = n
		}
		return out
	}
	got := jobs()
	if !info.Mode.HasContinuousAggregates() {
		if len(got) != 0 {
			t.Fatalf("%s mode has policy jobs %v; want none", info.Mode, got)
		}
		return
	}
	var scheduled int
	if err := st.Pool().QueryRow(ctx, "SELECT count(*) FROM timescaledb_information.jobs WHERE job_id >= 1000 AND scheduled").Scan(&scheduled); err != nil || scheduled != 0 {
		t.Errorf("%d policy jobs are scheduled in a test database (%v); want none (%s = paused)", scheduled, err, store.BackgroundJobsSetting)
	}
	// Raw probes: retention_after_refresh (materializes before it drops); rollups: plain policies.
	want := map[string]int{"policy_compression": 5, "policy_refresh_continuous_aggregate": len(store.Rollups()),
		"policy_retention": len(store.Rollups()), "retention_after_refresh": 1}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s jobs = %d; want %d", k, got[k], v)
		}
	}
	// Keeping raw probes forever removes that policy; the rest stay.
	if _, err := st.Pool().Exec(ctx, `UPDATE settings SET value = 'null' WHERE key = 'retention_platform_probes'`); err != nil {
		t.Fatal(err)
	}
	if err := st.ApplyRetention(ctx); err != nil {
		t.Fatal(err)
	}
	if got := jobs(); got["policy_retention"] != len(store.Rollups()) || got["retention_after_refresh"] != 0 {
		t.Fatalf("retention jobs after disabling probe retention = %v; want %d rollup policies and no probe job", got, len(store.Rollups()))
	}
	if err := st.Pool().QueryRow(ctx, "SELECT count(*) FROM timescaledb_information.jobs WHERE job_id >= 1000 AND scheduled").Scan(&scheduled); err != nil || scheduled != 0 {
		t.Errorf("ApplyRetention left %d policy jobs scheduled in a test database (%v); want none", scheduled, err)
	}
}

func TestApplyRetentionOutsideTimescaleSaysWhy(t *testing.T) {
	ctx := ctxT(t)
	st := migrated(t)
	info, err := st.Mode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode.HasContinuousAggregates() {
		if err := st.ApplyRetention(ctx); err != nil {
			t.Fatalf("ApplyRetention under the Timescale License: %v", err)
		}
		return
	}
	if err := st.ApplyRetention(ctx); err == nil || !strings.Contains(err.Error(), "Timescale License") {
		t.Fatalf("ApplyRetention in %s mode: %v", info.Mode, err)
	}
}
