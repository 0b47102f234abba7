import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { DS, lineStyle, metric, tableOptions, timeseriesOptions } from '../common';

/** PlatformLens — Funnels, panels 5–7 (Conversion over time … Breakdown by tech stack). */
export const bottom: dashboard.Panel[] = [
  {
    id: 5,
    type: 'timeseries',
    title: 'Conversion over time',
    description:
      "Overall conversion of the subjects that entered the funnel in each week. Funnel conversion: Share of the subjects entering the funnel in an interval (by the time of their first step-1 event) that reached the last step. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once.",
    gridPos: {
      h: 8,
      w: 12,
      x: 0,
      y: 17,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'percent',
        decimals: 1,
        min: 0,
        max: 100,
        custom: lineStyle({ showPoints: common.VisibilityMode.Always }),
      },
      overrides: [],
    },
    options: timeseriesOptions(common.SortOrder.None),
    targets: [
      metric('A', {
        metric: 'funnel_conversion',
        format: 'time_series',
        interval: 'week',
        funnel: '$funnel',
      }),
    ],
  },
  {
    id: 6,
    type: 'timeseries',
    title: 'Time to convert over time',
    description:
      "Median first-to-last-step time of the subjects that entered in each week and converted. Funnel time to convert: Median hours from the first step to the last step of the subjects that converted, by the interval they entered in. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once.",
    gridPos: {
      h: 8,
      w: 12,
      x: 12,
      y: 17,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'h',
        decimals: 1,
        custom: lineStyle({ showPoints: common.VisibilityMode.Always }),
      },
      overrides: [],
    },
    options: timeseriesOptions(common.SortOrder.None),
    targets: [
      metric('A', {
        metric: 'funnel_time_to_convert',
        format: 'time_series',
        interval: 'week',
        funnel: '$funnel',
      }),
    ],
  },
  {
    id: 7,
    type: 'table',
    title: 'Breakdown by tech stack',
    description:
      "The funnel steps per value of the entry event's tech_stack property (\"(none)\" for funnels whose events do not carry it). Funnel steps: Per step of the funnel: subjects that reached it, conversion from the previous step and from the first step (%), drop-off from the previous step (%) and the median hours from the previous step. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once. With a breakdown property key, one set of rows per value of that property on the subject's entry event ('(none)' when missing; the 25 largest values).",
    gridPos: {
      h: 9,
      w: 24,
      x: 0,
      y: 25,
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
        metric: 'funnel_steps',
        format: 'table',
        interval: 'auto',
        breakdown: 'tech_stack',
        funnel: '$funnel',
      }),
    ],
  },
];
