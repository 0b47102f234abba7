import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { DeepPartial, DS, listLegend, matchNames, metric, statOptions, tableOptions, thresholds } from '../common';

/** PlatformLens — Funnels, panels 1–4 (Subjects per step … Steps). */
export const top: dashboard.Panel[] = [
  {
    id: 1,
    type: 'barchart',
    title: 'Subjects per step',
    description:
      "Subjects (users, teams, services) that reached each step of the selected funnel in order within its conversion window; the gap between bars is the drop-off. Funnel steps: Per step of the funnel: subjects that reached it, conversion from the previous step and from the first step (%), drop-off from the previous step (%) and the median hours from the previous step. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once. With a breakdown property key, one set of rows per value of that property on the subject's entry event ('(none)' when missing; the 25 largest values).",
    gridPos: {
      h: 9,
      w: 16,
      x: 0,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 0,
        color: {
          mode: dashboard.FieldColorModeId.Fixed,
          fixedColor: 'blue',
        },
      },
      overrides: [],
    },
    options: {
      orientation: common.VizOrientation.Horizontal,
      showValue: common.VisibilityMode.Always,
      stacking: common.StackingMode.None,
      groupWidth: 0.7,
      barWidth: 0.8,
      legend: listLegend(false),
      tooltip: {
        mode: common.TooltipDisplayMode.Single,
        sort: common.SortOrder.None,
      },
      xTickLabelRotation: 0,
    } satisfies DeepPartial<barchart.Options>,
    transformations: [
      {
        id: 'filterFieldsByName',
        options: {
          include: {
            pattern: '^(step_name|subjects|Step name|Subjects)$',
          },
        },
      },
    ],
    targets: [
      metric('A', {
        metric: 'funnel_steps',
        format: 'table',
        interval: 'auto',
        funnel: '$funnel',
      }),
    ],
  },
  {
    id: 2,
    type: 'stat',
    title: 'Overall conversion',
    description:
      "Share of subjects entering the funnel in the range that reached its last step, next to the previous period. Funnel conversion: Share of the subjects entering the funnel in an interval (by the time of their first step-1 event) that reached the last step. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once.",
    gridPos: {
      h: 9,
      w: 4,
      x: 16,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'percent',
        decimals: 1,
      },
      overrides: [],
    },
    options: statOptions({
      calcs: ['lastNotNull'],
      fields: '/^Funnel conversion/',
      graphMode: common.BigValueGraphMode.None,
      textMode: common.BigValueTextMode.ValueAndName,
      orientation: common.VizOrientation.Vertical,
    }),
    targets: [
      metric('A', {
        metric: 'funnel_conversion',
        format: 'table',
        interval: 'auto',
        compare: 'previous',
        funnel: '$funnel',
      }),
    ],
  },
  {
    id: 3,
    type: 'stat',
    title: 'Time to convert',
    description:
      "Median time from the first to the last step of the subjects that converted. Funnel time to convert: Median hours from the first step to the last step of the subjects that converted, by the interval they entered in. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once.",
    gridPos: {
      h: 9,
      w: 4,
      x: 20,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        unit: 'h',
        decimals: 1,
      },
      overrides: [],
    },
    options: statOptions({ calcs: ['lastNotNull'], graphMode: common.BigValueGraphMode.None }),
    targets: [
      metric('A', {
        metric: 'funnel_time_to_convert',
        format: 'table',
        interval: 'auto',
        funnel: '$funnel',
      }),
    ],
  },
  {
    id: 4,
    type: 'table',
    title: 'Steps',
    description:
      "Every step of the selected funnel: subjects, conversion from the previous and from the first step, drop-off and the median time from the previous step. Funnel steps: Per step of the funnel: subjects that reached it, conversion from the previous step and from the first step (%), drop-off from the previous step (%) and the median hours from the previous step. Ordered steps (other events may come between), each after the previous, all within the funnel's conversion window from the subject's first step-1 event in range (a repeated step-1 event does not restart the window); each subject counts once. With a breakdown property key, one set of rows per value of that property on the subject's entry event ('(none)' when missing; the 25 largest values).",
    gridPos: {
      h: 8,
      w: 24,
      x: 0,
      y: 9,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [
        {
          matcher: matchNames('drop_off|Drop-off'),
          properties: [
            {
              id: 'custom.cellOptions',
              value: {
                type: 'color-text',
              },
            },
            {
              id: 'color',
              value: {
                mode: 'thresholds',
              },
            },
            {
              id: 'thresholds',
              value: thresholds('green', ['yellow', 30], ['red', 60]),
            },
          ],
        },
      ],
    },
    options: tableOptions(),
    targets: [
      metric('A', {
        metric: 'funnel_steps',
        format: 'table',
        interval: 'auto',
        funnel: '$funnel',
      }),
    ],
  },
];
