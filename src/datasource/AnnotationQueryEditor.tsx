import React, { useCallback } from 'react';
import { QueryEditorProps } from '@grafana/data';
import {
  Combobox,
  ComboboxOption,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Stack,
} from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { FiltersEditor, Filters } from './query/FiltersEditor';
import { dimensionLabel } from './query/QueryOptionsRow';
import { labels } from '../labels';
import { selectors } from '../selectors';
import type { DataSource } from './datasource';
import {
  AnnotationKind,
  DimensionDefinition,
  MetricDefinition,
  PlatformLensOptions,
  PlatformLensQuery,
  QueryInterval,
} from './types';

type Props = QueryEditorProps<DataSource, PlatformLensQuery, PlatformLensOptions>;

const L = labels.annotation;
const Q = labels.query;
// Dimensions the backend whitelists for annotation filters, per kind. Anomalies filter on the
// base metric's own dimensions, which only the catalog knows (see anomalyDimensions).
const ANNOTATION_DIMENSIONS: Record<'deployments' | 'incidents', string[]> = {
  deployments: ['service', 'team', 'tech_stack', 'environment', 'product_line'],
  incidents: ['service', 'team', 'platform', 'severity'],
};
// Metrics that analyse another metric's series cannot be a base metric themselves.
const DERIVED = ['forecast', 'anomalies'];
const DEFAULT_SENSITIVITY = 3;
// Hourly buckets give the trailing window enough points on a dashboard's usual ranges.
const DEFAULT_ANOMALY_INTERVAL: QueryInterval = 'hour';

/** Metrics whose series can be scanned for anomalies: numeric time series, not derived ones. */
export function anomalyBaseMetrics(metrics: MetricDefinition[]): MetricDefinition[] {
  return metrics.filter(
    (m) =>
      m.formats.includes('time_series') && !DERIVED.includes(m.id) && !m.options.some((o) => o.name === 'baseMetric')
  );
}

/** The fields of the query that belong to each kind, so switching kind leaves no stale options. */
function switchKind(query: PlatformLensQuery, kind: AnnotationKind): PlatformLensQuery {
  const anomalies = kind === 'anomalies';
  return {
    ...query,
    queryType: 'annotations',
    kind,
    filters: {},
    productionOnly: kind === 'deployments' ? query.productionOnly : undefined,
    baseMetric: undefined,
    groupBy: undefined,
    stat: undefined,
    interval: anomalies ? DEFAULT_ANOMALY_INTERVAL : undefined,
    sensitivity: anomalies ? DEFAULT_SENSITIVITY : undefined,
  };
}

function AnomalyOptions({
  query,
  metrics,
  dimensions,
  set,
}: {
  query: PlatformLensQuery;
  metrics: MetricDefinition[];
  dimensions: DimensionDefinition[];
  set: (patch: Partial<PlatformLensQuery>) => void;
}) {
  const baseOptions: Array<ComboboxOption<string>> = anomalyBaseMetrics(metrics).map((m) => ({
    value: m.id,
    label: m.title,
    description: m.unit,
  }));
  const base = metrics.find((m) => m.id === query.baseMetric);
  const groupByOptions: Array<ComboboxOption<string>> = (base?.dimensions ?? []).map((d) => ({
    value: d,
    label: dimensionLabel(dimensions, d),
  }));
  const onBase = (id?: string) => {
    // Filters and group-by of the previous base metric may not exist on the new one.
    const dims = metrics.find((m) => m.id === id)?.dimensions ?? [];
    const filters = Object.fromEntries(Object.entries(query.filters ?? {}).filter(([k]) => dims.includes(k)));
    set({
      baseMetric: id,
      filters,
      groupBy: query.groupBy && dims.includes(query.groupBy) ? query.groupBy : undefined,
    });
  };
  return (
    <>
      <InlineField label={L.baseMetric.label} tooltip={L.baseMetric.description} labelWidth={20}>
        <Combobox
          id="platformlens-annotation-basemetric"
          data-testid={selectors.annotation.baseMetric}
          width={30}
          options={baseOptions}
          value={query.baseMetric ?? null}
          placeholder={L.baseMetric.placeholder}
          onChange={(v) => v && onBase(v.value)}
        />
      </InlineField>
      <InlineFieldRow>
        <InlineField label={L.interval.label} tooltip={L.interval.description} labelWidth={20}>
          <Combobox
            data-testid={selectors.annotation.interval}
            width={12}
            options={Object.entries(Q.intervals).map(([value, label]) => ({ value, label }))}
            value={query.interval ?? DEFAULT_ANOMALY_INTERVAL}
            onChange={(v) => set({ interval: v.value as QueryInterval })}
          />
        </InlineField>
        <InlineField label={Q.sensitivity.label} tooltip={Q.sensitivity.description}>
          <Input
            data-testid={selectors.annotation.sensitivity}
            aria-label={Q.sensitivity.label}
            type="number"
            min={0.5}
            step={0.5}
            width={10}
            value={query.sensitivity ?? DEFAULT_SENSITIVITY}
            onChange={(e) => {
              const n = Number(e.currentTarget.value);
              set({ sensitivity: Number.isFinite(n) && n > 0 ? n : undefined });
            }}
          />
        </InlineField>
        {base && base.dimensions.length > 0 && (
          <InlineField label={Q.groupBy.label} tooltip={Q.groupBy.description}>
            <Combobox
              data-testid={selectors.annotation.groupBy}
              width={20}
              options={groupByOptions}
              value={query.groupBy ?? null}
              placeholder={Q.groupBy.none}
              isClearable
              onChange={(v) => set({ groupBy: v?.value || undefined })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
    </>
  );
}

/** Annotation query: deployments, incidents or the anomalies of a base metric, optionally filtered. */
export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  const catalog = useAsyncRetry(() => datasource.getCatalog(), [datasource]);
  const kind: AnnotationKind = query.kind ?? 'deployments';
  const metrics = catalog.value?.metrics ?? [];
  const dimensions = catalog.value?.dimensions ?? [];
  const loadValues = useCallback((dim: string, sel: Filters) => datasource.getDimensionValues(dim, sel), [datasource]);
  const set = (patch: Partial<PlatformLensQuery>) => onChange({ ...query, queryType: 'annotations', kind, ...patch });
  // Filter keys per kind come from the catalog (annotationKinds); an older backend without them
  // gets the keys it has always accepted. Anomalies filter on the base metric's dimensions.
  const served = catalog.value?.annotationKinds.find((k) => k.id === kind)?.filterKeys;
  const filterKeys =
    kind === 'anomalies'
      ? (metrics.find((m) => m.id === query.baseMetric)?.dimensions ?? [])
      : served?.length
        ? served
        : ANNOTATION_DIMENSIONS[kind];
  return (
    <Stack direction="column" gap={1}>
      <InlineField label={L.kind.label} tooltip={L.kind.description} labelWidth={20}>
        <RadioButtonGroup
          data-testid={selectors.annotation.kind}
          options={
            catalog.value?.annotationKinds.length
              ? catalog.value.annotationKinds.map((k) => ({
                  value: k.id as AnnotationKind,
                  label: k.title,
                  description: k.description,
                }))
              : Object.entries(L.kinds).map(([value, label]) => ({ value: value as AnnotationKind, label }))
          }
          value={kind}
          onChange={(v) => onChange(switchKind(query, v))}
        />
      </InlineField>
      {kind === 'deployments' && (
        <InlineField label={L.productionOnly.label} tooltip={L.productionOnly.description} labelWidth={20}>
          <InlineSwitch
            value={Boolean(query.productionOnly)}
            onChange={(e) => set({ productionOnly: e.currentTarget.checked })}
          />
        </InlineField>
      )}
      {kind === 'anomalies' && <AnomalyOptions query={query} metrics={metrics} dimensions={dimensions} set={set} />}
      {filterKeys.length > 0 && (
        <InlineField label={Q.filters.label} labelWidth={20}>
          <FiltersEditor
            allowed={filterKeys}
            dimensions={dimensions}
            filters={query.filters ?? {}}
            loadValues={loadValues}
            variables={datasource.getVariableNames()}
            onChange={(filters) => set({ filters })}
          />
        </InlineField>
      )}
    </Stack>
  );
}
