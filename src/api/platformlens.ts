import { DataSourceInstanceSettings } from '@grafana/data';
import { FetchError, getBackendSrv, getDataSourceSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { toError } from './errors';
import { DATASOURCE_TYPE } from '../constants';
import { readCatalog } from '../datasource/catalog';
import { RawCatalog } from '../datasource/types';
import { DemoJob, HealthResult, MigrateResult, SourcesReport, StoreStatus, Target } from './types';

/** uid of the provisioned PlatformLens data source; preferred when several exist. */
export const PREFERRED_UID = 'platformlens';

/** Thrown when no data source of the PlatformLens type exists: pages show setup guidance. */
export class NoDatasourceError extends Error {
  constructor() {
    super(`no data source of type ${DATASOURCE_TYPE}`);
    this.name = 'NoDatasourceError';
  }
}

/** The PlatformLens data source the app works with (uid "platformlens" when present). */
export function findDatasource(): DataSourceInstanceSettings {
  const list = getDataSourceSrv().getList({ type: DATASOURCE_TYPE });
  const ds = list.find((d) => d.uid === PREFERRED_UID) ?? list[0];
  if (!ds) {
    throw new NoDatasourceError();
  }
  return ds;
}

async function request<T>(method: string, url: string, data?: unknown, params?: Record<string, unknown>): Promise<T> {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<T>({ method, url, data, params, showErrorAlert: false, showSuccessAlert: false })
    );
    return res.data;
  } catch (err) {
    throw toError(err);
  }
}

/**
 * The datasource's resource routes (docs/architecture.md, "Resource endpoints"), named once. The
 * app pages reach them through PlatformLensApi; the DataSource class (inside panels and editors)
 * through DataSourceWithBackend.getResource with the same route names.
 */
export const RESOURCE_ROUTES = {
  catalog: 'catalog',
  status: 'status',
  targets: 'targets',
  migrate: 'migrate',
  demo: 'demo',
  sources: 'sources',
  variables: (dimension: string) => `variables/${encodeURIComponent(dimension)}`,
  tagKeys: 'tag-keys',
  tagValues: 'tag-values',
} as const;

const resourceUrl = (uid: string, route: string) =>
  `/api/datasources/uid/${encodeURIComponent(uid)}/resources/${route}`;

/** Client of the datasource resource API for one data source. */
export class PlatformLensApi {
  constructor(readonly datasource: DataSourceInstanceSettings) {}

  get uid() {
    return this.datasource.uid;
  }

  catalog = () => request<RawCatalog>('GET', resourceUrl(this.uid, RESOURCE_ROUTES.catalog)).then(readCatalog);
  status = () => request<StoreStatus>('GET', resourceUrl(this.uid, RESOURCE_ROUTES.status));
  targets = () =>
    request<Target[] | { targets: Target[] }>('GET', resourceUrl(this.uid, RESOURCE_ROUTES.targets)).then(targetList);
  putTargets = (targets: Array<Pick<Target, 'key' | 'value'>>) =>
    request<Target[] | { targets: Target[] }>('PUT', resourceUrl(this.uid, RESOURCE_ROUTES.targets), targets).then(
      targetList
    );
  migrate = () => request<MigrateResult>('POST', resourceUrl(this.uid, RESOURCE_ROUTES.migrate));
  /** Starts a background demo load (202 with the job; 409 while another runs). */
  startDemo = (tier: string, seed: number) =>
    request<{ job: DemoJob }>('POST', resourceUrl(this.uid, RESOURCE_ROUTES.demo), { tier, seed }).then((a) => a.job);
  /** The current or last demo load of the data source instance; undefined before the first. */
  demoJob = () =>
    request<{ job: DemoJob | null }>('GET', resourceUrl(this.uid, RESOURCE_ROUTES.demo)).then(
      (a) => a.job ?? undefined
    );
  /** What `platformlens serve` received per source and table, and the names still to map. */
  sources = () => request<SourcesReport>('GET', resourceUrl(this.uid, RESOURCE_ROUTES.sources));

  /** The health check of Grafana's data source API; a failed check is an answer, not an exception. */
  async health(): Promise<HealthResult> {
    try {
      return await lastValueFrom(
        getBackendSrv().fetch<HealthResult>({
          method: 'GET',
          url: `/api/datasources/uid/${encodeURIComponent(this.uid)}/health`,
          showErrorAlert: false,
        })
      ).then((r) => r.data);
    } catch (err) {
      const data = (err as FetchError<Partial<HealthResult>>)?.data;
      if (data?.message) {
        return { status: data.status ?? 'ERROR', message: data.message };
      }
      throw toError(err);
    }
  }
}

function targetList(answer: Target[] | { targets: Target[] }): Target[] {
  return Array.isArray(answer) ? answer : (answer?.targets ?? []);
}

/** Generic Grafana HTTP API call for the pages (alert rules, dashboards search, folders). */
export function grafanaGet<T>(url: string, params?: Record<string, unknown>): Promise<T> {
  return request<T>('GET', url, undefined, params);
}
