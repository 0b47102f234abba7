import React from 'react';
import { dateTimeFormat, dateTimeFormatTimeAgo } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Badge, BadgeColor, Stack, Text } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { IngestErrorRow, TableStatus } from '../api/types';
import { Loading, RequestError, useApi } from '../components/shared/PageState';
import { labels } from '../labels';
import { selectors } from '../selectors';
import { ReceiverSources } from './ReceiverSources';

const L = labels.data;
// Timestamps carry their UTC offset: the database, the browser and the reader may be in different zones.
const TIME_WITH_ZONE = 'YYYY-MM-DD HH:mm:ss Z';

/** Badge for the backend's freshness: a status word, or an age in seconds. */
export function freshnessBadge(t: TableStatus): { text: string; color: BadgeColor } {
  const f = t.freshness;
  if (t.rows === 0 || f === null || f === undefined || f === '') {
    return { text: t.rows === 0 ? 'empty' : '—', color: 'darkgrey' };
  }
  if (typeof f === 'number') {
    const hours = f / 3600;
    const text =
      hours < 1 ? `${Math.round(f / 60)} min` : hours < 48 ? `${hours.toFixed(1)} h` : `${Math.round(hours / 24)} d`;
    return { text, color: hours <= 1 ? 'green' : hours <= 24 ? 'orange' : 'red' };
  }
  const word = String(f).toLowerCase();
  const color: BadgeColor = ['fresh', 'ok', 'live', 'current'].includes(word)
    ? 'green'
    : ['stale', 'lagging', 'late'].includes(word)
      ? 'orange'
      : ['empty', 'none', 'never'].includes(word)
        ? 'darkgrey'
        : 'red';
  return { text: String(f), color };
}

function TablesView({ tables }: { tables: TableStatus[] }) {
  const C = L.columns;
  return (
    <table className="filter-table">
      <thead>
        <tr>
          <th>{C.table}</th>
          <th>{C.rows}</th>
          <th>{C.newest}</th>
          <th>{C.freshness}</th>
        </tr>
      </thead>
      <tbody>
        {tables.map((t) => {
          const badge = freshnessBadge(t);
          return (
            <tr key={t.table} data-testid={selectors.pages.tableRow}>
              <td>
                <code>{t.table}</code>
              </td>
              <td>{(t.rows ?? 0).toLocaleString()}</td>
              <td title={t.newest ?? undefined}>
                {t.newest
                  ? `${dateTimeFormat(t.newest, { format: TIME_WITH_ZONE })} (${dateTimeFormatTimeAgo(t.newest)})`
                  : L.never}
              </td>
              <td>
                <Badge text={badge.text} color={badge.color} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function IngestErrorsView({ errors }: { errors: IngestErrorRow[] }) {
  if (errors.length === 0) {
    return <Text color="secondary">{L.noIngestErrors}</Text>;
  }
  const C = L.errorColumns;
  return (
    <table className="filter-table">
      <thead>
        <tr>
          <th>{C.at}</th>
          <th>{C.table}</th>
          <th>{C.source}</th>
          <th>{C.row}</th>
          <th>{C.field}</th>
          <th>{C.reason}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e, i) => (
          <tr key={e.id ?? i} data-testid={selectors.pages.ingestError}>
            <td>{e.at ? dateTimeFormat(e.at, { format: TIME_WITH_ZONE }) : ''}</td>
            <td>{e.table ?? e.tableName ?? e.table_name ?? ''}</td>
            <td>{e.source ?? ''}</td>
            <td>{e.rowIndex ?? e.row_index ?? ''}</td>
            <td>{e.field ?? ''}</td>
            <td>{e.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Data() {
  const { api, error } = useApi();
  const status = useAsyncRetry(() => (api ? api.status() : Promise.reject(error)), [api]);
  return (
    <PluginPage>
      <div data-testid={selectors.pages.data}>
        {status.error ? (
          <RequestError error={status.error} onRetry={api ? status.retry : undefined} />
        ) : status.value ? (
          <Stack direction="column" gap={3}>
            <section>
              <Text element="h3">{L.tables}</Text>
              <TablesView tables={status.value.tables ?? []} />
            </section>
            <section>
              <Text element="h3">{L.ingestErrors}</Text>
              <IngestErrorsView errors={status.value.ingestErrors ?? []} />
            </section>
            <ReceiverSources api={api} />
          </Stack>
        ) : (
          <Loading />
        )}
      </div>
    </PluginPage>
  );
}

export default Data;
