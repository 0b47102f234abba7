// Package bench measures the dashboards' query cost on a loaded PlatformLens database, for the
// "Performance" section of the quality bar (/work/shared/spec/quality-bar.md, docs/benchmarks.md).
//
// It is a test-only harness run by hand: the benchmarks in this package need a tier-M database
// (PLATFORMLENS_BENCH_DSN) and skip without one, so CI never runs them. The non-test files hold
// the pieces the benchmarks share: reading panel targets from the dashboard JSON, recording the
// SQL the metric engine executes, the hand-written raw-table baselines and the report table.
//
// Three timings are taken per panel, all in the same run so that their ratios are meaningful on a
// shared machine whose absolute speed drifts:
//   - plugin: the panel's request through datasource.QueryData, the path Grafana takes;
//   - direct: the exact statements (SQL and arguments) the metric engine executed for the panel,
//     recorded by a Querier wrapper and re-run straight on a pgx pool, rows drained undecoded;
//   - raw: for the aggregate panels, the SQL a user of Grafana's core PostgreSQL datasource would
//     write over the raw event tables (date_trunc GROUP BY), checked to give the plugin's values.
package bench
