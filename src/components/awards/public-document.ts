import { createHash } from 'node:crypto';
import type { SentDocument } from '../../libraries/http/document-response.js';

/** A public document as HTTP serves it: status, type, bytes, validators, cache policy. */
/** 200, or 410 for a revoked hosted assertion; a strong ETag from the bytes; more headers
 * (Content-Disposition for images, a sandbox CSP for SVG). */
export type PublicDocument = SentDocument;

export const CACHE = {
  /** Issuer, badge class, keys, did.json: change rarely; a few minutes of staleness is fine. */
  stable: 'public, max-age=300',
  /** Assertions, revocation and status lists, signed forms: revocation must show at once. */
  live: 'no-cache',
  /** Badge class images: fixed for a given badge. */
  image: 'public, max-age=86400',
} as const;

/** An SVG is an image, never a document: nothing may load or run if it is opened directly. */
export const SVG_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'X-Content-Type-Options': 'nosniff',
};

export const MEDIA = {
  ldJson: 'application/ld+json; charset=utf-8',
  json: 'application/json; charset=utf-8',
  didJson: 'application/did+json; charset=utf-8',
  jwk: 'application/jwk+json; charset=utf-8',
  jwks: 'application/jwk-set+json; charset=utf-8',
  vcLdJson: 'application/vc+ld+json; charset=utf-8',
  vcJwt: 'application/vc+jwt',
  text: 'text/plain; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export function doc(
  body: Buffer | string,
  contentType: string,
  cacheControl: string,
  extra: { status?: number; headers?: Record<string, string> } = {},
): PublicDocument {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    status: extra.status ?? 200,
    contentType,
    body: bytes,
    etag: etagOf(bytes),
    cacheControl,
    ...(extra.headers ? { headers: extra.headers } : {}),
  };
}

export function jsonDoc(
  value: unknown,
  contentType: string,
  cacheControl: string,
  status = 200,
): PublicDocument {
  return doc(`${JSON.stringify(value, null, 2)}\n`, contentType, cacheControl, { status });
}
