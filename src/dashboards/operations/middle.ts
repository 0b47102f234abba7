import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import {
  colorOverrides,
  DeepPartial,
  DS,
  hideFromLegend,
  lineStyle,
  metric,
  statOptions,
  textColor,
  thresholds,
  timeseriesOptions,
} from '../common';

/** PlatformLens — Operations, panels 6–10 (Mean build time (latest hour) … p95 build duration). */
export const middle: dashboard.Panel[] = [
  {
    id: 6,
    type: 'stat',
    title: 'Mean build time (latest hour)',
    description:
      'Mean build duration per hour, in minutes. The big number is the latest hour, the sparkline the hours of the range. Build duration: p50 / p95 / p99 / mean (option stat, default p50) of the duration of builds finished in range, in minutes. Short ranges are exact; ranges of 7 days or more read daily histograms (≤ 2 % relative error); the mean is always exact.',
    gridPos: {
      h: 5,
      w: 4,
      x: 8,
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
        metric: 'build_duration',
        format: 'time_series',
        interval: 'hour',
        stat: 'mean',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 7,
    type: 'stat',
    title: 'Deployments (latest hour)',
    description:
      'Deployments finished per hour, all environments. The big number is the latest hour, the sparkline the hours of the range. Deployments: Number of deployments finished in range, every environment and status.',
    gridPos: {
      h: 5,
      w: 4,
      x: 12,
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
        metric: 'deployments',
        format: 'time_series',
        interval: 'hour',
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
    type: 'stat',
    title: 'Deployments by outcome (latest hour)',
    description:
      'Deployments finished per hour by outcome (success green, failure red, rolled back orange): the share of green is the deploy success rate. The big number is the latest hour, the sparkline the hours of the range. Deployments: Number of deployments finished in range, every environment and status.',
    gridPos: {
      h: 5,
      w: 8,
      x: 16,
      y: 15,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
        color: textColor(),
      },
      overrides: colorOverrides({ success: 'green', failure: 'red', rolled_back: 'orange' }),
    },
    options: statOptions({ calcs: ['lastNotNull'], textMode: common.BigValueTextMode.ValueAndName }),
    targets: [
      metric('A', {
        metric: 'deployments',
        format: 'time_series',
        interval: 'hour',
        groupBy: 'status',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
          environment: ['$environment'],
        },
      }),
    ],
  },
  {
    id: 9,
    type: 'timeseries',
    title: 'Build success rate',
    description:
      "Build success rate per tech stack over the range, with deployments and incidents as annotations; the dashed line is the 90 % target; coloured dots mark anomalous hours (yellow low, orange medium, red high). Build success rate: Successful builds ÷ (successful + failed builds) × 100 of builds finished in range; cancelled builds are excluded. Anomalies: Points of a base metric's series (at the query's interval; unfinished intervals excluded) outside the rolling median ± k × MAD of the 7 points before each point; k is the sensitivity (default 3). Expected = that median. Severity by the distance in MADs: low up to 1.5 k, medium up to 2 k, high beyond. Table: time, expected, actual, deviation, MADs and severity of each anomalous point (with the group-by column). Time series: severity_score per evaluated point (0 normal, 1 low, 2 medium, 3 high) per label set, for alert rules. Also served as annotations. Look-back: the base series is read from 21 intervals before the range start (bounded: that many intervals, never more), so the first points of a short range (a 6 h or 24 h panel at interval hour) are judged against the intervals just before it; points before the range start are never answered.",
    gridPos: {
      h: 9,
      w: 12,
      x: 0,
      y: 20,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        custom: {
          ...lineStyle({ showPoints: common.VisibilityMode.Never }),
          axisSoftMin: 0,
          thresholdsStyle: {
            mode: common.GraphThresholdsStyleMode.Dashed,
          },
        } satisfies DeepPartial<timeseries.FieldConfig>,
        unit: 'percent',
        decimals: 1,
        max: 100,
        thresholds: thresholds('red', ['green', 90]),
      },
      overrides: [
        {
          matcher: {
            id: 'byFrameRefID',
            options: 'B',
          },
          properties: [
            {
              id: 'displayName',
              value: 'Anomaly (all stacks)',
            },
            {
              id: 'unit',
              value: 'none',
            },
            {
              id: 'min',
              value: 0,
            },
            {
              id: 'max',
              value: 3,
            },
            {
              id: 'decimals',
              value: 0,
            },
            {
              id: 'custom.axisPlacement',
              value: 'hidden',
            },
            {
              id: 'custom.drawStyle',
              value: 'points',
            },
            {
              id: 'custom.pointSize',
              value: 12,
            },
            {
              id: 'color',
              value: {
                mode: 'thresholds',
              },
            },
            {
              id: 'thresholds',
              value: thresholds('transparent', ['yellow', 1], ['orange', 2], ['red', 3]),
            },
            {
              id: 'mappings',
              value: [
                {
                  type: 'value',
                  options: {
                    '0': {
                      text: 'normal',
                      index: 0,
                    },
                    '1': {
                      text: 'low',
                      index: 1,
                    },
                    '2': {
                      text: 'medium',
                      index: 2,
                    },
                    '3': {
                      text: 'high',
                      index: 3,
                    },
                  },
                },
              ],
            },
            hideFromLegend(),
          ],
        },
      ],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'build_success_rate',
        format: 'time_series',
        interval: 'auto',
        groupBy: 'tech_stack',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
      metric('B', {
        metric: 'anomalies',
        format: 'time_series',
        interval: 'hour',
        baseMetric: 'build_success_rate',
        sensitivity: 3,
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 10,
    type: 'timeseries',
    title: 'p95 build duration',
    description:
      '95th percentile of build duration per tech stack, in minutes, with deployments and incidents as annotations. Build duration: p50 / p95 / p99 / mean (option stat, default p50) of the duration of builds finished in range, in minutes. Short ranges are exact; ranges of 7 days or more read daily histograms (≤ 2 % relative error); the mean is always exact.',
    gridPos: {
      h: 9,
      w: 12,
      x: 12,
      y: 20,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        custom: {
          ...lineStyle({ showPoints: common.VisibilityMode.Never }),
          axisSoftMin: 0,
        } satisfies DeepPartial<timeseries.FieldConfig>,
        unit: 'm',
        decimals: 1,
      },
      overrides: [],
    },
    options: timeseriesOptions(),
    targets: [
      metric('A', {
        metric: 'build_duration',
        format: 'time_series',
        interval: 'auto',
        stat: 'p95',
        groupBy: 'tech_stack',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
];
