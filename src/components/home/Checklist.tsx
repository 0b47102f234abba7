import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Icon, Stack, Text, useStyles2 } from '@grafana/ui';

import { grafanaGet, PlatformLensApi } from '../../api/platformlens';
import { StoreStatus } from '../../api/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';
import { useAsyncRetry } from 'react-use';

import { toError } from '../../api/errors';

export type StepState = 'done' | 'todo' | 'unknown';

/** One row under a step: a table or a receiver source and whether its data arrived. */
export interface StepItem {
  name: string;
  state: StepState;
  detail: string;
}

export interface Step {
  id: 'connected' | 'migrated' | 'data' | 'alerts';
  state: StepState;
  detail?: string;
  items?: StepItem[];
}

interface AlertRule {
  uid?: string;
  title?: string;
  folderUID?: string;
  labels?: Record<string, string>;
  data?: Array<{ datasourceUid?: string }>;
}

/** Alert rules that belong to PlatformLens: they query its data source or live in its folder. */
export function countPlatformLensRules(rules: AlertRule[], datasourceUid: string, folderUids: string[]): number {
  return rules.filter(
    (r) =>
      (r.data ?? []).some((d) => d.datasourceUid === datasourceUid) ||
      (r.folderUID !== undefined && folderUids.includes(r.folderUID)) ||
      Object.values(r.labels ?? {}).some((v) => /platformlens/i.test(v))
  ).length;
}

async function alertStep(api: PlatformLensApi): Promise<Step> {
  try {
    const [rules, folders] = await Promise.all([
      grafanaGet<AlertRule[]>('/api/v1/provisioning/alert-rules'),
      grafanaGet<Array<{ uid: string; title: string }>>('/api/folders').catch(() => []),
    ]);
    const folderUids = folders.filter((f) => /platformlens/i.test(f.title)).map((f) => f.uid);
    const n = countPlatformLensRules(rules ?? [], api.uid, folderUids);
    return { id: 'alerts', state: n > 0 ? 'done' : 'todo', detail: n > 0 ? `${n} rule(s)` : undefined };
  } catch (err) {
    // Reading alert provisioning needs Admin (alert.provisioning:read): not knowing is not failing.
    return {
      id: 'alerts',
      state: 'unknown',
      detail: `${labels.home.stepHints.alertsUnknown} (${toError(err).message})`,
    };
  }
}

/**
 * Per source, whether data arrived: each event table of GET /status (rows, newest event) and each
 * tool `platformlens serve` heard from (GET /sources: stored events, last event). A receiver that
 * only refused events is a todo with the reason.
 */
export async function dataItems(api: PlatformLensApi, status: StoreStatus): Promise<StepItem[]> {
  const tables: StepItem[] = (status.tables ?? []).map((t) => ({
    name: t.table,
    state: t.rows > 0 ? 'done' : 'todo',
    detail:
      t.rows > 0
        ? `${t.rows.toLocaleString()} rows${t.newest ? `, newest ${dateTimeFormat(t.newest)}` : ''}`
        : labels.home.noRowsYet,
  }));
  // Older schemas have no receiver tables (installed false); a failing route is not a data fault.
  const report = await api.sources().catch(() => undefined);
  const received: StepItem[] = (report?.installed ? report.sources : []).map((r) => {
    const refused = r.rejected + r.signatureFailures + r.malformed;
    return {
      name: `${r.source}${r.table ? ` → ${r.table}` : ''}`,
      state: r.stored > 0 ? 'done' : 'todo',
      detail:
        r.stored > 0
          ? `${r.stored.toLocaleString()} events${r.lastEventAt ? `, last ${dateTimeFormat(r.lastEventAt)}` : ''}`
          : `${labels.home.nothingStored}${refused > 0 ? ` (${refused.toLocaleString()} refused)` : ''}`,
    };
  });
  return [...tables, ...received];
}

/** Checks each getting-started step against the running system. */
export async function loadSteps(api: PlatformLensApi): Promise<Step[]> {
  const health = await api.health().catch((err) => ({ status: 'ERROR', message: toError(err).message }));
  const connected: Step = { id: 'connected', state: health.status === 'OK' ? 'done' : 'todo', detail: health.message };
  if (connected.state !== 'done') {
    return [connected, { id: 'migrated', state: 'unknown' }, { id: 'data', state: 'unknown' }, await alertStep(api)];
  }
  const status = await api.status().catch(() => undefined);
  const migrated = Boolean(
    status?.migrated ??
    (status?.schemaVersion !== undefined && status.schemaVersion >= (status.latestSchemaVersion ?? 1))
  );
  const rows = (status?.tables ?? []).reduce((sum, t) => sum + (t.rows ?? 0), 0);
  return [
    connected,
    {
      id: 'migrated',
      state: status ? (migrated ? 'done' : 'todo') : 'unknown',
      detail: status ? `schema ${status.schemaVersion ?? 0} / ${status.latestSchemaVersion ?? '?'}` : undefined,
    },
    {
      id: 'data',
      state: !status ? 'unknown' : rows > 0 ? 'done' : 'todo',
      detail: status ? `${rows.toLocaleString()} rows` : undefined,
      items: status ? await dataItems(api, status) : undefined,
    },
    await alertStep(api),
  ];
}

const getStyles = (theme: GrafanaTheme2) => ({
  items: css({ listStyle: 'none', margin: theme.spacing(0.5, 0, 0, 0), padding: 0 }),
});

const ICONS = { done: 'check-circle', todo: 'exclamation-circle', unknown: 'question-circle' } as const;
const COLORS = { done: 'success', todo: 'warning', unknown: 'secondary' } as const;

/** The getting-started checklist: each step shows its real state and, when not done, what to do. */
export function Checklist({ api }: { api: PlatformLensApi }) {
  const styles = useStyles2(getStyles);
  const steps = useAsyncRetry(() => loadSteps(api), [api]);
  if (steps.loading && !steps.value) {
    return <Text color="secondary">{labels.app.loading}</Text>;
  }
  return (
    <div data-testid={selectors.pages.checklist}>
      <Stack direction="column" gap={1}>
        {(steps.value ?? []).map((s) => (
          <div key={s.id} data-state={s.state} aria-label={`${labels.home.steps[s.id]}: ${s.state}`}>
            <Stack direction="row" gap={1} alignItems="flex-start">
              <Text color={COLORS[s.state]}>
                <Icon name={ICONS[s.state]} />
              </Text>
              <div>
                <Text weight="medium">{labels.home.steps[s.id]}</Text>
                {s.detail && (
                  <Text color="secondary" variant="bodySmall">
                    {' '}
                    — {s.detail}
                  </Text>
                )}
                {s.state !== 'done' && (
                  <div>
                    <Text color="secondary" variant="bodySmall">
                      {labels.home.stepHints[s.id]}
                    </Text>
                  </div>
                )}
                {s.items && s.items.length > 0 && (
                  <ul className={styles.items}>
                    {s.items.map((item) => (
                      <li key={item.name} data-state={item.state} aria-label={`${item.name}: ${item.state}`}>
                        <Text color={COLORS[item.state]}>
                          <Icon name={ICONS[item.state]} size="sm" />
                        </Text>{' '}
                        <Text variant="bodySmall">{item.name}</Text>{' '}
                        <Text color="secondary" variant="bodySmall">
                          — {item.detail}
                        </Text>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </Stack>
          </div>
        ))}
      </Stack>
    </div>
  );
}
