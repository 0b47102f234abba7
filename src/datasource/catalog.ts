import { Catalog, MetricDefinition, OptionSpec, RawCatalog, RawMetricDefinition } from './types';

/**
 * Normalises GET /catalog. The backend serves `options` as OptionSpec[] (with defaults); an older
 * backend served option names only (`options: string[]`), which become specs without a default —
 * the editor then shows "backend default" instead of guessing a value the backend may not use.
 */
export function readCatalog(raw: RawCatalog | undefined | null): Catalog {
  return {
    metrics: (raw?.metrics ?? []).map(readMetric),
    dimensions: raw?.dimensions ?? [],
    categories: raw?.categories ?? [],
    annotationKinds: raw?.annotationKinds ?? [],
  };
}

function readMetric(m: RawMetricDefinition): MetricDefinition {
  const options = (m.options ?? []).map((o): OptionSpec => (typeof o === 'string' ? { name: o, description: '' } : o));
  // Metrics without group-by dimensions come as `"dimensions": null` (a nil Go slice).
  return { ...m, dimensions: m.dimensions ?? [], formats: m.formats ?? [], options };
}

/** The spec of one option of a metric; undefined when the metric does not read it. */
export function optionSpec(metric: MetricDefinition | undefined, name: string): OptionSpec | undefined {
  return metric?.options.find((o) => o.name === name);
}

/** Title of a metric family; an id the catalog has no title for is shown readable, not raw. */
export function categoryTitle(catalog: Pick<Catalog, 'categories'>, id: string): string {
  const found = catalog.categories.find((c) => c.id === id);
  if (found) {
    return found.title;
  }
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Metrics grouped by family in the catalog's category order (unknown families last). */
export function metricsByCategory(catalog: Catalog): Array<{ id: string; title: string; metrics: MetricDefinition[] }> {
  const order = new Map(catalog.categories.map((c, i) => [c.id, i]));
  const groups = new Map<string, MetricDefinition[]>();
  for (const m of catalog.metrics) {
    groups.set(m.category, [...(groups.get(m.category) ?? []), m]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
    .map(([id, metrics]) => ({ id, title: categoryTitle(catalog, id), metrics }));
}
