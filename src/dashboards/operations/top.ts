import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';

import {
  colorOverrides,
  DeepPartial,
  DS,
  listLegend,
  metric,
  statOptions,
  statusOverride,
  tableOptions,
  textColor,
  thresholdColors,
} from '../common';

/** PlatformLens — Operations, panels 1–5 (Platform status … Build success rate (latest hour)). */
export const top: dashboard.Panel[] = [
  {
    id: 1,
    type: 'table',
    title: 'Platform status',
    description:
      'One row per platform of the stack: its latest probe status (green operational, yellow degraded, red down), uptime, p95 response time, error rate and incidents in the range. Platform status: Per platform: latest probe status in range (unknown without probes), uptime %, response p95 (ms), error rate %, incidents opened in range. A second frame summarises: total platforms, operational, degraded, down, and the average uptime of the platforms.',
    gridPos: {
      h: 8,
      w: 16,
      x: 0,
      y: 0,
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
        metric: 'platform_status',
        format: 'table',
        interval: 'auto',
      }),
    ],
  },
  {
    id: 2,
    type: 'stat',
    title: 'Platforms',
    description:
      'Summary of the platform stack: platforms operational, degraded and down at the latest probe, and their average uptime over the range. Platform status: Per platform: latest probe status in range (unknown without probes), uptime %, response p95 (ms), error rate %, incidents opened in range. A second frame summarises: total platforms, operational, degraded, down, and the average uptime of the platforms.',
    gridPos: {
      h: 8,
      w: 8,
      x: 16,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
        color: textColor(),
      },
      overrides: colorOverrides({
        'operational|Operational': 'green',
        'degraded|Degraded': 'yellow',
        'down|Down': 'red',
      }),
    },
    options: statOptions({
      calcs: ['lastNotNull'],
      fields: '/^(operational|degraded|down|average_uptime|Operational|Degraded|Down|Average uptime)$/',
      graphMode: common.BigValueGraphMode.None,
      colorMode: common.BigValueColorMode.Background,
      textMode: common.BigValueTextMode.ValueAndName,
    }),
    targets: [
      metric('A', {
        metric: 'platform_status',
        format: 'table',
        interval: 'auto',
      }),
    ],
  },
  {
    id: 3,
    type: 'state-timeline',
    title: 'Platform uptime timeline',
    description:
      'Uptime of each platform per interval: green at or above 99 %, yellow from 90 %, red below (probes down). Platform uptime: Probes not down ÷ all probes × 100 (degraded counts as up), per platform when grouped, else over all platforms.',
    gridPos: {
      h: 7,
      w: 24,
      x: 0,
      y: 8,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'percent',
        decimals: 1,
        ...thresholdColors('red', ['yellow', 90], ['green', 99]),
        custom: {
          fillOpacity: 80,
          lineWidth: 0,
        } satisfies DeepPartial<statetimeline.FieldConfig>,
      },
      overrides: [],
    },
    options: {
      mergeValues: true,
      showValue: common.VisibilityMode.Never,
      alignValue: common.TimelineValueAlignment.Left,
      rowHeight: 0.9,
      legend: listLegend(),
      tooltip: {
        mode: common.TooltipDisplayMode.Single,
        sort: common.SortOrder.None,
      },
    } satisfies DeepPartial<statetimeline.Options>,
    targets: [
      metric('A', {
        metric: 'platform_uptime',
        format: 'time_series',
        interval: 'auto',
        groupBy: 'platform',
      }),
    ],
  },
  {
    id: 4,
    type: 'stat',
    title: 'Builds (latest hour)',
    description:
      'Builds finished per hour. The big number is the latest hour, the sparkline the hours of the range. Builds: Number of builds finished in range (by status when grouped by status).',
    gridPos: {
      h: 5,
      w: 4,
      x: 0,
      y: 15,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
      },
      overrides: [],
    },
    options: statOptions({ calcs: ['lastNotNull'] }),
    targets: [
      metric('A', {
        metric: 'builds',
        format: 'time_series',
        interval: 'hour',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 5,
    type: 'stat',
    title: 'Build success rate (latest hour)',
    description:
      'Successful ÷ (successful + failed) builds per hour. The big number is the latest hour, the sparkline the hours of the range. Build success rate: Successful builds ÷ (successful + failed builds) × 100 of builds finished in range; cancelled builds are excluded.',
    gridPos: {
      h: 5,
      w: 4,
      x: 4,
      y: 15,
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
        metric: 'build_success_rate',
        format: 'time_series',
        interval: 'hour',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
];
