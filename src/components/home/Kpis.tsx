import React from 'react';
import { css } from '@emotion/css';
import { DataFrame, FieldType, formattedValueToString, getValueFormat, GrafanaTheme2 } from '@grafana/data';
import { Alert, Card, LoadingPlaceholder, Text, Tooltip, useStyles2 } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { PlatformLensApi } from '../../api/platformlens';
import { HOME_KPIS } from '../../constants';
import { categoryTitle } from '../../datasource/catalog';
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
  // Without the catalog the id is still shown readable ("Pipeline availability"), never raw.
  const title = (id: string) =>
    catalog?.metrics?.find((m: MetricDefinition) => m.id === id)?.title ?? categoryTitle({ categories: [] }, id);
  return HOME_KPIS.map((id) => kpiFromFrames(id, title(id), results[id]?.frames ?? [], results[id]?.error));
}

const getStyles = (theme: GrafanaTheme2) => ({
  // A grid of equal cells: cards with and without a value have the same height.
  row: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    gap: theme.spacing(2),
    alignItems: 'stretch',
  }),
  cell: css({ display: 'flex', '& > *': { flex: 1, margin: 0 } }),
  note: css({ display: 'block', maxHeight: theme.spacing(5), overflow: 'hidden', textOverflow: 'ellipsis' }),
});

/** Headline KPIs of the last 30 days, computed live by the datasource as a panel would. */
export function Kpis({ api }: { api: PlatformLensApi }) {
  const styles = useStyles2(getStyles);
  const kpis = useAsyncRetry(() => loadKpis(api), [api]);
  if (kpis.loading) {
    return <LoadingPlaceholder text={labels.app.loading} />;
  }
  if (kpis.error) {
    return (
      <Alert severity="error" title={labels.home.kpiError}>
        {kpis.error.message}
      </Alert>
    );
  }
  return (
    <div className={styles.row}>
      {(kpis.value ?? []).map((k) => (
        <div key={k.metric} data-testid={selectors.pages.kpi} className={styles.cell}>
          <Card>
            <Card.Heading>{k.title}</Card.Heading>
            <Card.Description>
              {k.text !== undefined ? (
                <Text variant="h2">{k.text}</Text>
              ) : (
                <Tooltip content={k.note ?? labels.home.noValue}>
                  <span>
                    <Text color="secondary">{labels.home.noValue}</Text>
                    {k.note && (
                      <>
                        <span className={styles.note}>
                          <Text color="secondary" variant="bodySmall">
                            {k.note}
                          </Text>
                        </span>
                      </>
                    )}
                  </span>
                </Tooltip>
              )}
            </Card.Description>
          </Card>
        </div>
      ))}
    </div>
  );
}
