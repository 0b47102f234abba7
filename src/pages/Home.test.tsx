// First: panels measure themselves with ResizeObserver, which must exist before react-use loads.
import '../test/resizeObserver';
import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { selectors } from '../selectors';
import catalogFixture from '../test/catalog.generated.json';
import { fakeGrafana, resource } from '../test/runtime';
import { installPanelRuntime } from '../test/panels';
import { dsQuery, kpiFrames, withoutValue } from '../test/queries';
import { Home } from './Home';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

beforeAll(() => {
  installPanelRuntime();
});

function healthyBackend() {
  fakeGrafana.routes['GET /api/datasources/uid/platformlens/health'] = {
    data: { status: 'OK', message: 'Connected to PostgreSQL 15.8' },
  };
  fakeGrafana.routes[resource('status')] = {
    data: {
      migrated: true,
      schemaVersion: 3,
      latestSchemaVersion: 3,
      tables: [
        { table: 'builds', rows: 42, newest: '2026-03-11T14:00:00Z' },
        { table: 'revenue', rows: 0, newest: null },
      ],
    },
  };
  const source = { received: 0, stored: 0, duplicates: 0, rejected: 0, ignored: 0, signatureFailures: 0, malformed: 0 };
  fakeGrafana.routes[resource('sources')] = {
    data: {
      installed: true,
      sources: [
        {
          ...source,
          source: 'github',
          table: 'deployments',
          received: 12,
          stored: 12,
          lastEventAt: '2026-03-11T13:00:00Z',
        },
        { ...source, source: 'gitlab', table: 'builds', received: 3, signatureFailures: 3, lastEventAt: null },
      ],
      unmapped: [],
    },
  };
  fakeGrafana.routes[resource('catalog')] = { data: catalogFixture };
  fakeGrafana.routes['POST /api/ds/query'] = dsQuery({});
  fakeGrafana.routes['GET /api/v1/provisioning/alert-rules'] = {
    data: [
      { uid: 'r1', title: 'Pipeline availability low', folderUID: 'x', data: [{ datasourceUid: 'platformlens' }] },
      { uid: 'r2', title: 'Someone else', folderUID: 'y', data: [{ datasourceUid: 'prometheus' }] },
    ],
  };
  fakeGrafana.routes['GET /api/folders'] = { data: [] };
  fakeGrafana.routes['GET /api/search'] = {
    data: [
      { uid: 'platformlens-executive', url: '/d/platformlens-executive/executive', title: 'PlatformLens — Executive' },
    ],
  };
}

beforeEach(() => fakeGrafana.reset());

describe('Home page', () => {
  it('shows live KPIs, the checklist state and the dashboards that exist', async () => {
    healthyBackend();
    render(<Home />);
    const kpis = await screen.findByTestId(selectors.pages.kpis);
    // Each KPI is a stat panel titled from the catalog, showing the backend's value in its unit.
    for (const [title, value] of [
      ['Pipeline availability', '83.3%'],
      ['Build success rate', '71.4%'],
      ['Deployments', '9'],
      ['Developer experience score', '70'],
    ]) {
      const panel = await within(kpis).findByTestId(`data-testid Panel header ${title}`);
      await waitFor(() => expect(panel).toHaveTextContent(value), { timeout: 5000 });
    }
    await waitFor(() =>
      expect(
        within(kpis)
          .getAllByTestId(selectors.pages.kpi)
          .map((e) => e.dataset.state)
      ).toEqual(Array(4).fill('Done'))
    );

    // One query per panel through the data source, as a dashboard panel sends it.
    const queries = fakeGrafana.requests.filter((r) => r.url.startsWith('/api/ds/query'));
    expect(queries.map((r) => r.data.queries[0].metric).sort()).toEqual([
      'build_success_rate',
      'deployments',
      'dx_score',
      'pipeline_availability',
    ]);
    expect(queries[0].data.queries[0]).toMatchObject({
      queryType: 'metric',
      format: 'table',
      datasource: { uid: 'platformlens', type: 'platformlens-analytics-datasource' },
    });

    const checklist = await screen.findByTestId(selectors.pages.checklist);
    expect(await within(checklist).findByLabelText('Data source connected: done')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Schema migrated: done')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Data present: done')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Alert rules provisioned: done')).toBeInTheDocument();
    expect(within(checklist).getByText('— 1 rule(s)')).toBeInTheDocument();

    // Per source, whether data arrived: each table, and each tool the receiver heard from.
    expect(within(checklist).getByLabelText('builds: done')).toHaveTextContent('42 rows, newest 2026-03-11 14:00:00');
    expect(within(checklist).getByLabelText('revenue: todo')).toHaveTextContent('no rows yet');
    expect(within(checklist).getByLabelText('github → deployments: done')).toHaveTextContent('12 events');
    expect(within(checklist).getByLabelText('gitlab → builds: todo')).toHaveTextContent(
      'nothing stored yet (3 refused)'
    );

    expect(screen.getByRole('link', { name: /PlatformLens — Executive/ })).toHaveAttribute(
      'href',
      '/d/platformlens-executive/executive'
    );
    expect(screen.getByText('PlatformLens — Operations')).toBeInTheDocument();
  }, 30000);

  it('reflects a database that is down and alert rules it may not read', async () => {
    fakeGrafana.routes['GET /api/datasources/uid/platformlens/health'] = {
      status: 400,
      data: { status: 'ERROR', message: 'cannot connect to PostgreSQL at db:5432: connection refused' },
    };
    fakeGrafana.routes['POST /api/ds/query'] = { status: 500, data: { message: 'plugin unavailable' } };
    fakeGrafana.routes['GET /api/v1/provisioning/alert-rules'] = {
      status: 403,
      data: { message: 'permissions needed: alert.provisioning:read' },
    };
    render(<Home />);
    // Every panel failed: each says so with the error and a retry, not an empty stat.
    const alerts = await screen.findAllByText(/: Headline metrics could not be computed$/, {}, { timeout: 5000 });
    expect(alerts.map((a) => a.textContent)).toEqual([
      // No catalog either (its route fails too): titles are still readable, never raw ids.
      'Pipeline availability: Headline metrics could not be computed',
      'Build success rate: Headline metrics could not be computed',
      'Deployments: Headline metrics could not be computed',
      'Dx score: Headline metrics could not be computed',
    ]);
    expect(screen.getAllByText('plugin unavailable')).toHaveLength(4);

    // Retry runs the panel's query again; once the backend answers, the value replaces the error.
    fakeGrafana.routes['POST /api/ds/query'] = dsQuery({});
    fireEvent.click(screen.getAllByRole('button', { name: 'Retry' })[0]);
    const panel = await screen.findByTestId('data-testid Panel header Pipeline availability');
    await waitFor(() => expect(panel).toHaveTextContent('83.3%'));
    expect(screen.getAllByText('plugin unavailable')).toHaveLength(3);

    const checklist = await screen.findByTestId(selectors.pages.checklist);
    expect(await within(checklist).findByLabelText('Data source connected: todo')).toBeInTheDocument();
    expect(within(checklist).getByText(/connection refused/)).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Schema migrated: unknown')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Alert rules provisioned: unknown')).toBeInTheDocument();
  }, 30000);

  it('says which KPI failed or has no value, and shows the others', async () => {
    healthyBackend();
    fakeGrafana.routes['POST /api/ds/query'] = dsQuery({
      dx_score: { status: 400, error: 'dx_responses: relation does not exist' },
      deployments: { status: 200, frames: withoutValue(kpiFrames.deployments, 'No deployments finished in range.') },
    });
    render(<Home />);
    const kpis = await screen.findByTestId(selectors.pages.kpis);
    const availability = await within(kpis).findByTestId('data-testid Panel header Pipeline availability');
    await waitFor(() => expect(availability).toHaveTextContent('83.3%'));
    expect(
      await within(kpis).findByText('Developer experience score: Headline metrics could not be computed')
    ).toBeInTheDocument();
    expect(within(kpis).getByText('dx_responses: relation does not exist')).toBeInTheDocument();
    // The panel without a value says "No data", and the line under the row says why.
    const deployments = within(kpis).getByTestId('data-testid Panel header Deployments');
    await waitFor(() => expect(deployments).toHaveTextContent('No data'));
    expect(await within(kpis).findByText('Deployments: No deployments finished in range.')).toBeInTheDocument();
    const states = Object.fromEntries(
      within(kpis)
        .getAllByTestId(selectors.pages.kpi)
        .map((e) => [e.dataset.metric, e.dataset.state])
    );
    expect(states).toEqual({
      pipeline_availability: 'Done',
      build_success_rate: 'Done',
      deployments: 'Done',
      dx_score: 'Error',
    });
  }, 30000);

  it('guides the user when no data source exists', async () => {
    fakeGrafana.datasources = [];
    render(<Home />);
    expect(await screen.findByText('No PlatformLens data source')).toBeInTheDocument();
  });
});
