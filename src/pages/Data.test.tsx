import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { selectors } from '../selectors';
import { fakeGrafana, resource } from '../test/runtime';
import { Data, freshnessBadge } from './Data';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

beforeEach(() => fakeGrafana.reset());

describe('Data page', () => {
  it('lists every table with rows, newest event and freshness, and the ingest errors', async () => {
    fakeGrafana.routes[resource('status')] = {
      data: {
        tables: [
          { table: 'builds', rows: 12345, newest: '2026-11-23T12:00:00Z', freshness: 'fresh' },
          { table: 'revenue', rows: 0, newest: null, freshness: 'empty' },
        ],
        ingestErrors: [
          {
            id: 7,
            at: '2026-11-23T11:00:00Z',
            table: 'builds',
            source: 'jenkins',
            rowIndex: 3,
            field: 'status',
            reason: 'must be success, failure or cancelled',
          },
        ],
      },
    };
    render(<Data />);
    const rows = await screen.findAllByTestId(selectors.pages.tableRow);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('builds')).toBeInTheDocument();
    expect(within(rows[0]).getByText((12345).toLocaleString())).toBeInTheDocument();
    expect(within(rows[0]).getByText('fresh')).toBeInTheDocument();
    expect(within(rows[1]).getByText('no rows')).toBeInTheDocument();
    const err = screen.getByTestId(selectors.pages.ingestError);
    expect(within(err).getByText('must be success, failure or cancelled')).toBeInTheDocument();
    expect(within(err).getByText('jenkins')).toBeInTheDocument();
  });

  it('shows the backend’s error and hint with a retry button', async () => {
    fakeGrafana.routes[resource('status')] = {
      status: 503,
      data: {
        error: 'cannot connect to PostgreSQL at localhost:5432',
        hint: 'check host and port in the data source settings',
      },
    };
    render(<Data />);
    expect(
      await screen.findByText(
        'HTTP 503: cannot connect to PostgreSQL at localhost:5432 — check host and port in the data source settings'
      )
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /retry/i })).toBeInTheDocument();
  });

  it('explains what to do when there is no PlatformLens data source', async () => {
    fakeGrafana.datasources = [];
    render(<Data />);
    expect(await screen.findByText('No PlatformLens data source')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /add data source/i })).toHaveAttribute(
      'href',
      '/connections/datasources/new'
    );
  });
});

describe('freshnessBadge', () => {
  it('colours status words and ages', () => {
    expect(freshnessBadge({ table: 't', rows: 5, freshness: 'stale' }).color).toBe('orange');
    expect(freshnessBadge({ table: 't', rows: 5, freshness: 600 })).toEqual({ text: '10 min', color: 'green' });
    expect(freshnessBadge({ table: 't', rows: 5, freshness: 3 * 86400 })).toEqual({ text: '3 d', color: 'red' });
    expect(freshnessBadge({ table: 't', rows: 0, freshness: null }).text).toBe('empty');
  });
});
