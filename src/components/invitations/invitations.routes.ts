import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { invitationsController } from './invitations.controller.js';
import type { InvitationsUseCases } from './invitations.use-case.js';

export function invitationsRoutes(deps: {
  invitations: InvitationsUseCases;
  clock: () => Date;
  rateLimits: RateLimits;
}): RouteDef[] {
  const c = invitationsController(deps);
  return [
    {
      method: 'get',
      path: '/invitation/:token',
      access: { kind: 'public' },
      db: true,
      example: '/invitation/jeton-invalide',
      summary: 'Invitation page: create an account, or join with an existing one',
      handlers: [...deps.rateLimits.tokenLinks, c.show],
    },
    {
      method: 'post',
      path: '/invitation/:token',
      access: { kind: 'public' },
      db: true,
      example: '/invitation/jeton-invalide',
      summary: 'Accept an invitation (single-use link)',
      handlers: [...deps.rateLimits.tokenLinks, c.accept],
    },
  ];
}
