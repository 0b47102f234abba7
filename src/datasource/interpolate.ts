import { AdHocVariableFilter, ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { AdHocFilter, PlatformLensQuery } from './types';

// Multi-value variables are joined with a control character that cannot appear in a dimension
// value typed by a person, then split again: this keeps each selected value a separate array
// element (sent to the backend as a bound parameter) instead of a comma-joined string.
const SEPARATOR = '\u001f';

function joinMulti(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(String).join(SEPARATOR);
  }
  return value === undefined || value === null ? '' : String(value);
}

/** Expands one filter value (a literal or a `$var` / `${var}` reference) into its values. */
export function expandValue(templateSrv: TemplateSrv, value: string, scopedVars?: ScopedVars): string[] {
  return templateSrv
    .replace(value, scopedVars, joinMulti)
    .split(SEPARATOR)
    .filter((v) => v !== '');
}

/**
 * Expands every filter of a query. A filter whose variable resolves to nothing is dropped, so an
 * empty variable means "no filter" rather than "match nothing".
 */
export function expandFilters(
  templateSrv: TemplateSrv,
  filters: Record<string, string[] | string> | undefined,
  scopedVars?: ScopedVars
): Record<string, string[]> | undefined {
  if (!filters) {
    return undefined;
  }
  const out: Record<string, string[]> = {};
  for (const [key, raw] of Object.entries(filters)) {
    const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => expandValue(templateSrv, v, scopedVars));
    const unique = Array.from(new Set(values));
    if (unique.length > 0) {
      out[key] = unique;
    }
  }
  return out;
}

function replaceOptional(templateSrv: TemplateSrv, value: string | undefined, scopedVars?: ScopedVars) {
  return value ? templateSrv.replace(value, scopedVars) : value;
}

/**
 * Interpolates the template variables of a query: filter values become arrays (one element per
 * selected value), Grafana's ad hoc filters are added to `adhocFilters`, names (metric, group-by,
 * funnel, breakdown, base metric, stat) are replaced as single values and raw SQL gets SQL-quoted values.
 */
export function interpolateQuery(
  templateSrv: TemplateSrv,
  query: PlatformLensQuery,
  scopedVars?: ScopedVars,
  adhoc?: AdHocVariableFilter[]
): PlatformLensQuery {
  const adhocFilters: AdHocFilter[] = [
    ...(query.adhocFilters ?? []),
    ...(adhoc ?? []).map((f) => ({ key: f.key, operator: f.operator, value: f.value })),
  ];
  const out: PlatformLensQuery = {
    ...query,
    metric: replaceOptional(templateSrv, query.metric, scopedVars),
    groupBy: replaceOptional(templateSrv, query.groupBy, scopedVars),
    funnel: replaceOptional(templateSrv, query.funnel, scopedVars),
    breakdown: replaceOptional(templateSrv, query.breakdown, scopedVars),
    baseMetric: replaceOptional(templateSrv, query.baseMetric, scopedVars),
    stat: replaceOptional(templateSrv, query.stat, scopedVars),
    filters: expandFilters(templateSrv, query.filters, scopedVars),
  };
  if (adhocFilters.length > 0) {
    out.adhocFilters = adhocFilters;
  }
  if (query.rawSql) {
    out.rawSql = templateSrv.replace(query.rawSql, scopedVars, 'sqlstring');
  }
  return out;
}
