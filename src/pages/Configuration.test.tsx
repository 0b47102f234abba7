import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { selectors } from '../selectors';
import { Answer, fakeGrafana, resource } from '../test/runtime';
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

/** Answers a route with the next answer of the list on each call (the last one repeats). */
function answerInTurn(route: string, answers: Answer[]) {
  let i = 0;
  fakeGrafana.routes[route] = () => answers[Math.min(i++, answers.length - 1)];
}

const demoPolls = () =>
  fakeGrafana.requests.filter((r) => r.method === 'GET' && r.url.endsWith('/resources/demo')).length;

const rowOf = (table: string) =>
  screen.getAllByTestId(selectors.pages.demoTable).find((row) => within(row).queryByText(table) !== null)!;

afterEach(() => {
  jest.useRealTimers();
});

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
    expect(await screen.findByText('HTTP 409: schema is not migrated — run Migrate first')).toBeInTheDocument();
  });

  it("loads demo data in the background and shows each table's progress until it is done", async () => {
    jest.useFakeTimers();
    const running = { id: 'j1', tier: 'M', seed: 1, state: 'running', startedAt: '2026-11-23T10:00:00Z' };
    const tables = (builds: number, buildsDone: boolean, deployments: number) => [
      { table: 'builds', rows: builds, done: buildsDone },
      { table: 'deployments', rows: deployments, done: false },
      { table: 'rollups', rows: 0, done: false },
    ];
    let posted: unknown;
    fakeGrafana.routes[resource('demo', 'POST')] = (req) => {
      posted = req.data;
      return { status: 202, data: { job: { ...running, elapsedSeconds: 0, tables: tables(0, false, 0) } } };
    };
    answerInTurn(resource('demo'), [
      { data: { job: null } }, // on mount: nothing running
      { data: { job: { ...running, elapsedSeconds: 61, tables: tables(1200000, true, 30000) } } },
      {
        data: {
          job: {
            ...running,
            state: 'done',
            elapsedSeconds: 170,
            tables: [
              { table: 'builds', rows: 1200000, done: true },
              { table: 'deployments', rows: 300000, done: true },
              { table: 'rollups', rows: 0, done: true },
            ],
            result: { rows: 1500000, seconds: 170.04, tables: [] },
          },
        },
      },
    ]);
    render(<Configuration />);
    await screen.findByText('Platform uptime'); // every section has loaded
    fireEvent.click(screen.getByLabelText(/^M —/));
    fireEvent.click(screen.getByTestId(selectors.pages.demo));

    expect(await screen.findByText('Loading tier M demo data… 0 s')).toBeInTheDocument();
    expect(posted).toEqual({ tier: 'M', seed: 1 });
    expect(screen.getByTestId(selectors.pages.demo)).toBeDisabled();
    expect(rowOf('builds')).toHaveTextContent('0 rows');
    expect(rowOf('builds')).toHaveTextContent('waiting');

    act(() => jest.advanceTimersByTime(1000));
    expect(await screen.findByText('Loading tier M demo data… 61 s')).toBeInTheDocument();
    expect(rowOf('builds')).toHaveTextContent('1,200,000 rows');
    expect(rowOf('builds')).toHaveTextContent('done');
    expect(rowOf('deployments')).toHaveTextContent('loading');
    expect(screen.getByRole('progressbar')).toHaveAttribute('value', '1');
    expect(screen.getByText('1 of 3 steps done')).toBeInTheDocument();

    act(() => jest.advanceTimersByTime(1000));
    expect(await screen.findByText('Loaded 1,500,000 rows in 170.0 s.')).toBeInTheDocument();
    expect(rowOf('deployments')).toHaveTextContent('300,000 rows');
    expect(screen.queryByTestId(selectors.pages.demoProgress)).not.toBeInTheDocument();
    expect(screen.getByTestId(selectors.pages.demo)).toBeEnabled();
    // The store status is read again, and polling stops once the load is done.
    await waitFor(() =>
      expect(fakeGrafana.requests.filter((r) => r.url.endsWith('/resources/status'))).toHaveLength(2)
    );
    act(() => jest.advanceTimersByTime(5000));
    expect(demoPolls()).toBe(3);
  });

  it('shows why a background demo load failed', async () => {
    jest.useFakeTimers();
    const job = { id: 'j2', tier: 'S', seed: 1, startedAt: '2026-11-23T10:00:00Z', tables: [] };
    fakeGrafana.routes[resource('demo', 'POST')] = { status: 202, data: { job: { ...job, state: 'running' } } };
    answerInTurn(resource('demo'), [
      { data: { job: null } },
      {
        data: {
          job: {
            ...job,
            state: 'failed',
            tables: [{ table: 'platform_probes', rows: 4096, done: false }],
            error: 'could not extend file: No space left on device',
            hint: 'fix the cause and load the demo data again',
          },
        },
      },
    ]);
    render(<Configuration />);
    await screen.findByText('Platform uptime'); // every section has loaded
    fireEvent.click(screen.getByTestId(selectors.pages.demo));
    await screen.findByTestId(selectors.pages.demoProgress);
    act(() => jest.advanceTimersByTime(1000));
    expect(await screen.findByText('could not extend file: No space left on device')).toBeInTheDocument();
    expect(screen.getByText('fix the cause and load the demo data again')).toBeInTheDocument();
    expect(rowOf('platform_probes')).toHaveTextContent('4,096 rows');
    expect(screen.getByTestId(selectors.pages.demo)).toBeEnabled();
  });

  it('follows a demo load that was already running when the page opened', async () => {
    jest.useFakeTimers();
    const job = { id: 'j3', tier: 'S', seed: 1, startedAt: '2026-11-23T10:00:00Z', elapsedSeconds: 3 };
    answerInTurn(resource('demo'), [
      { data: { job: { ...job, state: 'running', tables: [{ table: 'builds', rows: 8192, done: false }] } } },
      { status: 503, data: { error: 'database unreachable' } },
    ]);
    render(<Configuration />);
    expect(await screen.findByText('Loading tier S demo data… 3 s')).toBeInTheDocument();
    expect(screen.getByTestId(selectors.pages.demo)).toBeDisabled();
    act(() => jest.advanceTimersByTime(1000));
    expect(await screen.findByText('Lost track of the demo load: HTTP 503: database unreachable')).toBeInTheDocument();
    expect(screen.getByTestId(selectors.pages.demo)).toBeEnabled();
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
    expect(await screen.findByText('HTTP 503: database unreachable')).toBeInTheDocument();
  });
});
