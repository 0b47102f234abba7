import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { DeepPartial, DS, metric, platformLensDashboard, query } from './common';

/** PlatformLens — Operations: Wall screen: platform status, the latest hour of builds and deployments, incidents, environments and budget. */
export const operations = platformLensDashboard({
  uid: 'platformlens-operations',
  title: 'PlatformLens — Operations',
  description:
    'Wall screen: platform status, the latest hour of builds and deployments, incidents, environments and budget.',
  time: {
    from: 'now-24h',
    to: 'now',
  },
  refresh: '30s',
  extraAnnotations: [
    {
      name: 'Build success anomalies',
      enable: true,
      hide: false,
      iconColor: 'orange',
      datasource: DS,
      target: query({
        refId: 'Anno',
        queryType: 'annotations',
        kind: 'anomalies',
        baseMetric: 'build_success_rate',
        interval: 'hour',
        sensitivity: 3,
        filters: {
          tech_stack: ['$tech_stack'],
          team: ['$team'],
        },
      }),
    },
  ],
  panels: [
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
        overrides: [
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(status|Status)$/',
            },
            properties: [
              {
                id: 'mappings',
                value: [
                  {
                    type: 'value',
                    options: {
                      operational: {
                        color: 'green',
                        index: 0,
                      },
                      degraded: {
                        color: 'yellow',
                        index: 1,
                      },
                      down: {
                        color: 'red',
                        index: 2,
                      },
                      unknown: {
                        color: 'text',
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
          color: {
            mode: dashboard.FieldColorModeId.Fixed,
            fixedColor: 'text',
          },
        },
        overrides: [
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(operational|Operational)$/',
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
              options: '/^(degraded|Degraded)$/',
            },
            properties: [
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'yellow',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(down|Down)$/',
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
        ],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '/^(operational|degraded|down|average_uptime|Operational|Degraded|Down|Average uptime)$/',
          values: false,
        },
        graphMode: common.BigValueGraphMode.None,
        colorMode: common.BigValueColorMode.Background,
        justifyMode: common.BigValueJustifyMode.Auto,
        textMode: common.BigValueTextMode.ValueAndName,
        orientation: common.VizOrientation.Auto,
        showPercentChange: false,
        wideLayout: true,
      } satisfies DeepPartial<stat.Options>,
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
          color: {
            mode: dashboard.FieldColorModeId.Thresholds,
          },
          thresholds: {
            mode: dashboard.ThresholdsMode.Absolute,
            steps: [
              {
                color: 'red',
                value: null,
              },
              {
                color: 'yellow',
                value: 90,
              },
              {
                color: 'green',
                value: 99,
              },
            ],
          },
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
        legend: {
          displayMode: common.LegendDisplayMode.List,
          placement: common.LegendPlacement.Bottom,
          showLegend: true,
        },
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
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
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
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
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
          interval: 'hour',
          filters: {
            tech_stack: ['$tech_stack'],
            team: ['$team'],
          },
        }),
      ],
    },
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
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
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
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
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
          color: {
            mode: dashboard.FieldColorModeId.Fixed,
            fixedColor: 'text',
          },
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
              options: '/^(rolled_back)$/',
            },
            properties: [
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'orange',
                },
              },
            ],
          },
        ],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '',
          values: false,
        },
        graphMode: common.BigValueGraphMode.Area,
        colorMode: common.BigValueColorMode.Value,
        justifyMode: common.BigValueJustifyMode.Auto,
        textMode: common.BigValueTextMode.ValueAndName,
        orientation: common.VizOrientation.Auto,
        showPercentChange: false,
        wideLayout: true,
      } satisfies DeepPartial<stat.Options>,
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
        "Build success rate per tech stack over the range, with deployments and incidents as annotations; the dashed line is the 90 % target; coloured dots mark anomalous hours (yellow low, orange medium, red high). Build success rate: Successful builds ÷ (successful + failed builds) × 100 of builds finished in range; cancelled builds are excluded. Anomalies: Points of a base metric's series (at the query's interval; unfinished intervals excluded) outside the rolling median ± k × MAD of the 7 points before each point; k is the sensitivity (default 3). Expected = that median. Severity by the distance in MADs: low up to 1.5 k, medium up to 2 k, high beyond. Table: time, expected, actual, deviation, MADs and severity of each anomalous point (with the group-by column). Time series: severity_score per evaluated point (0 normal, 1 low, 2 medium, 3 high) per label set, for alert rules. Also served as annotations.",
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
            drawStyle: common.GraphDrawStyle.Line,
            lineWidth: 2,
            fillOpacity: 10,
            showPoints: common.VisibilityMode.Never,
            spanNulls: true,
            axisSoftMin: 0,
            thresholdsStyle: {
              mode: common.GraphThresholdsStyleMode.Dashed,
            },
          } satisfies DeepPartial<timeseries.FieldConfig>,
          unit: 'percent',
          decimals: 1,
          max: 100,
          thresholds: {
            mode: dashboard.ThresholdsMode.Absolute,
            steps: [
              {
                color: 'red',
                value: null,
              },
              {
                color: 'green',
                value: 90,
              },
            ],
          },
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
                value: {
                  mode: 'absolute',
                  steps: [
                    {
                      color: 'transparent',
                      value: null,
                    },
                    {
                      color: 'yellow',
                      value: 1,
                    },
                    {
                      color: 'orange',
                      value: 2,
                    },
                    {
                      color: 'red',
                      value: 3,
                    },
                  ],
                },
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
              {
                id: 'custom.hideFrom',
                value: {
                  legend: true,
                  tooltip: false,
                  viz: false,
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
            drawStyle: common.GraphDrawStyle.Line,
            lineWidth: 2,
            fillOpacity: 10,
            showPoints: common.VisibilityMode.Never,
            spanNulls: true,
            axisSoftMin: 0,
          } satisfies DeepPartial<timeseries.FieldConfig>,
          unit: 'm',
          decimals: 1,
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
          color: {
            mode: dashboard.FieldColorModeId.Fixed,
            fixedColor: 'text',
          },
        },
        overrides: [
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(p1)$/',
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
              options: '/^(p2)$/',
            },
            properties: [
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'yellow',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(p3)$/',
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
        ],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '',
          values: false,
        },
        graphMode: common.BigValueGraphMode.Area,
        colorMode: common.BigValueColorMode.Background,
        justifyMode: common.BigValueJustifyMode.Auto,
        textMode: common.BigValueTextMode.ValueAndName,
        orientation: common.VizOrientation.Auto,
        showPercentChange: false,
        wideLayout: true,
      } satisfies DeepPartial<stat.Options>,
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
        overrides: [
          {
            matcher: {
              id: 'byRegexp',
              options: '/^(status|Status)$/',
            },
            properties: [
              {
                id: 'mappings',
                value: [
                  {
                    type: 'value',
                    options: {
                      operational: {
                        color: 'green',
                        index: 0,
                      },
                      degraded: {
                        color: 'yellow',
                        index: 1,
                      },
                      down: {
                        color: 'red',
                        index: 2,
                      },
                      unknown: {
                        color: 'text',
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
          color: {
            mode: dashboard.FieldColorModeId.Thresholds,
          },
          thresholds: {
            mode: dashboard.ThresholdsMode.Absolute,
            steps: [
              {
                color: 'green',
                value: null,
              },
              {
                color: 'yellow',
                value: 90,
              },
              {
                color: 'red',
                value: 100,
              },
            ],
          },
        },
        overrides: [],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '',
          values: false,
        },
        showThresholdLabels: false,
        showThresholdMarkers: true,
      } satisfies DeepPartial<gauge.Options>,
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
      options: {
        reduceOptions: {
          calcs: ['sum'],
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
  ],
});
