import { expect, test } from '@grafana/plugin-e2e';

import { ROUTES } from '../src/constants';
import { selectors as ids } from '../src/selectors';
import { APP_ID } from './env';

// Each page of the app (src/plugin.json "includes" of type page) loads and shows its content.
const pages: Array<{ path: ROUTES; testId: string }> = [
  { path: ROUTES.Home, testId: ids.pages.home },
  { path: ROUTES.Configuration, testId: ids.pages.configuration },
  { path: ROUTES.Catalog, testId: ids.pages.catalog },
  { path: ROUTES.Data, testId: ids.pages.data },
];

for (const p of pages) {
  test(`app page ${p.path} loads`, async ({ gotoAppPage }) => {
    const page = await gotoAppPage({ pluginId: APP_ID, path: `/${p.path}` });
    await expect(page.getByGrafanaSelector(p.testId)).toBeVisible();
  });
}

test('the catalog page lists metrics from the backend', async ({ gotoAppPage }) => {
  const page = await gotoAppPage({ pluginId: APP_ID, path: `/${ROUTES.Catalog}` });
  await expect(page.getByGrafanaSelector(ids.pages.catalogMetric).first()).toBeVisible();
});
