import { platformLensDashboard } from '../common';
import { bottom } from './bottom';
import { top } from './top';

/** PlatformLens — Delivery: Drill-down of the executive dashboard: DORA metrics and CI/CD pipelines per tech stack and team. */
export const delivery = platformLensDashboard({
  uid: 'platformlens-delivery',
  title: 'PlatformLens — Delivery',
  description: 'Drill-down of the executive dashboard: DORA metrics and CI/CD pipelines per tech stack and team.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  panels: [...top, ...bottom],
});
