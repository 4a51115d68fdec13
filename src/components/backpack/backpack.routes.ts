import type { RouteDef } from '../../libraries/web/route-table.js';
import type { BackpackController } from './backpack.controller.js';

const signedIn = { kind: 'signedIn' } as const;

/**
 * The mediator's space: "Mes badges" (status, accept, hide, grouped by competency, with their
 * requests) and "Mon profil public" (off by default), and the public profile itself.
 */
export function backpackRoutes(c: BackpackController): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/mes-badges',
      access: signedIn,
      db: true,
      summary: "The person's badges by competency (status, accept, hide), and their requests",
      handlers: [c.myBadges],
    },
    {
      method: 'post',
      path: '/mes-badges/:awardId/accepter',
      access: signedIn,
      db: true,
      example: '/mes-badges/assertion-a/accepter',
      summary: 'Accept a received badge, choosing whether its pages show my name',
      handlers: [c.accept],
    },
    {
      method: 'post',
      path: '/mes-badges/:awardId/masquer',
      access: signedIn,
      db: true,
      example: '/mes-badges/assertion-a/masquer',
      summary: 'Hide a badge from my space and my public profile',
      handlers: [c.hide],
    },
    {
      method: 'post',
      path: '/mes-badges/:awardId/afficher',
      access: signedIn,
      db: true,
      example: '/mes-badges/assertion-a/afficher',
      summary: 'Show a hidden badge again',
      handlers: [c.show],
    },
    {
      method: 'get',
      path: '/mon-profil-public',
      access: signedIn,
      db: true,
      summary: 'My public profile: opt in, address, badges shown, presentation',
      handlers: [c.showSettings],
    },
    {
      method: 'post',
      path: '/mon-profil-public',
      access: signedIn,
      db: true,
      summary: 'Save my public profile settings',
      handlers: [c.saveSettings],
    },
    {
      method: 'post',
      path: '/mon-profil-public/desactiver',
      access: signedIn,
      db: true,
      summary: 'Switch my public profile off (its address then answers 404 and stays reserved)',
      handlers: [c.disable],
    },
    {
      method: 'get',
      path: '/profils/:slug',
      access: { kind: 'public' },
      db: true,
      example: '/profils/karim-b',
      summary: "A mediator's public profile, with the live status of each badge shown",
      handlers: [c.publicProfile],
    },
  ];
}
