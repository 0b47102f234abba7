/*
 * Browser tests against a running Grafana (create-plugin's layout): `.github/workflows/ci.yml`
 * starts Grafana in Docker for each version of its matrix and runs them. They cannot run on the
 * project's build machines (no Docker, no Grafana server); there they only type-check and lint.
 */
import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { dirname } from 'node:path';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;

export default defineConfig<PluginOptions>({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 2 : 0,
  workers: process.env.CI ? 1 : undefined,
  reporter: 'html',
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    trace: 'on-first-retry',
    // Never a downloaded browser: CI uses the runner's Chrome (PLAYWRIGHT_CHANNEL=chrome);
    // elsewhere point CHROMIUM_PATH at an installed one (e.g. /usr/bin/chromium).
    channel: process.env.PLAYWRIGHT_CHANNEL,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH },
    // provisioning/ is the folder docker-compose.yml mounts into Grafana.
    provisioningRootDir: './provisioning',
  },
  projects: [
    // Logs in as admin once and stores the session for the tests.
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'run-tests',
      use: {
        ...devices['Desktop Chrome'],
        storageState: 'playwright/.auth/admin.json',
      },
      dependencies: ['auth'],
    },
  ],
});
