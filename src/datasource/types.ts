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
  /** query options the metric reads (stat, funnel, breakdown, horizon, baseMetric, sensitivity, compare) with their defaults. */
  options?: OptionSpec[];
  min?: number;
  max?: number;
}

/**
 * One query option of a metric (pkg/metrics OptionSpec). `default` is what the backend computes
 * with when a saved query lacks the option, so the editor shows it rather than its own guess.
 */
export interface OptionSpec {
  /** key in the query JSON, e.g. "stat", "horizon", "compare". */
  name: string;
  default?: string | number;
  choices?: string[];
  description: string;
  min?: number;
  max?: number;
}

/** A metric category with its display title. */
export interface CategoryDefinition {
  id: string;
  title: string;
}

/** An annotation kind with the filter keys the backend accepts for it. */
export interface AnnotationKindDefinition {
  id: string;
  title: string;
  description: string;
  filterKeys: string[];
}

export interface DimensionDefinition {
  id: string;
  label: string;
}

/** GET /catalog (pkg/metrics CatalogDocument); src/test/catalog.generated.json is a real one. */
export interface Catalog {
  metrics: MetricDefinition[];
  dimensions: DimensionDefinition[];
  categories: CategoryDefinition[];
  annotationKinds: AnnotationKindDefinition[];
}

/** A value of a template variable, tag key or tag value (backend `Option`). */
export interface ValueOption {
  value: string;
  text: string;
}
