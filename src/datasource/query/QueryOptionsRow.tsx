import React from 'react';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow } from '@grafana/ui';

import { optionSpec } from '../catalog';
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
const toOptions = (map: Record<string, string>, keys: string[]): Array<ComboboxOption<string>> =>
  keys.map((k) => ({ value: k, label: map[k] ?? k }));

export function dimensionLabel(dimensions: DimensionDefinition[], id: string): string {
  return dimensions.find((d) => d.id === id)?.label ?? id;
}

/** Format, interval, group-by and compare: each offers only what the metric declares. */
export function QueryOptionsRow({ metric, dimensions, query, onChange }: Props) {
  const format = (query.format ?? metric.formats[0]) as QueryFormat;
  const groupByOptions = metric.dimensions.map((d) => ({ value: d, label: dimensionLabel(dimensions, d) }));
  const compare = optionSpec(metric, 'compare');

  return (
    <InlineFieldRow>
      {metric.formats.length > 1 && (
        <InlineField label={L.format.label} tooltip={L.format.description} labelWidth={14}>
          <Combobox
            data-testid={selectors.query.format}
            width={16}
            options={toOptions(L.formats, metric.formats)}
            value={format}
            onChange={(v) => onChange({ format: v.value as QueryFormat })}
          />
        </InlineField>
      )}
      {format === 'time_series' && (
        <InlineField label={L.interval.label} tooltip={L.interval.description}>
          <Combobox
            data-testid={selectors.query.interval}
            width={12}
            options={toOptions(L.intervals, Object.keys(L.intervals))}
            value={query.interval ?? 'auto'}
            onChange={(v) => onChange({ interval: v.value as QueryInterval })}
          />
        </InlineField>
      )}
      {metric.dimensions.length > 0 && (
        <InlineField label={L.groupBy.label} tooltip={L.groupBy.description}>
          <Combobox
            data-testid={selectors.query.groupBy}
            width={20}
            options={groupByOptions}
            value={query.groupBy ?? null}
            placeholder={L.groupBy.none}
            isClearable
            createCustomValue
            onChange={(v) => onChange({ groupBy: v?.value || undefined })}
          />
        </InlineField>
      )}
      {compare && (
        <InlineField label={L.compare.label} tooltip={compare.description || L.compare.description}>
          <Combobox
            data-testid={selectors.query.compare}
            width={20}
            options={toOptions(L.compares, compare.choices ?? Object.keys(L.compares).filter(Boolean))}
            value={query.compare || null}
            placeholder={L.compares['']}
            isClearable
            onChange={(v) => onChange({ compare: (v?.value ?? '') as CompareMode })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
