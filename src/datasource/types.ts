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
  /** dora_summary: the DORA band set (2023, 2021); omitted, the datasource's default applies. */
  bands?: string;
  /** dora_evidence: which DORA key's rows to list (deployment_frequency, lead_time, …). */
  doraKey?: string;
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

/**
 * One query option a metric reads besides filters and group-by (GET /catalog →
 * metrics[].options). `default` is what the backend computes with when the query omits the
 * option; the editor shows it and never writes it into the query, so both cannot drift apart.
 */
export interface OptionSpec {
  /** key in the query JSON: stat, funnel, breakdown, horizon, baseMetric, sensitivity, compare. */
  name: string;
  default?: string | number;
  choices?: string[];
  description: string;
  min?: number;
  max?: number;
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
  options: OptionSpec[];
  min?: number;
  max?: number;
}

/** A metric as the backend may send it: older backends list option names only. */
export type RawMetricDefinition = Omit<MetricDefinition, 'options' | 'dimensions' | 'formats'> & {
  options?: Array<OptionSpec | string>;
  /** null for a metric without dimensions (a nil Go slice) */
  dimensions?: string[] | null;
  formats?: string[] | null;
};

export interface DimensionDefinition {
  id: string;
  label: string;
}

/** A metric family (MetricDefinition.category → title shown as a heading). */
export interface CategoryDefinition {
  id: string;
  title: string;
}

/** An event kind the annotation query offers, with the filter keys it accepts. */
export interface AnnotationKindDefinition {
  id: string;
  title: string;
  description: string;
  filterKeys: string[];
}

/** GET /catalog, normalised by readCatalog (src/datasource/catalog.ts). */
export interface Catalog {
  metrics: MetricDefinition[];
  dimensions: DimensionDefinition[];
  categories: CategoryDefinition[];
  annotationKinds: AnnotationKindDefinition[];
}

/** GET /catalog as received: every list may be missing on an older backend. */
export interface RawCatalog {
  metrics?: RawMetricDefinition[];
  dimensions?: DimensionDefinition[];
  categories?: CategoryDefinition[];
  annotationKinds?: AnnotationKindDefinition[];
}

/** A value of a template variable, tag key or tag value (backend `Option`). */
export interface ValueOption {
  value: string;
  text: string;
}
