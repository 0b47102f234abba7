/*
 * `npm run dashboards`: writes dashboards/*.json from the code in this folder. The JSON is
 * committed (Grafana's file provisioning and the app's includes read it);
 * dashboards.generated.test.ts fails when it differs from what the code generates.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { format, resolveConfig } from 'prettier';

import { generatedDashboards } from './index';

/** The JSON text of a dashboard file, formatted by the repository's prettier configuration. */
async function renderDashboard(file: string, d: dashboard.Dashboard): Promise<string> {
  const config = await resolveConfig(file);
  return format(JSON.stringify(d, null, 2), { ...config, parser: 'json', filepath: file });
}

async function main() {
  const dir = join(__dirname, '..', '..', 'dashboards');
  for (const [file, d] of Object.entries(generatedDashboards)) {
    const path = join(dir, file);
    writeFileSync(path, await renderDashboard(path, d));
    console.log(`wrote dashboards/${file} (${d.panels?.length ?? 0} panels)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
