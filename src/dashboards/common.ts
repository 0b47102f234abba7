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
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

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

/**
 * A query variable listing one dimension's values, narrowed by other variables (filters). Multi
 * with "All" by default; `single` makes it one value or All (the Team dashboard's team).
 */
export function dimensionVariable(
  name: string,
  label: string,
  filters?: Record<string, string>,
  single = false
): dashboard.VariableModel {
  return {
    type: dashboard.VariableType.Query,
    name,
    label,
    datasource: DS,
    query: { refId: 'PlatformLensVariableQuery', dimension: name, ...(filters ? { filters } : {}) },
    definition: name,
    multi: !single,
    includeAll: true,
    current: single ? { text: 'All', value: '$__all' } : { text: ['All'], value: ['$__all'] },
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

/** The dimension variables of most dashboards: tech stack, team (narrowed by tech stack), environment. */
const defaultDimensionVariables = [
  dimensionVariable('tech_stack', 'Tech stack'),
  dimensionVariable('team', 'Team', { tech_stack: '$tech_stack' }),
  dimensionVariable('environment', 'Environment'),
];

/** Variables of every dashboard: datasource, the dimension variables, extra ones (the funnel),
 * then ad hoc filters. */
function variables(dimensions: dashboard.VariableModel[], extra: dashboard.VariableModel[]): dashboard.VariableModel[] {
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
    ...dimensions,
    ...extra,
    adhocVariable,
  ];
}

/** Deployment and incident annotations on every dashboard (deployments filtered by the
 * dashboard's dimension variables), plus extra ones. */
function annotations(
  extra: dashboard.AnnotationQuery[],
  deploymentFilters: Record<string, string[]>
): dashboard.AnnotationQuery[] {
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
        filters: deploymentFilters,
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
  /** Replaces the tech stack / team / environment variables (the Team dashboard's own set). */
  dimensionVariables?: dashboard.VariableModel[];
  /** Filters of the deployment annotations; by default the three dimension variables. */
  deploymentAnnotationFilters?: Record<string, string[]>;
  /** Dashboard links after the PlatformLens dropdown (the Team dashboard's way back). */
  extraLinks?: dashboard.DashboardLink[];
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
      ...(spec.extraLinks ?? []),
    ],
    annotations: {
      list: annotations(spec.extraAnnotations ?? [], spec.deploymentAnnotationFilters ?? dimensionFilters),
    },
    templating: { list: variables(spec.dimensionVariables ?? defaultDimensionVariables, spec.extraVariables ?? []) },
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

/*
 * Builders for the blocks many panels repeat. They return exactly the JSON the panels wrote out
 * by hand before (the golden test of dashboards.generated.test.ts holds them to it).
 */

/** How a panel reduces each field to a value: calcs over the range, of the fields matching
 * `fields` ('' = all); `values` shows every row instead of one reduced value per field. */
export function reduceOptions(calcs: string[], fields = '', values = false): DeepPartial<common.ReduceDataOptions> {
  return { calcs, fields, values };
}

/** What a stat panel changes from the default look; each field replaces that one option. */
export interface StatLook {
  calcs?: string[];
  fields?: string;
  values?: boolean;
  graphMode?: common.BigValueGraphMode;
  colorMode?: common.BigValueColorMode;
  textMode?: common.BigValueTextMode;
  orientation?: common.VizOrientation;
}

/** Stat options: one reduced value per field (mean over the range by default) with a sparkline. */
export function statOptions({
  calcs = ['mean'],
  fields,
  values,
  graphMode = common.BigValueGraphMode.Area,
  colorMode = common.BigValueColorMode.Value,
  textMode = common.BigValueTextMode.Auto,
  orientation = common.VizOrientation.Auto,
}: StatLook = {}): DeepPartial<stat.Options> {
  return {
    reduceOptions: reduceOptions(calcs, fields, values),
    graphMode,
    colorMode,
    justifyMode: common.BigValueJustifyMode.Auto,
    textMode,
    orientation,
    showPercentChange: false,
    wideLayout: true,
  };
}

/** Gauge options: the last value of the fields matching `fields` ('' = all), with threshold markers. */
export function gaugeOptions(fields = ''): DeepPartial<gauge.Options> {
  return {
    reduceOptions: reduceOptions(['lastNotNull'], fields),
    showThresholdLabels: false,
    showThresholdMarkers: true,
  };
}

/** Table options: header, small cells, no footer (or one summing every column), optionally sorted by one column. */
export function tableOptions({
  sortBy,
  showFooter = false,
}: { sortBy?: { displayName: string; desc: boolean }; showFooter?: boolean } = {}): DeepPartial<table.Options> {
  return {
    showHeader: true,
    cellHeight: common.TableCellHeight.Sm,
    footer: {
      show: showFooter,
      reducer: ['sum'],
      countRows: false,
      fields: [],
    },
    ...(sortBy ? { sortBy: [sortBy] } : {}),
  };
}

/** The legend of most panels: a list below the plot (hidden where the axis already names the bars). */
export function listLegend(showLegend = true): DeepPartial<common.VizLegendOptions> {
  return {
    displayMode: common.LegendDisplayMode.List,
    placement: common.LegendPlacement.Bottom,
    showLegend,
  };
}

/** Time series options: legend below as a list, a tooltip of every series, largest first by default. */
export function timeseriesOptions(tooltipSort = common.SortOrder.Descending): DeepPartial<timeseries.Options> {
  return {
    legend: listLegend(),
    tooltip: {
      mode: common.TooltipDisplayMode.Multi,
      sort: tooltipSort,
    },
  };
}

/** What a line panel changes from the trend style. */
export interface LineLook {
  fillOpacity?: number;
  showPoints?: common.VisibilityMode;
  spanNulls?: boolean;
}

/** The line style of trend panels. */
export function lineStyle({
  fillOpacity = 10,
  showPoints = common.VisibilityMode.Auto,
  spanNulls = true,
}: LineLook = {}): DeepPartial<timeseries.FieldConfig> {
  return {
    drawStyle: common.GraphDrawStyle.Line,
    lineWidth: 2,
    fillOpacity,
    showPoints,
    spanNulls,
  };
}

/** Absolute threshold steps: the base colour below the first step, then [colour, from value] pairs. */
export function thresholds(base: string, ...steps: Array<[string, number]>): dashboard.ThresholdsConfig {
  return {
    mode: dashboard.ThresholdsMode.Absolute,
    steps: [{ color: base, value: null }, ...steps.map(([color, value]) => ({ color, value }))],
  };
}

/** Field defaults that colour the value by thresholds (spread into defaults: color, then thresholds). */
export function thresholdColors(
  base: string,
  ...steps: Array<[string, number]>
): Pick<dashboard.FieldConfig, 'color' | 'thresholds'> {
  return {
    color: { mode: dashboard.FieldColorModeId.Thresholds },
    thresholds: thresholds(base, ...steps),
  };
}

/** Values in the text colour; overrides colour only the series whose colour means something. */
export function textColor(): dashboard.FieldColor {
  return { mode: dashboard.FieldColorModeId.Fixed, fixedColor: 'text' };
}

/** One field override of a panel's fieldConfig. */
export type Override = dashboard.FieldConfigSource['overrides'][number];

/** Matches the fields named by one of `names` ('a|b': either, e.g. the raw and the display name). */
export function matchNames(names: string): dashboard.MatcherConfig {
  return { id: 'byRegexp', options: `/^(${names})$/` };
}

/** An override property: a fixed colour. */
export function fixedColor(color: string): dashboard.DynamicConfigValue {
  return { id: 'color', value: { mode: 'fixed', fixedColor: color } };
}

/** An override property: out of the legend, still in the tooltip and the plot. */
export function hideFromLegend(): dashboard.DynamicConfigValue {
  return { id: 'custom.hideFrom', value: { legend: true, tooltip: false, viz: false } };
}

/** One fixed-colour override per entry of `colors` (field names, as for matchNames → colour). */
export function colorOverrides(colors: Record<string, string>): Override[] {
  return Object.entries(colors).map(([names, color]) => ({
    matcher: matchNames(names),
    properties: [fixedColor(color)],
  }));
}

/** Incident severities: P1 red, P2 yellow, P3 green. */
export function severityOverrides(): Override[] {
  return colorOverrides({ p1: 'red', p2: 'yellow', p3: 'green' });
}

/** A value mapping that colours each listed value (in the order given). */
function valueColors(colors: Record<string, string>) {
  return [
    {
      type: 'value',
      options: Object.fromEntries(Object.entries(colors).map(([value, color], index) => [value, { color, index }])),
    },
  ];
}

/** Colours the cells of the table columns named by `names` by their value. */
function cellColorOverride(names: string, mappings: unknown[]): Override {
  return {
    matcher: matchNames(names),
    properties: [
      { id: 'mappings', value: mappings },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
    ],
  };
}

/** DORA band colours (elite green … low red); an empty band (rework rate) has no published band. */
export const BAND_MAPPINGS = valueColors({ elite: 'green', high: 'blue', medium: 'yellow', low: 'red' });

/** Colours the band column of a dora_summary table by band. */
export function bandOverride(): Override {
  return cellColorOverride('band|Band', BAND_MAPPINGS);
}

/**
 * Colours the status column of a platform / environment table (operational green, degraded
 * yellow, down red, unknown in the text colour). `withUnknown` false leaves unknown out (the
 * Reliability environment table: an environment's status is never unknown).
 */
export function statusOverride(withUnknown = true): Override {
  const colors: Record<string, string> = { operational: 'green', degraded: 'yellow', down: 'red' };
  return cellColorOverride('status|Status', valueColors(withUnknown ? { ...colors, unknown: 'text' } : colors));
}

/*
 * Drill-down to the Team dashboard and to the evidence behind each DORA number. viewPanel=<panel
 * id> opens one panel (the form Grafana documents for panel deep links).
 */

/** The Team dashboard's uid. */
export const TEAM_UID = 'platformlens-team';

/** The DORA keys of dora_evidence (option doraKey), in display order. */
export const DORA_KEYS = [
  'deployment_frequency',
  'lead_time',
  'change_failure_rate',
  'recovery_time',
  'rework_rate',
] as const;
export type DoraKey = (typeof DORA_KEYS)[number];

/** Panel ids of the Team dashboard's evidence tables, one per DORA key. */
export const EVIDENCE_PANEL: Record<DoraKey, number> = {
  deployment_frequency: 11,
  lead_time: 12,
  change_failure_rate: 13,
  recovery_time: 14,
  rework_rate: 15,
};

/** Human names of the DORA keys. */
export const DORA_TITLES: Record<DoraKey, string> = {
  deployment_frequency: 'Deployment frequency',
  lead_time: 'Lead time for changes',
  change_failure_rate: 'Change failure rate',
  recovery_time: 'Time to restore',
  rework_rate: 'Rework rate',
};

/**
 * A panel link to the evidence of one DORA key: the Team dashboard's dora_evidence table of that
 * key, with the time range and the variables (Grafana keeps the ones the Team dashboard has).
 */
export function evidenceLink(key: DoraKey): dashboard.DashboardLink {
  return panelLink(
    `Evidence: ${DORA_TITLES[key].toLowerCase()}`,
    `/d/${TEAM_UID}?\${__url_time_range}&\${__all_variables}&viewPanel=${EVIDENCE_PANEL[key]}`
  );
}

/**
 * A data link from a row of a per-team (field team) or per-tech-stack (field tech_stack) table
 * to the Team dashboard for that row, keeping the time range.
 */
export function teamDataLink(field: 'team' | 'tech_stack' | 'service'): dashboard.DashboardLink {
  return panelLink(
    `Team dashboard: \${__data.fields.${field}}`,
    `/d/${TEAM_UID}?\${__url_time_range}&var-${field}=\${__data.fields.${field}:percentencode}`
  );
}
