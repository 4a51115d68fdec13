import type { Connection } from 'mongoose';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { homeController } from './home.controller.js';

export function homeRoutes(deps: { db: Connection; clock: () => Date }): RouteDef[] {
  const c = homeController(deps);
  return [
    {
      method: 'get',
      path: '/',
      access: { kind: 'public' },
      db: true,
      summary: 'Home page',
      handlers: [c.home],
    },
    {
      method: 'get',
      path: '/accessibilite',
      access: { kind: 'public' },
      summary: 'Accessibility statement',
      handlers: [c.accessibility],
    },
    {
      method: 'get',
      path: '/plan-du-site',
      access: { kind: 'public' },
      summary: 'Site map: every page a person can reach, by who it is for',
      handlers: [c.siteMap],
    },
  ];
}
