import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { from, Observable } from 'rxjs';
import { map } from 'rxjs/operators';

import type { DataSource } from './datasource';
import { VariableQueryEditor } from './VariableQueryEditor';
import { VariableQuery } from './types';

/**
 * Template variable support: a variable lists one dimension's values (tech stacks, teams,
 * services, …), optionally narrowed by other variables. Answers are MetricFindValues, which
 * Grafana accepts as the data of a custom variable query.
 */
export class PlatformLensVariableSupport extends CustomVariableSupport<DataSource, VariableQuery> {
  constructor(private readonly datasource: DataSource) {
    super();
  }

  editor = VariableQueryEditor;

  query(request: DataQueryRequest<VariableQuery>): Observable<DataQueryResponse> {
    const [query] = request.targets;
    return from(this.datasource.metricFindQuery(query, { scopedVars: request.scopedVars })).pipe(
      map((values) => ({ data: values }))
    );
  }
}
