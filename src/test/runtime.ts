import { DataSourceApi } from '@grafana/data';
import { DataSourceRef } from '@grafana/schema';
import { BackendSrvRequest } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

import { instanceSettings } from './fixtures';

/** A route answer of the fake Grafana HTTP API: status (default 200) and JSON body. */
export interface Answer {
  status?: number;
  data: unknown;
}

type Route = Answer | ((req: BackendSrvRequest) => Answer);

/**
 * The Grafana HTTP API as the app pages see it (getBackendSrv().fetch): each test declares the
 * answers of the URLs it expects; any other URL fails the way Grafana answers an unknown route.
 */
export const fakeGrafana = {
  routes: {} as Record<string, Route>,
  requests: [] as BackendSrvRequest[],
  datasources: [instanceSettings] as Array<typeof instanceSettings>,
  user: { orgRole: 'Admin', isGrafanaAdmin: false },
  /** The data source instance getDataSourceSrv().get answers (installPanelRuntime sets the real class). */
  datasourceApi: undefined as (() => DataSourceApi) | undefined,
  reset() {
    this.routes = {};
    this.requests = [];
    this.datasources = [instanceSettings];
    this.user = { orgRole: 'Admin', isGrafanaAdmin: false };
  },
  fetch(req: BackendSrvRequest): Observable<unknown> {
    fakeGrafana.requests.push(req);
    // Routes are keyed without the query string (DataSourceWithBackend adds ?ds_type=…&requestId=…).
    const key = `${req.method ?? 'GET'} ${req.url.split('?')[0]}`;
    const route = fakeGrafana.routes[key];
    const answer: Answer = route
      ? typeof route === 'function'
        ? route(req)
        : route
      : { status: 404, data: { message: `not found: ${key}` } };
    const status = answer.status ?? 200;
    if (status >= 400) {
      return throwError(() => ({ status, data: answer.data, statusText: 'error' }));
    }
    return of({ status, data: answer.data, ok: true });
  },
};

/** The jest.mock factory of @grafana/runtime for page tests. */
export function runtimeMock() {
  const actual = jest.requireActual('@grafana/runtime');
  return {
    ...actual,
    getBackendSrv: () => ({ fetch: fakeGrafana.fetch }),
    getDataSourceSrv: () => fakeDataSourceSrv,
    config: {
      ...actual.config,
      get bootData() {
        return { user: fakeGrafana.user };
      },
    },
  };
}

export const resource = (route: string, method = 'GET') =>
  `${method} /api/datasources/uid/platformlens/resources/${route}`;

/** getDataSourceSrv() of the fake: the list, instance settings by ref, and the instance. */
export const fakeDataSourceSrv = {
  getList: () => fakeGrafana.datasources,
  getInstanceSettings: (ref?: DataSourceRef | string | null) =>
    fakeGrafana.datasources.find((d) => d.uid === (typeof ref === 'string' ? ref : ref?.uid)),
  get: async (ref?: DataSourceRef | string | null) => {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    if (!fakeGrafana.datasourceApi || !fakeGrafana.datasources.some((d) => d.uid === uid)) {
      throw new Error(`Datasource ${uid} was not found`);
    }
    return fakeGrafana.datasourceApi();
  },
};
