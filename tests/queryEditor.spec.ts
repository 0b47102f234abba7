import { expect, test } from '@grafana/plugin-e2e';

import { selectors as ids } from '../src/selectors';

test('the query editor runs a metric and the panel shows its data', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'platformlens.yaml' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await row.getByTestId(ids.query.metric.replace('data-testid ', '')).click();
  await page.keyboard.type('Build success rate');
  await page.keyboard.press('Enter');
  await panelEditPage.setVisualization('Table');
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await expect(panelEditPage.panel.fieldNames).toContainText(['time']);
  await expect(panelEditPage.panel.data.first()).toBeVisible();
});
