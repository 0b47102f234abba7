import { labels } from '../../labels';
import { categoryTitle, optionSpec } from '../catalog';
import { Catalog, PlatformLensQuery } from '../types';

const L = labels.query.describe;

/**
 * The live "what this computes" line: metric, statistic, filters, group-by, interval and
 * comparison in words. Options the query leaves out are described with the backend's default
 * (from the catalog's OptionSpec), which is what the backend computes with.
 */
export function describeQuery(query: PlatformLensQuery, catalog: Catalog): string {
  const metric = catalog.metrics.find((m) => m.id === query.metric);
  if (!metric) {
    return query.metric ? L.unknown(query.metric) : L.none;
  }
  const dim = (id: string) => catalog.dimensions.find((d) => d.id === id)?.label ?? id;
  const parts: string[] = [];
  const stat = query.stat ?? optionSpec(metric, 'stat')?.default;
  parts.push(stat ? `${String(stat)} ${L.of} ${metric.title}` : metric.title);
  parts.push(`(${metric.unit}, ${categoryTitle(catalog, metric.category)})`);
  if (query.baseMetric) {
    const base = catalog.metrics.find((m) => m.id === query.baseMetric);
    parts.push(`${L.of} ${base?.title ?? query.baseMetric}`);
  }
  if (query.funnel) {
    parts.push(L.funnel(query.funnel));
  }
  const filters = Object.entries(query.filters ?? {}).filter(([, vs]) => vs.length > 0);
  parts.push(filters.length ? L.where(filters.map(([k, vs]) => `${dim(k)} ${L.in} ${vs.join(', ')}`)) : L.all);
  if (query.groupBy) {
    parts.push(L.by(dim(query.groupBy)));
  }
  const format = query.format ?? metric.formats[0];
  if (format === 'table') {
    parts.push(L.table);
  } else {
    const interval = query.interval ?? 'auto';
    parts.push(interval === 'auto' ? L.autoInterval : L.per(labels.query.intervals[interval] ?? interval));
  }
  const horizon = query.horizon ?? optionSpec(metric, 'horizon')?.default;
  if (horizon !== undefined) {
    parts.push(L.horizon(String(horizon)));
  }
  const k = query.sensitivity ?? optionSpec(metric, 'sensitivity')?.default;
  if (k !== undefined) {
    parts.push(L.sensitivity(String(k)));
  }
  if (query.compare) {
    parts.push(L.compared(labels.query.compares[query.compare] ?? query.compare));
  }
  // Clauses that start with a comma attach to the previous word.
  return parts.join(' ').replace(/ ,/g, ',');
}
