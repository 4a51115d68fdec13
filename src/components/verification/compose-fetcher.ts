import { FetchError, type FetchResult, type Fetcher } from '../../core/index.js';
import type { OwnUrls } from './own-urls.js';

/**
 * One verification's view of the web: our own URLs are answered by `ownDocuments` (the awards'
 * internal fetcher, straight from the database), everything else by the SSRF-safe HTTP
 * fetcher. Each URL is fetched at most once per verification (the verifiers ask for the same
 * issuer profile or key several times), and the fetcher remembers whether any of our own
 * documents was read, so such a result is never cached.
 */
export interface VerificationFetcher {
  fetch: Fetcher;
  /** True once an own URL was asked for (whatever the answer). */
  readonly usedOwn: boolean;
  /** URLs asked for, in order (for technical details and tests). */
  readonly urls: readonly string[];
}

export function createVerificationFetcher(deps: {
  own: OwnUrls;
  /** Absent until the awards component is wired: our URLs then go over HTTP like any other. */
  ownDocuments?: Fetcher;
  external: Fetcher;
  /** Distinct URLs one verification may read: a stranger's badge must not fan out. */
  maxDocuments?: number;
  /**
   * Time one verification may spend reading documents, in ms (each fetch has its own limits
   * too): forty slow documents must not hold a request for minutes.
   */
  budgetMs?: number;
  /** Milliseconds clock, injected by tests. */
  now?: () => number;
}): VerificationFetcher {
  const maxDocuments = deps.maxDocuments ?? 50;
  const now = deps.now ?? Date.now;
  const deadline = now() + (deps.budgetMs ?? 30_000);
  const memo = new Map<string, Promise<FetchResult>>();
  const urls: string[] = [];
  let usedOwn = false;
  const fetch: Fetcher = (url, options) => {
    // Keyed by URL only: the first answer stands for the whole verification, whatever kind
    // of document a later step expects there.
    const known = memo.get(url);
    if (known) return known;
    if (now() > deadline) {
      return Promise.reject(new FetchError('timeout', url, 'verification time budget spent'));
    }
    if (urls.length >= maxDocuments) {
      return Promise.reject(
        new FetchError('network', url, `more than ${maxDocuments} documents for one badge`),
      );
    }
    urls.push(url);
    const own = deps.own.isOwnUrl(url);
    if (own) usedOwn = true;
    const source = own && deps.ownDocuments ? deps.ownDocuments : deps.external;
    const pending = source(url, options);
    memo.set(url, pending);
    return pending;
  };
  return {
    fetch,
    get usedOwn() {
      return usedOwn;
    },
    get urls() {
      return urls;
    },
  };
}
