import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import {
  colorOverrides,
  DeepPartial,
  DS,
  evidenceLink,
  lineStyle,
  metric,
  tableOptions,
  teamDataLink,
  timeseriesOptions,
} from '../common';

/** PlatformLens — Delivery, panels 7–11 (Lead time per tech stack … Throughput per tech stack). */
export const bottom: dashboard.Panel[] = [
  {
    id: 7,
    type: 'timeseries',
    title: 'Lead time per tech stack',
    description:
      'Median lead time for changes per week and tech stack, in hours. Lead time for changes: Median (finished_at − first_commit_at) in hours of successful production deployments finished in range (DORA lead time for changes).',
    gridPos: {
      h: 8,
      w: 12,
      x: 12,
      y: 12,
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
        metric: 'lead_time',
        format: 'time_series',
        interval: 'week',
        groupBy: 'tech_stack',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
          environment: ['$environment'],
        },
      }),
    ],
  },
  {
    id: 8,
    type: 'timeseries',
    title: 'Builds by status',
    description:
      'Builds finished per day by status. Builds: Number of builds finished in range (by status when grouped by status).',
    gridPos: {
      h: 8,
      w: 12,
      x: 0,
      y: 20,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'short',
        decimals: 0,
        custom: {
          drawStyle: common.GraphDrawStyle.Bars,
          lineWidth: 1,
          fillOpacity: 70,
          showPoints: common.VisibilityMode.Never,
          stacking: {
            mode: common.StackingMode.Normal,
            group: 'A',
          },
        } satisfies DeepPartial<timeseries.FieldConfig>,
      },
      overrides: colorOverrides({ success: 'green', failure: 'red', cancelled: 'gray' }),
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'builds',
        format: 'time_series',
        interval: 'day',
        groupBy: 'status',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 9,
    type: 'timeseries',
    title: 'Build duration p50 and p95',
    description:
      'Median (A) and 95th percentile (B) build duration per day, in minutes. Build duration: p50 / p95 / p99 / mean (option stat, default p50) of the duration of builds finished in range, in minutes. Short ranges are exact; ranges of 7 days or more read daily histograms (≤ 2 % relative error); the mean is always exact.',
    gridPos: {
      h: 8,
      w: 12,
      x: 12,
      y: 20,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'm',
        decimals: 1,
        custom: lineStyle(),
      },
      overrides: [
        {
          matcher: {
            id: 'byFrameRefID',
            options: 'A',
          },
          properties: [
            {
              id: 'displayName',
              value: 'p50',
            },
          ],
        },
        {
          matcher: {
            id: 'byFrameRefID',
            options: 'B',
          },
          properties: [
            {
              id: 'displayName',
              value: 'p95',
            },
          ],
        },
      ],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'build_duration',
        format: 'time_series',
        interval: 'day',
        stat: 'p50',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
      metric('B', {
        metric: 'build_duration',
        format: 'time_series',
        interval: 'day',
        stat: 'p95',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 10,
    type: 'table',
    title: 'Change failure rate per team',
    description:
      "Change failure rate per team over the range, with the previous period and the change; a row opens the Team dashboard of its team, the panel link the evidence. Change failure rate: Failed production deployments ÷ production deployments finished in range × 100. A deployment failed when it is marked change_failed, was rolled back, or an incident is attributed to it: the incident's caused_by_deployment, else the latest successful production deployment of the same service finished before the incident opened, within the attribution window (setting incident_attribution_window_hours, default 24). Each deployment counts once however many incidents it caused.",
    gridPos: {
      h: 9,
      w: 12,
      x: 0,
      y: 28,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
        links: [teamDataLink('team')],
      },
      overrides: [],
    },
    options: tableOptions({ sortBy: { displayName: 'Change failure rate', desc: true } }),
    links: [evidenceLink('change_failure_rate')],
    targets: [
      metric('A', {
        metric: 'change_failure_rate',
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
  {
    id: 11,
    type: 'table',
    title: 'Throughput per tech stack',
    description:
      'Builds, deployments, efficiency and mean build / deploy times per tech stack; a row opens the Team dashboard of its stack. Throughput: Per tech stack, over the range: builds, deployments, efficiency = successful deployments ÷ successful builds × 100, mean build minutes, mean deploy minutes, developer_count (teams valid at the end of the range). A second frame of highlights: highest efficiency, highest throughput (most deployments), fastest build and fastest deploy (lowest mean minutes); ties go to the first stack by name.',
    gridPos: {
      h: 9,
      w: 12,
      x: 12,
      y: 28,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
        links: [teamDataLink('tech_stack')],
      },
      overrides: [],
    },
    options: tableOptions(),
    targets: [
      metric('A', {
        metric: 'throughput',
        format: 'table',
        interval: 'auto',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
];
