import { expect, test } from '@grafana/plugin-e2e';

import { provisionedDashboards } from './env';

// Every provisioned dashboard renders on the demo data without a panel error.
for (const d of provisionedDashboards()) {
  test(`dashboard ${d.title} renders without panel errors`, async ({ gotoDashboardPage }) => {
    const dashboardPage = await gotoDashboardPage({ uid: d.uid });
    await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true });
    await expect(dashboardPage).not.toHavePanelErrors();
  });
}
