import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Plugin ids (src/plugin.json, src/datasource/plugin.json). */
export const APP_ID = 'platformlens-analytics-app';
export const DATASOURCE_TYPE = 'platformlens-analytics-datasource';

/** The database the CI stack runs (docker-compose.yml), overridable for another stack. */
export const db = {
  host: process.env.PLATFORMLENS_DB_HOST ?? 'timescaledb',
  port: process.env.PLATFORMLENS_DB_PORT ?? '5432',
  name: process.env.PLATFORMLENS_DB_NAME ?? 'platformlens',
  user: process.env.PLATFORMLENS_DB_USER ?? 'platformlens',
  password: process.env.PLATFORMLENS_DB_PASSWORD ?? 'platformlens',
};

/** Every dashboard file provisioning serves (provisioning/dashboards reads dashboards/). */
export function provisionedDashboards(): Array<{ file: string; uid: string; title: string }> {
  const dir = join(__dirname, '..', 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const d = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      return { file, uid: d.uid, title: d.title };
    });
}
