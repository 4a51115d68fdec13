import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../web/route-table.js';
import type { FrameworksRepository } from '../frameworks/frameworks.repository.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import { achievementsController } from './achievements.controller.js';
import type { AchievementsUseCases } from './achievements.use-case.js';

/** Creating badges (the full catalogue — edit, versions, archive — comes with issue 7). */
export function achievementsRoutes(deps: {
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
  frameworks: FrameworksRepository;
}): RouteDef[] {
  const c = achievementsController(deps);
  return [
    {
      method: 'get',
      path: '/structures/:issuerId/badges/nouveau',
      access: issuerAccess('badgeClass.create'),
      db: true,
      example: '/structures/emetteur-a/badges/nouveau',
      summary: 'Form to create a badge (image, criteria, alignments), with a preview',
      handlers: [c.showCreate],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/badges',
      access: issuerAccess('badgeClass.create'),
      db: true,
      example: '/structures/emetteur-a/badges',
      summary: 'Create a badge (or, with action=apercu, show its preview)',
      handlers: [c.create],
    },
  ];
}
