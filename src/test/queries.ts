/*
 * POST /api/ds/query as Grafana relays the backend's QueryData, answered from the frames the Go
 * backend generated (src/test/frames.generated.json, TestFramesFixture in pkg/metrics).
 */
import { BackendSrvRequest } from '@grafana/runtime';

import framesFixture from './frames.generated.json';
import { Answer } from './runtime';

/** Frames of the Home KPI queries by refId (= metric id). */
export const kpiFrames: Record<string, unknown[]> = {
  pipeline_availability: framesFixture.homeKpiPipelineAvailability.frames,
  build_success_rate: framesFixture.homeKpiBuildSuccessRate.frames,
  deployments: framesFixture.homeKpiDeployments.frames,
  dx_score: framesFixture.homeKpiDxScore.frames,
};

/** The same frame without a value and with a notice, as the backend answers an empty range. */
export function withoutValue(frames: unknown[], notice: string) {
  const [f] = frames as Array<{ schema: { meta?: object }; data: unknown }>;
  const meta = { ...f.schema.meta, notices: [{ severity: 'info', text: notice }] };
  return [{ ...f, schema: { ...f.schema, meta }, data: { values: [[null]] } }];
}

export interface QueryResult {
  status?: number;
  frames?: unknown[];
  error?: string;
}

/** A /api/ds/query route: each query answered by refId from `answers`, else from kpiFrames. */
export function dsQuery(answers: Record<string, QueryResult> = {}) {
  return (req: BackendSrvRequest): Answer => {
    const results: Record<string, QueryResult> = {};
    for (const q of req.data.queries as Array<{ refId: string }>) {
      results[q.refId] = answers[q.refId] ?? { status: 200, frames: kpiFrames[q.refId] ?? [] };
    }
    // Grafana answers 400 when a query failed, with every query's result in the body.
    const failed = Object.values(results).some((r) => r.error);
    return { status: failed ? 400 : 200, data: { results } };
  };
}
