import type { RouteDef } from '../../libraries/web/route-table.js';
import type { EndorsementsController } from './endorsements.controller.js';

const signedIn = { kind: 'signedIn' } as const;

/**
 * The forms to recommend an award or a badge (people of the issuer; the use case checks who).
 * The public pages and documents of recommendations and of the people who make them are in
 * the public URL map (awards/public-url-map.ts), mounted by awards/public.routes.ts.
 */
export function endorsementsRoutes(c: EndorsementsController): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/assertions/:assertionId/recommander',
      access: signedIn,
      db: true,
      example: '/assertions/assertion-a/recommander',
      summary: 'Form to recommend an issued badge (coordinators and peers of the issuer)',
      handlers: [c.showAwardForm],
    },
    {
      method: 'post',
      path: '/assertions/:assertionId/recommander',
      access: signedIn,
      db: true,
      example: '/assertions/assertion-a/recommander',
      summary: 'Recommend an issued badge (OB 2.0 Endorsement and OB 3.0 EndorsementCredential)',
      handlers: [c.endorseAward],
    },
    {
      method: 'get',
      path: '/badges/:badgeClassId/recommander',
      access: signedIn,
      db: true,
      example: '/badges/badge-a/recommander',
      summary: 'Form to recommend a badge of the catalogue (the skill it stands for)',
      handlers: [c.showBadgeForm],
    },
    {
      method: 'post',
      path: '/badges/:badgeClassId/recommander',
      access: signedIn,
      db: true,
      example: '/badges/badge-a/recommander',
      summary: 'Recommend a badge of the catalogue',
      handlers: [c.endorseBadge],
    },
  ];
}
