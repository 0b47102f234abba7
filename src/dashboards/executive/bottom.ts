import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';

import {
  DeepPartial,
  DS,
  fixedColor,
  hideFromLegend,
  lineStyle,
  metric,
  Override,
  panelLink,
  reduceOptions,
  severityOverrides,
  statOptions,
  tableOptions,
  textColor,
  timeseriesOptions,
} from '../common';

/** The dashed forecast line of the forecast panel. */
function forecastLine(): Override {
  return {
    matcher: { id: 'byName', options: 'Deployment frequency (forecast)' },
    properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }, fixedColor('blue')],
  };
}

/** The upper edge of a prediction interval: no line, shaded down to the lower edge. */
function intervalUpper(percent: number, fillOpacity: number): Override {
  return {
    matcher: { id: 'byName', options: `Deployment frequency (upper ${percent} %)` },
    properties: [
      { id: 'custom.fillBelowTo', value: `Deployment frequency (lower ${percent} %)` },
      { id: 'custom.fillOpacity', value: fillOpacity },
      { id: 'custom.lineWidth', value: 0 },
      fixedColor('blue'),
    ],
  };
}

/** The lower edge of a prediction interval: no line, not in the legend (the upper edge names the band). */
function intervalLower(percent: number): Override {
  return {
    matcher: { id: 'byName', options: `Deployment frequency (lower ${percent} %)` },
    properties: [{ id: 'custom.lineWidth', value: 0 }, fixedColor('blue'), hideFromLegend()],
  };
}

/** PlatformLens — Executive, panels 13–17 (Revenue by tech stack … Deployment frequency forecast (90 days)). */
export const bottom: dashboard.Panel[] = [
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
      reduceOptions: reduceOptions(['lastNotNull'], '/^(revenue|Revenue)$/', true),
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
    options: tableOptions({ showFooter: true }),
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
        color: textColor(),
      },
      overrides: severityOverrides(),
    },
    options: statOptions({
      calcs: ['lastNotNull'],
      colorMode: common.BigValueColorMode.Background,
      textMode: common.BigValueTextMode.ValueAndName,
    }),
    links: [panelLink('Reliability drill-down', '/d/platformlens-reliability?${__url_time_range}&${__all_variables}')],
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
    options: statOptions({
      calcs: ['lastNotNull'],
      values: true,
      graphMode: common.BigValueGraphMode.None,
      textMode: common.BigValueTextMode.ValueAndName,
    }),
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
        custom: lineStyle({ fillOpacity: 0, showPoints: common.VisibilityMode.Never, spanNulls: false }),
      },
      overrides: [forecastLine(), intervalUpper(95, 12), intervalLower(95), intervalUpper(80, 22), intervalLower(80)],
    },
    options: timeseriesOptions(common.SortOrder.None),
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
];
