import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import { selectors } from '../selectors';
import { catalog, instanceSettings, rawCatalog } from '../test/fixtures';
import { withTextareaCodeEditor } from '../test/codeEditor';
import { fakeTemplateSrv } from '../test/templateSrv';
import { DataSource } from './datasource';
import { adaptToMetric, QueryEditor } from './QueryEditor';
import { PlatformLensQuery } from './types';

// Editors mount Grafana's real components; on a loaded 2-core machine that takes seconds.
jest.setTimeout(30000);

jest.mock('@grafana/ui', () => withTextareaCodeEditor(jest.requireActual('@grafana/ui')));

// The catalog reaches the editor only through the resource API, the network boundary.
function setup(query: PlatformLensQuery) {
  const ds = new DataSource(instanceSettings, fakeTemplateSrv({}));
  const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (path: string) => {
    if (path === 'catalog') {
      return rawCatalog;
    }
    return [{ value: 'onboarding', text: 'Onboarding' }];
  });
  const onChange = jest.fn();
  render(<QueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={jest.fn()} />);
  return { getResource, onChange };
}

const present = (id: string) => screen.queryByTestId(id) !== null;

describe('QueryEditor', () => {
  it('shows the statistic option only for a metric that declares it', async () => {
    setup({ refId: 'A', metric: 'build_duration', format: 'time_series' });
    await screen.findByTestId(selectors.query.description);
    expect(screen.getByText('p50 / p95 / p99 / mean of build durations')).toBeInTheDocument();
    expect(present(selectors.query.stat)).toBe(true);
    expect(present(selectors.query.compare)).toBe(true);
    expect(present(selectors.query.groupBy)).toBe(true);
    expect(present(selectors.query.interval)).toBe(true);
    expect(present(selectors.query.funnel)).toBe(false);
    expect(present(selectors.query.horizon)).toBe(false);
    expect(present(selectors.query.baseMetric)).toBe(false);
    expect(present(selectors.query.breakdown)).toBe(false);
  });

  it('offers a breakdown input for a funnel metric that declares it and commits the trimmed key', async () => {
    const { onChange } = setup({ refId: 'A', metric: 'funnel_steps', format: 'table', funnel: 'onboarding' });
    const input = await screen.findByTestId(selectors.query.breakdown);
    expect(input).toHaveValue('');
    fireEvent.change(input, { target: { value: ' plan ' } });
    // Typing alone does not run the query; leaving the field does.
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.blur(input);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ metric: 'funnel_steps', breakdown: 'plan' }));
  });

  it('offers funnel but no format, group-by, filters or compare for a table-only funnel metric', async () => {
    const { getResource } = setup({ refId: 'A', metric: 'funnel_steps', format: 'table' });
    await screen.findByTestId(selectors.query.description);
    expect(present(selectors.query.funnel)).toBe(true);
    expect(present(selectors.query.format)).toBe(false);
    expect(present(selectors.query.groupBy)).toBe(false);
    expect(present(selectors.query.filters)).toBe(false);
    expect(present(selectors.query.compare)).toBe(false);
    expect(present(selectors.query.stat)).toBe(false);
    // The funnel Combobox loads its options from the dimension-values route when opened.
    expect(getResource).not.toHaveBeenCalledWith('variables/funnel', {});
    fireEvent.click(screen.getByTestId(selectors.query.funnel));
    await waitFor(() => expect(getResource).toHaveBeenCalledWith('variables/funnel', {}), { timeout: 15000 });
  });

  it('offers base metric and horizon for a forecast', async () => {
    setup({ refId: 'A', metric: 'forecast', format: 'time_series' });
    await screen.findByTestId(selectors.query.description);
    expect(present(selectors.query.baseMetric)).toBe(true);
    expect(present(selectors.query.horizon)).toBe(true);
    expect(present(selectors.query.sensitivity)).toBe(false);
    expect(present(selectors.query.breakdown)).toBe(false);
  });

  it('shows the SQL editor with the macro help in SQL mode', async () => {
    const { getResource } = setup({ refId: 'A', queryType: 'sql', rawSql: 'SELECT 1' });
    // Grafana's CodeEditor (Monaco) mounts inside this container; jsdom cannot run Monaco itself.
    expect(screen.getByTestId(selectors.query.rawSql)).toBeInTheDocument();
    // The catalog still loads (for switching back); let it settle.
    await waitFor(() => expect(getResource).toHaveBeenCalledWith('catalog'));
    await act(async () => {});
    expect(present(selectors.query.metric)).toBe(false);
  });

  it('warns about a metric the catalog does not have', async () => {
    setup({ refId: 'A', metric: 'no_such_metric' });
    expect(
      await screen.findByText('Metric "no_such_metric" is not in the catalog of this data source.')
    ).toBeInTheDocument();
  });
});

describe('adaptToMetric', () => {
  it('drops the breakdown when the new metric does not declare it', () => {
    const duration = catalog.metrics.find((m) => m.id === 'build_duration')!;
    const q = adaptToMetric({ refId: 'A', metric: 'funnel_steps', funnel: 'onboarding', breakdown: 'plan' }, duration);
    expect(q.breakdown).toBeUndefined();
    expect(q.funnel).toBeUndefined();
  });

  it('drops filters, group-by and options the new metric does not accept', () => {
    const funnel = catalog.metrics.find((m) => m.id === 'funnel_steps')!;
    const q = adaptToMetric(
      {
        refId: 'A',
        metric: 'build_duration',
        stat: 'p99',
        breakdown: 'plan',
        compare: 'wow',
        groupBy: 'team',
        filters: { team: ['x'] },
        format: 'time_series',
      },
      funnel
    );
    expect(q).toMatchObject({ metric: 'funnel_steps', format: 'table', filters: {} });
    expect(q.stat).toBeUndefined();
    expect(q.compare).toBeUndefined();
    expect(q.breakdown).toBe('plan');
    expect(q.groupBy).toBeUndefined();
  });
});
