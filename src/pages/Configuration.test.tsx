import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { selectors } from '../selectors';
import { fakeGrafana, resource } from '../test/runtime';
import { Configuration } from './Configuration';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

const status = {
  mode: 'postgresql',
  postgresVersion: '15.8',
  timescaleVersion: '',
  schemaVersion: 0,
  latestSchemaVersion: 3,
  migrated: false,
  tables: [],
  ingestErrors: [],
};
const targets = [
  { key: 'uptime', value: 99.9, unit: '%', higherIsBetter: true, description: 'Platform uptime' },
  { key: 'mttr', value: 60, unit: 'min', higherIsBetter: false, description: 'Mean time to recovery' },
];

beforeEach(() => {
  fakeGrafana.reset();
  fakeGrafana.routes[resource('status')] = { data: status };
  fakeGrafana.routes[resource('targets')] = { data: targets };
});

describe('Configuration page', () => {
  it('shows store mode and schema version, and tests the connection', async () => {
    fakeGrafana.routes['GET /api/datasources/uid/platformlens/health'] = {
      status: 400,
      data: {
        status: 'ERROR',
        message: 'password authentication failed for user "grafana": fix the password in the data source settings',
      },
    };
    render(<Configuration />);
    expect(await screen.findByText('Plain PostgreSQL (rollup tables)')).toBeInTheDocument();
    expect(screen.getByText('(not migrated)')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(selectors.pages.testConnection));
    expect(await screen.findByText(/password authentication failed/)).toBeInTheDocument();
  });

  it('lets an Admin migrate and shows the result, then reloads the status', async () => {
    fakeGrafana.routes[resource('migrate', 'POST')] = {
      data: { applied: ['0001_init', '0002_rollups', '0003_targets'], version: 3 },
    };
    render(<Configuration />);
    fireEvent.click(await screen.findByTestId(selectors.pages.migrate));
    expect(await screen.findByText('Applied 3 migration(s); schema version 3.')).toBeInTheDocument();
    await waitFor(() =>
      expect(fakeGrafana.requests.filter((r) => r.url.endsWith('/resources/status'))).toHaveLength(2)
    );
  });

  it('shows why loading demo data failed', async () => {
    fakeGrafana.routes[resource('demo', 'POST')] = {
      status: 409,
      data: { error: 'schema is not migrated', hint: 'run Migrate first' },
    };
    render(<Configuration />);
    fireEvent.click(await screen.findByTestId(selectors.pages.demo));
    expect(await screen.findByText('schema is not migrated — run Migrate first (HTTP 409)')).toBeInTheDocument();
  });

  it('saves edited targets as a key/value array', async () => {
    let sent: unknown;
    fakeGrafana.routes[resource('targets', 'PUT')] = (req) => {
      sent = req.data;
      return { data: [{ ...targets[0], value: 99.5 }, targets[1]] };
    };
    render(<Configuration />);
    fireEvent.change(await screen.findByLabelText('Value uptime'), { target: { value: '99.5' } });
    fireEvent.click(screen.getByTestId(selectors.pages.saveTargets));
    expect(await screen.findByText('Targets saved.')).toBeInTheDocument();
    expect(sent).toEqual([{ key: 'uptime', value: 99.5 }]);
  });

  it('refuses a target that is not a number without calling the backend', async () => {
    render(<Configuration />);
    fireEvent.change(await screen.findByLabelText('Value mttr'), { target: { value: 'fast' } });
    fireEvent.click(screen.getByTestId(selectors.pages.saveTargets));
    expect(await screen.findByText('The value of "mttr" is not a number.')).toBeInTheDocument();
    expect(fakeGrafana.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('hides the actions and target editing from a Viewer', async () => {
    fakeGrafana.user = { orgRole: 'Viewer', isGrafanaAdmin: false };
    render(<Configuration />);
    expect(
      await screen.findByText('Only Admins can migrate the schema, load demo data or edit targets.')
    ).toBeInTheDocument();
    expect(screen.queryByTestId(selectors.pages.migrate)).not.toBeInTheDocument();
    expect(await screen.findByText('Platform uptime')).toBeInTheDocument();
    expect(screen.queryByLabelText('Value uptime')).not.toBeInTheDocument();
  });

  it('shows the status error', async () => {
    fakeGrafana.routes[resource('status')] = { status: 503, data: { error: 'database unreachable' } };
    render(<Configuration />);
    expect(await screen.findByText('database unreachable (HTTP 503)')).toBeInTheDocument();
  });
});
