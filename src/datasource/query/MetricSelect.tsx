import React, { useMemo } from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, Select } from '@grafana/ui';

import { MetricDefinition } from '../types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';

interface Props {
  metrics: MetricDefinition[];
  value?: string;
  loading?: boolean;
  onChange: (metric: MetricDefinition) => void;
}

/** Metrics of the backend catalog grouped by category; a `$var` value is kept as typed. */
export function MetricSelect({ metrics, value, loading, onChange }: Props) {
  const options = useMemo(() => {
    const groups = new Map<string, Array<SelectableValue<string>>>();
    for (const m of metrics) {
      const group = groups.get(m.category) ?? [];
      group.push({ value: m.id, label: m.title, description: `${m.id} · ${m.unit}` });
      groups.set(m.category, group);
    }
    return Array.from(groups, ([category, items]) => ({ label: category, options: items }));
  }, [metrics]);

  const selected = metrics.find((m) => m.id === value);
  const current = selected ? { value: selected.id, label: selected.title } : value ? { value, label: value } : null;

  return (
    <InlineField label={labels.query.metric.label} tooltip={labels.query.metric.description} labelWidth={14}>
      <Select
        inputId="platformlens-metric"
        data-testid={selectors.query.metric}
        aria-label={labels.query.metric.label}
        width={40}
        isLoading={loading}
        options={options}
        value={current}
        placeholder={labels.query.metric.placeholder}
        onChange={(v) => {
          const m = metrics.find((x) => x.id === v.value);
          if (m) {
            onChange(m);
          }
        }}
      />
    </InlineField>
  );
}
