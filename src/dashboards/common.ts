/*
 * Shared parts of the shipped dashboards, typed by Grafana's published schema
 * (@grafana/grafana-foundation-sdk): the header every PlatformLens dashboard has (variables,
 * annotations, links, time picker), the datasource reference and the query helper. Each
 * dashboard lives in its own file; generate.ts writes them to dashboards/*.json
 * (`npm run dashboards`) and dashboards.generated.test.ts fails when the committed JSON differs.
 * Nothing here is part of the plugin bundle (module.tsx does not import it). The classic dashboard
 * schema (dashboard.Dashboard, deprecated in the SDK for dashboardv2) is used on purpose: it is
 * what file provisioning reads on every Grafana version from the grafanaDependency floor up.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { PlatformLensQuery } from '../datasource/types';

/** Deep partial of a schema type: panels set only the options they change. */
export type DeepPartial<T> =
  T extends Array<infer U> ? Array<DeepPartial<U>> : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Every panel and query points at the dashboard's datasource variable. */
export const DS: common.DataSourceRef = { type: 'platformlens-analytics-datasource', uid: '${ds}' };

/** A PlatformLens query as a schema data query (typed by the frontend's own query model). */
export function query(q: PlatformLensQuery): cog.Dataquery {
  // The marker method satisfies the SDK's Dataquery variant type; JSON.stringify drops it.
  return { ...q, _implementsDataqueryVariant() {} };
}

/** A metric query of refId (A, B, …) on the dashboard's datasource. */
export function metric(refId: string, q: Omit<PlatformLensQuery, 'refId' | 'datasource' | 'queryType'>): cog.Dataquery {
  return query({ refId, datasource: DS, queryType: 'metric', ...q });
}

const dimensionFilters = { tech_stack: ['$tech_stack'], team: ['$team'], environment: ['$environment'] };

function dimensionVariable(name: string, label: string, filters?: Record<string, string>): dashboard.VariableModel {
  return {
    type: dashboard.VariableType.Query,
    name,
    label,
    datasource: DS,
    query: { refId: 'PlatformLensVariableQuery', dimension: name, ...(filters ? { filters } : {}) },
    definition: name,
    multi: true,
    includeAll: true,
    current: { text: ['All'], value: ['$__all'] },
    options: [],
    refresh: dashboard.VariableRefresh.OnDashboardLoad,
    sort: dashboard.VariableSort.AlphabeticalAsc,
    hide: dashboard.VariableHide.DontHide,
    regex: '',
    skipUrlSync: false,
  };
}

/** The funnel variable of the Funnels dashboard (single value, onboarding by default). */
export const funnelVariable: dashboard.VariableModel = {
  type: dashboard.VariableType.Query,
  name: 'funnel',
  label: 'Funnel',
  datasource: DS,
  query: { refId: 'PlatformLensVariableQuery', dimension: 'funnel' },
  definition: 'funnel',
  multi: false,
  includeAll: false,
  current: { text: 'Developer onboarding', value: 'onboarding' },
  options: [],
  refresh: dashboard.VariableRefresh.OnDashboardLoad,
  sort: dashboard.VariableSort.Disabled,
  hide: dashboard.VariableHide.DontHide,
  regex: '',
  skipUrlSync: false,
};

// The schema's VariableModel has no field for an ad hoc variable's filters.
const adhocVariable: dashboard.VariableModel & { filters: never[]; baseFilters: never[] } = {
  type: dashboard.VariableType.Adhoc,
  name: 'filters',
  label: 'Filters',
  datasource: DS,
  filters: [],
  baseFilters: [],
  hide: dashboard.VariableHide.DontHide,
  skipUrlSync: false,
};

/** Variables of every dashboard: datasource, tech stack, team (narrowed by tech stack),
 * environment, extra ones (the funnel), then ad hoc filters. */
function variables(extra: dashboard.VariableModel[]): dashboard.VariableModel[] {
  return [
    {
      type: dashboard.VariableType.Datasource,
      name: 'ds',
      label: 'Data source',
      query: 'platformlens-analytics-datasource',
      current: { text: 'PlatformLens', value: 'platformlens' },
      options: [],
      refresh: dashboard.VariableRefresh.OnDashboardLoad,
      regex: '',
      hide: dashboard.VariableHide.DontHide,
      skipUrlSync: false,
    },
    dimensionVariable('tech_stack', 'Tech stack'),
    dimensionVariable('team', 'Team', { tech_stack: '$tech_stack' }),
    dimensionVariable('environment', 'Environment'),
    ...extra,
    adhocVariable,
  ];
}

/** Deployment and incident annotations on every dashboard, plus extra ones. */
function annotations(extra: dashboard.AnnotationQuery[]): dashboard.AnnotationQuery[] {
  return [
    {
      builtIn: 1,
      datasource: { type: 'grafana', uid: '-- Grafana --' },
      enable: true,
      hide: true,
      iconColor: 'rgba(0, 211, 255, 1)',
      name: 'Annotations & Alerts',
      type: 'dashboard',
    },
    {
      name: 'Deployments',
      enable: true,
      hide: false,
      iconColor: 'blue',
      datasource: DS,
      target: query({
        refId: 'Anno',
        queryType: 'annotations',
        kind: 'deployments',
        productionOnly: true,
        filters: dimensionFilters,
      }),
    },
    {
      name: 'Incidents',
      enable: true,
      hide: false,
      iconColor: 'red',
      datasource: DS,
      target: query({ refId: 'Anno', queryType: 'annotations', kind: 'incidents', filters: { team: ['$team'] } }),
    },
    ...extra,
  ];
}

/** The spec's time ranges: 1h / 6h / 24h / 7d / 30d / 90d / 1y. */
const RANGES: Array<[string, string]> = [
  ['1h', 'Last 1 hour'],
  ['6h', 'Last 6 hours'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['30d', 'Last 30 days'],
  ['90d', 'Last 90 days'],
  ['1y', 'Last 1 year'],
];

// Grafana reads time_options and quick_ranges, which the schema's TimePickerConfig lacks.
type TimePicker = dashboard.TimePickerConfig & {
  time_options: string[];
  quick_ranges: Array<{ display: string; from: string; to: string }>;
};

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  time: { from: string; to: string };
  refresh?: string;
  extraVariables?: dashboard.VariableModel[];
  extraAnnotations?: dashboard.AnnotationQuery[];
  panels: dashboard.Panel[];
}

/** A PlatformLens dashboard: the shared header around the dashboard's own panels. */
export function platformLensDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const timepicker: TimePicker = {
    refresh_intervals: ['30s', '1m', '5m', '15m', '30m', '1h'],
    time_options: RANGES.map(([r]) => r),
    quick_ranges: RANGES.map(([r, display]) => ({ display, from: `now-${r}`, to: 'now' })),
  };
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['platformlens'],
    timezone: 'utc',
    schemaVersion: 41,
    version: 1,
    editable: true,
    graphTooltip: dashboard.DashboardCursorSync.Crosshair,
    liveNow: false,
    fiscalYearStartMonth: 0,
    refresh: spec.refresh ?? '',
    time: spec.time,
    timepicker,
    links: [
      {
        type: dashboard.DashboardLinkType.Dashboards,
        tags: ['platformlens'],
        asDropdown: false,
        includeVars: true,
        keepTime: true,
        title: 'PlatformLens',
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
        url: '',
      },
    ],
    annotations: { list: annotations(spec.extraAnnotations ?? []) },
    templating: { list: variables(spec.extraVariables ?? []) },
    panels: spec.panels,
  };
}

/**
 * A panel link (to a drill-down dashboard). Grafana reads panel links as data links
 * ({title, url, targetBlank}); the schema types Panel.links as dashboard links, whose other
 * fields (type, tags, icon, …) a panel link does not have, hence the one cast.
 */
export function panelLink(title: string, url: string): dashboard.DashboardLink {
  return { title, url, targetBlank: false } as unknown as dashboard.DashboardLink;
}
