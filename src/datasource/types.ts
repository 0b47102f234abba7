import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** Query types the backend routes on (docs/architecture.md, "Query JSON"). */
export type QueryType = 'metric' | 'sql' | 'annotations';
export type QueryFormat = 'time_series' | 'table';
export type QueryInterval = 'auto' | 'hour' | 'day' | 'week' | 'month';
export type CompareMode = '' | 'previous' | 'wow' | 'mom' | 'yoy';
export type AnnotationKind = 'deployments' | 'incidents' | 'anomalies';

/** One Grafana ad hoc filter, passed through to the backend as is (it validates key and operator). */
export interface AdHocFilter {
  key: string;
  operator: string;
  value: string;
}

/** The query JSON the frontend sends and dashboards / alert rules store. */
export interface PlatformLensQuery extends DataQuery {
  queryType?: QueryType;
  metric?: string;
  /** dimension → selected values; values may hold template variables until applyTemplateVariables. */
  filters?: Record<string, string[]>;
  adhocFilters?: AdHocFilter[];
  groupBy?: string;
  interval?: QueryInterval;
  format?: QueryFormat;
  compare?: CompareMode;
  stat?: string;
  funnel?: string;
  /** funnel_steps: product_events property key to break the funnel down by (e.g. plan). */
  breakdown?: string;
  /** forecast, anomalies and anomaly annotations: the metric whose series is analysed. */
  baseMetric?: string;
  horizon?: number;
  sensitivity?: number;
  rawSql?: string;
  /** annotations only: which events become annotations (anomalies reads baseMetric, filters, groupBy, interval, sensitivity). */
  kind?: AnnotationKind;
  /** annotations only: deployments to production environments only. */
  productionOnly?: boolean;
}

export const DEFAULT_QUERY: Partial<PlatformLensQuery> = {
  queryType: 'metric',
  format: 'time_series',
  interval: 'auto',
  compare: '',
};

/** Query of a template variable: list one dimension's values, narrowed by other selections. */
export interface VariableQuery {
  refId: string;
  dimension?: string;
  /** other dimension → value or template variable (e.g. {"tech_stack": "$tech_stack"}). */
  filters?: Record<string, string>;
}

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** jsonData of the datasource (docs/architecture.md, "Datasource settings"). */
export interface PlatformLensOptions extends DataSourceJsonData {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  schema?: string;
  sslMode?: SslMode;
  maxConns?: number;
  statementTimeoutSeconds?: number;
  rowLimit?: number;
}

/** secureJsonData of the datasource: never sent back to the browser once saved. */
export interface PlatformLensSecureOptions {
  password?: string;
  tlsCACert?: string;
}

/** One metric of the backend catalog (pkg/metrics Definition as served by GET /catalog). */
export interface MetricDefinition {
  id: string;
  title: string;
  category: string;
  description: string;
  unit: string;
  grafanaUnit?: string;
  dimensions: string[];
  formats: string[];
  targetKey?: string;
  /** query options the metric reads: stat, funnel, breakdown, horizon, baseMetric, sensitivity, compare. */
  options?: string[];
  min?: number;
  max?: number;
}

export interface DimensionDefinition {
  id: string;
  label: string;
}

export interface Catalog {
  metrics: MetricDefinition[];
  dimensions: DimensionDefinition[];
}

/** A value of a template variable, tag key or tag value (backend `Option`). */
export interface ValueOption {
  value: string;
  text: string;
}
