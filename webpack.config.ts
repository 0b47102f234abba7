/*
 * Extends create-plugin's webpack config (.config/webpack, which must stay unedited so
 * `create-plugin update` can replace it) with what the nested datasource and the shipped
 * dashboards need in dist/.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      // create-plugin copies the logos of src/plugin.json only; the nested datasource's
      // plugin.json points at datasource/img/logo.svg, which Grafana serves from dist/.
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          // The shipped dashboards (src/plugin.json "includes") live in the repository's dashboards/
          // folder, which file provisioning reads too (provisioning/dashboards/platformlens.yaml), so
          // both use one copy. smoke.json is an e2e helper, not part of the app.
          {
            from: '../dashboards/*.json',
            to: 'dashboards/[name][ext]',
            filter: (file: string) => path.basename(file) !== 'smoke.json',
          },
        ],
      }),
    ],
  });
};

export default config;
