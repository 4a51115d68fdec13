import { FetchError, type FetchResult, type Fetcher } from '../../core/index.js';
import type { PublicDocuments } from './public-documents.js';

/**
 * A Fetcher that answers URLs of this platform from the database, with the same status codes
 * and bytes as HTTP (410 for a revoked hosted assertion, 404 for anything unknown), without a
 * round trip. It also answers the https form of PUBLIC_URL, which is where did:web
 * identifiers resolve even when the platform runs on http (development, tests).
 *
 * Compose it with the SSRF-safe fetcher for everything else:
 *   const fetch = withInternalDocuments(internal, createSafeFetcher(...));
 */
export interface InternalFetcher extends Fetcher {
  /** Whether `url` is one of ours (then this fetcher answers it, 404 included). */
  handles(url: string): boolean;
}

export function createInternalFetcher(deps: {
  publicUrl: string;
  /** The public documents (composed with other components' documents by the app). */
  documents: Pick<PublicDocuments, 'atPath'>;
}): InternalFetcher {
  const base = new URL(deps.publicUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const hosts = new Set([base.host.toLowerCase()]);

  /** The path under PUBLIC_URL, or undefined when the URL is not ours. */
  function pathOf(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const sameScheme = parsed.protocol === base.protocol;
    // did:web always resolves over https: accept it for our host whatever PUBLIC_URL says.
    const didWebHttps = parsed.protocol === 'https:';
    if (!(sameScheme || didWebHttps) || !hosts.has(parsed.host.toLowerCase())) return undefined;
    if (parsed.username || parsed.password) return undefined;
    if (prefix && !(parsed.pathname === prefix || parsed.pathname.startsWith(`${prefix}/`))) {
      return undefined;
    }
    return parsed.pathname.slice(prefix.length) || '/';
  }

  const fetcher = (async (url) => {
    const path = pathOf(url);
    if (path === undefined) {
      throw new FetchError('not_found', url, 'this URL is not a document of this platform');
    }
    const target = url.split('#', 1)[0]!;
    const found = await deps.documents.atPath(path);
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

/** Our URLs from the database, every other URL through `external` (the SSRF-safe fetcher). */
export function withInternalDocuments(internal: InternalFetcher, external: Fetcher): Fetcher {
  return (url, options) =>
    internal.handles(url) ? internal(url, options) : external(url, options);
}
