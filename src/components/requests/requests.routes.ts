import { issuerAccess } from '../../libraries/authz/authorization.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { singleFileUpload } from '../../libraries/web/upload.js';
import { REQUEST_FILE_MAX_BYTES } from './request-file.js';
import { requestFormController } from './request-form.controller.js';
import type { RequestsControllerDeps } from './request-page.js';
import { requestPageController } from './request-page.controller.js';
import { requestQuorumController } from './request-quorum.controller.js';
import { requestReviewController } from './request-review.controller.js';

/** The request pages, one controller per story: form, page, review, quorum. */
export function requestsControllers(deps: RequestsControllerDeps) {
  return {
    ...requestFormController(deps),
    ...requestPageController(deps),
    ...requestReviewController(deps),
    ...requestQuorumController(deps),
  };
}
export type RequestsController = ReturnType<typeof requestsControllers>;

const signedIn = { kind: 'signedIn' } as const;

/**
 * Badge requests: the mediator's "Mes badges" page, asking for a badge (links, text, an
 * optional file), editing a request returned "à compléter"; the coordinators' queue and their
 * decisions; recommendations gathered by a request; the quorum a badge requires. Who may see a
 * request is decided by the use case (requester, coordinators, peers when a quorum applies).
 */
export function requestsRoutes(c: RequestsController): RouteDef[] {
  // The optional file arrives in a multipart form (parsed after the access check, see
  // mountRoutes). Fields: up to 5 links (+ hidden ones), the text, the badge, the form key, the
  // token. The text holds 5,000 characters: 16 KB covers them in 3-byte UTF-8.
  const upload = singleFileUpload({
    fileSize: REQUEST_FILE_MAX_BYTES + 1,
    fields: 20,
    fieldSize: 16 * 1024,
  });
  return [
    {
      method: 'get',
      path: '/demandes/nouvelle',
      access: signedIn,
      db: true,
      summary: 'Form to ask for a badge of one of my issuers',
      handlers: [c.showNew],
    },
    {
      method: 'post',
      path: '/demandes',
      access: signedIn,
      db: true,
      parse: [upload],
      summary: 'Ask for a badge with evidence (links, text, optional file); coordinators are told',
      handlers: [c.create],
    },
    {
      method: 'get',
      path: '/demandes/:requestId',
      access: signedIn,
      db: true,
      example: '/demandes/demande-a',
      summary:
        'One request: evidence, history, quorum progress, decisions (requester, staff, peers)',
      handlers: [c.show],
    },
    {
      method: 'get',
      path: '/demandes/:requestId/modifier',
      access: signedIn,
      db: true,
      example: '/demandes/demande-a/modifier',
      summary: 'Form to complete a request returned "à compléter" (its requester)',
      handlers: [c.showEdit],
    },
    {
      method: 'post',
      path: '/demandes/:requestId/modifier',
      access: signedIn,
      db: true,
      parse: [upload],
      example: '/demandes/demande-a/modifier',
      summary: 'Send a completed request again (a new revision)',
      handlers: [c.resubmit],
    },
    {
      method: 'get',
      path: '/demandes/:requestId/fichier',
      access: signedIn,
      db: true,
      example: '/demandes/demande-a/fichier',
      summary: "The request's file, as a download (requester and coordinators)",
      handlers: [c.file],
    },
    {
      method: 'post',
      path: '/demandes/:requestId/recommander',
      access: signedIn,
      db: true,
      example: '/demandes/demande-q/recommander',
      summary: 'Recommend a request whose badge needs a quorum (coordinators and peers)',
      handlers: [c.endorse],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/demandes',
      access: issuerAccess('request.review'),
      db: true,
      example: '/structures/emetteur-a/demandes',
      summary: 'The queue of badge requests, with filters (status, badge, person)',
      handlers: [c.queue],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/demandes/:requestId/approuver',
      access: issuerAccess('request.review'),
      db: true,
      example: '/structures/emetteur-a/demandes/demande-a/approuver',
      summary: 'Approve a request: the badge is issued (with the recommendations gathered)',
      handlers: [c.approve],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/demandes/:requestId/a-completer',
      access: issuerAccess('request.review'),
      db: true,
      example: '/structures/emetteur-a/demandes/demande-a/a-completer',
      summary: 'Return a request to its requester with a comment ("à compléter")',
      handlers: [c.returnForChanges],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/demandes/:requestId/refuser',
      access: issuerAccess('request.review'),
      db: true,
      example: '/structures/emetteur-a/demandes/demande-a/refuser',
      summary: 'Reject a request with a reason ("refusée")',
      handlers: [c.reject],
    },
    {
      method: 'get',
      path: '/structures/:issuerId/badges/:badgeClassId/recommandations-requises',
      access: issuerAccess('badgeClass.setQuorum'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-a/recommandations-requises',
      summary: 'Form: how many recommendations a badge needs before it is issued (quorum)',
      handlers: [c.showQuorum],
    },
    {
      method: 'post',
      path: '/structures/:issuerId/badges/:badgeClassId/recommandations-requises',
      access: issuerAccess('badgeClass.setQuorum'),
      db: true,
      example: '/structures/emetteur-a/badges/badge-a/recommandations-requises',
      summary: 'Set (or remove) the quorum of a badge',
      handlers: [c.setQuorum],
    },
  ];
}
