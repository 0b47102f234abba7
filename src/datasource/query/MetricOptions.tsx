import React, { useState } from 'react';
import { MetricFindValue, SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, Select } from '@grafana/ui';

import { MetricDefinition, PlatformLensQuery } from '../types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { useAsync } from '../../api/errors';

interface Props {
  metric: MetricDefinition;
  metrics: MetricDefinition[];
  query: PlatformLensQuery;
  /** Funnel names (GET variables/funnel). */
  loadFunnels: () => Promise<MetricFindValue[]>;
  onChange: (patch: Partial<PlatformLensQuery>) => void;
}

const L = labels.query;

function FunnelSelect({
  value,
  loadFunnels,
  onChange,
}: {
  value?: string;
  loadFunnels: Props['loadFunnels'];
  onChange: Props['onChange'];
}) {
  const funnels = useAsync(loadFunnels, [loadFunnels]);
  const options: Array<SelectableValue<string>> = (funnels.value ?? []).map((f) => ({
    value: String(f.value ?? f.text),
    label: f.text,
  }));
  if (value && !options.some((o) => o.value === value)) {
    options.push({ value, label: value });
  }
  return (
    <InlineField
      label={L.funnel.label}
      tooltip={L.funnel.description}
      invalid={Boolean(funnels.error)}
      error={funnels.error?.message}
    >
      <Select
        data-testid={selectors.query.funnel}
        aria-label={L.funnel.label}
        width={24}
        isLoading={funnels.loading}
        options={options}
        value={value ?? null}
        placeholder={L.funnel.placeholder}
        allowCustomValue
        onChange={(v) => onChange({ funnel: v.value })}
      />
    </InlineField>
  );
}

/**
 * Free-text property key of product events. It is committed on blur or Enter rather than on every
 * keystroke, because each change runs the query and a half-typed key would break the funnel down
 * by a property that does not exist.
 */
function BreakdownInput({ value, onChange }: { value?: string; onChange: Props['onChange'] }) {
  const [text, setText] = useState(value ?? '');
  // Follow the query when it changes from outside (another metric, undo): React's documented
  // "adjust state on a prop change" pattern, without an effect.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value ?? '');
  }
  const commit = () => {
    const next = text.trim() || undefined;
    if (next !== (value || undefined)) {
      onChange({ breakdown: next });
    }
  };
  return (
    <InlineField label={L.breakdown.label} tooltip={L.breakdown.description}>
      <Input
        data-testid={selectors.query.breakdown}
        aria-label={L.breakdown.label}
        width={20}
        placeholder={L.breakdown.placeholder}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            commit();
          }
        }}
      />
    </InlineField>
  );
}

/**
 * Options a metric reads besides filters (stat, funnel, breakdown, horizon, sensitivity, base
 * metric), each shown only when the catalog declares it.
 */
export function MetricOptions({ metric, metrics, query, loadFunnels, onChange }: Props) {
  const has = (o: string) => Boolean(metric.options?.includes(o));
  if (!['stat', 'funnel', 'breakdown', 'horizon', 'sensitivity', 'baseMetric'].some(has)) {
    return null;
  }
  // Forecasts and anomalies work on a series: offer metrics that answer as time series.
  const baseOptions = metrics
    .filter((m) => m.id !== metric.id && m.formats.includes('time_series') && !m.options?.includes('baseMetric'))
    .map((m) => ({ value: m.id, label: m.title, description: m.id }));

  return (
    <InlineFieldRow>
      {has('stat') && (
        <InlineField label={L.stat.label} tooltip={L.stat.description} labelWidth={14}>
          <Select
            data-testid={selectors.query.stat}
            aria-label={L.stat.label}
            width={16}
            options={Object.entries(L.stats).map(([value, label]) => ({ value, label }))}
            value={query.stat ?? 'p95'}
            onChange={(v) => onChange({ stat: v.value })}
          />
        </InlineField>
      )}
      {has('funnel') && <FunnelSelect value={query.funnel} loadFunnels={loadFunnels} onChange={onChange} />}
      {has('breakdown') && <BreakdownInput value={query.breakdown} onChange={onChange} />}
      {has('baseMetric') && (
        <InlineField label={L.baseMetric.label} tooltip={L.baseMetric.description} labelWidth={14}>
          <Select
            data-testid={selectors.query.baseMetric}
            aria-label={L.baseMetric.label}
            width={30}
            options={baseOptions}
            value={query.baseMetric ?? null}
            allowCustomValue
            onChange={(v) => onChange({ baseMetric: v.value })}
          />
        </InlineField>
      )}
      {has('horizon') && (
        <InlineField label={L.horizon.label} tooltip={L.horizon.description}>
          <Select
            data-testid={selectors.query.horizon}
            aria-label={L.horizon.label}
            width={12}
            options={L.horizons.map((d) => ({ value: d, label: `${d} days` }))}
            value={query.horizon ?? 90}
            onChange={(v) => onChange({ horizon: v.value })}
          />
        </InlineField>
      )}
      {has('sensitivity') && (
        <InlineField label={L.sensitivity.label} tooltip={L.sensitivity.description}>
          <Input
            data-testid={selectors.query.sensitivity}
            aria-label={L.sensitivity.label}
            type="number"
            min={0.5}
            step={0.5}
            width={10}
            value={query.sensitivity ?? 3}
            onChange={(e) => {
              const n = Number(e.currentTarget.value);
              onChange({ sensitivity: Number.isFinite(n) && n > 0 ? n : undefined });
            }}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
