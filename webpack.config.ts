/*
 * Extends create-plugin's webpack config (.config/webpack, which must stay unedited so
 * `create-plugin update` can replace it) with what the nested datasource needs in dist/.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      // create-plugin copies the logos of src/plugin.json only; the nested datasource's
      // plugin.json points at datasource/img/logo.svg, which Grafana serves from dist/.
      new CopyWebpackPlugin({ patterns: [{ from: 'datasource/img', to: 'datasource/img' }] }),
    ],
  });
};

export default config;
