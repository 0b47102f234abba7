import React, { useCallback } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineSwitch, RadioButtonGroup, Stack } from '@grafana/ui';

import { FiltersEditor, Filters } from '../components/query/FiltersEditor';
import { useAsync } from '../components/useAsync';
import { labels } from '../labels';
import type { DataSource } from './datasource';
import { AnnotationKind, PlatformLensOptions, PlatformLensQuery } from './types';

type Props = QueryEditorProps<DataSource, PlatformLensQuery, PlatformLensOptions>;

const L = labels.annotation;
// Dimensions the backend whitelists for annotation filters, per kind.
const ANNOTATION_DIMENSIONS: Record<AnnotationKind, string[]> = {
  deployments: ['service', 'team', 'tech_stack', 'environment', 'product_line'],
  incidents: ['service', 'team', 'platform', 'severity'],
};

/** Annotation query: deployments or incidents, optionally filtered. */
export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  const catalog = useAsync(() => datasource.getCatalog(), [datasource]);
  const kind: AnnotationKind = query.kind ?? 'deployments';
  const loadValues = useCallback((dim: string, sel: Filters) => datasource.getDimensionValues(dim, sel), [datasource]);
  const set = (patch: Partial<PlatformLensQuery>) => onChange({ ...query, queryType: 'annotations', kind, ...patch });
  return (
    <Stack direction="column" gap={1}>
      <InlineField label={L.kind.label} tooltip={L.kind.description} labelWidth={16}>
        <RadioButtonGroup
          options={Object.entries(L.kinds).map(([value, label]) => ({ value: value as AnnotationKind, label }))}
          value={kind}
          onChange={(v) => set({ kind: v, filters: {} })}
        />
      </InlineField>
      {kind === 'deployments' && (
        <InlineField label={L.productionOnly.label} tooltip={L.productionOnly.description} labelWidth={16}>
          <InlineSwitch
            value={Boolean(query.productionOnly)}
            onChange={(e) => set({ productionOnly: e.currentTarget.checked })}
          />
        </InlineField>
      )}
      <InlineField label={labels.query.filters.label} labelWidth={16}>
        <FiltersEditor
          allowed={ANNOTATION_DIMENSIONS[kind]}
          dimensions={catalog.value?.dimensions ?? []}
          filters={query.filters ?? {}}
          loadValues={loadValues}
          variables={datasource.getVariableNames()}
          onChange={(filters) => set({ filters })}
        />
      </InlineField>
    </Stack>
  );
}
