/*
 * What Grafana's frontend provides to panels and scenes at boot, for tests and the screenshot
 * harness (Grafana's frontend is not an npm package):
 * - runRequest: Grafana's public/app/features/query/state/runRequest, reduced to what it does with
 *   one response (Loading first, then Done, or Error when the response carries errors);
 * - the "stat" panel: a stand-in drawing each display value with @grafana/ui's BigValue, computed
 *   by @grafana/data's getFieldDisplayValues, which is how Grafana's stat panel draws it.
 * The queries themselves go through the real DataSource class (DataSourceWithBackend.query →
 * POST /api/ds/query), answered by the fake Grafana HTTP API of src/test/runtime.ts.
 */
import React from 'react';
import { catchError, from, map, Observable, of, startWith } from 'rxjs';
import {
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  FieldConfigOptionsRegistry,
  FieldConfigPropertyItem,
  getFieldDisplayValues,
  identityOverrideProcessor,
  numberOverrideProcessor,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  unitOverrideProcessor,
  LoadingState,
  PanelData,
  PanelPlugin,
  PanelProps,
  PluginType,
} from '@grafana/data';
import {
  BackendSrv,
  DataSourceSrv,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  toDataQueryError,
} from '@grafana/runtime';
import { BigValueColorMode, BigValueGraphMode, BigValueTextMode } from '@grafana/schema';
import { BigValue, useTheme2 } from '@grafana/ui';

import { DataSource } from '../datasource/datasource';
import { instanceSettings } from './fixtures';
import { fakeDataSourceSrv, fakeGrafana } from './runtime';
import { fakeTemplateSrv } from './templateSrv';

/** Grafana's runRequest for one data source request, reduced to its states. */
export function runRequest(ds: DataSourceApi, request: DataQueryRequest): Observable<PanelData> {
  const base = { series: [], timeRange: request.range, request };
  return from(ds.query(request) as Observable<DataQueryResponse>).pipe(
    map((res): PanelData => {
      // toDataQueryResponse of a failed HTTP call sets only the deprecated `error`; Grafana's
      // runRequest folds it into `errors` the same way.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      const errors = res.errors ?? (res.error ? [res.error] : undefined);
      return {
        ...base,
        series: res.data ?? [],
        errors,
        state: errors?.length ? LoadingState.Error : (res.state ?? LoadingState.Done),
      };
    }),
    catchError((err) => {
      const error = toDataQueryError(err);
      return of<PanelData>({ ...base, state: LoadingState.Error, errors: [error] });
    }),
    startWith<PanelData>({ ...base, state: LoadingState.Loading })
  );
}

interface StatOptions {
  reduceOptions: { calcs: string[]; values?: boolean; fields?: string };
  colorMode?: BigValueColorMode;
  textMode?: BigValueTextMode;
}

function StatStandIn({
  data,
  options,
  fieldConfig,
  width,
  height,
  replaceVariables,
  timeZone,
}: PanelProps<StatOptions>) {
  const theme = useTheme2();
  const values = getFieldDisplayValues({
    fieldConfig,
    reduceOptions: options.reduceOptions,
    replaceVariables,
    theme,
    data: data.series,
    timeZone,
  });
  return (
    <>
      {values.map((v, i) => (
        <BigValue
          key={i}
          value={v.display}
          theme={theme}
          width={width / values.length}
          height={height}
          colorMode={options.colorMode ?? BigValueColorMode.Value}
          graphMode={BigValueGraphMode.None}
          textMode={options.textMode ?? BigValueTextMode.Value}
        />
      ))}
    </>
  );
}

/**
 * The standard field options the KPI row sets (Grafana registers all of them at boot, from code
 * that is not in npm). Without them a panel's defaults (noValue, unit …) would be dropped.
 */
function standardFieldOptions(): FieldConfigOptionsRegistry {
  const item = (id: string, process: FieldConfigPropertyItem['process']): FieldConfigPropertyItem => ({
    id,
    path: id,
    name: id,
    process,
    shouldApply: () => true,
    editor: () => null,
    override: () => null,
  });
  return new FieldConfigOptionsRegistry(() => [
    item('unit', unitOverrideProcessor),
    item('min', numberOverrideProcessor),
    item('max', numberOverrideProcessor),
    item('decimals', numberOverrideProcessor),
    item('noValue', stringOverrideProcessor),
    item('displayName', stringOverrideProcessor),
    item('thresholds', thresholdsOverrideProcessor),
    item('color', identityOverrideProcessor),
  ]);
}

/** The stand-in "stat" panel plugin (see the file comment). */
export const statPanel = new PanelPlugin<StatOptions>(StatStandIn);
const registry = standardFieldOptions();
Object.defineProperty(statPanel, 'fieldConfigRegistry', { get: () => registry });
statPanel.meta = {
  id: 'stat',
  name: 'Stat (stand-in)',
  type: PluginType.panel,
  module: '',
  baseUrl: '',
  sort: 0,
  info: {
    author: { name: 'PlatformLens tests' },
    description: '',
    links: [],
    logos: { small: '', large: '' },
    screenshots: [],
    updated: '',
    version: '',
  },
};

/** Installs runRequest and the panel plugins scenes load, as Grafana does at boot. */
export function installPanelRuntime() {
  fakeGrafana.datasourceApi = () => new DataSource(instanceSettings, fakeTemplateSrv({})) as unknown as DataSourceApi;
  // DataSourceWithBackend reads these services from inside @grafana/runtime, where a jest.mock of
  // the module's exports does not reach: register the fakes the way Grafana registers its own.
  setBackendSrv({ fetch: fakeGrafana.fetch } as unknown as BackendSrv);
  setDataSourceSrv(fakeDataSourceSrv as unknown as DataSourceSrv);
  setRunRequest(runRequest);
  setPluginImportUtils({
    importPanelPlugin: async (id: string) => {
      if (id === 'stat') {
        return statPanel;
      }
      throw new Error(`panel plugin ${id} is not available outside Grafana`);
    },
    getPanelPluginFromCache: (id: string) => (id === 'stat' ? statPanel : undefined),
  });
}
