import { dateTime, rangeUtil, ScopedVars } from '@grafana/data';
import { readFileSync } from 'fs';
import { join } from 'path';

import { fakeTemplateSrv } from '../test/templateSrv';
import { interpolateQuery } from './interpolate';
import { AdHocFilter, PlatformLensQuery } from './types';

// The same table drives internal/grafanahost, which sends every dashboard target to the plugin
// executable interpolated by its Go port of interpolateQuery: both sides must agree with it. It
// lives outside src/ so that the build (which copies src/**/*.json into dist/) does not ship it.
const table = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'internal', 'grafanahost', 'testdata', 'interpolation-cases.json'), 'utf8')
);
interface Case {
  name: string;
  variables: Record<string, string | string[]>;
  scopedVars?: ScopedVars;
  adhoc?: AdHocFilter[];
  query: PlatformLensQuery;
  expected: unknown;
}

interface IntervalCase {
  name: string;
  rangeMs: number;
  maxDataPoints: number;
  minInterval?: string;
  intervalMs: number;
}

describe('interpolateQuery (shared cases)', () => {
  it.each((table.cases as Case[]).map((c) => [c.name, c]))('%s', (_name, c) => {
    const out = interpolateQuery(fakeTemplateSrv(c.variables), c.query, c.scopedVars, c.adhoc);
    // JSON round trip: what the browser sends drops undefined fields.
    expect(JSON.parse(JSON.stringify(out))).toEqual(c.expected);
  });
});

describe('intervalMs for a panel (shared cases)', () => {
  it.each((table.intervals as IntervalCase[]).map((c) => [c.name, c]))('%s', (_name, c) => {
    const to = dateTime(Date.UTC(2026, 2, 11, 15));
    const from = dateTime(to.valueOf() - c.rangeMs);
    const got = rangeUtil.calculateInterval({ from, to, raw: { from, to } }, c.maxDataPoints, c.minInterval);
    expect(got.intervalMs).toBe(c.intervalMs);
  });
});
