import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** Plugin id of the nested datasource (src/datasource/plugin.json). */
export const DATASOURCE_TYPE = 'platformlens-analytics-datasource';

/** App routes; each has a page include in plugin.json. */
export enum ROUTES {
  Home = 'home',
  Configuration = 'configuration',
  Catalog = 'catalog',
  Data = 'data',
}

/** Dashboards shipped with the app (uid → title), linked from Home. */
export const DASHBOARDS = [
  { uid: 'platformlens-executive', title: 'PlatformLens — Executive' },
  { uid: 'platformlens-operations', title: 'PlatformLens — Operations' },
  { uid: 'platformlens-funnels', title: 'PlatformLens — Funnels' },
];

/** Headline KPIs of the Home page: metric ids of the backend catalog. */
export const HOME_KPIS = ['pipeline_availability', 'build_success_rate', 'deployments', 'dx_score'];

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
