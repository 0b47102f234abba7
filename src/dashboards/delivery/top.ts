import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { DeepPartial, DS, metric } from '../common';

/** PlatformLens — Delivery, panels 1–6 (Deployment frequency … Deployment frequency per tech stack). */
export const top: dashboard.Panel[] = [
  {
    id: 1,
    type: 'stat',
    title: 'Deployment frequency',
    description:
      'Successful production deployments per day, averaged over the range. The second value is the period of equal length before the range. Deployment frequency: Successful production deployments ÷ days in range (per bucket: ÷ days of the bucket inside the range).',
    gridPos: {
      h: 5,
      w: 6,
      x: 0,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 2,
      },
      overrides: [],
    },
    options: {
      reduceOptions: {
        calcs: ['mean'],
        fields: '',
        values: false,
      },
      graphMode: common.BigValueGraphMode.Area,
      colorMode: common.BigValueColorMode.Value,
      justifyMode: common.BigValueJustifyMode.Auto,
      textMode: common.BigValueTextMode.Auto,
      orientation: common.VizOrientation.Auto,
      showPercentChange: false,
      wideLayout: true,
    } satisfies DeepPartial<stat.Options>,
    targets: [
      metric('A', {
        metric: 'deployment_frequency',
        format: 'time_series',
        interval: 'day',
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
    id: 2,
    type: 'stat',
    title: 'Lead time for changes',
    description:
      'Median hours from first commit to production, per week, averaged over the range. The second value is the period of equal length before the range. Lead time for changes: Median (finished_at − first_commit_at) in hours of successful production deployments finished in range (DORA lead time for changes).',
    gridPos: {
      h: 5,
      w: 6,
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
    options: {
      reduceOptions: {
        calcs: ['mean'],
        fields: '',
        values: false,
      },
      graphMode: common.BigValueGraphMode.Area,
      colorMode: common.BigValueColorMode.Value,
      justifyMode: common.BigValueJustifyMode.Auto,
      textMode: common.BigValueTextMode.Auto,
      orientation: common.VizOrientation.Auto,
      showPercentChange: false,
      wideLayout: true,
    } satisfies DeepPartial<stat.Options>,
    targets: [
      metric('A', {
        metric: 'lead_time',
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
    id: 3,
    type: 'stat',
    title: 'Change failure rate',
    description:
      "Share of production deployments that failed, per week, averaged over the range. The second value is the period of equal length before the range. Change failure rate: Failed production deployments ÷ production deployments finished in range × 100. A deployment failed when it is marked change_failed, was rolled back, or an incident is attributed to it: the incident's caused_by_deployment, else the latest successful production deployment of the same service finished before the incident opened, within the attribution window (setting incident_attribution_window_hours, default 24). Each deployment counts once however many incidents it caused.",
    gridPos: {
      h: 5,
      w: 6,
      x: 12,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [],
    },
    options: {
      reduceOptions: {
        calcs: ['mean'],
        fields: '',
        values: false,
      },
      graphMode: common.BigValueGraphMode.Area,
      colorMode: common.BigValueColorMode.Value,
      justifyMode: common.BigValueJustifyMode.Auto,
      textMode: common.BigValueTextMode.Auto,
      orientation: common.VizOrientation.Auto,
      showPercentChange: false,
      wideLayout: true,
    } satisfies DeepPartial<stat.Options>,
    targets: [
      metric('A', {
        metric: 'change_failure_rate',
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
    id: 4,
    type: 'stat',
    title: 'Build success rate',
    description:
      'Successful ÷ (successful + failed) builds per day, averaged over the range. The second value is the period of equal length before the range. Build success rate: Successful builds ÷ (successful + failed builds) × 100 of builds finished in range; cancelled builds are excluded.',
    gridPos: {
      h: 5,
      w: 6,
      x: 18,
      y: 0,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        decimals: 1,
      },
      overrides: [],
    },
    options: {
      reduceOptions: {
        calcs: ['mean'],
        fields: '',
        values: false,
      },
      graphMode: common.BigValueGraphMode.Area,
      colorMode: common.BigValueColorMode.Value,
      justifyMode: common.BigValueJustifyMode.Auto,
      textMode: common.BigValueTextMode.Auto,
      orientation: common.VizOrientation.Auto,
      showPercentChange: false,
      wideLayout: true,
    } satisfies DeepPartial<stat.Options>,
    targets: [
      metric('A', {
        metric: 'build_success_rate',
        format: 'time_series',
        interval: 'day',
        compare: 'previous',
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    ],
  },
  {
    id: 5,
    type: 'table',
    title: 'DORA summary per tech stack',
    description:
      'The four DORA key metrics over the range for the selected stacks and teams, with their band. DORA summary: The four DORA metrics over the range with their band: deployment_frequency (days/week), lead_time (h), change_failure_rate (%), recovery_time (h). Bands (hours for times): deployment_frequency (median days per week with a successful production deployment): ≥ 5 elite, ≥ 1 high, median days per month ≥ 1 medium, else low; lead_time: < 24 elite, < 168 high, < 720 medium, else low; change_failure_rate: ≤ 5 elite, ≤ 10 high, ≤ 15 medium, else low; recovery_time: < 1 elite, < 24 high, < 168 medium, else low.',
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
      },
      overrides: [
        {
          matcher: {
            id: 'byRegexp',
            options: '/^(band|Band)$/',
          },
          properties: [
            {
              id: 'mappings',
              value: [
                {
                  type: 'value',
                  options: {
                    elite: {
                      color: 'green',
                      index: 0,
                    },
                    high: {
                      color: 'blue',
                      index: 1,
                    },
                    medium: {
                      color: 'yellow',
                      index: 2,
                    },
                    low: {
                      color: 'red',
                      index: 3,
                    },
                  },
                },
              ],
            },
            {
              id: 'custom.cellOptions',
              value: {
                type: 'color-background',
              },
            },
          ],
        },
      ],
    },
    options: {
      showHeader: true,
      cellHeight: common.TableCellHeight.Sm,
      footer: {
        show: false,
        reducer: ['sum'],
        countRows: false,
        fields: [],
      },
    } satisfies DeepPartial<table.Options>,
    targets: [
      metric('A', {
        metric: 'dora_summary',
        format: 'table',
        interval: 'auto',
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
        custom: {
          drawStyle: common.GraphDrawStyle.Line,
          lineWidth: 2,
          fillOpacity: 10,
          showPoints: common.VisibilityMode.Auto,
          spanNulls: true,
        } satisfies DeepPartial<timeseries.FieldConfig>,
      },
      overrides: [],
    },
    options: {
      legend: {
        displayMode: common.LegendDisplayMode.List,
        placement: common.LegendPlacement.Bottom,
        showLegend: true,
      },
      tooltip: {
        mode: common.TooltipDisplayMode.Multi,
        sort: common.SortOrder.Descending,
      },
    } satisfies DeepPartial<timeseries.Options>,
    targets: [
      metric('A', {
        metric: 'deployment_frequency',
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
];
