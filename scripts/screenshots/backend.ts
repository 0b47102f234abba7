/*
 * The backend the screenshot harness talks to: the same fake Grafana HTTP API and fixtures the
 * jest tests use (src/test), answering the routes each page reads.
 */
import catalogFixture from '../../src/test/catalog.generated.json';
import { rawCatalog } from '../../src/test/fixtures';
import { dsQuery } from '../../src/test/queries';
import { fakeGrafana, resource } from '../../src/test/runtime';

/** A healthy, migrated store with data, as after "Load demo data". */
export function healthyBackend() {
  fakeGrafana.reset();
  fakeGrafana.routes['GET /api/datasources/uid/platformlens/health'] = {
    data: { status: 'OK', message: 'Connected to PostgreSQL 15.8 (TimescaleDB 2.17)' },
  };
  // The real catalog (GET /catalog as the Go backend serves it), plus the hand-written fixture's
  // older-style entries the editor views were built on where the real one has no such metric.
  fakeGrafana.routes[resource('catalog')] = {
    data: {
      ...catalogFixture,
      metrics: [
        ...catalogFixture.metrics,
        ...(rawCatalog.metrics ?? []).filter((m) => !catalogFixture.metrics.some((r) => r.id === m.id)),
      ],
    },
  };
  fakeGrafana.routes[resource('status')] = {
    data: {
      mode: 'timescaledb',
      postgresVersion: '15.8',
      timescaleVersion: '2.17.2',
      migrated: true,
      schemaVersion: 3,
      latestSchemaVersion: 3,
      tables: [
        { table: 'builds', rows: 120345, newest: '2026-12-04T09:00:00Z', freshness: 'fresh' },
        { table: 'deployments', rows: 20311, newest: '2026-12-04T08:40:00Z', freshness: 'fresh' },
        { table: 'revenue', rows: 0, newest: null, freshness: 'empty' },
      ],
      ingestErrors: [
        {
          at: '2026-12-03T11:00:00Z',
          table: 'builds',
          source: 'ci',
          row: 3,
          field: 'status',
          reason: 'unknown status "ok"',
        },
      ],
    },
  };
  fakeGrafana.routes[resource('targets')] = {
    data: [
      { key: 'build_success_rate', value: 95, unit: '%', higherIsBetter: true, description: 'Builds that succeed' },
      { key: 'mttr', value: 60, unit: 'min', higherIsBetter: false, description: 'Mean time to restore' },
    ],
  };
  fakeGrafana.routes[resource('demo')] = { data: { job: null } };
  const counts = { received: 0, stored: 0, duplicates: 0, rejected: 0, ignored: 0, signatureFailures: 0, malformed: 0 };
  fakeGrafana.routes[resource('sources')] = {
    data: {
      installed: true,
      sources: [
        {
          ...counts,
          source: 'github',
          table: 'deployments',
          received: 412,
          stored: 409,
          duplicates: 3,
          lastEventAt: '2026-12-04T08:40:00Z',
          lastReceivedAt: '2026-12-04T08:40:02Z',
        },
        {
          ...counts,
          source: 'gitlab',
          table: 'builds',
          received: 7,
          signatureFailures: 7,
          lastEventAt: null,
          lastReceivedAt: '2026-12-04T07:00:00Z',
        },
      ],
      unmapped: [],
    },
  };
  // The KPI panels' queries go through the real DataSource class to this route, answered with
  // the frames the Go backend generated (src/test/frames.generated.json).
  fakeGrafana.routes['POST /api/ds/query'] = dsQuery();
  fakeGrafana.routes['GET /api/v1/provisioning/alert-rules'] = { data: [] };
  const values = (...names: string[]) => ({ data: names.map((n) => ({ value: n, text: n })) });
  fakeGrafana.routes[resource('variables/team')] = values('payments', 'platform', 'search');
  fakeGrafana.routes[resource('variables/tech_stack')] = values('go', 'java', 'node');
  fakeGrafana.routes[resource('variables/funnel')] = values('onboarding', 'upgrade');
  fakeGrafana.routes['GET /api/search'] = {
    data: [{ uid: 'platformlens-executive', title: 'PlatformLens — Executive', url: '/d/platformlens-executive' }],
  };
}

/** The database is down: the data source answers 503 on every route that needs it. */
export function databaseDown() {
  healthyBackend();
  const down = { status: 503, data: { error: 'cannot connect to PostgreSQL at db:5432', hint: 'check host and port' } };
  fakeGrafana.routes[resource('status')] = down;
  fakeGrafana.routes[resource('targets')] = down;
  fakeGrafana.routes['POST /api/ds/query'] = down;
  fakeGrafana.routes['GET /api/datasources/uid/platformlens/health'] = {
    status: 400,
    data: { status: 'ERROR', message: 'cannot connect to PostgreSQL at db:5432' },
  };
}
