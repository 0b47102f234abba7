import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, LoadingState } from '@grafana/data';
import { Alert, Button, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';
import { useAsync } from 'react-use';

import { PlatformLensApi } from '../../api/platformlens';
import { Catalog } from '../../datasource/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { buildKpiScene, KpiPanel } from './kpiScene';

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ minHeight: 140 }),
  problems: css({ marginTop: theme.spacing(1) }),
  // A KPI with nothing to report takes no room (and no gap) under the row.
  state: css({ '&:empty': { display: 'none' } }),
});

/**
 * What a panel cannot say loudly enough: a failed query (the panel shows only an icon) or an
 * answer without a value (the panel shows "No data"). Each gets a line with the backend's own
 * words; failures get a retry.
 */
function KpiState({ panel }: { panel: KpiPanel }) {
  const styles = useStyles2(getStyles);
  const { data } = panel.runner.useState();
  const state = data?.state ?? LoadingState.NotStarted;
  const failed = state === LoadingState.Error;
  const hasValue = (data?.series ?? []).some((f) =>
    f.fields.some((field) => field.type === 'number' && field.values.some((v) => typeof v === 'number'))
  );
  const notice = (data?.series ?? []).flatMap((f) => f.meta?.notices ?? []).map((n) => n.text)[0];
  return (
    <div data-testid={selectors.pages.kpi} data-metric={panel.metric} data-state={state} className={styles.state}>
      {failed ? (
        <Alert severity="error" title={`${panel.title}: ${labels.home.kpiError}`}>
          <Stack direction="column" gap={1} alignItems="flex-start">
            <Text>{(data?.errors ?? []).map((e) => e.message).join('; ') || labels.app.requestFailed}</Text>
            <Button size="sm" variant="secondary" icon="sync" onClick={() => panel.runner.runQueries()}>
              {labels.app.retry}
            </Button>
          </Stack>
        </Alert>
      ) : state === LoadingState.Done && !hasValue ? (
        <Text color="secondary" variant="bodySmall">
          {panel.title}: {notice ?? labels.home.noValueHint}
        </Text>
      ) : null}
    </div>
  );
}

/** Headline KPIs of the last 30 days: real stat panels queried through the data source. */
export function Kpis({ api }: { api: PlatformLensApi }) {
  const styles = useStyles2(getStyles);
  // The catalog names and describes the panels; without it they still run, titled from the id.
  const catalog = useAsync(() => api.catalog().catch((): Catalog | undefined => undefined), [api]);
  const built = useMemo(
    () => (catalog.loading ? undefined : buildKpiScene(api.datasource, catalog.value)),
    [api, catalog.loading, catalog.value]
  );
  if (!built) {
    return <LoadingPlaceholder text={labels.app.loading} />;
  }
  return (
    <div data-testid={selectors.pages.kpis}>
      <div className={styles.row}>
        <built.scene.Component model={built.scene} />
      </div>
      <div className={styles.problems}>
        <Stack direction="column" gap={1}>
          {built.panels.map((p) => (
            <KpiState key={p.metric} panel={p} />
          ))}
        </Stack>
      </div>
    </div>
  );
}
