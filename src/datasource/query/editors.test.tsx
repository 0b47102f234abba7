import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { FieldType, LoadingState, PanelData, toDataFrame, dateTime } from '@grafana/data';

import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { withTextareaCodeEditor } from '../../test/codeEditor';
import { instanceSettings, legacyRawCatalog, rawCatalog } from '../../test/fixtures';
import { fakeTemplateSrv } from '../../test/templateSrv';
import { readCatalog } from '../catalog';
import { DataSource } from '../datasource';
import { QueryEditor } from '../QueryEditor';
import { PlatformLensQuery, RawCatalog } from '../types';
import { describeQuery } from './describe';
import { defaultPlaceholder } from './MetricOptions';
import { metricOptions } from './MetricSelect';
import { macroSuggestions, SqlEditor } from './SqlEditor';

// Editors mount Grafana's real components; on a loaded 2-core machine that takes seconds.
jest.setTimeout(30000);

jest.mock('@grafana/ui', () => withTextareaCodeEditor(jest.requireActual('@grafana/ui')));

function setup(query: PlatformLensQuery, answer: () => Promise<RawCatalog>, data?: PanelData) {
  const ds = new DataSource(instanceSettings, fakeTemplateSrv({}));
  const getResource = jest
    .spyOn(ds, 'getResource')
    .mockImplementation(async (path: string) => (path === 'catalog' ? answer() : []));
  const onChange = jest.fn();
  render(<QueryEditor datasource={ds} query={query} onChange={onChange} onRunQuery={jest.fn()} data={data} />);
  return { getResource, onChange };
}

const SQL_WITH_MACROS =
  'SELECT $__timeGroupAlias(finished_at, $__interval), count(*) AS builds\nFROM builds\nWHERE $__timeFilter(finished_at) AND team IN ($team)\nGROUP BY 1';

describe('metric picker options', () => {
  it('groups metrics under the catalog family titles, each with unit and definition', () => {
    const options = metricOptions(readCatalog(rawCatalog));
    expect(options.map((o) => o.group)).toEqual([
      'Pipelines',
      'Pipelines',
      'Funnels',
      'Forecasts and anomalies',
      'Forecasts and anomalies',
    ]);
    expect(options[1]).toEqual({
      value: 'build_duration',
      label: 'Build duration',
      group: 'Pipelines',
      description: 'min · p50 / p95 / p99 / mean of build durations',
    });
  });

  it('shows readable family names when an older backend sends no categories', () => {
    expect(metricOptions(readCatalog(legacyRawCatalog)).map((o) => o.group)[0]).toBe('Pipeline metrics');
  });
});

describe('option defaults', () => {
  it.each([
    ['build_duration', 'stat'],
    ['forecast', 'horizon'],
    ['anomalies', 'sensitivity'],
  ])('%s shows the backend default of %s as the placeholder', async (metric, option) => {
    setup({ refId: 'A', metric }, async () => rawCatalog);
    const control = await screen.findByTestId(selectors.query.option(option));
    const spec = rawCatalog
      .metrics!.find((m) => m.id === metric)!
      .options!.find((o) => typeof o !== 'string' && o.name === option);
    const backendDefault = typeof spec === 'object' ? spec.default : undefined;
    expect(backendDefault).toBeDefined();
    expect(control).toHaveAttribute('placeholder', labels.query.defaultIs(String(backendDefault)));
  });

  it('claims no default an older backend did not send (options: string[])', async () => {
    setup({ refId: 'A', metric: 'build_duration' }, async () => legacyRawCatalog);
    const control = await screen.findByTestId(selectors.query.option('stat'));
    expect(control).toHaveAttribute('placeholder', labels.query.backendDefault);
    expect(defaultPlaceholder({ name: 'x', description: '' })).toBe(labels.query.backendDefault);
  });

  it('describes the query with the default the backend applies', () => {
    const text = describeQuery(
      { refId: 'A', metric: 'build_duration', groupBy: 'team', compare: 'wow' },
      readCatalog(rawCatalog)
    );
    expect(text).toBe(
      'p50 of Build duration (min, Pipelines) over all data, one series per Team, per panel interval, compared with week over week'
    );
  });
});

describe('catalog failure', () => {
  it('disables the metric picker and retries on request', async () => {
    let fail = true;
    const { getResource } = setup({ refId: 'A' }, async () => {
      if (fail) {
        throw { status: 502, data: { message: 'database unreachable' } };
      }
      return rawCatalog;
    });
    expect(await screen.findByText(/database unreachable/)).toBeInTheDocument();
    expect(screen.getByTestId(selectors.query.metric)).toBeDisabled();
    fail = false;
    fireEvent.click(screen.getByTestId(selectors.query.catalogRetry));
    await waitFor(() => expect(screen.getByTestId(selectors.query.metric)).not.toBeDisabled());
    expect(getResource).toHaveBeenCalledTimes(2);
  });
});

describe('SQL', () => {
  it('offers every macro as a completion and keeps macros verbatim on edit', () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(<SqlEditor rawSql="" onChange={onChange} onRunQuery={onRunQuery} />);
    for (const m of labels.query.macroHelp) {
      expect(screen.getByRole('list', { name: 'completions' })).toHaveTextContent(m.macro);
    }
    expect(macroSuggestions().map((s) => s.label)).toEqual(labels.query.macroHelp.map((m) => m.macro));
    const editor = screen.getByLabelText('code editor');
    fireEvent.change(editor, { target: { value: SQL_WITH_MACROS } });
    fireEvent.blur(editor);
    expect(onChange).toHaveBeenCalledWith(SQL_WITH_MACROS);
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('shows the executed SQL and copies it into SQL mode unchanged', async () => {
    const frame = toDataFrame({
      refId: 'A',
      fields: [{ name: 'time', type: FieldType.time, values: [1] }],
      meta: { executedQueryString: SQL_WITH_MACROS },
    });
    const data: PanelData = {
      state: LoadingState.Done,
      series: [frame],
      timeRange: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
    };
    const { onChange } = setup({ refId: 'A', metric: 'build_duration' }, async () => rawCatalog, data);
    fireEvent.click(await screen.findByTestId(selectors.query.showSql));
    expect(screen.getByTestId(selectors.query.executedSql)).toHaveTextContent('$__timeFilter(finished_at)');
    fireEvent.click(screen.getByTestId(selectors.query.copyAsSql));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ refId: 'A', queryType: 'sql', rawSql: SQL_WITH_MACROS })
    );
    await act(async () => {});
  });
});
