import { platformLensDashboard } from '../common';
import { bottom } from './bottom';
import { top } from './top';

/** PlatformLens — Reliability: Drill-down of the executive dashboard: incidents, MTTR / MTBF, change tickets, platforms and environments. */
export const reliability = platformLensDashboard({
  uid: 'platformlens-reliability',
  title: 'PlatformLens — Reliability',
  description:
    'Drill-down of the executive dashboard: incidents, MTTR / MTBF, change tickets, platforms and environments.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  panels: [...top, ...bottom],
});
