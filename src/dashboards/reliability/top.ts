import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { DeepPartial, DS, metric, severityOverrides, statOptions, textColor, timeseriesOptions } from '../common';

/** PlatformLens — Reliability, panels 1–6 (Uptime … Active incidents by severity). */
export const top: dashboard.Panel[] = [
  {
    id: 1,
    type: 'stat',
    title: 'Uptime',
    description:
      'Average daily uptime of all platforms. The second value is the period of equal length before the range. Uptime: Platform uptime over all platforms: probes not down ÷ all probes × 100.',
    gridPos: {
      h: 5,
      w: 6,
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
    title: 'MTTR',
    description:
      'Mean time to recovery of incidents resolved, per week, averaged over the range. The second value is the period of equal length before the range. Mean time to recovery: Mean (resolved_at − opened_at) in minutes of incidents resolved in range; by severity when grouped.',
    gridPos: {
      h: 5,
      w: 6,
      x: 6,
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
        metric: 'mttr',
        format: 'time_series',
        interval: 'week',
        compare: 'previous',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 3,
    type: 'stat',
    title: 'MTBF',
    description:
      'Hours in the range per P1/P2 incident. The second value is the period of equal length before the range. Mean time between failures: Hours in range ÷ number of p1 and p2 incidents opened in range (no such incident: no value).',
    gridPos: {
      h: 5,
      w: 6,
      x: 12,
      y: 0,
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
        metric: 'mtbf',
        format: 'table',
        interval: 'auto',
        compare: 'previous',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 4,
    type: 'stat',
    title: 'Incidents',
    description:
      'Incidents opened in the range. The second value is the period of equal length before the range. Incidents: Incidents opened in range (by severity when grouped by severity).',
    gridPos: {
      h: 5,
      w: 6,
      x: 18,
      y: 0,
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
        metric: 'incidents',
        format: 'table',
        interval: 'auto',
        compare: 'previous',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 5,
    type: 'timeseries',
    title: 'Incidents by severity',
    description:
      'Incidents opened per day by severity (P1 red, P2 yellow, P3 green). Incidents: Incidents opened in range (by severity when grouped by severity).',
    gridPos: {
      h: 8,
      w: 12,
      x: 0,
      y: 5,
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
      overrides: severityOverrides(),
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'incidents',
        format: 'time_series',
        interval: 'day',
        groupBy: 'severity',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 6,
    type: 'stat',
    title: 'Active incidents by severity',
    description:
      'Incidents open at the end of the range per severity; the sparkline is the open count at the end of each day. Active incidents: Incidents opened and not resolved at the end of the range (time series: at the end of each bucket); by severity when grouped.',
    gridPos: {
      h: 8,
      w: 12,
      x: 12,
      y: 5,
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
        interval: 'day',
        groupBy: 'severity',
        filters: {
          team: ['$team'],
        },
      }),
    ],
  },
];
