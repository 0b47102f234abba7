import React, { useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Badge, Collapse, FilterInput, Stack, Text } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { Loading, RequestError, useApi } from '../components/shared/PageState';
import { metricsByCategory } from '../datasource/catalog';
import { Catalog as CatalogModel, MetricDefinition } from '../datasource/types';
import { labels } from '../labels';
import { selectors } from '../selectors';

const L = labels.catalog;

/** A query JSON that runs the metric as a panel would (docs/architecture.md, "Query JSON"). */
export function exampleQuery(m: MetricDefinition): Record<string, unknown> {
  const q: Record<string, unknown> = { refId: 'A', queryType: 'metric', metric: m.id, format: m.formats[0] ?? 'table' };
  if (q.format === 'time_series') {
    q.interval = 'auto';
  }
  if (m.dimensions.length > 0) {
    q.groupBy = m.dimensions[0];
  }
  // Options with a backend default show that default; the others need an example value.
  const examples: Record<string, unknown> = { funnel: 'onboarding', baseMetric: 'deployments' };
  for (const o of m.options) {
    const v = o.default ?? examples[o.name];
    if (v !== undefined) {
      q[o.name] = v;
    }
  }
  return q;
}

function MetricEntry({ metric, dimensionLabel }: { metric: MetricDefinition; dimensionLabel: (id: string) => string }) {
  const [open, setOpen] = useState(false);
  return (
    <div data-testid={selectors.pages.catalogMetric}>
      <Collapse
        collapsible
        isOpen={open}
        onToggle={() => setOpen(!open)}
        label={
          <Stack direction="row" gap={1} alignItems="center">
            <Text weight="medium">{metric.title}</Text>
            <code>{metric.id}</code>
            <Badge text={metric.unit} color="blue" />
          </Stack>
        }
      >
        <Stack direction="column" gap={1}>
          <Text>{metric.description}</Text>
          <Text color="secondary">
            {L.dimensions}: {metric.dimensions.length ? metric.dimensions.map(dimensionLabel).join(', ') : '—'}
          </Text>
          <Text color="secondary">
            {L.formats}: {metric.formats.join(', ')}
            {metric.options?.length ? ` · ${L.options}: ${metric.options.map((o) => o.name).join(', ')}` : ''}
            {metric.targetKey ? ` · ${L.target}: ${metric.targetKey}` : ''}
          </Text>
          <Text weight="medium">{L.example}</Text>
          <pre>{JSON.stringify(exampleQuery(metric), null, 2)}</pre>
        </Stack>
      </Collapse>
    </div>
  );
}

export function filterMetrics(metrics: MetricDefinition[], search: string): MetricDefinition[] {
  const s = search.trim().toLowerCase();
  if (!s) {
    return metrics;
  }
  return metrics.filter((m) => [m.id, m.title, m.category, m.description].some((t) => t?.toLowerCase().includes(s)));
}

function CatalogView({ catalog }: { catalog: CatalogModel }) {
  const [search, setSearch] = useState('');
  const shown = useMemo(() => filterMetrics(catalog.metrics, search), [catalog.metrics, search]);
  const byCategory = useMemo(() => metricsByCategory({ ...catalog, metrics: shown }), [catalog, shown]);
  const dimensionLabel = (id: string) => catalog.dimensions.find((d) => d.id === id)?.label ?? id;
  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2} alignItems="center">
        <FilterInput placeholder={L.search} value={search} onChange={setSearch} width={40} />
        <Text color="secondary">{L.count(shown.length)}</Text>
      </Stack>
      {byCategory.length === 0 && <Text color="secondary">{L.empty}</Text>}
      {byCategory.map(({ id, title, metrics }) => (
        <section key={id}>
          <Text element="h4">{title}</Text>
          {metrics.map((m) => (
            <MetricEntry key={m.id} metric={m} dimensionLabel={dimensionLabel} />
          ))}
        </section>
      ))}
    </Stack>
  );
}

export function Catalog() {
  const { api, error } = useApi();
  const catalog = useAsyncRetry(() => (api ? api.catalog() : Promise.reject(error)), [api]);
  return (
    <PluginPage>
      <div data-testid={selectors.pages.catalog}>
        {catalog.error ? (
          <RequestError error={catalog.error} onRetry={api ? catalog.retry : undefined} />
        ) : catalog.value ? (
          <CatalogView catalog={catalog.value} />
        ) : (
          <Loading />
        )}
      </div>
    </PluginPage>
  );
}

export default Catalog;
