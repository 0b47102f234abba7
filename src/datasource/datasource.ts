import { AdHocVariableFilter, CoreApp, DataSourceInstanceSettings, MetricFindValue, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, TemplateSrv } from '@grafana/runtime';

import { toError } from '../api/errors';
import { RESOURCE_ROUTES } from '../api/platformlens';
import { annotationSupport } from './annotations';
import { readCatalog } from './catalog';
import { expandFilters, expandValue, interpolateQuery } from './interpolate';
import {
  Catalog,
  DEFAULT_QUERY,
  PlatformLensOptions,
  PlatformLensQuery,
  RawCatalog,
  ValueOption,
  VariableQuery,
} from './types';
import { PlatformLensVariableSupport } from './variables';

interface TagKeysOptions {
  filters?: AdHocVariableFilter[];
  queries?: PlatformLensQuery[];
}

interface TagValuesOptions {
  key: string;
  filters?: AdHocVariableFilter[];
}

/** Normalises the backend's `[{value,text}]` answers (a bare string list is accepted too). */
export function toFindValues(answer: unknown): MetricFindValue[] {
  if (!Array.isArray(answer)) {
    return [];
  }
  return answer.map((item: ValueOption | string) =>
    typeof item === 'string' ? { text: item, value: item } : { text: item.text || item.value, value: item.value }
  );
}

/**
 * The PlatformLens datasource. Queries go to the Go backend (QueryData) through
 * DataSourceWithBackend; everything that needs server knowledge (the metric catalog, variable
 * values, ad hoc keys) is read from the backend's resource routes, never duplicated here.
 */
export class DataSource extends DataSourceWithBackend<PlatformLensQuery, PlatformLensOptions> {
  private catalog?: Promise<Catalog>;
  private readonly templateSrv: TemplateSrv;

  constructor(instanceSettings: DataSourceInstanceSettings<PlatformLensOptions>, templateSrv?: TemplateSrv) {
    super(instanceSettings);
    this.templateSrv = templateSrv ?? getTemplateSrv();
    this.variables = new PlatformLensVariableSupport(this);
    this.annotations = annotationSupport;
  }

  getDefaultQuery(_: CoreApp): Partial<PlatformLensQuery> {
    return DEFAULT_QUERY;
  }

  /** Drops hidden queries and queries that would be refused anyway (no metric, no SQL). */
  filterQuery(query: PlatformLensQuery): boolean {
    if (query.hide) {
      return false;
    }
    switch (query.queryType) {
      case 'sql':
        return Boolean(query.rawSql?.trim());
      case 'annotations':
        return Boolean(query.kind);
      default:
        return Boolean(query.metric?.trim());
    }
  }

  applyTemplateVariables(
    query: PlatformLensQuery,
    scopedVars: ScopedVars,
    filters?: AdHocVariableFilter[]
  ): PlatformLensQuery {
    return interpolateQuery(this.templateSrv, query, scopedVars, filters);
  }

  /** The metric catalog, fetched once per datasource instance (retried after a failure). */
  getCatalog(): Promise<Catalog> {
    if (!this.catalog) {
      this.catalog = this.getResource<RawCatalog>(RESOURCE_ROUTES.catalog).then(readCatalog, (err) => {
        this.catalog = undefined;
        throw toError(err);
      });
    }
    return this.catalog;
  }

  /** Values of one dimension narrowed by the other selections (dimension → values). */
  async getDimensionValues(dimension: string, selections: Record<string, string[]> = {}): Promise<MetricFindValue[]> {
    try {
      return toFindValues(await this.getResource(RESOURCE_ROUTES.variables(dimension), selections));
    } catch (err) {
      throw toError(err);
    }
  }

  /**
   * Template variable values. A query is `{dimension, filters}`; a plain string names the
   * dimension (the form a hand-written dashboard may use). Filter values may reference other
   * variables, which is how "teams of the selected tech stacks" works.
   */
  async metricFindQuery(
    query: VariableQuery | string,
    options?: { scopedVars?: ScopedVars }
  ): Promise<MetricFindValue[]> {
    const q: VariableQuery = typeof query === 'string' ? { refId: 'variable', dimension: query } : query;
    const dimension = q.dimension ? this.templateSrv.replace(q.dimension, options?.scopedVars) : '';
    if (!dimension) {
      return [];
    }
    const selections = expandFilters(this.templateSrv, q.filters, options?.scopedVars) ?? {};
    return this.getDimensionValues(dimension, selections);
  }

  async getTagKeys(options?: TagKeysOptions): Promise<MetricFindValue[]> {
    const metrics = new Set((options?.queries ?? []).map((q) => q.metric).filter(Boolean));
    // Keys of one metric when the panel uses one; all dimensions otherwise.
    const params = metrics.size === 1 ? { metric: [...metrics][0] } : {};
    return toFindValues(await this.getResource(RESOURCE_ROUTES.tagKeys, params));
  }

  async getTagValues(options: TagValuesOptions): Promise<MetricFindValue[]> {
    const params: Record<string, string | string[]> = { key: options.key };
    for (const f of options.filters ?? []) {
      if (f.operator === '=' && f.key !== options.key) {
        params[f.key] = [...((params[f.key] as string[]) ?? []), f.value];
      }
    }
    return toFindValues(await this.getResource(RESOURCE_ROUTES.tagValues, params));
  }

  /** Expands a single value with template variables (used by editors to preview selections). */
  expand(value: string, scopedVars?: ScopedVars): string[] {
    return expandValue(this.templateSrv, value, scopedVars);
  }

  /** Variables of the current dashboard, offered as filter values in the editors. */
  getVariableNames(): string[] {
    return this.templateSrv.getVariables().map((v) => `$${v.name}`);
  }
}
