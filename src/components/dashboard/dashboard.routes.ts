import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { DashboardController } from './dashboard.controller.js';

/** Coordinators: overview of an issuer, its mediator directory, a badge's awards, bulk revocation. */
export function dashboardRoutes(c: DashboardController): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/structures/:issuerId/tableau-de-bord',
      access: issuerAccess('issuer.view'),
      db: true,
      example: '/structures/emetteur-a/tableau-de-bord',
      summary: 'Overview: counts by badge and competency, pending requests, recent activity',
      handlers: [c.overview],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/mediateurs',
      access: issuerAccess('issuer.view'),
      db: true,
      example: '/structures/emetteur-a/mediateurs',
      summary: 'Mediator directory: search by name, badge held, competency (paginated)',
      handlers: [c.directory],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/badges/:badgeClassId/attributions',
      access: issuerAccess('issuer.view'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-a/attributions',
      summary: "A badge's awards (paginated, filters), to choose some to revoke",
      handlers: [c.awards],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/badges/:badgeClassId/revoquer',
      access: issuerAccess('award.revoke'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-a/revoquer',
      summary: 'Bulk revocation with one required reason: confirmation page, then revokes',
      handlers: [c.revokeMany],
    },
  ];
}
