import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  BAND_MAPPINGS,
  bandOverride,
  DORA_TITLES,
  DoraKey,
  DS,
  evidenceLink,
  lineStyle,
  matchNames,
  metric,
  statOptions,
  tableOptions,
  textColor,
  timeseriesOptions,
} from '../common';

/** The Team dashboard's selection: tech stack, team (one or All) and services. */
export const teamFilters = { tech_stack: ['$tech_stack'], team: ['$team'], service: ['$service'] };

/** What each key's stat shows and in which unit (the value dora_summary bands). */
const STATS: Array<{ key: DoraKey; unit: string; what: string }> = [
  {
    key: 'deployment_frequency',
    unit: 'suffix: days/wk',
    what: 'Median days per week with a successful production deployment, the measure DORA bands. The evidence lists those deployments (deployment frequency per day = their count ÷ days in range).',
  },
  {
    key: 'lead_time',
    unit: 'h',
    what: 'Median hours from first commit to production of the successful production deployments; deployments whose first commit is older than the cap (setting lead_time_cap_days, default 30) are excluded and listed as such in the evidence.',
  },
  {
    key: 'change_failure_rate',
    unit: 'percent',
    what: 'Failed production deployments ÷ production deployments. The evidence names, for each failed deployment, the incident and the attribution rule that made it failed.',
  },
  {
    key: 'recovery_time',
    unit: 'h',
    what: 'Median hours from a failed production deployment (failure, rolled back or change_failed) to the next successful production deployment of the same service and environment (DORA failed-deployment recovery time).',
  },
  {
    key: 'rework_rate',
    unit: 'percent',
    what: 'Share of production deployments that were unplanned fixes (rollbacks and roll-forward fixes of a failed change); DORA publishes no bands for it.',
  },
];

/** A stat of one DORA key: its value and its band (coloured), from dora_summary, linked to its evidence. */
function doraStat(id: number, x: number, w: number, s: (typeof STATS)[number]): dashboard.Panel {
  return {
    id,
    type: 'stat',
    title: DORA_TITLES[s.key],
    description: `${s.what} Value and band over the range for the selected team and services, from dora_summary (the band set is the datasource's default, named in the band table). The link opens the rows behind the number.`,
    gridPos: { h: 5, w, x, y: 0 },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
        unit: s.unit,
        color: textColor(),
      },
      overrides: [
        {
          matcher: matchNames('band|Band'),
          properties: [
            {
              id: 'mappings',
              value: [
                ...BAND_MAPPINGS,
                { type: 'special', options: { match: 'empty', result: { text: 'no published band', index: 4 } } },
              ],
            },
          ],
        },
      ],
    },
    options: statOptions({
      calcs: ['lastNotNull'],
      fields: '/^(value|Value|band|Band)$/',
      values: true,
      graphMode: common.BigValueGraphMode.None,
      textMode: common.BigValueTextMode.Value,
    }),
    transformations: [
      {
        id: 'filterByValue',
        options: {
          type: 'include',
          match: 'any',
          filters: [{ fieldName: 'metric', config: { id: 'equal', options: { value: s.key } } }],
        },
      },
    ],
    links: [evidenceLink(s.key)],
    targets: [metric('A', { metric: 'dora_summary', format: 'table', interval: 'auto', filters: teamFilters })],
  };
}

/** A weekly trend of DORA keys (one query per key), linked to the evidence of each. */
function trend(
  id: number,
  gridPos: dashboard.GridPos,
  title: string,
  description: string,
  unit: string,
  keys: DoraKey[]
): dashboard.Panel {
  const refIds = ['A', 'B'];
  return {
    id,
    type: 'timeseries',
    title,
    description,
    gridPos,
    datasource: DS,
    fieldConfig: {
      defaults: { unit, decimals: 1, custom: lineStyle() },
      overrides: keys.map((k, i) => ({
        matcher: { id: 'byFrameRefID', options: refIds[i] },
        properties: [{ id: 'displayName', value: DORA_TITLES[k] }],
      })),
    },
    options: timeseriesOptions(),
    links: keys.map(evidenceLink),
    targets: keys.map((k, i) =>
      metric(refIds[i], { metric: k, format: 'time_series', interval: 'week', filters: teamFilters })
    ),
  };
}

/** Team dashboard, panels 1–10: the five keys with their bands, their trends and the bands per service. */
export const top: dashboard.Panel[] = [
  ...STATS.map((s, i) => doraStat(i + 1, i * 5, i === 4 ? 4 : 5, s)),
  trend(
    6,
    { h: 8, w: 8, x: 0, y: 5 },
    'Deployment frequency per week',
    'Successful production deployments per day, per week, for the selected team and services.',
    'none',
    ['deployment_frequency']
  ),
  trend(
    7,
    { h: 8, w: 8, x: 8, y: 5 },
    'Lead time per week',
    'Median lead time for changes per week in hours (commits older than the lead-time cap excluded).',
    'h',
    ['lead_time']
  ),
  trend(
    8,
    { h: 8, w: 8, x: 16, y: 5 },
    'Time to restore per week',
    'Median time to restore per week in hours, for the selected team and services.',
    'h',
    ['recovery_time']
  ),
  trend(
    9,
    { h: 8, w: 12, x: 0, y: 13 },
    'Change failure rate and rework rate per week',
    'Share of production deployments that failed (A) and that were rework (B), per week, in percent.',
    'percent',
    ['change_failure_rate', 'rework_rate']
  ),
  {
    id: 10,
    type: 'table',
    title: 'DORA per service',
    description:
      'The DORA keys of each service of the selection over the range, with the band each key falls in and the band set used (dora_summary grouped by service; rework rate has no published bands).',
    gridPos: { h: 8, w: 12, x: 12, y: 13 },
    datasource: DS,
    fieldConfig: { defaults: { decimals: 1 }, overrides: [bandOverride()] },
    options: tableOptions(),
    targets: [
      metric('A', {
        metric: 'dora_summary',
        format: 'table',
        interval: 'auto',
        groupBy: 'service',
        filters: teamFilters,
      }),
    ],
  },
];
