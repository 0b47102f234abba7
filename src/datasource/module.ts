import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { DataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import { PlatformLensOptions, PlatformLensQuery, PlatformLensSecureOptions } from './types';

export const plugin = new DataSourcePlugin<
  DataSource,
  PlatformLensQuery,
  PlatformLensOptions,
  PlatformLensSecureOptions
>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
