import { DS, platformLensDashboard, query } from '../common';
import { bottom } from './bottom';
import { middle } from './middle';
import { top } from './top';

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
  panels: [...top, ...middle, ...bottom],
});
