import { expect, test } from '@grafana/plugin-e2e';

import { selectors as ids } from '../src/selectors';
import { DATASOURCE_TYPE, db } from './env';

test('the provisioned datasource passes Save & test', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'platformlens.yaml' });
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  await expect(configPage.saveAndTest()).toBeOK();
});

test('a datasource configured in the editor passes Save & test', async ({ createDataSourceConfigPage }) => {
  const configPage = await createDataSourceConfigPage({ type: DATASOURCE_TYPE });
  await configPage.getByGrafanaSelector(ids.config.host).fill(db.host);
  await configPage.getByGrafanaSelector(ids.config.port).fill(db.port);
  await configPage.getByGrafanaSelector(ids.config.database).fill(db.name);
  await configPage.getByGrafanaSelector(ids.config.user).fill(db.user);
  await configPage.getByGrafanaSelector(ids.config.password).fill(db.password);
  await expect(configPage.saveAndTest()).toBeOK();
});

test('a wrong password fails Save & test with a message', async ({ createDataSourceConfigPage, page }) => {
  const configPage = await createDataSourceConfigPage({ type: DATASOURCE_TYPE });
  await configPage.getByGrafanaSelector(ids.config.host).fill(db.host);
  await configPage.getByGrafanaSelector(ids.config.database).fill(db.name);
  await configPage.getByGrafanaSelector(ids.config.user).fill(db.user);
  await configPage.getByGrafanaSelector(ids.config.password).fill(`${db.password}-wrong`);
  await expect(configPage.saveAndTest()).not.toBeOK();
  await expect(configPage).toHaveAlert('error');
});
