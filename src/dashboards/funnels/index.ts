import { funnelVariable, platformLensDashboard } from '../common';
import { bottom } from './bottom';
import { top } from './top';

/** PlatformLens — Funnels: Product and DX funnels (onboarding, deployment, service creation): steps, conversion, time to convert and breakdowns. */
export const funnels = platformLensDashboard({
  uid: 'platformlens-funnels',
  title: 'PlatformLens — Funnels',
  description:
    'Product and DX funnels (onboarding, deployment, service creation): steps, conversion, time to convert and breakdowns.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  extraVariables: [funnelVariable],
  panels: [...top, ...bottom],
});
