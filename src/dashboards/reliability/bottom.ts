import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  DS,
  evidenceLink,
  lineStyle,
  metric,
  statusOverride,
  tableOptions,
  teamDataLink,
  timeseriesOptions,
} from '../common';

/** PlatformLens — Reliability, panels 7–11 (Resolution time by severity … Environment deployments). */
export const bottom: dashboard.Panel[] = [
  {
    id: 7,
    type: 'table',
    title: 'Resolution time by severity',
    description:
      'Mean resolution time of incidents resolved in the range per severity, in hours, with the previous period. Incident resolution time: Mean (resolved_at − opened_at) in hours of incidents resolved in range; by severity when grouped.',
    gridPos: {
      h: 7,
      w: 12,
      x: 0,
      y: 13,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [],
    },
    options: tableOptions(),
    targets: [
      metric('A', {
        metric: 'incident_resolution_time',
        format: 'table',
        interval: 'auto',
        groupBy: 'severity',
        compare: 'previous',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 8,
    type: 'table',
    title: 'Change tickets by priority',
    description:
      'Change tickets opened in the range per priority, with the previous period. Change tickets: Change tickets opened in range; by status or priority when grouped.',
    gridPos: {
      h: 7,
      w: 12,
      x: 12,
      y: 13,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
      },
      overrides: [],
    },
    options: tableOptions(),
    targets: [
      metric('A', {
        metric: 'change_tickets',
        format: 'table',
        interval: 'auto',
        groupBy: 'priority',
        compare: 'previous',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 9,
    type: 'timeseries',
    title: 'Change ticket completion time',
    description:
      'Mean hours from opening to completion of the change tickets completed each week. Change ticket completion time: Mean (completed_at − opened_at) in hours of change tickets completed in range.',
    gridPos: {
      h: 8,
      w: 12,
      x: 0,
      y: 20,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'h',
        decimals: 1,
        custom: lineStyle(),
      },
      overrides: [],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'change_ticket_completion_time',
        format: 'time_series',
        interval: 'week',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 10,
    type: 'timeseries',
    title: 'Platform uptime',
    description:
      'Daily uptime per platform. Platform uptime: Probes not down ÷ all probes × 100 (degraded counts as up), per platform when grouped, else over all platforms.',
    gridPos: {
      h: 8,
      w: 12,
      x: 12,
      y: 20,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'percent',
        decimals: 1,
        custom: lineStyle(),
        max: 100,
      },
      overrides: [],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'platform_uptime',
        format: 'time_series',
        interval: 'day',
        groupBy: 'platform',
      }),
    ],
  },
  {
    id: 11,
    type: 'table',
    title: 'Environment deployments',
    description:
      'Deployments, success rate and status per environment over the range. Environment deployments: Per environment: type, deployments finished in range, success rate % (success ÷ all), and status: down if its last 3 deployments before the end of the range all failed (failure or rolled_back), degraded if the success rate of the last 24 h before the end of the range is below 90 %, else operational. A second frame per environment type: environments, deployments, mean success rate of its environments.',
    gridPos: {
      h: 8,
      w: 24,
      x: 0,
      y: 28,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [statusOverride(false)],
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
    id: 12,
    type: 'table',
    title: 'Time to restore per team',
    description:
      'DORA time to restore per team over the range, in hours, with the previous period and the change; a row opens the Team dashboard of its team, the panel link the rows behind the number. Failed deployment recovery time: median hours from a failed production deployment (failure, rolled back or change_failed) to the next successful production deployment of the same service and environment.',
    gridPos: {
      h: 8,
      w: 24,
      x: 0,
      y: 36,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
        links: [teamDataLink('team')],
      },
      overrides: [],
    },
    options: tableOptions({ sortBy: { displayName: 'Failed deployment recovery time', desc: true } }),
    links: [evidenceLink('recovery_time')],
    targets: [
      metric('A', {
        metric: 'recovery_time',
        format: 'table',
        interval: 'auto',
        groupBy: 'team',
        compare: 'previous',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
          environment: ['$environment'],
        },
      }),
    ],
  },
];
