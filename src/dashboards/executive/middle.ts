import * as barchart from '@grafana/grafana-foundation-sdk/barchart';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import {
  bandOverride,
  DeepPartial,
  DORA_KEYS,
  DS,
  evidenceLink,
  gaugeOptions,
  listLegend,
  metric,
  panelLink,
  reduceOptions,
  statOptions,
  tableOptions,
  TEAM_UID,
  teamDataLink,
  thresholdColors,
} from '../common';

/** PlatformLens — Executive, panels 7–12 (Cost per deploy … Throughput per tech stack). */
export const middle: dashboard.Panel[] = [
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
    options: statOptions(),
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
    options: statOptions({ calcs: ['lastNotNull'] }),
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
        ...thresholdColors('red', ['yellow', 60], ['green', 80]),
      },
      overrides: [],
    },
    options: {
      reduceOptions: reduceOptions(['lastNotNull'], '/^(Stability score|Efficiency score|Quality score)$/'),
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
        ...thresholdColors('red', ['yellow', 60], ['green', 80]),
      },
      overrides: [],
    },
    options: gaugeOptions('/^SEQ score$/'),
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
      'The four DORA key metrics over the range with their performance band (elite, high, medium, low); the panel links open the rows behind each number and the Team dashboard. DORA summary: The four DORA metrics over the range with their band: deployment_frequency (days/week), lead_time (h), change_failure_rate (%), recovery_time (h). Bands (hours for times): deployment_frequency (median days per week with a successful production deployment): ≥ 5 elite, ≥ 1 high, median days per month ≥ 1 medium, else low; lead_time: < 24 elite, < 168 high, < 720 medium, else low; change_failure_rate: ≤ 5 elite, ≤ 10 high, ≤ 15 medium, else low; recovery_time: < 1 elite, < 24 high, < 168 medium, else low.',
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
      overrides: [bandOverride()],
    },
    options: tableOptions(),
    links: [
      panelLink('Delivery drill-down', '/d/platformlens-delivery?${__url_time_range}&${__all_variables}'),
      panelLink('Team dashboard', `/d/${TEAM_UID}?\${__url_time_range}&\${__all_variables}`),
      ...DORA_KEYS.map(evidenceLink),
    ],
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
      'Builds and deployments finished in the range, per tech stack; a bar opens the Team dashboard of its stack. Throughput: Per tech stack, over the range: builds, deployments, efficiency = successful deployments ÷ successful builds × 100, mean build minutes, mean deploy minutes, developer_count (teams valid at the end of the range). A second frame of highlights: highest efficiency, highest throughput (most deployments), fastest build and fastest deploy (lowest mean minutes); ties go to the first stack by name.',
    gridPos: {
      h: 9,
      w: 12,
      x: 0,
      y: 12,
    },
    datasource: DS,
    fieldConfig: {
      defaults: {
        links: [teamDataLink('tech_stack')],
      },
      overrides: [],
    },
    options: {
      orientation: common.VizOrientation.Auto,
      showValue: common.VisibilityMode.Auto,
      stacking: common.StackingMode.None,
      groupWidth: 0.7,
      barWidth: 0.9,
      legend: listLegend(),
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
];
