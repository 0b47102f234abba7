import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { DS, metric, statOptions, thresholdColors } from '../common';

/** PlatformLens — Executive, panels 1–6 (Platform health … Deploy velocity change (YoY)). */
export const top: dashboard.Panel[] = [
  {
    id: 1,
    type: 'stat',
    title: 'Platform health',
    description:
      'Average daily uptime of all platforms over the range (first value) next to the period of equal length before it (second value); the colour follows the uptime target. Uptime: Platform uptime over all platforms: probes not down ÷ all probes × 100.',
    gridPos: {
      h: 5,
      w: 3,
      x: 0,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [],
    },
    options: statOptions(),
    targets: [
      metric('A', {
        metric: 'uptime',
        format: 'time_series',
        interval: 'day',
        compare: 'previous',
      }),
    ],
  },
  {
    id: 2,
    type: 'stat',
    title: 'Pipeline availability',
    description:
      'Average daily availability of the CI/CD platforms against the 99 % target, with the previous period for comparison. Pipeline availability: Platform uptime over the platforms marked is_pipeline: probes not down ÷ all probes × 100.',
    gridPos: {
      h: 5,
      w: 3,
      x: 3,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [],
    },
    options: statOptions(),
    targets: [
      metric('A', {
        metric: 'pipeline_availability',
        format: 'time_series',
        interval: 'day',
        compare: 'previous',
      }),
    ],
  },
  {
    id: 3,
    type: 'stat',
    title: 'DX score',
    description:
      'Developer experience score (0–100) of the pulse-survey answers in the range; the second value is the period before. Developer experience score: Mean dx_score of the survey responses submitted in range; per tech stack when grouped.',
    gridPos: {
      h: 5,
      w: 3,
      x: 6,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [],
    },
    options: statOptions({ calcs: ['lastNotNull'] }),
    targets: [
      metric('A', {
        metric: 'dx_score',
        format: 'time_series',
        interval: 'week',
        compare: 'previous',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 4,
    type: 'stat',
    title: 'Deployments per week',
    description:
      'Mean number of deployments per calendar week in the range (all environments and statuses), and the same for the previous period. Deployments: Number of deployments finished in range, every environment and status.',
    gridPos: {
      h: 5,
      w: 3,
      x: 9,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
      },
      overrides: [],
    },
    options: statOptions(),
    targets: [
      metric('A', {
        metric: 'deployments',
        format: 'time_series',
        interval: 'week',
        compare: 'previous',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
          environment: ['$environment'],
        },
      }),
    ],
  },
  {
    id: 5,
    type: 'stat',
    title: 'Revenue impact',
    description:
      'Total revenue of the last 12 months (revenue is monthly, so this panel always covers a year), with the 12 months before when recorded. Revenue: Σ amount of the months starting in range (by product line when grouped).',
    gridPos: {
      h: 5,
      w: 3,
      x: 12,
      y: 0,
    },
    datasource: DS,
    timeFrom: '1y',
    fieldConfig: {
      defaults: {
        decimals: 0,
      },
      overrides: [],
    },
    options: statOptions({ calcs: ['sum'] }),
    targets: [
      metric('A', {
        metric: 'revenue',
        format: 'time_series',
        interval: 'month',
        compare: 'previous',
      }),
    ],
  },
  {
    id: 6,
    type: 'stat',
    title: 'Deploy velocity change (YoY)',
    description:
      'Deployments in the selected range against the same range one year earlier, in percent (positive: shipping more often than a year ago). Deploy velocity change: Deployments in range vs the same range one year earlier: (current − year before) ÷ year before × 100.',
    gridPos: {
      h: 5,
      w: 3,
      x: 15,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'percent',
        decimals: 1,
        ...thresholdColors('red', ['yellow', -5], ['green', 0]),
      },
      overrides: [],
    },
    options: statOptions({ calcs: ['lastNotNull'], graphMode: common.BigValueGraphMode.None }),
    targets: [
      metric('A', {
        metric: 'deploy_velocity_change',
        format: 'table',
        interval: 'auto',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
          environment: ['$environment'],
        },
      }),
    ],
  },
];
