import React from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Select } from '@grafana/ui';

import {
  CompareMode,
  DimensionDefinition,
  MetricDefinition,
  PlatformLensQuery,
  QueryFormat,
  QueryInterval,
} from '../types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';

interface Props {
  metric: MetricDefinition;
  dimensions: DimensionDefinition[];
  query: PlatformLensQuery;
  onChange: (patch: Partial<PlatformLensQuery>) => void;
}

const L = labels.query;
const toOptions = (map: Record<string, string>, keys: string[]): Array<SelectableValue<string>> =>
  keys.map((k) => ({ value: k, label: map[k] ?? k }));

export function dimensionLabel(dimensions: DimensionDefinition[], id: string): string {
  return dimensions.find((d) => d.id === id)?.label ?? id;
}

/** Format, interval, group-by and compare: each offers only what the metric declares. */
export function QueryOptionsRow({ metric, dimensions, query, onChange }: Props) {
  const format = (query.format ?? metric.formats[0]) as QueryFormat;
  const groupByOptions: Array<SelectableValue<string>> = [
    { value: '', label: L.groupBy.none },
    ...metric.dimensions.map((d) => ({ value: d, label: dimensionLabel(dimensions, d) })),
  ];
  const hasCompare = metric.options?.includes('compare');

  return (
    <InlineFieldRow>
      {metric.formats.length > 1 && (
        <InlineField label={L.format.label} tooltip={L.format.description} labelWidth={14}>
          <Select
            data-testid={selectors.query.format}
            aria-label={L.format.label}
            width={16}
            options={toOptions(L.formats, metric.formats)}
            value={format}
            onChange={(v) => onChange({ format: v.value as QueryFormat })}
          />
        </InlineField>
      )}
      {format === 'time_series' && (
        <InlineField label={L.interval.label} tooltip={L.interval.description}>
          <Select
            data-testid={selectors.query.interval}
            aria-label={L.interval.label}
            width={12}
            options={toOptions(L.intervals, Object.keys(L.intervals))}
            value={query.interval ?? 'auto'}
            onChange={(v) => onChange({ interval: v.value as QueryInterval })}
          />
        </InlineField>
      )}
      {metric.dimensions.length > 0 && (
        <InlineField label={L.groupBy.label} tooltip={L.groupBy.description}>
          <Select
            data-testid={selectors.query.groupBy}
            aria-label={L.groupBy.label}
            width={20}
            options={groupByOptions}
            value={query.groupBy ?? ''}
            allowCustomValue
            onChange={(v) => onChange({ groupBy: v.value || undefined })}
          />
        </InlineField>
      )}
      {hasCompare && (
        <InlineField label={L.compare.label} tooltip={L.compare.description}>
          <Select
            data-testid={selectors.query.compare}
            aria-label={L.compare.label}
            width={20}
            options={toOptions(L.compares, Object.keys(L.compares))}
            value={query.compare ?? ''}
            onChange={(v) => onChange({ compare: (v.value ?? '') as CompareMode })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
