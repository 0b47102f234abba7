import * as common from '@grafana/grafana-foundation-sdk/common';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { DeepPartial, DS, metric, platformLensDashboard } from './common';

/** PlatformLens — Delivery: Drill-down of the executive dashboard: DORA metrics and CI/CD pipelines per tech stack and team. */
export const delivery = platformLensDashboard({
  uid: 'platformlens-delivery',
  title: 'PlatformLens — Delivery',
  description: 'Drill-down of the executive dashboard: DORA metrics and CI/CD pipelines per tech stack and team.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  panels: [
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
        overrides: [
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(success)$/',
            },
            properties: [
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'green',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(failure)$/',
            },
            properties: [
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'red',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(cancelled)$/',
            },
            properties: [
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'gray',
                },
              },
            ],
          },
        ],
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
          custom: {
            drawStyle: common.GraphDrawStyle.Line,
            lineWidth: 2,
            fillOpacity: 10,
            showPoints: common.VisibilityMode.Auto,
            spanNulls: true,
          } satisfies DeepPartial<timeseries.FieldConfig>,
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
        "Change failure rate per team over the range, with the previous period and the change. Change failure rate: Failed production deployments ÷ production deployments finished in range × 100. A deployment failed when it is marked change_failed, was rolled back, or an incident is attributed to it: the incident's caused_by_deployment, else the latest successful production deployment of the same service finished before the incident opened, within the attribution window (setting incident_attribution_window_hours, default 24). Each deployment counts once however many incidents it caused.",
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
        },
        overrides: [],
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
        sortBy: [
          {
            displayName: 'Change failure rate',
            desc: true,
          },
        ],
      } satisfies DeepPartial<table.Options>,
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
        'Builds, deployments, efficiency and mean build / deploy times per tech stack. Throughput: Per tech stack, over the range: builds, deployments, efficiency = successful deployments ÷ successful builds × 100, mean build minutes, mean deploy minutes, developer_count (teams valid at the end of the range). A second frame of highlights: highest efficiency, highest throughput (most deployments), fastest build and fastest deploy (lowest mean minutes); ties go to the first stack by name.',
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
        },
        overrides: [],
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
  ],
});
