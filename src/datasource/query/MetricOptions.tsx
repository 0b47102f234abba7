import React, { useCallback, useState } from 'react';
import { MetricFindValue } from '@grafana/data';
import { Combobox, ComboboxOption, InlineField, InlineFieldRow, Input } from '@grafana/ui';

import { MetricDefinition, OptionSpec, PlatformLensQuery } from '../types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';

interface Props {
  metric: MetricDefinition;
  metrics: MetricDefinition[];
  query: PlatformLensQuery;
  /** Funnel names (GET variables/funnel). */
  loadFunnels: () => Promise<MetricFindValue[]>;
  onChange: (patch: Partial<PlatformLensQuery>) => void;
}

const L = labels.query;
/** Options with a control of their own elsewhere (compare sits with format and interval). */
const ELSEWHERE = ['compare'];

type QueryValues = Record<string, string | number | undefined>;

/** The value the backend computes with: the query's own, else the spec's default. */
export function effectiveOption(query: PlatformLensQuery, spec: OptionSpec): string | number | undefined {
  return (query as unknown as QueryValues)[spec.name] ?? spec.default;
}

/** Turns a chosen string back into the type the query JSON carries (numbers stay numbers). */
function typed(spec: OptionSpec, v: string | number | undefined): string | number | undefined {
  if (v === undefined || v === '') {
    return undefined;
  }
  const numeric = typeof spec.default === 'number' || spec.min !== undefined || spec.max !== undefined;
  return numeric && Number.isFinite(Number(v)) ? Number(v) : v;
}

function fieldText(spec: OptionSpec) {
  const known = (L.optionLabels as Record<string, string>)[spec.name];
  return { label: known ?? spec.name, tooltip: spec.description || undefined };
}

/** The placeholder of an unset option: the backend's default, or that the backend picks. */
export function defaultPlaceholder(spec: OptionSpec): string {
  return spec.default !== undefined ? L.defaultIs(String(spec.default)) : L.backendDefault;
}

/** A closed set (spec.choices): a Combobox; clearing it returns to the backend's default. */
function ChoiceOption({
  spec,
  query,
  onChange,
}: {
  spec: OptionSpec;
  query: PlatformLensQuery;
  onChange: Props['onChange'];
}) {
  const raw = (query as unknown as QueryValues)[spec.name];
  const options = (spec.choices ?? []).map((c) => ({
    value: c,
    label: (L.choiceLabels as Record<string, string>)[c] ?? c,
  }));
  return (
    <InlineField {...fieldText(spec)}>
      <Combobox
        data-testid={selectors.query.option(spec.name)}
        width={18}
        options={options}
        value={raw === undefined ? null : String(raw)}
        placeholder={defaultPlaceholder(spec)}
        isClearable
        onChange={(v) => onChange({ [spec.name]: typed(spec, v?.value) })}
      />
    </InlineField>
  );
}

/** A bounded number (spec.min / spec.max): committed on blur, empty means the backend's default. */
function NumberOption({
  spec,
  query,
  onChange,
}: {
  spec: OptionSpec;
  query: PlatformLensQuery;
  onChange: Props['onChange'];
}) {
  const raw = (query as unknown as QueryValues)[spec.name];
  return (
    <InlineField {...fieldText(spec)}>
      <Input
        data-testid={selectors.query.option(spec.name)}
        type="number"
        min={spec.min}
        max={spec.max}
        step="any"
        width={12}
        key={String(raw)}
        defaultValue={raw === undefined ? '' : String(raw)}
        placeholder={defaultPlaceholder(spec)}
        onBlur={(e) => onChange({ [spec.name]: typed(spec, e.currentTarget.value) })}
      />
    </InlineField>
  );
}

/** Free text committed on blur or Enter: each change runs the query, a half-typed key would not. */
function TextOption({
  spec,
  query,
  onChange,
}: {
  spec: OptionSpec;
  query: PlatformLensQuery;
  onChange: Props['onChange'];
}) {
  const value = (query as unknown as QueryValues)[spec.name];
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value === undefined ? '' : String(value));
  }
  const commit = () => {
    const next = text.trim() || undefined;
    if (next !== (value || undefined)) {
      onChange({ [spec.name]: next });
    }
  };
  return (
    <InlineField {...fieldText(spec)}>
      <Input
        data-testid={selectors.query.option(spec.name)}
        width={20}
        placeholder={spec.name === 'breakdown' ? L.breakdownPlaceholder : defaultPlaceholder(spec)}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </InlineField>
  );
}

/** Funnel names load from the dimension-values route when the menu opens (async Combobox). */
function FunnelOption({
  spec,
  query,
  loadFunnels,
  onChange,
}: { spec: OptionSpec } & Omit<Props, 'metric' | 'metrics'>) {
  const load = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> =>
      (await loadFunnels())
        .map((f) => ({ value: String(f.value ?? f.text), label: f.text }))
        .filter((o) => o.label.toLowerCase().includes(input.toLowerCase())),
    [loadFunnels]
  );
  return (
    <InlineField {...fieldText(spec)}>
      <Combobox
        data-testid={selectors.query.option(spec.name)}
        width={24}
        options={load}
        value={query.funnel ?? null}
        placeholder={L.funnelPlaceholder}
        createCustomValue
        onChange={(v) => onChange({ funnel: v.value })}
      />
    </InlineField>
  );
}

/**
 * The options a metric reads besides filters, rendered from the catalog's OptionSpec list: its
 * choices, bounds and the backend's default (shown, never written into the query).
 */
export function MetricOptions({ metric, metrics, query, loadFunnels, onChange }: Props) {
  const specs = metric.options.filter((o) => !ELSEWHERE.includes(o.name));
  if (specs.length === 0) {
    return null;
  }
  // Forecasts and anomalies work on a series: offer metrics that answer as time series.
  const baseOptions = metrics
    .filter(
      (m) => m.id !== metric.id && m.formats.includes('time_series') && !m.options.some((o) => o.name === 'baseMetric')
    )
    .map((m) => ({ value: m.id, label: m.title, description: m.unit }));

  return (
    <InlineFieldRow>
      {specs.map((spec) => {
        switch (true) {
          case spec.name === 'funnel':
            return (
              <FunnelOption key={spec.name} spec={spec} query={query} loadFunnels={loadFunnels} onChange={onChange} />
            );
          case spec.name === 'baseMetric':
            return (
              <InlineField key={spec.name} {...fieldText(spec)} labelWidth={14}>
                <Combobox
                  data-testid={selectors.query.option(spec.name)}
                  width={30}
                  options={baseOptions}
                  value={query.baseMetric ?? null}
                  placeholder={L.baseMetricPlaceholder}
                  createCustomValue
                  onChange={(v) => onChange({ baseMetric: v.value })}
                />
              </InlineField>
            );
          case Boolean(spec.choices?.length):
            return <ChoiceOption key={spec.name} spec={spec} query={query} onChange={onChange} />;
          case spec.min !== undefined || spec.max !== undefined || typeof spec.default === 'number':
            return <NumberOption key={spec.name} spec={spec} query={query} onChange={onChange} />;
          default:
            return <TextOption key={spec.name} spec={spec} query={query} onChange={onChange} />;
        }
      })}
    </InlineFieldRow>
  );
}
