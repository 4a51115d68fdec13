import type { FetchResult, Fetcher } from '../../core/index.js';
import { createEpochMemo, type EpochMemo } from '../../libraries/cache/epoch-memo.js';

/**
 * Our own public documents (badge class, issuer profile, key, revocation list, status list…)
 * kept in memory between verifications, so verifying one of our badges does not read the
 * database for each of them. Safe because:
 *  - an entry is used only under the change epoch it was read under (see change-epoch.ts): a
 *    revocation, a key rotation or compromise, an edited issuer profile or a recommendation
 *    changes the epoch and every entry is read again. The epoch is taken BEFORE the database
 *    read, so a document read while a change lands is stored under the old epoch and dropped;
 *  - entries are keyed by the exact URL asked for: a document is only ever served for the URL
 *    it was read from, never for another issuer's or a look-alike URL;
 *  - only 200 answers are kept: a 404 (a badge not yet issued, an issuer not yet created) or a
 *    410 (revoked assertion) is asked again every time, as issuing does not change the epoch;
 *  - bounded by count and by bytes (least recently used go first), with a time to live as a
 *    safety net; answers are copied, so no caller can alter what the next one reads.
 * Per process, like the result cache; other processes sharing the database change the epoch
 * within its refresh interval.
 */
export interface OwnDocumentsCache {
  /** A fetcher for one verification, whose reads are valid under `epoch`. */
  fetcherFor(epoch: number): Fetcher;
  /** Memoises a question about our records (known issuer, key status) under `epoch`. */
  remember: EpochMemo['remember'];
  readonly size: number;
  readonly bytes: number;
  clear(): void;
}

interface Entry {
  epoch: number;
  storedAt: number;
  result: FetchResult;
  size: number;
}

/** What a document costs in memory besides its body (URL, object). */
const ENTRY_OVERHEAD = 256;

export function createOwnDocumentsCache(deps: {
  documents: Fetcher;
  maxEntries?: number;
  maxBytes?: number;
  ttlMs?: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
}): OwnDocumentsCache {
  const maxEntries = deps.maxEntries ?? 2000;
  const maxBytes = deps.maxBytes ?? 16 * 1024 * 1024;
  const ttlMs = deps.ttlMs ?? 10 * 60 * 1000;
  const now = deps.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const answers = createEpochMemo({ maxEntries, ttlMs, now });
  let bytes = 0;

  const drop = (url: string, entry: Entry) => {
    entries.delete(url);
    bytes -= entry.size;
  };

  const copy = (result: FetchResult): FetchResult => ({
    ...result,
    body: result.body.slice(),
    ...(result.redirects ? { redirects: [...result.redirects] } : {}),
  });

  function lookup(url: string, epoch: number): FetchResult | undefined {
    const entry = entries.get(url);
    if (!entry) return undefined;
    if (entry.epoch !== epoch || now() - entry.storedAt >= ttlMs) {
      drop(url, entry);
      return undefined;
    }
    // Most recently used last: the first key of the map is the next to go.
    entries.delete(url);
    entries.set(url, entry);
    return copy(entry.result);
  }

  function store(url: string, epoch: number, result: FetchResult): void {
    if (result.status !== 200 || result.url !== url.split('#', 1)[0]) return;
    const size = result.body.byteLength + url.length + ENTRY_OVERHEAD;
    if (size > maxBytes / 8) return; // one big document must not empty the cache
    const old = entries.get(url);
    if (old) drop(url, old);
    entries.set(url, { epoch, storedAt: now(), result: copy(result), size });
    bytes += size;
    for (const [oldest, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      drop(oldest, entry);
    }
  }

  return {
    fetcherFor(epoch) {
      return async (url, options) => {
        const hit = lookup(url, epoch);
        if (hit) return hit;
        const result = await deps.documents(url, options);
        store(url, epoch, result);
        return result;
      };
    },
    remember: answers.remember,
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    clear() {
      entries.clear();
      answers.clear();
      bytes = 0;
    },
  };
}
