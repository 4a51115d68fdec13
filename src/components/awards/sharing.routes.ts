import type { RouteDef } from '../../libraries/web/route-table.js';
import type { sharingController } from './sharing.controller.js';

const pub = { kind: 'public' } as const;

/**
 * Sharing one award: its printable attestation, as a page and as a PDF. (The QR codes are
 * public documents: public-url-map.ts.)
 */
export function sharingRoutes(c: ReturnType<typeof sharingController>): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/assertions/:assertionId/attestation',
      access: pub,
      db: true,
      example: '/assertions/assertion-a/attestation',
      summary: 'Printable attestation of an award (one A4 page, plain French, QR code)',
      handlers: [c.attestation],
    },
    {
      method: 'get',
      path: '/assertions/:assertionId/attestation.pdf',
      access: pub,
      // A file, not a page: errors as problem+json, and page crawlers leave it alone.
      api: true,
      db: true,
      example: '/assertions/assertion-a/attestation.pdf',
      summary: 'The attestation as a one-page A4 PDF (badge image and QR code)',
      handlers: [c.attestationPdf],
    },
  ];
}
