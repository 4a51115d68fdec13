import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import type { compromisedKeysController } from './compromised-keys.controller.js';

/** The issuer's owner (or an administrator): keys, compromised keys and their badges. */
export function compromisedKeysRoutes(c: ReturnType<typeof compromisedKeysController>): RouteDef[] {
  const access = issuerAccess('issuer.compromiseKeys');
  return [
    {
      method: 'get',
      path: '/structures/:issuerId/cles',
      access,
      db: true,
      example: '/structures/emetteur-a/cles',
      summary: "The issuer's signing keys (public parts), with their status and dates",
      handlers: [c.list],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/cles/:keyId/declarer-compromise',
      access,
      db: true,
      example: '/structures/emetteur-a/cles/cle-c/declarer-compromise',
      summary: 'Confirmation page: what declaring this key compromised does, and a reason field',
      handlers: [c.showCompromise],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/cles/:keyId/declarer-compromise',
      access,
      db: true,
      example: '/structures/emetteur-a/cles/cle-c/declarer-compromise',
      summary: 'Declare a key compromised: unpublished at once, replaced when it was active',
      handlers: [c.compromise],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/cles/:keyId/badges-concernes',
      access,
      db: true,
      example: '/structures/emetteur-a/cles/cle-c/badges-concernes',
      summary: 'The awards signed with a key, paginated',
      handlers: [c.affected],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/cles/:keyId/delivrer-a-nouveau',
      access,
      db: true,
      example: '/structures/emetteur-a/cles/cle-c/delivrer-a-nouveau',
      summary: 'Confirmation page: issue again the awards of a compromised key',
      handlers: [c.showReissue],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/cles/:keyId/delivrer-a-nouveau',
      access,
      db: true,
      example: '/structures/emetteur-a/cles/cle-c/delivrer-a-nouveau',
      summary: 'Issue again with the active keys, email each person, revoke the old awards',
      handlers: [c.reissue],
    },
  ];
}
