import { AnnotationQuery, AnnotationSupport } from '@grafana/data';

import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { PlatformLensQuery } from './types';

export const DEFAULT_ANNOTATION_QUERY: PlatformLensQuery = {
  refId: 'Anno',
  queryType: 'annotations',
  kind: 'deployments',
};

/**
 * Deployments, incidents and the anomalies of a base metric (kind "anomalies", read by the backend
 * as an anomalies metric query) as annotations. The backend answers a queryType "annotations" query
 * with a frame of time, timeEnd, title, text and tags, which Grafana's default processing turns
 * into annotation events, so only the query needs preparing here.
 */
export const annotationSupport: AnnotationSupport<PlatformLensQuery> = {
  QueryEditor: AnnotationQueryEditor,
  prepareAnnotation(json: AnnotationQuery<PlatformLensQuery>): AnnotationQuery<PlatformLensQuery> {
    json.target = { ...DEFAULT_ANNOTATION_QUERY, ...json.target, queryType: 'annotations' };
    return json;
  },
  prepareQuery(anno: AnnotationQuery<PlatformLensQuery>): PlatformLensQuery | undefined {
    return anno.target ? { ...anno.target, queryType: 'annotations' } : undefined;
  },
};
