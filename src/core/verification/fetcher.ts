/**
 * How verifiers read remote documents: injected, so the same code verifies our badges (served
 * from the database), other issuers' (through the SSRF-safe HTTP fetcher) and test fixtures.
 * A fetcher never throws for HTTP statuses; it throws FetchError for transport failures and
 * refusals (blocked address, too large, too slow, too many redirects).
 */
export type FetchKind = 'json' | 'image' | 'any';

export interface FetchResult {
  /** The final URL after redirects. */
  url: string;
  status: number;
  contentType: string;
  body: Uint8Array;
  /** Redirect chain, first request first (empty when none). */
  redirects?: string[];
}

export type Fetcher = (url: string, options?: { kind?: FetchKind }) => Promise<FetchResult>;

export type FetchErrorCode =
  | 'blocked_address'
  | 'bad_scheme'
  | 'too_large'
  | 'timeout'
  | 'too_many_redirects'
  | 'network'
  | 'not_found';

export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string;
  constructor(code: FetchErrorCode, url: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchError';
    this.code = code;
    this.url = url;
  }
}

/** The body as parsed JSON, or undefined when it is not JSON. */
export function jsonBody(result: FetchResult): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(result.body));
  } catch {
    return undefined;
  }
}
