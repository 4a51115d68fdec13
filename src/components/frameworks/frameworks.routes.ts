import type { Connection } from 'mongoose';
import type { RouteDef } from '../../web/route-table.js';
import { frameworksController } from './frameworks.controller.js';
import { frameworksRepository } from './frameworks.repository.js';

export function frameworksRoutes(deps: { db: Connection }): RouteDef[] {
  const c = frameworksController({ repo: frameworksRepository(deps.db) });
  return [
    {
      method: 'get',
      path: '/referentiels',
      access: { kind: 'public' },
      db: true,
      summary: 'Competency frameworks',
      handlers: [c.list],
    },
    {
      method: 'get',
      path: '/referentiels/:frameworkId',
      example: '/referentiels/crcn',
      access: { kind: 'public' },
      db: true,
      summary: 'One framework and its competencies (alignment targets)',
      handlers: [c.show],
    },
  ];
}
