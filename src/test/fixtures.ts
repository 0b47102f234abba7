import { DataSourceInstanceSettings, PluginMetaInfo, PluginType } from '@grafana/data';

import { readCatalog } from '../datasource/catalog';
import { Catalog, OptionSpec, PlatformLensOptions, RawCatalog } from '../datasource/types';

export const instanceSettings: DataSourceInstanceSettings<PlatformLensOptions> = {
  id: 1,
  uid: 'platformlens',
  type: 'platformlens-analytics-datasource',
  name: 'PlatformLens',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: {
    id: 'platformlens-analytics-datasource',
    name: 'PlatformLens',
    type: PluginType.datasource,
    module: '',
    baseUrl: '',
    info: {} as PluginMetaInfo,
  },
};

const COMPARE: OptionSpec = {
  name: 'compare',
  choices: ['previous', 'wow', 'mom', 'yoy'],
  description:
    'Adds the value of an earlier period: previous (same length just before), wow (−7 d), mom (−1 month), yoy (−1 year).',
};
const STAT: OptionSpec = {
  name: 'stat',
  default: 'p50',
  choices: ['p50', 'p95', 'p99', 'mean'],
  description: 'Statistic of the durations: median (p50), 95th or 99th percentile, or mean.',
};

/**
 * A catalog in the GET /catalog contract shape (TEAM.md: OptionSpec options, categories,
 * annotation kinds), with values as the Go catalog serves them (defaults p50 / 30 days / k = 3).
 * When src/test/catalog.generated.json lands (written from the real catalog by a Go test), tests
 * can read that instead.
 */
export const rawCatalog: RawCatalog = {
  metrics: [
    {
      id: 'build_success_rate',
      title: 'Build success rate',
      category: 'pipeline-metrics',
      description: 'success ÷ (success + failure) × 100; cancelled builds excluded',
      unit: '%',
      grafanaUnit: 'percent',
      dimensions: ['tech_stack', 'team'],
      formats: ['time_series', 'table'],
      targetKey: 'build_success_rate',
      options: [COMPARE],
    },
    {
      id: 'build_duration',
      title: 'Build duration',
      category: 'pipeline-metrics',
      description: 'p50 / p95 / p99 / mean of build durations',
      unit: 'min',
      grafanaUnit: 'm',
      dimensions: ['tech_stack', 'team'],
      formats: ['time_series', 'table'],
      options: [STAT, COMPARE],
    },
    {
      id: 'funnel_steps',
      title: 'Funnel steps',
      category: 'funnels',
      description: 'subjects per step with conversion and drop-off',
      unit: 'table',
      grafanaUnit: 'short',
      dimensions: [],
      formats: ['table'],
      options: [
        { name: 'funnel', description: 'Funnel name (the funnels table; list it with /variables/funnel).' },
        { name: 'breakdown', description: 'Product event property key to break the funnel down by (e.g. plan).' },
      ],
    },
    {
      id: 'forecast',
      title: 'Forecast',
      category: 'advanced-analytics',
      description: 'Holt forecast of a base metric',
      unit: 'as base metric',
      grafanaUnit: 'short',
      dimensions: ['tech_stack'],
      formats: ['time_series'],
      options: [
        { name: 'baseMetric', description: 'Metric whose time series is forecast or searched for anomalies.' },
        {
          name: 'horizon',
          default: 30,
          choices: ['30', '60', '90'],
          description: 'Forecast horizon in days.',
          min: 0,
          max: 3650,
        },
        STAT,
      ],
    },
    {
      id: 'anomalies',
      title: 'Anomalies',
      category: 'advanced-analytics',
      description: 'Points outside the rolling median ± k × MAD',
      unit: 'as base metric',
      grafanaUnit: 'short',
      dimensions: ['tech_stack'],
      formats: ['time_series', 'table'],
      options: [
        { name: 'baseMetric', description: 'Metric whose time series is forecast or searched for anomalies.' },
        { name: 'sensitivity', default: 3, min: 0, max: 100, description: 'k of median ± k × MAD; lower finds more.' },
        STAT,
      ],
    },
  ],
  dimensions: [
    { id: 'tech_stack', label: 'Tech stack' },
    { id: 'team', label: 'Team' },
  ],
  categories: [
    { id: 'pipeline-metrics', title: 'Pipelines' },
    { id: 'funnels', title: 'Funnels' },
    { id: 'advanced-analytics', title: 'Forecasts and anomalies' },
  ],
  annotationKinds: [
    {
      id: 'deployments',
      title: 'Deployments',
      description: 'Each deployment finished in range (optionally production only).',
      filterKeys: ['environment', 'service', 'team', 'tech_stack'],
    },
    {
      id: 'incidents',
      title: 'Incidents',
      description: 'Each incident open during the range.',
      filterKeys: ['service', 'severity', 'team'],
    },
    {
      id: 'anomalies',
      title: 'Anomalies',
      description: "Points of a base metric's series outside its band.",
      filterKeys: [],
    },
  ],
};

/** The same catalog as the frontend sees it (readCatalog). */
export const catalog: Catalog = readCatalog(rawCatalog);

/** The catalog shape older backends served: option names only, no categories or annotation kinds. */
export const legacyRawCatalog: RawCatalog = {
  metrics: (rawCatalog.metrics ?? []).map((m) => ({
    ...m,
    options: (m.options ?? []).map((o) => (typeof o === 'string' ? o : o.name)),
  })),
  dimensions: rawCatalog.dimensions,
};
