import { FetchError, type FetchResult, type Fetcher } from '../../core/index.js';
import { ownPathOf, resolvePublicPath, type PublicDocumentSources } from './public-url-map.js';

/**
 * A Fetcher that answers URLs of this platform from the database, with the same status codes
 * and bytes as HTTP (410 for a revoked hosted assertion, 404 for anything unknown), without a
 * round trip: the public URL map names the document of each path, as it does for express. It
 * also answers the https form of PUBLIC_URL, which is where did:web identifiers resolve even
 * when the platform runs on http (development, tests).
 */
export interface InternalFetcher extends Fetcher {
  /** Whether `url` is one of ours (then this fetcher answers it, 404 included). */
  handles(url: string): boolean;
}

export function createInternalFetcher(deps: {
  publicUrl: string;
  /** The documents of every component that publishes under the map. */
  sources: PublicDocumentSources;
}): InternalFetcher {
  const pathOf = ownPathOf(deps.publicUrl);

  const fetcher = (async (url) => {
    const path = pathOf(url);
    if (path === undefined) {
      throw new FetchError('not_found', url, 'this URL is not a document of this platform');
    }
    const target = url.split('#', 1)[0]!;
    const resolved = resolvePublicPath(path);
    // A verifier asks for the document, never the page that shares its URL.
    const found = resolved ? await resolved.def.document(deps.sources, resolved.params, {}) : null;
    const result: FetchResult = found
      ? {
          url: target,
          status: found.status,
          contentType: found.contentType,
          body: new Uint8Array(found.body),
        }
      : {
          url: target,
          status: 404,
          contentType: 'application/problem+json',
          body: new TextEncoder().encode(JSON.stringify({ status: 404, title: 'Not found' })),
        };
    return result;
  }) as InternalFetcher;
  fetcher.handles = (url: string) => pathOf(url) !== undefined;
  return fetcher;
}
