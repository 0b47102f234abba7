import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

import { dimensionVariable, platformLensDashboard, TEAM_UID } from '../common';
import { bottom } from './bottom';
import { top } from './top';

/** A link back to a drill-down dashboard, keeping the time range and the variables they share. */
function back(title: string, uid: string): dashboard.DashboardLink {
  return {
    type: dashboard.DashboardLinkType.Link,
    title,
    url: `/d/${uid}`,
    tags: [],
    asDropdown: false,
    includeVars: true,
    keepTime: true,
    icon: 'dashboard',
    targetBlank: false,
    tooltip: `Back to ${title}`,
  };
}

/** PlatformLens — Team: one team's (or service's) DORA keys with bands, trends and evidence, build health and DX. */
export const team = platformLensDashboard({
  uid: TEAM_UID,
  title: 'PlatformLens — Team',
  description:
    'Drill-down to one team and its services: the five DORA keys with their band, their trends, the rows behind each number, build health and developer experience.',
  time: {
    from: 'now-30d',
    to: 'now',
  },
  dimensionVariables: [
    dimensionVariable('tech_stack', 'Tech stack'),
    dimensionVariable('team', 'Team', { tech_stack: '$tech_stack' }, true),
    dimensionVariable('service', 'Service', { tech_stack: '$tech_stack', team: '$team' }),
  ],
  deploymentAnnotationFilters: { tech_stack: ['$tech_stack'], team: ['$team'], service: ['$service'] },
  extraLinks: [
    back('Executive', 'platformlens-executive'),
    back('Delivery', 'platformlens-delivery'),
    back('Reliability', 'platformlens-reliability'),
  ],
  panels: [...top, ...bottom],
});
