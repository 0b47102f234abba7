import fs from 'node:fs';
import path from 'node:path';

import catalogFixture from '../test/catalog.generated.json';
import { instanceSettings } from '../test/fixtures';
import { fakeGrafana, resource } from '../test/runtime';
import { PlatformLensApi, RESOURCE_ROUTES } from './platformlens';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

beforeEach(() => fakeGrafana.reset());

describe('PlatformLensApi', () => {
  const api = new PlatformLensApi(instanceSettings);

  it('reads each resource route of the data source, by uid', async () => {
    fakeGrafana.routes[resource('catalog')] = { data: catalogFixture };
    fakeGrafana.routes[resource('sources')] = { data: { installed: true, sources: [], unmapped: [] } };
    fakeGrafana.routes[resource('targets')] = { data: { targets: [{ key: 'build_success_rate', value: 90 }] } };
    fakeGrafana.routes[resource('demo')] = { data: { job: null } };
    expect((await api.catalog()).metrics.map((m) => m.id)).toContain('pipeline_availability');
    expect(await api.sources()).toEqual({ installed: true, sources: [], unmapped: [] });
    expect(await api.targets()).toEqual([{ key: 'build_success_rate', value: 90 }]);
    expect(await api.demoJob()).toBeUndefined();
    expect(fakeGrafana.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      resource('catalog'),
      resource('sources'),
      resource('targets'),
      resource('demo'),
    ]);
  });

  it('turns an error answer into one readable Error (status first, hint kept)', async () => {
    fakeGrafana.routes[resource('status')] = {
      status: 503,
      data: { error: 'cannot connect to PostgreSQL at db:5432', hint: 'check host and port' },
    };
    await expect(api.status()).rejects.toThrow(
      'HTTP 503: cannot connect to PostgreSQL at db:5432 — check host and port'
    );
  });

  it('names every route once, shared with the DataSource class', () => {
    expect(RESOURCE_ROUTES.variables('tech stack')).toBe('variables/tech%20stack');
  });
});

/** Every .ts/.tsx file under src except tests and the fixtures. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      return e.name === 'test' ? [] : sources(p);
    }
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('one API client', () => {
  it('no module outside src/api calls the Grafana HTTP API or builds resource URLs itself', () => {
    const root = path.resolve(__dirname, '..');
    const offenders = sources(root)
      .filter((f) => !f.startsWith(path.join(root, 'api') + path.sep))
      .filter((f) => /getBackendSrv\(|\/resources\/|\/api\/ds\/query/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});
