import React, { useMemo } from 'react';
import { Combobox, ComboboxOption, InlineField, Input } from '@grafana/ui';

import { metricsByCategory } from '../catalog';
import { Catalog, MetricDefinition } from '../types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';

interface Props {
  catalog: Catalog;
  value?: string;
  loading?: boolean;
  /** The catalog could not be read: the picker is disabled (the editor shows the error and Retry). */
  disabled?: boolean;
  onChange: (metric: MetricDefinition) => void;
}

/** Options of the metric picker: grouped by family title, each with its unit and definition. */
export function metricOptions(catalog: Catalog): Array<ComboboxOption<string>> {
  return metricsByCategory(catalog).flatMap((group) =>
    group.metrics.map((m) => ({
      value: m.id,
      label: m.title,
      group: group.title,
      description: labels.query.metric.option(m.unit, m.description),
    }))
  );
}

/** Metrics of the backend catalog grouped by family; a `$var` value is kept as typed. */
export function MetricSelect({ catalog, value, loading, disabled, onChange }: Props) {
  const options = useMemo(() => metricOptions(catalog), [catalog]);
  const selected = catalog.metrics.find((m) => m.id === value);
  const current = selected ? { value: selected.id, label: selected.title } : value ? { value, label: value } : null;

  return (
    <InlineField
      label={labels.query.metric.label}
      tooltip={labels.query.metric.description}
      labelWidth={14}
      disabled={disabled}
    >
      {disabled ? (
        // Without a catalog there is nothing to pick: a disabled field, not an empty menu.
        <Input
          id="platformlens-metric"
          data-testid={selectors.query.metric}
          width={48}
          disabled
          value={value ?? ''}
          placeholder={labels.query.metric.unavailable}
        />
      ) : (
        <Combobox
          id="platformlens-metric"
          data-testid={selectors.query.metric}
          width={48}
          loading={loading}
          options={options}
          value={current}
          placeholder={labels.query.metric.placeholder}
          onChange={(v) => {
            const m = catalog.metrics.find((x) => x.id === v.value);
            if (m) {
              onChange(m);
            }
          }}
        />
      )}
    </InlineField>
  );
}
