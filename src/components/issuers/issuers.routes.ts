import { issuerAccess } from '../../libraries/authz/authorization.js';
import { ISSUER_IMAGE_MAX_BYTES } from './issuer-image.js';
import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { singleFileUpload } from '../../libraries/web/upload.js';
import type { InvitationsUseCases } from '../invitations/invitations.use-case.js';
import { issuersController } from './issuers.controller.js';
import type { IssuersUseCases } from './issuers.use-case.js';

/**
 * Issuers ("structures") and their members. Pages use "structure", the word coordinators use;
 * `/emetteurs/…` is left to the Open Badges documents of issuers.
 */
export function issuersRoutes(deps: {
  issuers: IssuersUseCases;
  invitations: InvitationsUseCases;
  rateLimits: RateLimits;
}): RouteDef[] {
  const c = issuersController(deps);
  // The logo arrives in a multipart form (parsed after the access check, see mountRoutes).
  const logo = singleFileUpload({ fileSize: ISSUER_IMAGE_MAX_BYTES + 1, fields: 12 }, 'image');
  return [
    {
      method: 'get',
      path: '/structures',
      access: { kind: 'signedIn' },
      db: true,
      summary: 'My issuers (all of them for administrators)',
      handlers: [c.list],
    },
    {
      method: 'get',
      path: '/admin/structures/nouvelle',
      access: issuerAccess('issuer.create'),
      summary: 'Form to create an issuer and its owner',
      handlers: [c.showCreate],
    },
    {
      method: 'post',
      path: '/admin/structures',
      access: issuerAccess('issuer.create'),
      db: true,
      summary: 'Create an issuer; its owner is added or invited',
      parse: [logo],
      handlers: [c.create],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/modifier',
      access: issuerAccess('issuer.edit'),
      db: true,
      example: '/structures/emetteur-a/modifier',
      summary: "Form to edit the issuer's name, addresses, description, logo and LinkedIn id",
      handlers: [c.showEdit],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/modifier',
      access: issuerAccess('issuer.edit'),
      db: true,
      example: '/structures/emetteur-a/modifier',
      summary: 'Save the issuer; its id (in every signed badge) never changes',
      parse: [logo],
      handlers: [c.edit],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/membres',
      access: issuerAccess('issuer.viewMembers'),
      db: true,
      example: '/structures/emetteur-a/membres',
      summary: 'Members, pending invitations and the invitation form',
      handlers: [c.members],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/invitations',
      access: issuerAccess('issuer.inviteMembers'),
      db: true,
      example: '/structures/emetteur-a/invitations',
      summary: 'Invite one or several people by email',
      handlers: [...deps.rateLimits.invitations, c.invite],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/invitations/:invitationId/annuler',
      access: issuerAccess('issuer.cancelInvitation'),
      db: true,
      example: '/structures/emetteur-a/invitations/invitation-a/annuler',
      summary: 'Cancel a pending invitation',
      handlers: [c.cancelInvitation],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/membres/:userId/role',
      access: issuerAccess('issuer.changeRoles'),
      db: true,
      example: '/structures/emetteur-a/membres/membre-a/role',
      summary: "Change a member's role",
      handlers: [c.changeRole],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/membres/:userId/retirer',
      access: issuerAccess('issuer.removeMembers'),
      db: true,
      example: '/structures/emetteur-a/membres/membre-a/retirer',
      summary: 'Remove a member from the issuer',
      handlers: [c.removeMember],
    },
  ];
}
