import React, { useCallback } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Alert, InlineField, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import { FiltersEditor, Filters } from './query/FiltersEditor';
import { MetricOptions } from './query/MetricOptions';
import { MetricSelect } from './query/MetricSelect';
import { QueryOptionsRow } from './query/QueryOptionsRow';
import { SqlEditor } from './query/SqlEditor';
import { useAsync } from '../api/errors';
import { labels } from '../labels';
import { selectors } from '../selectors';
import type { DataSource } from './datasource';
import { MetricDefinition, PlatformLensOptions, PlatformLensQuery, QueryFormat } from './types';

type Props = QueryEditorProps<DataSource, PlatformLensQuery, PlatformLensOptions>;

const L = labels.query;
const MODES = [
  { value: 'metric', label: L.modes.builder },
  { value: 'sql', label: L.modes.sql },
];

/**
 * Keeps only the parts of a query the new metric understands: filters and group-by on its
 * dimensions, a format it offers, and the options it declares.
 */
export function adaptToMetric(query: PlatformLensQuery, metric: MetricDefinition): PlatformLensQuery {
  const has = (o: string) => Boolean(metric.options?.includes(o));
  const filters = Object.fromEntries(
    Object.entries(query.filters ?? {}).filter(([k]) => metric.dimensions.includes(k))
  );
  const format =
    query.format && metric.formats.includes(query.format) ? query.format : (metric.formats[0] as QueryFormat);
  return {
    ...query,
    queryType: 'metric',
    metric: metric.id,
    format,
    filters,
    groupBy: query.groupBy && metric.dimensions.includes(query.groupBy) ? query.groupBy : undefined,
    compare: has('compare') ? (query.compare ?? '') : undefined,
    stat: has('stat') ? (query.stat ?? 'p95') : undefined,
    funnel: has('funnel') ? query.funnel : undefined,
    breakdown: has('breakdown') ? query.breakdown : undefined,
    horizon: has('horizon') ? (query.horizon ?? 90) : undefined,
    sensitivity: has('sensitivity') ? (query.sensitivity ?? 3) : undefined,
    baseMetric: has('baseMetric') ? query.baseMetric : undefined,
  };
}

export function QueryEditor({ datasource, query, onChange, onRunQuery }: Props) {
  const catalog = useAsync(() => datasource.getCatalog(), [datasource]);
  const mode = query.queryType === 'sql' ? 'sql' : 'metric';
  const metrics = catalog.value?.metrics ?? [];
  const dimensions = catalog.value?.dimensions ?? [];
  const metric = metrics.find((m) => m.id === query.metric);

  const update = (patch: Partial<PlatformLensQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };
  const loadValues = useCallback((dim: string, sel: Filters) => datasource.getDimensionValues(dim, sel), [datasource]);
  const loadFunnels = useCallback(() => datasource.getDimensionValues('funnel'), [datasource]);

  return (
    <div data-testid={selectors.query.editor}>
      <Stack direction="column" gap={1}>
        <InlineField label={L.mode} labelWidth={14}>
          <RadioButtonGroup
            data-testid={selectors.query.mode}
            options={MODES}
            value={mode}
            onChange={(v) => update({ queryType: v === 'sql' ? 'sql' : 'metric' }, false)}
          />
        </InlineField>

        {mode === 'sql' ? (
          <SqlEditor rawSql={query.rawSql} onChange={(rawSql) => update({ rawSql }, false)} onRunQuery={onRunQuery} />
        ) : (
          <>
            {catalog.error && (
              <Alert severity="error" title={L.catalogError}>
                {catalog.error.message}. {L.catalogErrorHint}
              </Alert>
            )}
            <MetricSelect
              metrics={metrics}
              value={query.metric}
              loading={catalog.loading}
              onChange={(m) => update(adaptToMetric(query, m))}
            />
            {query.metric && !metric && !catalog.loading && !catalog.error && !query.metric.startsWith('$') && (
              <Alert severity="warning" title={L.unknownMetric(query.metric)} />
            )}
            {metric && (
              <>
                <div data-testid={selectors.query.description}>
                  <Text color="secondary" variant="bodySmall">
                    {metric.description}
                  </Text>
                </div>
                <QueryOptionsRow metric={metric} dimensions={dimensions} query={query} onChange={(p) => update(p)} />
                <MetricOptions
                  metric={metric}
                  metrics={metrics}
                  query={query}
                  loadFunnels={loadFunnels}
                  onChange={(p) => update(p)}
                />
                {metric.dimensions.length > 0 && (
                  <InlineField label={L.filters.label} labelWidth={14}>
                    <FiltersEditor
                      allowed={metric.dimensions}
                      dimensions={dimensions}
                      filters={query.filters ?? {}}
                      loadValues={loadValues}
                      variables={datasource.getVariableNames()}
                      onChange={(filters) => update({ filters })}
                    />
                  </InlineField>
                )}
              </>
            )}
          </>
        )}
      </Stack>
    </div>
  );
}
