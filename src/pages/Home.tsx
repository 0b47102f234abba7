import React from 'react';
import { PluginPage } from '@grafana/runtime';
import { LinkButton, Stack, Text } from '@grafana/ui';
import { useAsyncRetry } from 'react-use';

import { grafanaGet } from '../api/platformlens';
import { RequestError, useApi } from '../components/shared/PageState';
import { Checklist } from '../components/home/Checklist';
import { Kpis } from '../components/home/Kpis';
import { DASHBOARDS, PLUGIN_ID, prefixRoute, ROUTES } from '../constants';
import { labels } from '../labels';
import { selectors } from '../selectors';

interface SearchHit {
  uid: string;
  url: string;
  title: string;
}

/** Links to the shipped dashboards that exist here; the others point to where to import them. */
function DashboardLinks() {
  const found = useAsyncRetry(
    () => grafanaGet<SearchHit[]>('/api/search', { dashboardUIDs: DASHBOARDS.map((d) => d.uid) }),
    []
  );
  return (
    <Stack direction="column" gap={1}>
      {DASHBOARDS.map((d) => {
        const hit = found.value?.find((h) => h.uid === d.uid);
        if (hit) {
          return (
            <div key={d.uid}>
              <LinkButton href={hit.url} fill="text" icon="apps">
                {hit.title}
              </LinkButton>
            </div>
          );
        }
        return (
          <div key={d.uid}>
            <Text>{d.title}</Text>{' '}
            <Text color="secondary" variant="bodySmall">
              {found.loading ? labels.app.loading : found.error ? found.error.message : labels.home.dashboardMissing}
            </Text>
          </div>
        );
      })}
      {/* One way to import the missing ones, not a link repeated on every row. */}
      {!found.loading && DASHBOARDS.some((d) => !found.value?.some((h) => h.uid === d.uid)) && (
        <div>
          <LinkButton href={`/plugins/${PLUGIN_ID}?page=dashboards`} variant="secondary" size="sm" icon="import">
            {labels.home.importDashboards}
          </LinkButton>
        </div>
      )}
    </Stack>
  );
}

export function Home() {
  const { api, error } = useApi();
  return (
    <PluginPage>
      <div data-testid={selectors.pages.home}>
        <Stack direction="column" gap={3}>
          <Text element="p">{labels.home.intro}</Text>
          {error || !api ? (
            <RequestError error={error ?? new Error(labels.app.noDatasource)} />
          ) : (
            <>
              <section>
                <Text element="h3">{labels.home.kpis}</Text>
                <Kpis api={api} />
              </section>
              <section>
                <Text element="h3">{labels.home.checklist}</Text>
                <Checklist api={api} />
                <LinkButton href={prefixRoute(ROUTES.Configuration)} fill="text" size="sm" icon="cog">
                  {labels.configuration.title}
                </LinkButton>
              </section>
            </>
          )}
          <section>
            <Text element="h3">{labels.home.dashboards}</Text>
            <DashboardLinks />
          </section>
        </Stack>
      </div>
    </PluginPage>
  );
}

export default Home;
