import React from 'react';
import { DataFrame, FieldType, formattedValueToString, getValueFormat } from '@grafana/data';
import { Alert, Card, Stack, Text, Tooltip } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { PlatformLensApi } from '../../api/platformlens';
import { HOME_KPIS } from '../../constants';
import { MetricDefinition } from '../../datasource/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';

export interface Kpi {
  metric: string;
  title: string;
  /** formatted value, undefined when the metric returned no value */
  text?: string;
  /** why there is no value: the query error or the backend's notice */
  note?: string;
}

/** First numeric value of a table answer, formatted with the unit the backend put on its field. */
export function kpiFromFrames(metric: string, title: string, frames: DataFrame[], error?: string): Kpi {
  if (error) {
    return { metric, title, note: error };
  }
  for (const frame of frames) {
    const field = frame.fields.find((f) => f.type === FieldType.number);
    const value = field?.values[0];
    if (field && typeof value === 'number' && Number.isFinite(value)) {
      const fmt = getValueFormat(field.config.unit ?? 'short');
      return { metric, title, text: formattedValueToString(fmt(value, field.config.decimals ?? 1)) };
    }
  }
  const notice = frames.flatMap((f) => f.meta?.notices ?? []).map((n) => n.text)[0];
  return { metric, title, note: notice };
}

async function loadKpis(api: PlatformLensApi): Promise<Kpi[]> {
  const [catalog, results] = await Promise.all([
    api.catalog().catch(() => undefined),
    api.query(HOME_KPIS.map((metric) => ({ refId: metric, queryType: 'metric', metric, format: 'table' }))),
  ]);
  const title = (id: string) => catalog?.metrics?.find((m: MetricDefinition) => m.id === id)?.title ?? id;
  return HOME_KPIS.map((id) => kpiFromFrames(id, title(id), results[id]?.frames ?? [], results[id]?.error));
}

/** Headline KPIs of the last 30 days, computed live by the datasource as a panel would. */
export function Kpis({ api }: { api: PlatformLensApi }) {
  const kpis = useAsyncRetry(() => loadKpis(api), [api]);
  if (kpis.error) {
    return (
      <Alert severity="error" title={labels.home.kpiError}>
        {kpis.error.message}
      </Alert>
    );
  }
  return (
    <Stack direction="row" gap={2} wrap="wrap">
      {(kpis.value ?? HOME_KPIS.map((metric) => ({ metric, title: metric }) as Kpi)).map((k) => (
        <div key={k.metric} data-testid={selectors.pages.kpi} style={{ minWidth: 200 }}>
          <Card>
            <Card.Heading>{k.title}</Card.Heading>
            <Card.Description>
              {kpis.loading ? (
                labels.app.loading
              ) : k.text !== undefined ? (
                <Text variant="h2">{k.text}</Text>
              ) : (
                <Tooltip content={k.note ?? labels.home.noValue}>
                  <span>
                    <Text color="secondary">{labels.home.noValue}</Text>
                    {k.note && (
                      <>
                        <br />
                        <Text color="secondary" variant="bodySmall">
                          {k.note}
                        </Text>
                      </>
                    )}
                  </span>
                </Tooltip>
              )}
            </Card.Description>
          </Card>
        </div>
      ))}
    </Stack>
  );
}
