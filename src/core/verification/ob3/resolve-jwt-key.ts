import type { JWK } from 'jose';
import { didOf, resolveDidDocument } from '../../did/resolve-did-document.js';
import type { Fetcher } from '../fetcher.js';
import { bindKeyToIssuer, keyMaterialOf, type IssuerBinding } from '../issuer-binding.js';
import {
  fetchJsonDocument,
  findVerificationMethod,
  isControllerDocument,
} from './controller-document.js';

export type JwtKeyResolution =
  | { ok: true; jwk: JWK; binding: IssuerBinding; detail: string }
  | { ok: false; reason: 'invalid_method' | 'unsupported_method' | 'not_found'; detail: string };

function isJwk(value: unknown): value is JWK {
  return typeof value === 'object' && value !== null && typeof (value as JWK).kty === 'string';
}

/** The key a `kid` points to: a JWK, a JWKS entry, a controller document's method, a DID URL. */
async function keyAtKid(kid: string, fetch: Fetcher): Promise<JWK | string> {
  if (kid.startsWith('did:')) {
    const resolved = await resolveDidDocument(didOf(kid), fetch);
    if (!resolved.ok) return resolved.detail;
    const found = findVerificationMethod(resolved.document, kid);
    return (found.method && keyMaterialOf(found.method)?.jwk) ?? `${kid} not in DID document`;
  }
  if (!/^https?:\/\//.test(kid)) return `kid is not a URL: ${kid}`;
  const fetched = await fetchJsonDocument(kid, fetch);
  const body = fetched.body;
  if (isJwk(body)) return body;
  if (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { keys?: unknown }).keys)
  ) {
    const keys = (body as { keys: unknown[] }).keys.filter(isJwk);
    const fragment = kid.includes('#') ? kid.slice(kid.indexOf('#') + 1) : undefined;
    const key =
      keys.find((k) => k.kid === kid || (fragment && k.kid === fragment)) ??
      (keys.length === 1 ? keys[0] : undefined);
    if (key) return key;
  } else if (isControllerDocument(body)) {
    const found = findVerificationMethod(body, kid);
    const key = found.method && keyMaterialOf(found.method)?.jwk;
    if (key) return key;
  }
  return `no JWK at ${fetched.detail}`;
}

/**
 * The public key of a VC-JWT and whether it speaks for the issuer. The `kid` goes through the
 * issuer-binding rule: when the issuer's own document lists it, the signature is checked with
 * the key listed there. A `jwk` header (or `jku`, `x5u`, `x5c`) never establishes who signed;
 * without a usable `kid` the key is at best `unconfirmed` (1EdTech's validator accepts it).
 */
export async function resolveJwtKey(
  header: { kid?: unknown; jwk?: unknown },
  issuerId: string | undefined,
  fetch: Fetcher,
): Promise<JwtKeyResolution> {
  const { kid, jwk } = header;
  if (typeof kid === 'string' && kid !== '') {
    let binding = await bindKeyToIssuer({ issuerId, keyId: kid, fetch });
    if (binding.status === 'confirmed' && binding.key?.jwk) {
      return { ok: true, jwk: binding.key.jwk, binding, detail: binding.detail };
    }
    const found = await keyAtKid(kid, fetch);
    if (typeof found === 'string') {
      // The kid leads nowhere: a header jwk may still tell a forgery from a foreign signature.
      if (isJwk(jwk)) return { ok: true, jwk, binding, detail: `${found}; header jwk` };
      return {
        ok: false,
        reason: /not a URL/.test(found) ? 'unsupported_method' : 'not_found',
        detail: found,
      };
    }
    if (binding.status === 'confirmed') {
      // Listed by reference only: the key read at the kid must be the one listed.
      binding = await bindKeyToIssuer({ issuerId, keyId: kid, material: { jwk: found }, fetch });
    }
    return { ok: true, jwk: found, binding, detail: `kid ${kid}: ${binding.detail}` };
  }
  if (isJwk(jwk)) {
    const binding = await bindKeyToIssuer({ issuerId, keyId: undefined, fetch });
    return { ok: true, jwk, binding, detail: 'public key embedded in the header' };
  }
  return { ok: false, reason: 'invalid_method', detail: 'the JOSE header has neither kid nor jwk' };
}
