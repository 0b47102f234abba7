import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Alert, InlineField, Input, Combobox, Stack } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { labels } from '../labels';
import type { DataSource } from './datasource';
import { PlatformLensOptions, PlatformLensQuery, VariableQuery } from './types';

type Props = QueryEditorProps<DataSource, PlatformLensQuery, PlatformLensOptions, VariableQuery>;

const L = labels.variable;

/** Parses "tech_stack=$tech_stack, team=payments" into a filter map. */
export function parseNarrowing(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [k, ...rest] = part.split('=');
    const key = k?.trim();
    const value = rest.join('=').trim();
    if (key && value) {
      out[key] = value;
    }
  }
  return out;
}

export function formatNarrowing(filters?: Record<string, string>): string {
  return Object.entries(filters ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Editor of a template variable: which dimension to list and how other variables narrow it. */
export function VariableQueryEditor({ datasource, query, onChange }: Props) {
  const catalog = useAsyncRetry(() => datasource.getCatalog(), [datasource]);
  const options = (catalog.value?.dimensions ?? []).map((d) => ({ value: d.id, label: d.label, description: d.id }));
  return (
    <Stack direction="column" gap={1}>
      {catalog.error && (
        <Alert severity="error" title={labels.query.catalogError}>
          {catalog.error.message}
        </Alert>
      )}
      <InlineField label={L.dimension.label} tooltip={L.dimension.description} labelWidth={14}>
        <Combobox
          id="platformlens-variable-dimension"
          width={30}
          loading={catalog.loading}
          options={options}
          value={query.dimension ?? null}
          createCustomValue
          onChange={(v) => onChange({ ...query, dimension: v.value })}
        />
      </InlineField>
      <InlineField label={L.filters.label} tooltip={L.filters.description} labelWidth={14}>
        <Input
          aria-label={L.filters.label}
          width={50}
          placeholder="tech_stack=$tech_stack"
          defaultValue={formatNarrowing(query.filters)}
          onBlur={(e) => onChange({ ...query, filters: parseNarrowing(e.currentTarget.value) })}
        />
      </InlineField>
    </Stack>
  );
}
