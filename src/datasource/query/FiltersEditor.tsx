import React from 'react';
import { MetricFindValue, SelectableValue } from '@grafana/data';
import { Button, IconButton, InlineField, InlineFieldRow, MultiSelect, Select, Stack } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { DimensionDefinition } from '../types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { dimensionLabel } from './QueryOptionsRow';

export type Filters = Record<string, string[]>;

interface Props {
  /** Dimensions the metric accepts (catalog `dimensions` of the selected metric). */
  allowed: string[];
  dimensions: DimensionDefinition[];
  filters: Filters;
  /** Values of a dimension narrowed by the other filters (GET variables/<dimension>). */
  loadValues: (dimension: string, selections: Filters) => Promise<MetricFindValue[]>;
  /** Dashboard variables, offered as values (`$tech_stack`). */
  variables: string[];
  onChange: (filters: Filters) => void;
}

const L = labels.query.filters;

function FilterRow(props: {
  dimension: string;
  values: string[];
  keyOptions: Array<SelectableValue<string>>;
  others: Filters;
  loadValues: Props['loadValues'];
  variables: string[];
  onKey: (key: string) => void;
  onValues: (values: string[]) => void;
  onRemove: () => void;
}) {
  const { dimension, values, others, loadValues } = props;
  // Values of other filters that are variables cannot narrow the list here: send literals only.
  const literalOthers = Object.fromEntries(
    Object.entries(others)
      .map(([k, vs]) => [k, vs.filter((v) => !v.startsWith('$'))] as const)
      .filter(([, vs]) => vs.length > 0)
  );
  const selectionKey = JSON.stringify(literalOthers);
  const options = useAsyncRetry(() => loadValues(dimension, literalOthers), [dimension, selectionKey, loadValues]);
  const valueOptions: Array<SelectableValue<string>> = [
    ...props.variables.map((v) => ({ value: v, label: v })),
    ...(options.value ?? []).map((o) => ({ value: String(o.value ?? o.text), label: o.text })),
  ];
  // Selected values not in the list (typed, or no longer in the data) stay visible.
  for (const v of values) {
    if (!valueOptions.some((o) => o.value === v)) {
      valueOptions.push({ value: v, label: v });
    }
  }

  return (
    <InlineFieldRow>
      <InlineField label={L.key} labelWidth={14}>
        <Select
          aria-label={L.key}
          width={20}
          options={props.keyOptions}
          value={dimension}
          onChange={(v) => v.value && props.onKey(v.value)}
        />
      </InlineField>
      <InlineField label={L.values} invalid={Boolean(options.error)} error={options.error?.message}>
        <MultiSelect
          aria-label={`${L.values} ${dimension}`}
          width={40}
          isLoading={options.loading}
          options={valueOptions}
          value={values}
          allowCustomValue
          onChange={(vs) => props.onValues(vs.map((v) => String(v.value)))}
        />
      </InlineField>
      <IconButton
        name="trash-alt"
        tooltip={L.remove}
        aria-label={`${L.remove} ${dimension}`}
        onClick={props.onRemove}
      />
    </InlineFieldRow>
  );
}

/** Dimension filters of a metric query; keys come from the metric's dimensions. */
export function FiltersEditor({ allowed, dimensions, filters, loadValues, variables, onChange }: Props) {
  const used = Object.keys(filters);
  const free = allowed.filter((d) => !used.includes(d));
  const keyOptions = (current?: string) =>
    allowed
      .filter((d) => d === current || !used.includes(d))
      .map((d) => ({ value: d, label: dimensionLabel(dimensions, d) }));

  const without = (key: string) => Object.fromEntries(Object.entries(filters).filter(([k]) => k !== key));

  return (
    <div data-testid={selectors.query.filters}>
      <Stack direction="column" gap={0}>
        {used.map((key) => (
          <FilterRow
            key={key}
            dimension={key}
            values={filters[key] ?? []}
            keyOptions={keyOptions(key)}
            others={without(key)}
            loadValues={loadValues}
            variables={variables}
            onKey={(next) => {
              // Keep the order of rows when a key changes.
              const entries = Object.entries(filters).map(([k, v]) => (k === key ? [next, []] : [k, v]));
              onChange(Object.fromEntries(entries));
            }}
            onValues={(vs) => onChange({ ...filters, [key]: vs })}
            onRemove={() => onChange(without(key))}
          />
        ))}
        {free.length > 0 && (
          <div>
            <Button
              data-testid={selectors.query.addFilter}
              variant="secondary"
              size="sm"
              icon="plus"
              onClick={() => onChange({ ...filters, [free[0]]: [] })}
            >
              {L.add}
            </Button>
          </div>
        )}
      </Stack>
    </div>
  );
}
