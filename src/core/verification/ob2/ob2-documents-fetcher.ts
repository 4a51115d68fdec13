import {
  FetchError,
  jsonBody,
  type FetchKind,
  type Fetcher,
  type FetchResult,
} from '../fetcher.js';
import { isObject } from './ob2-values.js';

export type FetchedDocument =
  | { ok: true; url: string; status: number; json: Record<string, unknown>; result: FetchResult }
  | {
      ok: false;
      url: string;
      status?: number;
      reason: 'http_status' | 'not_json' | 'fetch_error';
      detail: string;
      /** The body as JSON when there was one (a 410 Gone may still describe the assertion). */
      json?: Record<string, unknown>;
    };

/**
 * The documents one verification reads, each fetched at most once (an issuer is often reached
 * from the badge class, its endorsements and its keys), and at most `maxDocuments` of them: a
 * stranger's badge cannot make one verification fan out into hundreds of requests.
 */
export class Ob2DocumentsFetcher {
  private readonly cache = new Map<string, Promise<FetchedDocument>>();
  private readonly raw = new Map<string, Promise<FetchResult>>();

  constructor(
    private readonly fetcher: Fetcher,
    private readonly maxDocuments = 40,
  ) {}

  /** Raw fetch (images, unknown content), cached too. Throws FetchError like the fetcher. */
  fetchRaw(url: string, kind: FetchKind = 'any'): Promise<FetchResult> {
    let pending = this.raw.get(url);
    if (!pending) {
      pending =
        this.raw.size >= this.maxDocuments
          ? Promise.reject(new Error(`more than ${this.maxDocuments} documents for one badge`))
          : this.fetcher(url, { kind });
      this.raw.set(url, pending);
    }
    return pending;
  }

  json(url: string): Promise<FetchedDocument> {
    let pending = this.cache.get(url);
    if (!pending) {
      pending = this.load(url);
      this.cache.set(url, pending);
    }
    return pending;
  }

  private async load(url: string): Promise<FetchedDocument> {
    let result: FetchResult;
    try {
      result = await this.fetchRaw(url, 'json');
    } catch (cause) {
      const detail =
        cause instanceof FetchError ? `${cause.code}: ${cause.message}` : String(cause);
      return { ok: false, url, reason: 'fetch_error', detail };
    }
    const parsed = jsonBody(result);
    const json = isObject(parsed) ? parsed : undefined;
    if (result.status < 200 || result.status >= 300) {
      return {
        ok: false,
        url,
        status: result.status,
        reason: 'http_status',
        detail: `HTTP ${result.status}`,
        ...(json ? { json } : {}),
      };
    }
    if (!json) {
      return {
        ok: false,
        url,
        status: result.status,
        reason: 'not_json',
        detail: 'not a JSON object',
      };
    }
    return { ok: true, url, status: result.status, json, result };
  }
}
