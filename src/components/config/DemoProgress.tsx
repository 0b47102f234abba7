import React from 'react';
import { Alert, Icon, Stack, Text, Spinner } from '@grafana/ui';

import { DemoJob, DemoResult, DemoTableProgress } from '../../api/types';
import { labels } from '../../labels';
import { selectors } from '../../selectors';

const L = labels.configuration;

/** One line summary of a finished load: total rows and seconds. */
export function describeDemo(r: DemoResult): string {
  const total = r.rows ?? (r.tables ?? []).reduce((a, t) => a + (Number(t.rows) || 0), 0);
  return L.demoLoaded(total, r.seconds ?? 0);
}

function stateOf(t: DemoTableProgress): keyof typeof L.demoStates {
  if (t.done) {
    return 'done';
  }
  return t.rows > 0 ? 'loading' : 'waiting';
}

// The running state uses Spinner, which ships its own animation (no icon file to load).
const stateIcon = { done: 'check', waiting: 'clock-nine' } as const;

function TableList({ tables }: { tables: DemoTableProgress[] }) {
  return (
    <table className="filter-table">
      <thead>
        <tr>
          <th>{L.demoColumns.table}</th>
          <th>{L.demoColumns.rows}</th>
          <th>{L.demoColumns.state}</th>
        </tr>
      </thead>
      <tbody>
        {tables.map((t) => {
          const state = stateOf(t);
          return (
            <tr key={t.table} data-testid={selectors.pages.demoTable}>
              <td>{t.table}</td>
              <td>{L.demoRows(t.rows)}</td>
              <td>
                {state === 'loading' ? <Spinner inline /> : <Icon name={stateIcon[state]} />} {L.demoStates[state]}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Progress of a demo load: overall bar, rows and state per table, then the summary or the error. */
export function DemoProgress({ job, error }: { job?: DemoJob; error?: Error }) {
  if (!job && !error) {
    return null;
  }
  const tables = job?.tables ?? [];
  const done = tables.filter((t) => t.done).length;
  return (
    <Stack direction="column" gap={1}>
      {job?.state === 'running' && (
        <div data-testid={selectors.pages.demoProgress}>
          <Text>{L.demoRunning(job.tier, job.elapsedSeconds ?? 0)}</Text>
          <div>
            <progress max={tables.length} value={done} aria-label={L.demoTablesDone(done, tables.length)} />{' '}
            <Text color="secondary">{L.demoTablesDone(done, tables.length)}</Text>
          </div>
        </div>
      )}
      {job?.state === 'done' && job.result && <Alert severity="success" title={describeDemo(job.result)} />}
      {job?.state === 'failed' && (
        <Alert severity="error" title={job.error ?? L.demoFailed}>
          {job.hint}
        </Alert>
      )}
      {error && <Alert severity="error" title={job ? L.demoProgressLost(error.message) : error.message} />}
      {tables.length > 0 && <TableList tables={tables} />}
    </Stack>
  );
}
