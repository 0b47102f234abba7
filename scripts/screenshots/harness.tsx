/*
 * Screenshot harness: mounts each app page and editor with @grafana/ui's theme and the jest
 * fixtures, outside Grafana (whose frontend cannot run here). ?view=<name> picks what to render;
 * scripts/screenshots/run.mjs opens every view in headless Chromium and saves a PNG.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { lastValueFrom } from 'rxjs';
import { createTheme, FieldType, LoadingState, toDataFrame, dateTime } from '@grafana/data';
import { config } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';

import { ConfigEditor } from '../../src/datasource/ConfigEditor';
import { AnnotationQueryEditor } from '../../src/datasource/AnnotationQueryEditor';
import { DataSource } from '../../src/datasource/datasource';
import { QueryEditor } from '../../src/datasource/QueryEditor';
import { VariableQueryEditor } from '../../src/datasource/VariableQueryEditor';
import { PlatformLensQuery } from '../../src/datasource/types';
import { Catalog } from '../../src/pages/Catalog';
import { Configuration } from '../../src/pages/Configuration';
import { Data } from '../../src/pages/Data';
import { Home } from '../../src/pages/Home';
import { instanceSettings } from '../../src/test/fixtures';
import { installPanelRuntime } from '../../src/test/panels';
import { fakeGrafana } from '../../src/test/runtime';
import { fakeTemplateSrv } from '../../src/test/templateSrv';
import { databaseDown, healthyBackend } from './backend';

// The fake Grafana HTTP API and data source list, runRequest, and the stat panel stand-in that
// scenes loads (src/test/panels.tsx says what each stands in for).
installPanelRuntime();
Object.defineProperty(config, 'bootData', { get: () => ({ user: fakeGrafana.user, settings: {} }) });

/** The real DataSource class; its resource calls go to the fake API like the pages' calls. */
function datasource(): DataSource {
  const ds = new DataSource(instanceSettings, fakeTemplateSrv({}));
  ds.getResource = async (path: string, params?: unknown) =>
    (
      await lastValueFrom(
        fakeGrafana.fetch({ method: 'GET', url: `/api/datasources/uid/platformlens/resources/${path}`, params })
      )
    ).data as never;
  return ds;
}

const EXECUTED =
  'SELECT time_bucket($1, finished_at) AS time, percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_seconds) / 60\nFROM builds WHERE finished_at >= $2 AND finished_at < $3 AND team = ANY($4)\nGROUP BY 1 ORDER BY 1';
const panelData = {
  state: LoadingState.Done,
  series: [
    toDataFrame({
      refId: 'A',
      fields: [{ name: 'time', type: FieldType.time, values: [0] }],
      meta: { executedQueryString: EXECUTED },
    }),
  ],
  timeRange: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-7d', to: 'now' } },
};

function QueryView({ query }: { query: PlatformLensQuery }) {
  const [q, setQ] = React.useState(query);
  return <QueryEditor datasource={datasource()} query={q} onChange={setQ} onRunQuery={() => {}} data={panelData} />;
}

const noop = () => {};

/** The settings form of a new data source; it writes its documented defaults on first render. */
function ConfigView() {
  const [options, setOptions] = React.useState({
    ...instanceSettings,
    jsonData: { user: '' },
    secureJsonFields: {},
    secureJsonData: {},
  } as never);
  return <ConfigEditor options={options} onOptionsChange={setOptions} />;
}

/** Every view the screenshot script captures: name → [title of the frame, setup, element]. */
export const views: Record<string, [string, () => void, () => React.ReactElement]> = {
  home: ['PlatformLens', healthyBackend, () => <Home />],
  'home-database-down': ['PlatformLens', databaseDown, () => <Home />],
  configuration: ['Configuration', healthyBackend, () => <Configuration />],
  catalog: ['Metric catalog', healthyBackend, () => <Catalog />],
  data: ['Data', healthyBackend, () => <Data />],
  'query-editor': [
    'Query editor',
    healthyBackend,
    () => (
      <QueryView query={{ refId: 'A', metric: 'build_duration', groupBy: 'team', filters: { team: ['payments'] } }} />
    ),
  ],
  'query-editor-forecast': [
    'Query editor — forecast',
    healthyBackend,
    () => <QueryView query={{ refId: 'A', metric: 'forecast' }} />,
  ],
  'query-editor-sql': [
    'Query editor — SQL',
    healthyBackend,
    () => (
      <QueryView
        query={{
          refId: 'A',
          queryType: 'sql',
          rawSql:
            'SELECT $__timeGroupAlias(finished_at, $__interval), count(*)\nFROM builds\nWHERE $__timeFilter(finished_at)\nGROUP BY 1',
        }}
      />
    ),
  ],
  'query-editor-catalog-down': [
    'Query editor — catalog unavailable',
    () => {
      healthyBackend();
      fakeGrafana.routes['GET /api/datasources/uid/platformlens/resources/catalog'] = {
        status: 502,
        data: { message: 'plugin unavailable' },
      };
    },
    () => <QueryView query={{ refId: 'A' }} />,
  ],
  'annotation-editor': [
    'Annotation editor',
    healthyBackend,
    () => (
      <AnnotationQueryEditor
        datasource={datasource()}
        query={{ refId: 'Anno', queryType: 'annotations', kind: 'deployments', productionOnly: true }}
        onChange={noop}
        onRunQuery={noop}
      />
    ),
  ],
  'variable-editor': [
    'Variable editor',
    healthyBackend,
    () => (
      <VariableQueryEditor
        datasource={datasource()}
        query={{ refId: 'v', dimension: 'team', filters: { tech_stack: '$tech_stack' } }}
        onChange={noop}
      />
    ),
  ],
  'config-editor': ['Data source settings', healthyBackend, () => <ConfigView />],
};

const theme = createTheme({ colors: { mode: 'dark' } });
const name = new URLSearchParams(window.location.search).get('view') ?? 'home';
const view = views[name];
if (!view) {
  throw new Error(`unknown view ${name}; known: ${Object.keys(views).join(', ')}`);
}
view[1]();
createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    {/* PluginPage renders a bare <div> outside Grafana: a stand-in frame gives each page its title. */}
    <main style={{ padding: 24, background: theme.colors.background.primary, minHeight: '100vh' }}>
      <h1>{view[0]}</h1>
      {name.startsWith('home') && (
        <p style={{ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }}>
          Harness: the KPI row is the real scene and data source; its stat panels are drawn by a stand-in (BigValue),
          since Grafana&apos;s stat panel ships with Grafana, not npm.
        </p>
      )}
      {view[2]()}
    </main>
  </ThemeContext.Provider>
);
