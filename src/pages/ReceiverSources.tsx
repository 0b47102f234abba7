import React from 'react';
import { dateTimeFormat, dateTimeFormatTimeAgo } from '@grafana/data';
import { Stack, Text } from '@grafana/ui';
import { useAsync } from 'react-use';

import { PlatformLensApi } from '../api/platformlens';

const L = {
  title: 'Sources (platformlens serve)',
  none: 'Nothing received yet. Point GitHub, GitLab, PagerDuty or an OpenTelemetry Collector at `platformlens serve` (see the README, "Receiving events from your tools").',
  notInstalled: 'The schema predates the receiver: run the migration on the Configuration page.',
  never: 'never',
  unmapped:
    'Unmapped repositories and services (stored as "unassigned": add them to receiver_repo_map or the --repo-map file)',
  columns: ['Source', 'Table', 'Last event', 'Last received', 'Stored', 'Duplicates', 'Rejected', 'Ignored', 'Refused'],
  unmappedColumns: ['Source', 'Name', 'Events', 'Last seen'],
};

function when(t: string | null) {
  return t ? `${dateTimeFormat(t)} (${dateTimeFormatTimeAgo(t)})` : L.never;
}

/** Each source's last event time and counts, and the names still to map, on the Data page. */
export function ReceiverSources({ api }: { api?: PlatformLensApi }) {
  const report = useAsync(() => (api ? api.sources() : Promise.resolve(undefined)), [api]);
  const r = report.value;
  if (!api || report.loading) {
    return null;
  }
  return (
    <section data-testid="data-testid platformlens-receiver-sources">
      <Text element="h3">{L.title}</Text>
      {report.error ? (
        <Text color="error">{report.error.message}</Text>
      ) : !r?.installed ? (
        <Text color="secondary">{L.notInstalled}</Text>
      ) : r.sources.length === 0 ? (
        <Text color="secondary">{L.none}</Text>
      ) : (
        <Stack direction="column" gap={2}>
          <table className="filter-table">
            <thead>
              <tr>
                {L.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.sources.map((s) => (
                <tr key={`${s.source}/${s.table}`} data-testid="data-testid platformlens-receiver-source">
                  <td>{s.source}</td>
                  <td>{s.table ? <code>{s.table}</code> : '—'}</td>
                  <td>{when(s.lastEventAt)}</td>
                  <td>{when(s.lastReceivedAt)}</td>
                  <td>{s.stored.toLocaleString()}</td>
                  <td>{s.duplicates.toLocaleString()}</td>
                  <td>{s.rejected.toLocaleString()}</td>
                  <td>{s.ignored.toLocaleString()}</td>
                  <td title="bad signature or token, malformed body">
                    {(s.signatureFailures + s.malformed).toLocaleString()}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.unmapped.length > 0 && (
            <>
              <Text color="warning">{L.unmapped}</Text>
              <table className="filter-table">
                <thead>
                  <tr>
                    {L.unmappedColumns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {r.unmapped.map((u) => (
                    <tr key={`${u.source}/${u.name}`} data-testid="data-testid platformlens-receiver-unmapped">
                      <td>{u.source}</td>
                      <td>
                        <code>{u.name}</code>
                      </td>
                      <td>{u.events.toLocaleString()}</td>
                      <td>{when(u.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Stack>
      )}
    </section>
  );
}
