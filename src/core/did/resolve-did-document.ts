import { jsonBody, type Fetcher } from '../verification/fetcher.js';
import { multikeyAlgorithm } from './multikey.js';

export type DidDocument = Record<string, unknown> & { id: string };

export type DidResolution =
  | { ok: true; document: DidDocument; url?: string }
  | { ok: false; reason: 'unsupported_method' | 'invalid_did' | 'not_found'; detail: string };

/** The DID of a DID URL (without path, query or fragment). */
export function didOf(didUrl: string): string {
  return didUrl.split(/[#?/]/, 1)[0]!;
}

/** did:web → the HTTPS URL of its DID document (did:web method spec, read algorithm). */
export function didWebUrl(did: string): string | undefined {
  const specific = did.slice('did:web:'.length);
  if (!specific || /[/?#]/.test(specific)) return undefined;
  const [host, ...path] = specific.split(':').map((p) => decodeURIComponent(p));
  if (!host || path.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  try {
    const url = new URL(`https://${host}`);
    if (url.host.toLowerCase() !== host.toLowerCase()) return undefined;
  } catch {
    return undefined;
  }
  return path.length === 0
    ? `https://${host}/.well-known/did.json`
    : `https://${host}/${path.map(encodeURIComponent).join('/')}/did.json`;
}

/** did:key documents are derived from the identifier itself: no fetch. */
function didKeyDocument(did: string): DidResolution {
  const key = did.slice('did:key:'.length);
  if (!multikeyAlgorithm(key)) {
    return { ok: false, reason: 'invalid_did', detail: `did:key with an unknown key type: ${did}` };
  }
  const vm = `${did}#${key}`;
  return {
    ok: true,
    document: {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [{ id: vm, type: 'Multikey', controller: did, publicKeyMultibase: key }],
      assertionMethod: [vm],
      authentication: [vm],
    },
  };
}

/** Resolves did:key locally and did:web through the injected fetcher; other methods fail. */
export async function resolveDidDocument(did: string, fetch: Fetcher): Promise<DidResolution> {
  if (did.startsWith('did:key:')) return didKeyDocument(did);
  if (!did.startsWith('did:web:')) {
    return {
      ok: false,
      reason: 'unsupported_method',
      detail: `unsupported DID method: ${did.split(':').slice(0, 2).join(':')}`,
    };
  }
  const url = didWebUrl(did);
  if (!url) return { ok: false, reason: 'invalid_did', detail: `invalid did:web: ${did}` };
  try {
    const res = await fetch(url, { kind: 'json' });
    // A redirect to another origin serves someone else's document, not this DID's.
    if (new URL(res.url || url).origin !== new URL(url).origin) {
      return {
        ok: false,
        reason: 'not_found',
        detail: `the DID document of ${did} is served from another origin (${res.url})`,
      };
    }
    const body = res.status >= 200 && res.status < 300 ? jsonBody(res) : undefined;
    if (!body || typeof body !== 'object' || (body as { id?: unknown }).id !== did) {
      return {
        ok: false,
        reason: 'not_found',
        detail: `no DID document for ${did} at ${url} (HTTP ${res.status})`,
      };
    }
    return { ok: true, document: body as DidDocument, url };
  } catch (error) {
    return { ok: false, reason: 'not_found', detail: `${url}: ${(error as Error).message}` };
  }
}
