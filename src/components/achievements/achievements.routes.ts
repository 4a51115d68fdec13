import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { FrameworksRepository } from '../frameworks/frameworks.repository.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import { frameworksReader } from '../frameworks/frameworks.use-case.js';
import { achievementsController } from './achievements.controller.js';
import type { AchievementsUseCases } from './achievements.use-case.js';

/** The badge catalogue of an issuer: list, create, edit (new version once issued), archive. */
export function achievementsRoutes(deps: {
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
  frameworks: FrameworksRepository;
  badgeImage: (badgeClassId: string) => string;
}): RouteDef[] {
  const c = achievementsController({ ...deps, frameworks: frameworksReader(deps.frameworks) });
  return [
    {
      method: 'get',
      path: '/structures/:issuerId/badges',
      access: issuerAccess('issuer.view'),
      db: true,
      example: '/structures/emetteur-a/badges',
      summary: 'The badge catalogue: active and archived badges, versions, award counts',
      handlers: [c.showCatalogue],
    },
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
    {
      method: 'get',
      path: '/structures/:issuerId/badges/:badgeClassId/modifier',
      access: issuerAccess('badgeClass.edit'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-modifiable/modifier',
      summary: 'Form to edit a badge (a new version once it has been issued)',
      handlers: [c.showEdit],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/badges/:badgeClassId/modifier',
      access: issuerAccess('badgeClass.edit'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-modifiable/modifier',
      summary: 'Save a badge: in place before its first award, else a new version',
      handlers: [c.update],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/badges/:badgeClassId/archiver',
      access: issuerAccess('badgeClass.archive'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-archivable/archiver',
      summary: 'Archive a badge: no longer issued, its awards stay valid',
      handlers: [c.archive],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/badges/:badgeClassId/restaurer',
      access: issuerAccess('badgeClass.archive'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-archivable/restaurer',
      summary: 'Put an archived badge back into the catalogue',
      handlers: [c.restore],
    },
  ];
}
