import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import { selectors } from '../selectors';
import { catalog, instanceSettings, rawCatalog } from '../test/fixtures';
import { fakeTemplateSrv } from '../test/templateSrv';
import { anomalyBaseMetrics, AnnotationQueryEditor } from './AnnotationQueryEditor';
import { DataSource } from './datasource';
import { PlatformLensQuery } from './types';

// Editors mount Grafana's real components; on a loaded 2-core machine that takes seconds.
jest.setTimeout(30000);

// The fixture has the anomalies metric itself, which must not be offered as its own base.
const withAnomalies = rawCatalog;

// jsdom has no IntersectionObserver; Grafana's Select menu uses one only for scroll shadows.
beforeAll(() => {
  class NoIntersectionObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.defineProperty(window, 'IntersectionObserver', { configurable: true, value: NoIntersectionObserver });
});

function setup(query: PlatformLensQuery) {
  const ds = new DataSource(instanceSettings, fakeTemplateSrv({}));
  const getResource = jest
    .spyOn(ds, 'getResource')
    .mockImplementation(async (path: string) => (path === 'catalog' ? withAnomalies : []));
  const onChange = jest.fn();
  render(<AnnotationQueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={jest.fn()} />);
  return { getResource, onChange };
}

/** Renders and waits until the catalog (and any filter values) have loaded. */
async function setupLoaded(query: PlatformLensQuery) {
  const result = setup(query);
  await waitFor(() => expect(result.getResource).toHaveBeenCalledWith('catalog'));
  await act(async () => {});
  return result;
}

/**
 * Types into the base metric Combobox until one catalog option is left and picks it (jsdom
 * gives the virtualised menu no height, so option rows are not rendered; the offered list is
 * anomalyBaseMetrics, tested below).
 */
async function pickBaseMetric(search: string) {
  const input = screen.getByTestId(selectors.annotation.baseMetric);
  fireEvent.click(input);
  await screen.findByRole('listbox');
  fireEvent.change(input, { target: { value: search } });
  // Let the filtered options settle before moving the highlight (slow on a loaded machine).
  await waitFor(() => expect(input).toHaveValue(search));
  await act(async () => {});
  // One option matches: ArrowDown highlights it whether or not another base was selected before.
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  fireEvent.keyDown(input, { key: 'Enter' });
}

const present = (id: string) => screen.queryByTestId(id) !== null;

describe('AnnotationQueryEditor', () => {
  it('shows no anomaly options for deployments', async () => {
    await setupLoaded({ refId: 'Anno', queryType: 'annotations', kind: 'deployments' });
    expect(screen.getByText('Production only')).toBeInTheDocument();
    expect(present(selectors.annotation.baseMetric)).toBe(false);
    expect(present(selectors.annotation.sensitivity)).toBe(false);
  });

  it('switching to Anomalies resets the deployment options and sets the anomaly defaults', async () => {
    const { onChange } = await setupLoaded({
      refId: 'Anno',
      queryType: 'annotations',
      kind: 'deployments',
      productionOnly: true,
      filters: { team: ['payments'] },
    });
    fireEvent.click(screen.getByLabelText('Anomalies'));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        queryType: 'annotations',
        kind: 'anomalies',
        filters: {},
        productionOnly: undefined,
        interval: 'hour',
        sensitivity: 3,
      })
    );
  });

  it('for anomalies shows base metric and sensitivity and writes them into the query', async () => {
    const query: PlatformLensQuery = { refId: 'Anno', queryType: 'annotations', kind: 'anomalies', sensitivity: 3 };
    const { onChange } = await setupLoaded(query);
    expect(screen.getByTestId(selectors.annotation.sensitivity)).toHaveValue(3);
    expect(present(selectors.annotation.baseMetric)).toBe(true);
    // No base metric yet: no filter keys and no group-by to offer.
    expect(present(selectors.query.addFilter)).toBe(false);
    expect(present(selectors.annotation.groupBy)).toBe(false);

    fireEvent.change(screen.getByTestId(selectors.annotation.sensitivity), { target: { value: '2.5' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'anomalies', sensitivity: 2.5 }));

    await pickBaseMetric('success rate');
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ queryType: 'annotations', kind: 'anomalies', baseMetric: 'build_success_rate' })
    );
  });

  it('offers the base metric’s dimensions as filters and group-by and drops the ones it lacks', async () => {
    const query: PlatformLensQuery = {
      refId: 'Anno',
      queryType: 'annotations',
      kind: 'anomalies',
      baseMetric: 'build_duration',
      groupBy: 'team',
      filters: { team: ['payments'], service: ['api'] },
    };
    const { onChange } = await setupLoaded(query);
    expect(await screen.findByTestId(selectors.annotation.groupBy)).toBeInTheDocument();
    expect(screen.getByTestId(selectors.query.addFilter)).toBeInTheDocument();

    await pickBaseMetric('success rate');
    await waitFor(
      () =>
        expect(onChange).toHaveBeenLastCalledWith(
          expect.objectContaining({
            baseMetric: 'build_success_rate',
            groupBy: 'team',
            filters: { team: ['payments'] },
          })
        ),
      { timeout: 15000 }
    );
  });
});

describe('anomalyBaseMetrics', () => {
  it('keeps numeric time series metrics only', () => {
    expect(anomalyBaseMetrics(catalog.metrics).map((m) => m.id)).toEqual(['build_success_rate', 'build_duration']);
  });
});
