import React, { useCallback } from 'react';
import { MetricFindValue } from '@grafana/data';
import {
  Button,
  Combobox,
  ComboboxOption,
  IconButton,
  InlineField,
  InlineFieldRow,
  MultiCombobox,
  Stack,
} from '@grafana/ui';

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
  keyOptions: Array<ComboboxOption<string>>;
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
  const variables = props.variables;
  // Values load from the dimension-values route when the menu opens (async MultiCombobox):
  // dashboard variables first, then the values narrowed by the other filters.
  const load = useCallback(
    async (input: string): Promise<Array<ComboboxOption<string>>> => {
      const found = await loadValues(dimension, JSON.parse(selectionKey) as Filters);
      const all = [
        ...variables.map((v) => ({ value: v, label: v })),
        ...found.map((o) => ({ value: String(o.value ?? o.text), label: o.text })),
      ];
      const needle = input.toLowerCase();
      return all.filter((o) => o.label.toLowerCase().includes(needle));
    },
    [dimension, selectionKey, loadValues, variables]
  );

  return (
    <InlineFieldRow>
      <InlineField label={L.key} labelWidth={14}>
        <Combobox
          id={`platformlens-filter-key-${dimension}`}
          width={20}
          options={props.keyOptions}
          value={dimension}
          onChange={(v) => v.value && props.onKey(v.value)}
        />
      </InlineField>
      <InlineField label={L.values}>
        <MultiCombobox
          id={`platformlens-filter-values-${dimension}`}
          width={40}
          options={load}
          value={values.map((v) => ({ value: v, label: v }))}
          createCustomValue
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
