import type { Config } from '../../libraries/config/config.js';
import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { legalController, myDataController } from './my-data.controller.js';
import type { MyDataUseCases } from './my-data.use-case.js';

/** My data (GDPR): download, account deletion; the privacy and legal notice pages. */
export function myDataRoutes(deps: {
  config: Config;
  myData: MyDataUseCases;
  rateLimits: RateLimits;
}): RouteDef[] {
  const c = myDataController(deps);
  const legal = legalController(deps);
  const limits = deps.rateLimits;
  return [
    {
      method: 'get',
      path: '/confidentialite',
      access: { kind: 'public' },
      summary: 'Privacy: what is stored, why, for how long, who to contact',
      handlers: [legal.privacy],
    },
    {
      method: 'get',
      path: '/mentions-legales',
      access: { kind: 'public' },
      summary: 'Legal notice: publisher, publication director, host',
      handlers: [legal.notice],
    },
    {
      method: 'get',
      path: '/compte/mes-donnees.zip',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Download everything the platform holds about me (zip)',
      handlers: [c.download],
    },
    {
      method: 'get',
      path: '/compte/suppression',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Delete my account: what it does, then a confirmation by email',
      handlers: [c.showDelete],
    },
    {
      method: 'post',
      path: '/compte/suppression',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'Mail the confirmation link of an account deletion (refused for a last owner)',
      handlers: [c.requestDelete],
    },
    {
      method: 'get',
      path: '/compte/suppression/confirmer/:token',
      access: { kind: 'public' },
      db: true,
      example: '/compte/suppression/confirmer/jeton-invalide',
      summary: 'Confirm an account deletion (page with a button: mail scanners open links)',
      handlers: [...limits.tokenLinks, c.showConfirm],
    },
    {
      method: 'post',
      path: '/compte/suppression/confirmer/:token',
      access: { kind: 'public' },
      db: true,
      example: '/compte/suppression/confirmer/jeton-invalide',
      summary: 'Delete the account (single-use, expiring link)',
      handlers: [...limits.tokenLinks, c.confirm],
    },
  ];
}
