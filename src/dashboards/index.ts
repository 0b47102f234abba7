import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { delivery } from './delivery';
import { executive } from './executive';
import { funnels } from './funnels';
import { operations } from './operations';
import { reliability } from './reliability';
import { team } from './team';

/**
 * The dashboards generated from code: file name under dashboards/ → dashboard. dashboards/smoke.json
 * is a hand-written test-only dashboard and is not generated.
 */
export const generatedDashboards: Record<string, dashboard.Dashboard> = {
  'delivery.json': delivery,
  'executive.json': executive,
  'funnels.json': funnels,
  'operations.json': operations,
  'reliability.json': reliability,
  'team.json': team,
};
