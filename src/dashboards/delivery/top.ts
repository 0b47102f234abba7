import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  bandOverride,
  DORA_KEYS,
  DoraKey,
  DS,
  evidenceLink,
  lineStyle,
  metric,
  statOptions,
  tableOptions,
  teamDataLink,
  timeseriesOptions,
} from '../common';

const dimensionFilters = {
  tech_stack: ['$tech_stack'],
  team: ['$team'],
  environment: ['$environment'],
};

/** A headline stat: the range's mean of a per-bucket series with the previous period; a DORA key links to its evidence. */
function headline(
  id: number,
  x: number,
  title: string,
  description: string,
  decimals: number,
  q: { metric: string; interval: 'day' | 'week'; filters: Record<string, string[]> },
  evidence?: DoraKey
): dashboard.Panel {
  return {
    id,
    type: 'stat',
    title,
    description,
    gridPos: {
      h: 5,
      w: 6,
      x,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals,
      },
      overrides: [],
    },
    options: statOptions(),
    ...(evidence ? { links: [evidenceLink(evidence)] } : {}),
    targets: [
      metric('A', {
        metric: q.metric,
        format: 'time_series',
        interval: q.interval,
        compare: 'previous',
        filters: q.filters,
      }),
    ],
  };
}

/** PlatformLens — Delivery, panels 1–6 (Deployment frequency … Deployment frequency per tech stack). */
export const top: dashboard.Panel[] = [
  headline(
    1,
    0,
    'Deployment frequency',
    'Successful production deployments per day, averaged over the range. The second value is the period of equal length before the range. Deployment frequency: Successful production deployments ÷ days in range (per bucket: ÷ days of the bucket inside the range).',
    2,
    { metric: 'deployment_frequency', interval: 'day', filters: dimensionFilters },
    'deployment_frequency'
  ),
  headline(
    2,
    6,
    'Lead time for changes',
    'Median hours from first commit to production, per week, averaged over the range. The second value is the period of equal length before the range. Lead time for changes: Median (finished_at − first_commit_at) in hours of successful production deployments finished in range (DORA lead time for changes).',
    1,
    { metric: 'lead_time', interval: 'week', filters: dimensionFilters },
    'lead_time'
  ),
  headline(
    3,
    12,
    'Change failure rate',
    "Share of production deployments that failed, per week, averaged over the range. The second value is the period of equal length before the range. Change failure rate: Failed production deployments ÷ production deployments finished in range × 100. A deployment failed when it is marked change_failed, was rolled back, or an incident is attributed to it: the incident's caused_by_deployment, else the latest successful production deployment of the same service finished before the incident opened, within the attribution window (setting incident_attribution_window_hours, default 24). Each deployment counts once however many incidents it caused.",
    1,
    { metric: 'change_failure_rate', interval: 'week', filters: dimensionFilters },
    'change_failure_rate'
  ),
  headline(
    4,
    18,
    'Build success rate',
    'Successful ÷ (successful + failed) builds per day, averaged over the range. The second value is the period of equal length before the range. Build success rate: Successful builds ÷ (successful + failed builds) × 100 of builds finished in range; cancelled builds are excluded.',
    1,
    {
      metric: 'build_success_rate',
      interval: 'day',
      filters: { tech_stack: ['$tech_stack'], team: ['$team'] },
    }
  ),
  {
    id: 5,
    type: 'table',
    title: 'DORA summary per tech stack',
    description:
      'The DORA keys over the range per tech stack (one set of rows and bands per stack) for the selected stacks and teams; a row opens the Team dashboard of its stack, the panel links open the evidence of each key. DORA summary: The four DORA metrics over the range with their band: deployment_frequency (days/week), lead_time (h), change_failure_rate (%), recovery_time (h). Bands (hours for times): deployment_frequency (median days per week with a successful production deployment): ≥ 5 elite, ≥ 1 high, median days per month ≥ 1 medium, else low; lead_time: < 24 elite, < 168 high, < 720 medium, else low; change_failure_rate: ≤ 5 elite, ≤ 10 high, ≤ 15 medium, else low; recovery_time: < 1 elite, < 24 high, < 168 medium, else low.',
    gridPos: {
      h: 7,
      w: 24,
      x: 0,
      y: 5,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
        links: [teamDataLink('tech_stack')],
      },
      overrides: [bandOverride()],
    },
    options: tableOptions(),
    links: DORA_KEYS.map(evidenceLink),
    targets: [
      metric('A', {
        metric: 'dora_summary',
        format: 'table',
        interval: 'auto',
        groupBy: 'tech_stack',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 6,
    type: 'timeseries',
    title: 'Deployment frequency per tech stack',
    description:
      'Successful production deployments per day, per week and tech stack. Deployment frequency: Successful production deployments ÷ days in range (per bucket: ÷ days of the bucket inside the range).',
    gridPos: {
      h: 8,
      w: 12,
      x: 0,
      y: 12,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'none',
        decimals: 1,
        custom: lineStyle(),
      },
      overrides: [],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'deployment_frequency',
        format: 'time_series',
        interval: 'week',
        groupBy: 'tech_stack',
        filters: dimensionFilters,
      }),
    ],
  },
];
