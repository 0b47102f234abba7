import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as table from '@grafana/grafana-foundation-sdk/table';

import {
  DeepPartial,
  DORA_KEYS,
  DORA_TITLES,
  DoraKey,
  DS,
  EVIDENCE_PANEL,
  lineStyle,
  metric,
  statOptions,
  tableOptions,
  timeseriesOptions,
} from '../common';
import { teamFilters } from './top';

/** How the evidence of each key adds up to its number. */
const SUMS: Record<DoraKey, string> = {
  deployment_frequency:
    'Each successful production deployment contributes 1 ÷ days in range; the contributions sum to the deployment frequency per day.',
  lead_time:
    'Each successful production deployment with its lead time in hours; the median of the counted rows is the lead time. Rows whose first commit is older than the cap are excluded, with the reason.',
  change_failure_rate:
    'Each production deployment: a failed one contributes 100 ÷ deployments, others 0 (the sum is the rate); the reason names the incident and the attribution rule, or the deployment that reverted it, that made it failed.',
  recovery_time:
    'Each failed production deployment with the hours to the next successful production deployment of its service and environment; the median of the rows is the time to restore.',
  rework_rate:
    'Each production deployment: a rework deployment contributes 100 ÷ deployments, others 0 (the sum is the rate); the reason says what marked it rework.',
};

/** The dora_evidence table of one key: rows behind the number, newest first. Rates show the sum in the footer. */
function evidence(key: DoraKey, i: number): dashboard.Panel {
  const summed = key !== 'lead_time' && key !== 'recovery_time';
  return {
    id: EVIDENCE_PANEL[key],
    type: 'table',
    title: `Evidence: ${DORA_TITLES[key].toLowerCase()}`,
    description: `The rows behind the ${DORA_TITLES[key].toLowerCase()} of the selection in the range (dora_evidence, doraKey ${key}). ${SUMS[key]}`,
    gridPos: { h: 9, w: 12, x: (i % 2) * 12, y: 21 + Math.floor(i / 2) * 9 },
    datasource: DS,
    fieldConfig: { defaults: { decimals: 3 }, overrides: [] },
    options: {
      ...tableOptions({ sortBy: { displayName: 'Time', desc: true } }),
      footer: { show: summed, reducer: ['sum'], countRows: false, fields: summed ? ['contribution'] : [] },
    } satisfies DeepPartial<table.Options>,
    targets: [
      metric('A', { metric: 'dora_evidence', format: 'table', interval: 'auto', doraKey: key, filters: teamFilters }),
    ],
  };
}

/** Team dashboard, panels 11–18: the evidence of each key, build health and developer experience. */
export const bottom: dashboard.Panel[] = [
  ...DORA_KEYS.map(evidence),
  {
    id: 16,
    type: 'stat',
    title: 'Build success rate',
    description:
      'Successful ÷ (successful + failed) builds of the selected team and services over the range, in percent; cancelled builds are excluded.',
    gridPos: { h: 9, w: 6, x: 12, y: 39 },
    datasource: DS,
    fieldConfig: { defaults: { decimals: 1, unit: 'percent' }, overrides: [] },
    options: statOptions({ calcs: ['lastNotNull'], graphMode: common.BigValueGraphMode.None }),
    targets: [metric('A', { metric: 'build_success_rate', format: 'table', interval: 'auto', filters: teamFilters })],
  },
  {
    id: 17,
    type: 'stat',
    title: 'DX score',
    description:
      'Mean developer-experience score (0–100) of the survey answers of the selected team in the range (surveys are per team: the service selection does not apply).',
    gridPos: { h: 9, w: 6, x: 18, y: 39 },
    datasource: DS,
    fieldConfig: { defaults: { decimals: 1 }, overrides: [] },
    options: statOptions({ calcs: ['lastNotNull'], graphMode: common.BigValueGraphMode.None }),
    targets: [
      metric('A', {
        metric: 'dx_score',
        format: 'table',
        interval: 'auto',
        filters: { tech_stack: ['$tech_stack'], team: ['$team'] },
      }),
    ],
  },
  {
    id: 18,
    type: 'timeseries',
    title: 'Builds by status',
    description: 'Builds of the selected team and services finished per day, by status.',
    gridPos: { h: 8, w: 24, x: 0, y: 48 },
    datasource: DS,
    fieldConfig: {
      defaults: { unit: 'short', decimals: 0, custom: lineStyle() },
      overrides: [],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'builds',
        format: 'time_series',
        interval: 'day',
        groupBy: 'status',
        filters: teamFilters,
      }),
    ],
  },
];
