import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { FORM_PATH, LIST_PATH, type ImportsController } from './imports.controller.js';

const signedIn = { kind: 'signedIn' } as const;

/**
 * Badges from other platforms in the mediator's space: import one (address, baked image or
 * pasted text), list them apart from the cooperative's badges (each verified again), one
 * badge's live result, delete, show on the public profile. Whose import it is, is decided by
 * the use case (another person's answers 404). The image is public only once the badge is on
 * its owner's public profile.
 */
export function importsRoutes(c: ImportsController, limits: RateLimits): RouteDef[] {
  return [
    {
      method: 'get',
      path: LIST_PATH,
      access: signedIn,
      db: true,
      summary: 'My badges from other platforms, each verified again, apart from the cooperative’s',
      handlers: [c.list],
    },
    {
      method: 'get',
      path: FORM_PATH,
      access: signedIn,
      summary: 'Form to import a badge of another platform (address, baked image, pasted text)',
      handlers: [c.showForm],
    },
    {
      method: 'post',
      path: FORM_PATH,
      access: signedIn,
      db: true,
      // Each import may fetch other sites: the verification limit too, before reading the file.
      parse: [...limits.verify, c.upload],
      summary: 'Import a badge: verified by our verifier (recipient = one of my addresses), stored',
      handlers: [c.submit],
    },
    {
      method: 'get',
      path: `${LIST_PATH}/:importId`,
      access: signedIn,
      db: true,
      example: `${LIST_PATH}/import-a`,
      summary: 'One imported badge with the live result of its verification',
      handlers: [c.show],
    },
    {
      method: 'post',
      path: `${LIST_PATH}/:importId/supprimer`,
      access: signedIn,
      db: true,
      example: `${LIST_PATH}/import-a/supprimer`,
      summary: 'Delete one of my imported badges',
      handlers: [c.remove],
    },
    {
      method: 'post',
      path: `${LIST_PATH}/:importId/profil`,
      access: signedIn,
      db: true,
      example: `${LIST_PATH}/import-a/profil`,
      summary: 'Show (visible=oui) or hide an imported badge on my public profile',
      handlers: [c.visibility],
    },
    {
      method: 'get',
      path: '/badges-importes/:importId/image',
      access: { kind: 'public' },
      db: true,
      example: '/badges-importes/import-a/image',
      file: true,
      summary: 'The kept copy of an imported badge’s image (its owner; anyone once on the profile)',
      handlers: [c.image],
    },
  ];
}
