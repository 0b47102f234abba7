import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  DS,
  gaugeOptions,
  metric,
  severityOverrides,
  statOptions,
  statusOverride,
  tableOptions,
  textColor,
  thresholdColors,
} from '../common';

/** PlatformLens — Operations, panels 11–15 (Active incidents by severity … Deployments (30 days)). */
export const bottom: dashboard.Panel[] = [
  {
    id: 11,
    type: 'stat',
    title: 'Active incidents by severity',
    description:
      'Incidents open at the end of the range per severity: P1 red, P2 yellow, P3 green. The sparkline is the open count at the end of each hour. Active incidents: Incidents opened and not resolved at the end of the range (time series: at the end of each bucket); by severity when grouped.',
    gridPos: {
      h: 8,
      w: 8,
      x: 0,
      y: 29,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
        color: textColor(),
      },
      overrides: severityOverrides(),
    },
    options: statOptions({
      calcs: ['lastNotNull'],
      colorMode: common.BigValueColorMode.Background,
      textMode: common.BigValueTextMode.ValueAndName,
    }),
    targets: [
      metric('A', {
        metric: 'incidents_active',
        format: 'time_series',
        interval: 'hour',
        groupBy: 'severity',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 12,
    type: 'table',
    title: 'Environment deployments',
    description:
      "Deployments and success rate per environment over the range, and each environment's status (red down, yellow degraded, green operational). Environment deployments: Per environment: type, deployments finished in range, success rate % (success ÷ all), and status: down if its last 3 deployments before the end of the range all failed (failure or rolled_back), degraded if the success rate of the last 24 h before the end of the range is below 90 %, else operational. A second frame per environment type: environments, deployments, mean success rate of its environments.",
    gridPos: {
      h: 8,
      w: 16,
      x: 8,
      y: 29,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [statusOverride()],
    },
    options: tableOptions(),
    targets: [
      metric('A', {
        metric: 'environment_deployments',
        format: 'table',
        interval: 'auto',
        filters: {
          environment: ['$environment'],
        },
      }),
    ],
  },
  {
    id: 13,
    type: 'gauge',
    title: 'Budget burn (month to date)',
    description:
      'Month-to-date tool cost as a share of the monthly budget, for the month containing the end of the range: above the elapsed share of the month means overspending. Budget burn: Month-to-date cost ÷ Σ platform monthly budget × 100, for the calendar month (UTC) containing the end of the range: month-to-date cost = Σ monthly cost of the latest snapshots in range × elapsed fraction of that month.',
    gridPos: {
      h: 7,
      w: 8,
      x: 0,
      y: 37,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'percent',
        min: 0,
        max: 120,
        decimals: 1,
        ...thresholdColors('green', ['yellow', 90], ['red', 100]),
      },
      overrides: [],
    },
    options: gaugeOptions(),
    targets: [
      metric('A', {
        metric: 'budget_burn',
        format: 'table',
        interval: 'auto',
      }),
    ],
  },
  {
    id: 14,
    type: 'stat',
    title: 'Cost per deploy (30 days)',
    description:
      'Tool cost per successful deployment over the last 30 days (a monthly figure, so this panel always covers 30 days); the sparkline is per day. Cost per deployment: Monthly OpEx × (days in range ÷ 30.44) ÷ successful deployments in range (any environment).',
    gridPos: {
      h: 7,
      w: 8,
      x: 8,
      y: 37,
    },
    datasource: DS,
    timeFrom: '30d',
    fieldConfig: {
      defaults: {
        decimals: 0,
      },
      overrides: [],
    },
    options: statOptions(),
    targets: [
      metric('A', {
        metric: 'cost_per_deploy',
        format: 'time_series',
        interval: 'day',
      }),
    ],
  },
  {
    id: 15,
    type: 'stat',
    title: 'Deployments (30 days)',
    description:
      'Deployments finished in the last 30 days, the volume the cost per deploy divides by; the sparkline is per day. Deployments: Number of deployments finished in range, every environment and status.',
    gridPos: {
      h: 7,
      w: 8,
      x: 16,
      y: 37,
    },
    datasource: DS,
    timeFrom: '30d',
    fieldConfig: {
      defaults: {
        decimals: 0,
      },
      overrides: [],
    },
    options: statOptions({ calcs: ['sum'] }),
    targets: [
      metric('A', {
        metric: 'deployments',
        format: 'time_series',
        interval: 'day',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
          environment: ['$environment'],
        },
      }),
    ],
  },
];
