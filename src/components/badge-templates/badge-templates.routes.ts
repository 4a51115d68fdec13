import { listTemplates } from '../../libraries/badge-art/index.js';
import type { RateLimits } from '../../libraries/web/middleware/rate-limit.js';
import type { RouteDef } from '../../libraries/web/route-table.js';
import { badgeTemplatesController } from './badge-templates.controller.js';

/** Public for now: coordinators pick from the gallery, and anyone may see what badges look like. */
export function badgeTemplatesRoutes(deps: { rateLimits: RateLimits }): RouteDef[] {
  // Read and compile the templates now: a broken template stops the start, not a request.
  listTemplates();
  const c = badgeTemplatesController();
  return [
    {
      method: 'get',
      path: '/modeles-de-badges',
      access: { kind: 'public' },
      summary: 'Gallery of badge templates, with a form to try them with your own texts',
      handlers: [c.gallery],
    },
    {
      method: 'get',
      path: '/modeles-de-badges/pictogrammes/:picto.svg',
      access: { kind: 'public' },
      example: '/modeles-de-badges/pictogrammes/livre.svg',
      summary: 'One built-in pictogram as SVG',
      handlers: [c.pictogram],
    },
    {
      method: 'get',
      path: '/modeles-de-badges/:template/apercu.svg',
      access: { kind: 'public' },
      example: '/modeles-de-badges/medal/apercu.svg?titre=Smartphone',
      summary: 'Preview of a badge template as SVG (titre, niveau, emetteur, couleur, couleur2, picto)',
      handlers: [c.svg],
    },
    {
      method: 'get',
      path: '/modeles-de-badges/:template/apercu.png',
      access: { kind: 'public' },
      example: '/modeles-de-badges/medal/apercu.png?titre=Smartphone&taille=256',
      summary: 'Preview of a badge template as PNG (same parameters, plus taille: 64 to 512)',
      // Per address, and rendered in a queue of their own (see previewRenderQueue).
      handlers: [...deps.rateLimits.previews, c.png],
    },
  ];
}
