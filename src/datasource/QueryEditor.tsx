import React, { useCallback, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelData, QueryEditorProps } from '@grafana/data';
import { Alert, Button, InlineField, RadioButtonGroup, Stack, Text, useStyles2 } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { labels } from '../labels';
import { selectors } from '../selectors';
import { optionSpec, readCatalog } from './catalog';
import type { DataSource } from './datasource';
import { describeQuery } from './query/describe';
import { Filters, FiltersEditor } from './query/FiltersEditor';
import { MetricOptions } from './query/MetricOptions';
import { MetricSelect } from './query/MetricSelect';
import { QueryOptionsRow } from './query/QueryOptionsRow';
import { SqlEditor } from './query/SqlEditor';
import { MetricDefinition, PlatformLensOptions, PlatformLensQuery, QueryFormat } from './types';

type Props = QueryEditorProps<DataSource, PlatformLensQuery, PlatformLensOptions>;

const L = labels.query;
const MODES = [
  { value: 'metric', label: L.modes.builder },
  { value: 'sql', label: L.modes.sql },
];
const EMPTY_CATALOG = readCatalog(undefined);

/**
 * Keeps only the parts of a query the new metric understands: filters and group-by on its
 * dimensions, a format it offers, and the options it declares. Options are never filled with a
 * default here: the backend applies its own (the catalog's OptionSpec.default), shown as placeholder.
 */
export function adaptToMetric(query: PlatformLensQuery, metric: MetricDefinition): PlatformLensQuery {
  const keep = <K extends keyof PlatformLensQuery>(k: K) => (optionSpec(metric, k) ? query[k] : undefined);
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
    compare: optionSpec(metric, 'compare') ? (query.compare ?? '') : undefined,
    stat: keep('stat'),
    funnel: keep('funnel'),
    breakdown: keep('breakdown'),
    horizon: keep('horizon'),
    sensitivity: keep('sensitivity'),
    baseMetric: keep('baseMetric'),
  };
}

/** The SQL the backend ran for this query (frame meta executedQueryString), if any. */
export function executedSql(data: PanelData | undefined, refId: string): string | undefined {
  const frame = data?.series.find((f) => (f.refId ?? refId) === refId && f.meta?.executedQueryString);
  return frame?.meta?.executedQueryString;
}

const getStyles = (theme: GrafanaTheme2) => ({
  computes: css({
    padding: theme.spacing(0.5, 1),
    borderLeft: `2px solid ${theme.colors.primary.border}`,
    background: theme.colors.background.secondary,
  }),
  sql: css({
    margin: 0,
    padding: theme.spacing(1),
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    background: theme.colors.background.canvas,
    whiteSpace: 'pre-wrap',
    maxHeight: 240,
    overflow: 'auto',
  }),
});

export function QueryEditor({ datasource, query, onChange, onRunQuery, data }: Props) {
  const styles = useStyles2(getStyles);
  const loaded = useAsyncRetry(() => datasource.getCatalog(), [datasource]);
  const [showSql, setShowSql] = useState(false);
  const catalog = loaded.value ?? EMPTY_CATALOG;
  const mode = query.queryType === 'sql' ? 'sql' : 'metric';
  const metric = catalog.metrics.find((m) => m.id === query.metric);
  const sql = executedSql(data, query.refId);

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
            {loaded.error && (
              <Alert severity="error" title={L.catalogError}>
                <Stack direction="column" gap={1} alignItems="flex-start">
                  <span>
                    {loaded.error.message}. {L.catalogErrorHint}
                  </span>
                  <Button data-testid={selectors.query.catalogRetry} size="sm" icon="sync" onClick={loaded.retry}>
                    {L.retryCatalog}
                  </Button>
                </Stack>
              </Alert>
            )}
            <MetricSelect
              catalog={catalog}
              value={query.metric}
              loading={loaded.loading}
              disabled={Boolean(loaded.error)}
              onChange={(m) => update(adaptToMetric(query, m))}
            />
            {query.metric && !metric && !loaded.loading && !loaded.error && !query.metric.startsWith('$') && (
              <Alert severity="warning" title={L.unknownMetric(query.metric)} />
            )}
            {metric && (
              <>
                <div data-testid={selectors.query.description}>
                  <Text color="secondary" variant="bodySmall">
                    {metric.description}
                  </Text>
                </div>
                <QueryOptionsRow
                  metric={metric}
                  dimensions={catalog.dimensions}
                  query={query}
                  onChange={(p) => update(p)}
                />
                <MetricOptions
                  metric={metric}
                  metrics={catalog.metrics}
                  query={query}
                  loadFunnels={loadFunnels}
                  onChange={(p) => update(p)}
                />
                {metric.dimensions.length > 0 && (
                  <InlineField label={L.filters.label} labelWidth={14}>
                    <FiltersEditor
                      allowed={metric.dimensions}
                      dimensions={catalog.dimensions}
                      filters={query.filters ?? {}}
                      loadValues={loadValues}
                      variables={datasource.getVariableNames()}
                      onChange={(filters) => update({ filters })}
                    />
                  </InlineField>
                )}
                <div className={styles.computes} data-testid={selectors.query.computes}>
                  <Text variant="bodySmall">
                    <strong>{L.computes}:</strong> {describeQuery(query, catalog)}
                  </Text>
                </div>
                <Stack gap={1}>
                  <Button
                    data-testid={selectors.query.showSql}
                    size="sm"
                    variant="secondary"
                    icon={showSql ? 'angle-down' : 'angle-right'}
                    onClick={() => setShowSql(!showSql)}
                  >
                    {L.showSql}
                  </Button>
                  <Button
                    data-testid={selectors.query.copyAsSql}
                    size="sm"
                    variant="secondary"
                    icon="copy"
                    tooltip={L.copyAsSqlHint}
                    disabled={!sql}
                    onClick={() => update({ queryType: 'sql', rawSql: sql }, false)}
                  >
                    {L.copyAsSql}
                  </Button>
                </Stack>
                {showSql && (
                  <pre className={styles.sql} data-testid={selectors.query.executedSql}>
                    {sql ?? L.noSqlYet}
                  </pre>
                )}
              </>
            )}
          </>
        )}
      </Stack>
    </div>
  );
}
