import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

import { DeepPartial, DS, metric, panelLink, platformLensDashboard } from './common';

/** PlatformLens — Executive: Weekly review: platform health, delivery, developer experience, cost and revenue impact. */
export const executive = platformLensDashboard({
  uid: 'platformlens-executive',
  title: 'PlatformLens — Executive',
  description: 'Weekly review: platform health, delivery, developer experience, cost and revenue impact.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  panels: [
    {
      id: 1,
      type: 'stat',
      title: 'Platform health',
      description:
        'Average daily uptime of all platforms over the range (first value) next to the period of equal length before it (second value); the colour follows the uptime target. Uptime: Platform uptime over all platforms: probes not down ÷ all probes × 100.',
      gridPos: {
        h: 5,
        w: 3,
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
      title: 'Pipeline availability',
      description:
        'Average daily availability of the CI/CD platforms against the 99 % target, with the previous period for comparison. Pipeline availability: Platform uptime over the platforms marked is_pipeline: probes not down ÷ all probes × 100.',
      gridPos: {
        h: 5,
        w: 3,
        x: 3,
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
          metric: 'pipeline_availability',
          format: 'time_series',
          interval: 'day',
          compare: 'previous',
        }),
      ],
    },
    {
      id: 3,
      type: 'stat',
      title: 'DX score',
      description:
        'Developer experience score (0–100) of the pulse-survey answers in the range; the second value is the period before. Developer experience score: Mean dx_score of the survey responses submitted in range; per tech stack when grouped.',
      gridPos: {
        h: 5,
        w: 3,
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
          metric: 'dx_score',
          format: 'time_series',
          interval: 'week',
          compare: 'previous',
          filters: {
            tech_stack: ['$tech_stack'],
            team: ['$team'],
          },
        }),
      ],
    },
    {
      id: 4,
      type: 'stat',
      title: 'Deployments per week',
      description:
        'Mean number of deployments per calendar week in the range (all environments and statuses), and the same for the previous period. Deployments: Number of deployments finished in range, every environment and status.',
      gridPos: {
        h: 5,
        w: 3,
        x: 9,
        y: 0,
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
          metric: 'deployments',
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
      id: 5,
      type: 'stat',
      title: 'Revenue impact',
      description:
        'Total revenue of the last 12 months (revenue is monthly, so this panel always covers a year), with the 12 months before when recorded. Revenue: Σ amount of the months starting in range (by product line when grouped).',
      gridPos: {
        h: 5,
        w: 3,
        x: 12,
        y: 0,
      },
      datasource: DS,
      timeFrom: '1y',
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
          metric: 'revenue',
          format: 'time_series',
          interval: 'month',
          compare: 'previous',
        }),
      ],
    },
    {
      id: 6,
      type: 'stat',
      title: 'Deploy velocity change (YoY)',
      description:
        'Deployments in the selected range against the same range one year earlier, in percent (positive: shipping more often than a year ago). Deploy velocity change: Deployments in range vs the same range one year earlier: (current − year before) ÷ year before × 100.',
      gridPos: {
        h: 5,
        w: 3,
        x: 15,
        y: 0,
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
                value: -5,
              },
              {
                color: 'green',
                value: 0,
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
        graphMode: common.BigValueGraphMode.None,
        colorMode: common.BigValueColorMode.Value,
        justifyMode: common.BigValueJustifyMode.Auto,
        textMode: common.BigValueTextMode.Auto,
        orientation: common.VizOrientation.Auto,
        showPercentChange: false,
        wideLayout: true,
      } satisfies DeepPartial<stat.Options>,
      targets: [
        metric('A', {
          metric: 'deploy_velocity_change',
          format: 'table',
          interval: 'auto',
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
      type: 'stat',
      title: 'Cost per deploy',
      description:
        'Mean weekly cost per successful deployment (tool spend spread over the deployments it enabled), with the previous period. Cost per deployment: Monthly OpEx × (days in range ÷ 30.44) ÷ successful deployments in range (any environment).',
      gridPos: {
        h: 5,
        w: 3,
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
          interval: 'week',
          compare: 'previous',
        }),
      ],
    },
    {
      id: 8,
      type: 'stat',
      title: 'License utilization',
      description:
        "Share of paid seats in active use at the end of the range, with the previous period. License utilization: Σ seats_active ÷ Σ seats_total × 100 over each platform's latest license snapshot in range.",
      gridPos: {
        h: 5,
        w: 3,
        x: 21,
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
          metric: 'license_utilization',
          format: 'time_series',
          interval: 'day',
          compare: 'previous',
        }),
      ],
    },
    {
      id: 9,
      type: 'bargauge',
      title: 'SEQ scores',
      description:
        'Stability, efficiency and quality scores (0–100) over the range: each component compared with its target from the Configuration page. Stability score: Components: uptime, mtbf, mttr. Each component is scored min(100, 100 × actual ÷ target) when higher is better, min(100, 100 × target ÷ actual) when lower is better (an actual of 0 scores 100), with targets from the targets table; the score is the mean of the components that have data (missing ones are named in a notice). A second frame lists the components. Efficiency score: Components: lead_time, cycle_time, deployment_frequency, change_failure_rate. Each component is scored min(100, 100 × actual ÷ target) when higher is better, min(100, 100 × target ÷ actual) when lower is better (an actual of 0 scores 100), with targets from the targets table; the score is the mean of the components that have data (missing ones are named in a notice). A second frame lists the components. Quality score: Components: build_success_rate, test_coverage, critical_bugs_open. Each component is scored min(100, 100 × actual ÷ target) when higher is better, min(100, 100 × target ÷ actual) when lower is better (an actual of 0 scores 100), with targets from the targets table; the score is the mean of the components that have data (missing ones are named in a notice). A second frame lists the components.',
      gridPos: {
        h: 7,
        w: 10,
        x: 0,
        y: 5,
      },
      datasource: DS,
      fieldConfig: {
        defaults: {
          min: 0,
          max: 100,
          decimals: 0,
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
                value: 60,
              },
              {
                color: 'green',
                value: 80,
              },
            ],
          },
        },
        overrides: [],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '/^(Stability score|Efficiency score|Quality score)$/',
          values: false,
        },
        orientation: common.VizOrientation.Horizontal,
        displayMode: common.BarGaugeDisplayMode.Gradient,
        showUnfilled: true,
        valueMode: common.BarGaugeValueMode.Color,
        namePlacement: common.BarGaugeNamePlacement.Auto,
        sizing: common.BarGaugeSizing.Auto,
        minVizHeight: 16,
        minVizWidth: 8,
        maxVizHeight: 300,
      } satisfies DeepPartial<bargauge.Options>,
      targets: [
        metric('A', {
          metric: 'stability_score',
          format: 'table',
          interval: 'auto',
        }),
        metric('B', {
          metric: 'efficiency_score',
          format: 'table',
          interval: 'auto',
        }),
        metric('C', {
          metric: 'quality_score',
          format: 'table',
          interval: 'auto',
        }),
      ],
    },
    {
      id: 10,
      type: 'gauge',
      title: 'SEQ score',
      description:
        'Composite stability-efficiency-quality score (0–100). SEQ score: Mean of stability_score, efficiency_score and quality_score (categories without data are left out). Each component is scored min(100, 100 × actual ÷ target) when higher is better, min(100, 100 × target ÷ actual) when lower is better (an actual of 0 scores 100), with targets from the targets table; the score is the mean of the components that have data (missing ones are named in a notice). A second frame lists the components.',
      gridPos: {
        h: 7,
        w: 4,
        x: 10,
        y: 5,
      },
      datasource: DS,
      fieldConfig: {
        defaults: {
          min: 0,
          max: 100,
          decimals: 0,
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
                value: 60,
              },
              {
                color: 'green',
                value: 80,
              },
            ],
          },
        },
        overrides: [],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '/^SEQ score$/',
          values: false,
        },
        showThresholdLabels: false,
        showThresholdMarkers: true,
      } satisfies DeepPartial<gauge.Options>,
      targets: [
        metric('A', {
          metric: 'seq_score',
          format: 'table',
          interval: 'auto',
        }),
      ],
    },
    {
      id: 11,
      type: 'table',
      title: 'DORA summary',
      description:
        'The four DORA key metrics over the range with their performance band (elite, high, medium, low). DORA summary: The four DORA metrics over the range with their band: deployment_frequency (days/week), lead_time (h), change_failure_rate (%), recovery_time (h). Bands (hours for times): deployment_frequency (median days per week with a successful production deployment): ≥ 5 elite, ≥ 1 high, median days per month ≥ 1 medium, else low; lead_time: < 24 elite, < 168 high, < 720 medium, else low; change_failure_rate: ≤ 5 elite, ≤ 10 high, ≤ 15 medium, else low; recovery_time: < 1 elite, < 24 high, < 168 medium, else low.',
      gridPos: {
        h: 7,
        w: 10,
        x: 14,
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
      links: [panelLink('Delivery drill-down', '/d/platformlens-delivery?${__url_time_range}&${__all_variables}')],
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
      id: 12,
      type: 'barchart',
      title: 'Throughput per tech stack',
      description:
        'Builds and deployments finished in the range, per tech stack. Throughput: Per tech stack, over the range: builds, deployments, efficiency = successful deployments ÷ successful builds × 100, mean build minutes, mean deploy minutes, developer_count (teams valid at the end of the range). A second frame of highlights: highest efficiency, highest throughput (most deployments), fastest build and fastest deploy (lowest mean minutes); ties go to the first stack by name.',
      gridPos: {
        h: 9,
        w: 12,
        x: 0,
        y: 12,
      },
      datasource: DS,
      fieldConfig: {
        defaults: {},
        overrides: [],
      },
      options: {
        orientation: common.VizOrientation.Auto,
        showValue: common.VisibilityMode.Auto,
        stacking: common.StackingMode.None,
        groupWidth: 0.7,
        barWidth: 0.9,
        legend: {
          displayMode: common.LegendDisplayMode.List,
          placement: common.LegendPlacement.Bottom,
          showLegend: true,
        },
        tooltip: {
          mode: common.TooltipDisplayMode.Multi,
          sort: common.SortOrder.None,
        },
        xTickLabelRotation: 0,
      } satisfies DeepPartial<barchart.Options>,
      transformations: [
        {
          id: 'filterFieldsByName',
          options: {
            include: {
              pattern: '^(tech_stack|builds|deployments|Tech stack|Builds|Deployments)$',
            },
          },
        },
      ],
      links: [panelLink('Delivery drill-down', '/d/platformlens-delivery?${__url_time_range}&${__all_variables}')],
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
    {
      id: 13,
      type: 'piechart',
      title: 'Revenue by tech stack',
      description:
        "Revenue of the last 12 months attributed to tech stacks by their share of each product line's deployments (always a 12-month window: revenue is monthly). Revenue by tech stack: Each product line's revenue in range split across tech stacks by their share of its deployments in range, summed per tech stack; with developers (teams valid at the end of the range), deployments per month (30.44 days), revenue per developer and % of the total revenue in range (revenue of product lines without deployments stays unattributed, named in a notice).",
      gridPos: {
        h: 9,
        w: 12,
        x: 12,
        y: 12,
      },
      datasource: DS,
      timeFrom: '1y',
      fieldConfig: {
        defaults: {
          unit: 'currencyUSD',
          decimals: 0,
        },
        overrides: [],
      },
      options: {
        reduceOptions: {
          calcs: ['lastNotNull'],
          fields: '/^(revenue|Revenue)$/',
          values: true,
        },
        pieType: piechart.PieChartType.Donut,
        displayLabels: [piechart.PieChartLabels.Name, piechart.PieChartLabels.Percent],
        legend: {
          displayMode: common.LegendDisplayMode.Table,
          placement: common.LegendPlacement.Right,
          showLegend: true,
          values: [piechart.PieChartLegendValues.Value, piechart.PieChartLegendValues.Percent],
        },
        tooltip: {
          mode: common.TooltipDisplayMode.Single,
          sort: common.SortOrder.None,
        },
      } satisfies DeepPartial<piechart.Options>,
      targets: [
        metric('A', {
          metric: 'revenue_by_tech_stack',
          format: 'table',
          interval: 'auto',
        }),
      ],
    },
    {
      id: 14,
      type: 'table',
      title: 'Revenue by product line',
      description:
        'Revenue, deployments, year-over-year growth and team count per product line over the last 12 months (empty growth: no revenue recorded a year earlier). Revenue by product line: Per product line: revenue of the months in range, deployments in range, YoY growth % against the same range one year earlier (none without revenue then), and the number of its teams valid at the end of the range.',
      gridPos: {
        h: 8,
        w: 12,
        x: 0,
        y: 21,
      },
      datasource: DS,
      timeFrom: '1y',
      fieldConfig: {
        defaults: {},
        overrides: [],
      },
      options: {
        showHeader: true,
        cellHeight: common.TableCellHeight.Sm,
        footer: {
          show: true,
          reducer: ['sum'],
          countRows: false,
          fields: [],
        },
      } satisfies DeepPartial<table.Options>,
      targets: [
        metric('A', {
          metric: 'revenue_by_product_line',
          format: 'table',
          interval: 'auto',
        }),
      ],
    },
    {
      id: 15,
      type: 'stat',
      title: 'Active incidents by severity',
      description:
        'Incidents still open at the end of the range, per severity (P1 red, P2 yellow, P3 green); the sparkline shows the open count at the end of each day. Active incidents: Incidents opened and not resolved at the end of the range (time series: at the end of each bucket); by severity when grouped.',
      gridPos: {
        h: 8,
        w: 6,
        x: 12,
        y: 21,
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
      links: [
        panelLink('Reliability drill-down', '/d/platformlens-reliability?${__url_time_range}&${__all_variables}'),
      ],
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
    {
      id: 16,
      type: 'stat',
      title: 'Open change tickets',
      description:
        'Change tickets opened in the range that are not completed yet, by status (pending, in progress). Change tickets: Change tickets opened in range; by status or priority when grouped.',
      gridPos: {
        h: 8,
        w: 6,
        x: 18,
        y: 21,
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
          values: true,
        },
        graphMode: common.BigValueGraphMode.None,
        colorMode: common.BigValueColorMode.Value,
        justifyMode: common.BigValueJustifyMode.Auto,
        textMode: common.BigValueTextMode.ValueAndName,
        orientation: common.VizOrientation.Auto,
        showPercentChange: false,
        wideLayout: true,
      } satisfies DeepPartial<stat.Options>,
      targets: [
        metric('A', {
          metric: 'change_tickets',
          format: 'table',
          interval: 'auto',
          groupBy: 'status',
          filters: {
            status: ['pending', 'in_progress'],
            team: ['$team'],
          },
        }),
      ],
    },
    {
      id: 17,
      type: 'timeseries',
      title: 'Deployment frequency forecast (90 days)',
      description:
        "Successful production deployments per day, weekly, with a 90-day forecast and its 80 % / 95 % intervals. Forecast: Forecast of a base metric's daily series (weekly when the interval is week or month): Holt's linear trend, or additive Holt-Winters with a weekly season when the daily series covers at least two full weeks; smoothing parameters minimise the squared one-step errors over a 0.05 grid. Horizon 30, 60 or 90 days (default 30). 80 % and 95 % prediction intervals from the models' analytical error variance (ETS(A,A,N) / ETS(A,A,A)) with the root mean squared one-step error. The back-test MAPE refits on the first 80 % of the points and forecasts the last 20 %. Only complete intervals are used; fewer than 8 points gives no forecast. Time series: actual, forecast, lower_80, upper_80, lower_95, upper_95 per series; table: the model, parameters, MAPE and the forecast at the horizon's end.",
      gridPos: {
        h: 9,
        w: 24,
        x: 0,
        y: 29,
      },
      datasource: DS,
      timeFrom: '1y',
      fieldConfig: {
        defaults: {
          unit: 'none',
          decimals: 2,
          custom: {
            drawStyle: common.GraphDrawStyle.Line,
            lineWidth: 2,
            fillOpacity: 0,
            showPoints: common.VisibilityMode.Never,
            spanNulls: false,
          } satisfies DeepPartial<timeseries.FieldConfig>,
        },
        overrides: [
          {
            matcher: {
              id: 'byName',
              options: 'Deployment frequency (forecast)',
            },
            properties: [
              {
                id: 'custom.lineStyle',
                value: {
                  fill: 'dash',
                  dash: [10, 10],
                },
              },
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'blue',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byName',
              options: 'Deployment frequency (upper 95 %)',
            },
            properties: [
              {
                id: 'custom.fillBelowTo',
                value: 'Deployment frequency (lower 95 %)',
              },
              {
                id: 'custom.fillOpacity',
                value: 12,
              },
              {
                id: 'custom.lineWidth',
                value: 0,
              },
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'blue',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byName',
              options: 'Deployment frequency (lower 95 %)',
            },
            properties: [
              {
                id: 'custom.lineWidth',
                value: 0,
              },
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'blue',
                },
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
          {
            matcher: {
              id: 'byName',
              options: 'Deployment frequency (upper 80 %)',
            },
            properties: [
              {
                id: 'custom.fillBelowTo',
                value: 'Deployment frequency (lower 80 %)',
              },
              {
                id: 'custom.fillOpacity',
                value: 22,
              },
              {
                id: 'custom.lineWidth',
                value: 0,
              },
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'blue',
                },
              },
            ],
          },
          {
            matcher: {
              id: 'byName',
              options: 'Deployment frequency (lower 80 %)',
            },
            properties: [
              {
                id: 'custom.lineWidth',
                value: 0,
              },
              {
                id: 'color',
                value: {
                  mode: 'fixed',
                  fixedColor: 'blue',
                },
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
          sort: common.SortOrder.None,
        },
      } satisfies DeepPartial<timeseries.Options>,
      targets: [
        metric('A', {
          metric: 'forecast',
          format: 'time_series',
          interval: 'week',
          baseMetric: 'deployment_frequency',
          horizon: 90,
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
