import React, { useState } from 'react';
import { config, PluginPage } from '@grafana/runtime';
import { Alert, Button, LinkButton, Stack, Text } from '@grafana/ui';

import { PlatformLensApi } from '../api/platformlens';
import { HealthResult } from '../api/types';
import { Loading, RequestError, useApi } from '../components/shared/PageState';
import { AdminActions } from '../components/config/AdminActions';
import { TargetsEditor } from '../components/config/TargetsEditor';
import { useAsyncRetry } from 'react-use';

import { toError } from '../api/errors';
import { labels } from '../labels';
import { selectors } from '../selectors';

const L = labels.configuration;

/** Admins may run schema changes and bulk loads; the backend enforces the same rule. */
export function isAdmin(): boolean {
  const user = config.bootData?.user;
  return Boolean(user && (user.orgRole === 'Admin' || user.isGrafanaAdmin));
}

function ConnectionTest({ api }: { api: PlatformLensApi }) {
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<HealthResult>();
  const test = async () => {
    setTesting(true);
    setResult(undefined);
    try {
      setResult(await api.health());
    } catch (err) {
      setResult({ status: 'ERROR', message: toError(err).message });
    } finally {
      setTesting(false);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={1} alignItems="center">
        <Text>
          {api.datasource.name} (uid <code>{api.uid}</code>)
        </Text>
        {/* Only Admins may open data source settings; viewers would get a permission error. */}
        {isAdmin() && (
          <LinkButton
            href={`/connections/datasources/edit/${encodeURIComponent(api.uid)}`}
            fill="text"
            size="sm"
            icon="cog"
          >
            {L.settings}
          </LinkButton>
        )}
      </Stack>
      <div>
        <Button
          data-testid={selectors.pages.testConnection}
          icon={testing ? 'spinner' : 'heart'}
          disabled={testing}
          onClick={test}
        >
          {testing ? L.testing : L.test}
        </Button>
      </div>
      {result && (
        <Alert severity={result.status === 'OK' ? 'success' : 'error'} title={result.message || result.status} />
      )}
    </Stack>
  );
}

function StoreStatusView({ api, generation }: { api: PlatformLensApi; generation: number }) {
  const status = useAsyncRetry(() => api.status(), [api, generation]);
  if (status.error) {
    return <RequestError error={status.error} onRetry={status.retry} />;
  }
  if (!status.value) {
    return <Loading />;
  }
  const s = status.value;
  const upToDate = s.migrated ?? (s.schemaVersion ?? 0) >= (s.latestSchemaVersion ?? 1);
  return (
    <table className="filter-table">
      <tbody>
        <tr>
          <th>{L.mode}</th>
          <td>{s.mode ? (L.modes[s.mode] ?? s.mode) : '—'}</td>
        </tr>
        <tr>
          <th>{L.postgres}</th>
          <td>{s.postgresVersion ?? '—'}</td>
        </tr>
        <tr>
          <th>{L.timescale}</th>
          <td>{s.timescaleVersion || '—'}</td>
        </tr>
        <tr>
          <th>{L.schemaVersion}</th>
          <td>
            {s.schemaVersion ?? 0} / {s.latestSchemaVersion ?? '?'}{' '}
            {!upToDate && <Text color="warning">({L.notMigrated})</Text>}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

export function Configuration() {
  const { api, error } = useApi();
  const [generation, setGeneration] = useState(0);
  const admin = isAdmin();
  return (
    <PluginPage>
      <div data-testid={selectors.pages.configuration}>
        {error || !api ? (
          <RequestError error={error ?? new Error(labels.app.noDatasource)} />
        ) : (
          <Stack direction="column" gap={3}>
            <section>
              <Text element="h3">{L.datasource}</Text>
              <ConnectionTest api={api} />
            </section>
            <section>
              <Text element="h3">{L.status}</Text>
              <StoreStatusView api={api} generation={generation} />
            </section>
            <section>
              <Text element="h3">{L.actions}</Text>
              {admin ? (
                <AdminActions api={api} onDone={() => setGeneration((g) => g + 1)} />
              ) : (
                <Alert severity="info" title={L.adminOnly} />
              )}
            </section>
            <section>
              <Text element="h3">{L.targets}</Text>
              <TargetsEditor api={api} canEdit={admin} />
            </section>
          </Stack>
        )}
      </div>
    </PluginPage>
  );
}

export default Configuration;
