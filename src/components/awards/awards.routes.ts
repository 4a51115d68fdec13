import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { AchievementsUseCases } from '../achievements/achievements.use-case.js';
import type { IssuersUseCases } from '../issuers/issuers.use-case.js';
import type { KeyService } from '../keys/keys.use-case.js';
import { awardsController } from './awards.controller.js';
import type { AwardsUseCases } from './awards.use-case.js';
import type { publicController } from './public.controller.js';
import type { PublicUrls } from './public-urls.js';

/** Coordinators: the issuer's page, issuing one badge, revoking, rotating the keys. */
export function awardsRoutes(deps: {
  awards: AwardsUseCases;
  achievements: AchievementsUseCases;
  issuers: IssuersUseCases;
  keys: KeyService;
  urls: PublicUrls;
  pages: ReturnType<typeof publicController>;
}): RouteDef[] {
  const c = awardsController(deps);
  return [
    {
      method: 'get',
      path: '/structures/:issuerId',
      access: issuerAccess('issuer.view'),
      db: true,
      example: '/structures/emetteur-a',
      summary: "The issuer's page: its badges, recent awards and signing keys",
      handlers: [c.issuerPage],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/delivrer',
      access: issuerAccess('award.issue'),
      db: true,
      example: '/structures/emetteur-a/delivrer',
      summary: 'Form to issue one badge to one person',
      handlers: [c.showIssue],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/delivrer',
      access: issuerAccess('award.issue'),
      db: true,
      example: '/structures/emetteur-a/delivrer',
      summary: 'Issue one badge (hosted, signed, OB 3.0 DI and JWT) and email the recipient',
      handlers: [c.issue],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/assertions/:assertionId/revoquer',
      access: issuerAccess('award.revoke'),
      db: true,
      example: '/structures/emetteur-a/assertions/assertion-r/revoquer',
      summary: 'Confirmation page before revoking an award: what will happen, and the reason',
      handlers: [c.confirmRevoke],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/assertions/:assertionId/revoquer',
      access: issuerAccess('award.revoke'),
      db: true,
      example: '/structures/emetteur-a/assertions/assertion-r/revoquer',
      summary: 'Revoke an award with a reason (OB 2.0 list and OB 3.0 status at once)',
      handlers: [c.revoke],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/cles/renouveler',
      access: issuerAccess('issuer.rotateKeys'),
      db: true,
      example: '/structures/emetteur-a/cles/renouveler',
      summary: "Rotate the issuer's signing keys (old ones stay published)",
      handlers: [c.rotateKeys],
    },
  ];
}
