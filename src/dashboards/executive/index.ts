import { platformLensDashboard } from '../common';
import { bottom } from './bottom';
import { middle } from './middle';
import { top } from './top';

/** PlatformLens — Executive: Weekly review: platform health, delivery, developer experience, cost and revenue impact. */
export const executive = platformLensDashboard({
  uid: 'platformlens-executive',
  title: 'PlatformLens — Executive',
  description: 'Weekly review: platform health, delivery, developer experience, cost and revenue impact.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  panels: [...top, ...middle, ...bottom],
});
