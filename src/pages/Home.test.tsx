import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { selectors } from '../selectors';
import { catalog } from '../test/fixtures';
import { fakeGrafana, resource } from '../test/runtime';
import { Home } from './Home';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

const frame = (unit: string, value: number | null, notice?: string) => ({
  schema: {
    fields: [{ name: 'value', type: 'number', config: { unit } }],
    meta: notice ? { notices: [{ severity: 'info', text: notice }] } : undefined,
  },
  data: { values: [value === null ? [] : [value]] },
});

function healthyBackend() {
  fakeGrafana.routes['GET /api/datasources/uid/platformlens/health'] = {
    data: { status: 'OK', message: 'Connected to PostgreSQL 15.8' },
  };
  fakeGrafana.routes[resource('status')] = {
    data: { migrated: true, schemaVersion: 3, latestSchemaVersion: 3, tables: [{ table: 'builds', rows: 42 }] },
  };
  fakeGrafana.routes[resource('catalog')] = {
    data: { ...catalog, metrics: [...catalog.metrics, { ...catalog.metrics[0], id: 'dx_score', title: 'DX score' }] },
  };
  fakeGrafana.routes['POST /api/ds/query'] = {
    data: {
      results: {
        pipeline_availability: { frames: [frame('percent', 99.42)] },
        build_success_rate: { frames: [frame('percent', 91.5)] },
        deployments: { frames: [frame('short', null, 'no deployments in range')] },
        dx_score: { error: 'dx_responses: relation does not exist', frames: [] },
      },
    },
  };
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
    expect(await screen.findByText('99.4%')).toBeInTheDocument();
    expect(screen.getByText('91.5%')).toBeInTheDocument();
    expect(screen.getByText('DX score')).toBeInTheDocument();
    expect(screen.getByText('no deployments in range')).toBeInTheDocument();
    expect(screen.getByText('dx_responses: relation does not exist')).toBeInTheDocument();

    const query = fakeGrafana.requests.find((r) => r.url === '/api/ds/query');
    expect(query?.data.queries[0]).toMatchObject({
      refId: 'pipeline_availability',
      metric: 'pipeline_availability',
      format: 'table',
      datasource: { uid: 'platformlens', type: 'platformlens-analytics-datasource' },
    });

    const checklist = await screen.findByTestId(selectors.pages.checklist);
    expect(await within(checklist).findByLabelText('Data source connected: done')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Schema migrated: done')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Data present: done')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Alert rules provisioned: done')).toBeInTheDocument();
    expect(within(checklist).getByText('— 1 rule(s)')).toBeInTheDocument();

    expect(screen.getByRole('link', { name: /PlatformLens — Executive/ })).toHaveAttribute(
      'href',
      '/d/platformlens-executive/executive'
    );
    expect(screen.getByText('PlatformLens — Operations')).toBeInTheDocument();
  });

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
    expect(await screen.findByText('Headline metrics could not be computed')).toBeInTheDocument();
    expect(screen.getByText('HTTP 500: plugin unavailable')).toBeInTheDocument();
    const checklist = await screen.findByTestId(selectors.pages.checklist);
    expect(await within(checklist).findByLabelText('Data source connected: todo')).toBeInTheDocument();
    expect(within(checklist).getByText(/connection refused/)).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Schema migrated: unknown')).toBeInTheDocument();
    expect(within(checklist).getByLabelText('Alert rules provisioned: unknown')).toBeInTheDocument();
  });

  it('guides the user when no data source exists', async () => {
    fakeGrafana.datasources = [];
    render(<Home />);
    expect(await screen.findByText('No PlatformLens data source')).toBeInTheDocument();
  });
});
