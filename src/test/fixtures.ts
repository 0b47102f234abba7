import { DataSourceInstanceSettings, PluginMetaInfo, PluginType } from '@grafana/data';

import { Catalog, OptionSpec, PlatformLensOptions } from '../datasource/types';
import generatedCatalog from './catalog.generated.json';

/** The backend's specs (defaults, choices) of the named options, from the generated catalog. */
export function optionSpecs(...names: string[]): OptionSpec[] {
  const all = (generatedCatalog as Catalog).metrics.flatMap((m) => m.options ?? []);
  return names.map((n) => {
    const spec = all.find((o) => o.name === n);
    if (!spec) {
      throw new Error(`option ${n} is not in src/test/catalog.generated.json`);
    }
    return spec;
  });
}

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

/** A catalog shaped like GET /catalog (pkg/metrics Definition), with a few metrics of each kind. */
export const catalog: Catalog = {
  metrics: [
    {
      id: 'build_success_rate',
      title: 'Build success rate',
      category: 'pipelines',
      description: 'success ÷ (success + failure) × 100; cancelled builds excluded',
      unit: '%',
      grafanaUnit: 'percent',
      dimensions: ['tech_stack', 'team'],
      formats: ['time_series', 'table'],
      targetKey: 'build_success_rate',
      options: optionSpecs('compare'),
    },
    {
      id: 'build_duration',
      title: 'Build duration',
      category: 'pipelines',
      description: 'p50 / p95 / p99 / mean of build durations',
      unit: 'min',
      dimensions: ['tech_stack', 'team'],
      formats: ['time_series', 'table'],
      options: optionSpecs('stat', 'compare'),
    },
    {
      id: 'funnel_steps',
      title: 'Funnel steps',
      category: 'funnels',
      description: 'subjects per step with conversion and drop-off',
      unit: 'table',
      dimensions: [],
      formats: ['table'],
      options: optionSpecs('funnel', 'breakdown'),
    },
    {
      id: 'forecast',
      title: 'Forecast',
      category: 'advanced',
      description: 'Holt forecast of a base metric',
      unit: 'as base',
      dimensions: ['tech_stack'],
      formats: ['time_series'],
      options: optionSpecs('baseMetric', 'horizon'),
    },
  ],
  dimensions: [
    { id: 'tech_stack', label: 'Tech stack' },
    { id: 'team', label: 'Team' },
  ],
  categories: [],
  annotationKinds: [],
};
