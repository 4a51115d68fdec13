import { badgePublicDocuments } from './badge-public-documents.js';
import { issuerPublicDocuments } from './issuer-public-documents.js';
import { publicDocumentsContext, type PublicDocumentsDeps } from './public-documents.context.js';
import { statusPublicDocuments } from './status-public-documents.js';

export { CACHE, MEDIA, SVG_HEADERS, doc, jsonDoc, type PublicDocument } from './public-document.js';
export type { PublicDocumentsDeps } from './public-documents.context.js';

/**
 * The public documents of the platform, exactly as HTTP serves them (status, type, bytes,
 * validators, cache policy). The public URL map (public-url-map.ts) names the path of each:
 * the routes send them and the internal fetcher answers verifiers with them without an HTTP
 * round trip. `null` means 404.
 */
export function createPublicDocuments(deps: PublicDocumentsDeps) {
  const ctx = publicDocumentsContext(deps);
  return {
    ...issuerPublicDocuments(ctx),
    ...statusPublicDocuments(ctx),
    ...badgePublicDocuments(ctx),
  };
}
export type PublicDocuments = ReturnType<typeof createPublicDocuments>;
