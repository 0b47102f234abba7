import {
  EmbeddedScene,
  PanelBuilders,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneTimeRange,
} from '@grafana/scenes';
import { BigValueColorMode, BigValueGraphMode, BigValueTextMode, DataSourceRef, ThresholdsMode } from '@grafana/schema';

import { DATASOURCE_TYPE, HOME_KPIS } from '../../constants';
import { categoryTitle } from '../../datasource/catalog';
import { Catalog, MetricDefinition } from '../../datasource/types';
import { labels } from '../../labels';

/** Time range of the Home KPI row. */
export const KPI_RANGE = { from: 'now-30d', to: 'now' };

/** One KPI of the row: its metric, the title shown and the query runner that feeds its panel. */
export interface KpiPanel {
  metric: string;
  title: string;
  runner: SceneQueryRunner;
}

/** The query a KPI panel sends: one number over the range (refId = metric id, as saved panels do). */
export function kpiQuery(metric: string) {
  return { refId: metric, queryType: 'metric', metric, format: 'table' };
}

/**
 * The Home KPI row as a scene: one stat panel per headline metric, each fed by its own
 * SceneQueryRunner against the PlatformLens data source (so one failing metric does not blank the
 * others). Units, min/max and target thresholds come from the backend with the frames; the
 * catalog supplies titles, descriptions and the unit to fall back on.
 */
export function buildKpiScene(
  datasource: DataSourceRef,
  catalog?: Catalog,
  metrics: string[] = HOME_KPIS
): { scene: EmbeddedScene; panels: KpiPanel[] } {
  const ds = { uid: datasource.uid, type: datasource.type ?? DATASOURCE_TYPE };
  const panels: KpiPanel[] = metrics.map((metric) => {
    const def: MetricDefinition | undefined = catalog?.metrics.find((m) => m.id === metric);
    // Without the catalog the id is still shown readable ("Pipeline availability"), never raw.
    const title = def?.title ?? categoryTitle({ categories: [] }, metric);
    return { metric, title, runner: new SceneQueryRunner({ datasource: ds, queries: [kpiQuery(metric)] }) };
  });
  const items = panels.map(({ metric, title, runner }) => {
    const def = catalog?.metrics.find((m) => m.id === metric);
    const builder = PanelBuilders.stat()
      .setTitle(title)
      .setDescription(def?.description ?? '')
      .setData(runner)
      .setNoValue(labels.home.noValue)
      .setOption('reduceOptions', { calcs: ['lastNotNull'], values: false, fields: '' })
      .setOption('graphMode', BigValueGraphMode.None)
      .setOption('textMode', BigValueTextMode.Value)
      .setOption('colorMode', def?.targetKey ? BigValueColorMode.Value : BigValueColorMode.None)
      // Metrics without a target are not judged: one neutral step instead of the stat panel's
      // default red-above-80. The backend's thresholds (from the targets table) win when present.
      .setThresholds({ mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: 'text' }] });
    if (def?.grafanaUnit) {
      builder.setUnit(def.grafanaUnit);
    }
    return new SceneFlexItem({ minWidth: 220, height: 140, body: builder.build() });
  });
  const scene = new EmbeddedScene({
    $timeRange: new SceneTimeRange(KPI_RANGE),
    body: new SceneFlexLayout({ direction: 'row', wrap: 'wrap', children: items }),
  });
  return { scene, panels };
}
