import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { selectors } from '../selectors';
import catalogFixture from '../test/catalog.generated.json';
import { catalog, rawCatalog } from '../test/fixtures';
import { fakeGrafana, resource } from '../test/runtime';
import { Catalog, exampleQuery } from './Catalog';

jest.mock('@grafana/runtime', () => require('../test/runtime').runtimeMock());

beforeEach(() => fakeGrafana.reset());

describe('Metric catalog page', () => {
  it('renders every metric of the backend catalog with its definition and an example query', async () => {
    fakeGrafana.routes[resource('catalog')] = { data: rawCatalog };
    render(<Catalog />);
    expect(await screen.findAllByTestId(selectors.pages.catalogMetric)).toHaveLength(catalog.metrics.length);
    expect(screen.getByText('5 metrics')).toBeInTheDocument();
    fireEvent.click(screen.getByText('Build duration'));
    expect(screen.getByText('p50 / p95 / p99 / mean of build durations')).toBeInTheDocument();
    expect(screen.getByText('Dimensions: Tech stack, Team')).toBeInTheDocument();
    expect(screen.getByText(/"stat": "p50"/)).toBeInTheDocument();
  });

  it('renders the catalog the Go backend serves, metrics without dimensions included', async () => {
    // catalog.generated.json is GET /catalog as the backend answers it: metrics without
    // dimensions come as [] now; backends before 2026-12 sent null, which crashed this page.
    const undimensioned = catalogFixture.metrics.filter((m) => m.dimensions?.length === 0);
    expect(undimensioned.length).toBeGreaterThan(0);
    expect(catalogFixture.metrics.some((m) => m.dimensions === null)).toBe(false);
    const olderBackend = {
      ...catalogFixture,
      metrics: catalogFixture.metrics.map((m) => (m.dimensions?.length === 0 ? { ...m, dimensions: null } : m)),
    };
    for (const data of [catalogFixture, olderBackend]) {
      fakeGrafana.routes[resource('catalog')] = { data };
      const { unmount } = render(<Catalog />);
      expect(await screen.findAllByTestId(selectors.pages.catalogMetric)).toHaveLength(catalogFixture.metrics.length);
      unmount();
    }
  });

  it('filters metrics by the search text', async () => {
    fakeGrafana.routes[resource('catalog')] = { data: rawCatalog };
    render(<Catalog />);
    await screen.findAllByTestId(selectors.pages.catalogMetric);
    fireEvent.change(screen.getByPlaceholderText('Search metrics'), { target: { value: 'funnel' } });
    expect(screen.getAllByTestId(selectors.pages.catalogMetric)).toHaveLength(1);
  });

  it('shows the error when the catalog cannot be read', async () => {
    fakeGrafana.routes[resource('catalog')] = { status: 500, data: { error: 'metrics: registry broken' } };
    render(<Catalog />);
    expect(await screen.findByText('HTTP 500: metrics: registry broken')).toBeInTheDocument();
  });
});

describe('exampleQuery', () => {
  it('uses the first format, first dimension and the declared options', () => {
    expect(exampleQuery(catalog.metrics[3])).toEqual({
      refId: 'A',
      queryType: 'metric',
      metric: 'forecast',
      format: 'time_series',
      interval: 'auto',
      groupBy: 'tech_stack',
      baseMetric: 'deployments',
      horizon: 30,
      stat: 'p50',
    });
  });
});
