import type { JWK } from 'jose';
import { base58btcDecode, multikeyAlgorithm } from '../../did/multikey.js';
import { didOf, resolveDidDocument } from '../../did/resolve-did-document.js';
import type { Fetcher } from '../../verification/fetcher.js';
import {
  fetchJsonDocument,
  findVerificationMethod,
  isControllerDocument,
  type VerificationMethodJson,
} from './controller-document.js';
import type { KeyBinding } from './resolve-verification-method.js';

export type JwtKeyResolution =
  | { ok: true; jwk: JWK; binding: KeyBinding; detail: string }
  | { ok: false; reason: 'invalid_method' | 'unsupported_method' | 'not_found'; detail: string };

function isJwk(value: unknown): value is JWK {
  return typeof value === 'object' && value !== null && typeof (value as JWK).kty === 'string';
}

function jwkOfMethod(method: VerificationMethodJson): JWK | undefined {
  if (isJwk(method.publicKeyJwk)) return method.publicKeyJwk;
  const mb = method.publicKeyMultibase;
  if (mb && multikeyAlgorithm(mb) === 'Ed25519') {
    const bytes = base58btcDecode(mb.slice(1))!;
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bytes.subarray(2)).toString('base64url') };
  }
  return undefined;
}

/** A key URL under the issuer's own id (`<issuer>/keys/1`, `<issuer>#key-1`) is the issuer's. */
function underIssuer(kid: string, issuerId: string | undefined): boolean {
  if (!issuerId || !/^https?:\/\//.test(issuerId)) return false;
  const base = issuerId.replace(/[/#]+$/, '');
  return kid.startsWith(`${base}/`) || kid.startsWith(`${base}#`);
}

/**
 * Otherwise the issuer's controller document at its https id must list the kid for assertions
 * (did issuers: see listedByIssuerDid, which also compares the keys).
 */
async function listedByIssuer(kid: string, issuerId: string | undefined, fetch: Fetcher) {
  if (!issuerId || !/^https?:\/\//.test(issuerId)) return false;
  const { body } = await fetchJsonDocument(issuerId, fetch);
  return isControllerDocument(body) && findVerificationMethod(body, kid).assertion;
}

/**
 * A did:web issuer may list an https `kid` in its DID document (a JsonWebKey verification
 * method under assertionMethod): the key is the issuer's when the DID document says so and
 * names the same public key as the URL.
 */
async function listedByIssuerDid(
  kid: string,
  issuerId: string | undefined,
  key: JWK,
  fetch: Fetcher,
): Promise<KeyBinding | undefined> {
  if (!issuerId?.startsWith('did:')) return undefined;
  const resolved = await resolveDidDocument(didOf(issuerId), fetch);
  if (!resolved.ok) return undefined;
  const found = findVerificationMethod(resolved.document, kid);
  const listed = found.method && jwkOfMethod(found.method);
  if (!listed || !found.assertion) return undefined;
  return samePublicKey(listed, key) ? 'confirmed' : 'mismatch';
}

function samePublicKey(a: JWK, b: JWK): boolean {
  return (['kty', 'crv', 'n', 'e', 'x', 'y'] as const).every((p) => a[p] === b[p]);
}

/**
 * The public key of a VC-JWT: `kid` dereferenced (a URL returning one JWK, a JWKS, a
 * controller document, or a DID URL), else the header's `jwk`. A `kid` under the issuer's id,
 * listed by the issuer's controller document, or in the issuer's DID binds the key to it; a bare header `jwk` proves nothing about who
 * signed (1EdTech's validator accepts it: see KeyBinding).
 */
export async function resolveJwtKey(
  header: { kid?: unknown; jwk?: unknown },
  issuerId: string | undefined,
  fetch: Fetcher,
): Promise<JwtKeyResolution> {
  const { kid, jwk } = header;
  if (typeof kid === 'string' && kid !== '') {
    if (kid.startsWith('did:')) {
      const did = didOf(kid);
      const resolved = await resolveDidDocument(did, fetch);
      if (!resolved.ok) {
        return {
          ok: false,
          reason: resolved.reason === 'unsupported_method' ? 'unsupported_method' : 'not_found',
          detail: resolved.detail,
        };
      }
      const found = findVerificationMethod(resolved.document, kid);
      const key = found.method && jwkOfMethod(found.method);
      if (!key) return { ok: false, reason: 'not_found', detail: `${kid} not in DID document` };
      const binding: KeyBinding =
        issuerId === did && found.assertion
          ? 'confirmed'
          : did.startsWith('did:key:')
            ? 'self_asserted'
            : 'mismatch';
      return { ok: true, jwk: key, binding, detail: `${kid} (${binding})` };
    }
    if (/^https?:\/\//.test(kid)) {
      const fetched = await fetchJsonDocument(kid, fetch);
      const body = fetched.body;
      let key: JWK | undefined;
      let binding: KeyBinding = underIssuer(kid, issuerId) ? 'confirmed' : 'self_asserted';
      if (isJwk(body)) key = body;
      else if (
        typeof body === 'object' &&
        body !== null &&
        Array.isArray((body as { keys?: unknown }).keys)
      ) {
        const keys = (body as { keys: unknown[] }).keys.filter(isJwk);
        const fragment = kid.includes('#') ? kid.slice(kid.indexOf('#') + 1) : undefined;
        key =
          keys.find((k) => k.kid === kid || (fragment && k.kid === fragment)) ??
          (keys.length === 1 ? keys[0] : undefined);
      } else if (isControllerDocument(body)) {
        const found = findVerificationMethod(body, kid);
        key = found.method && jwkOfMethod(found.method);
        if (body.id === issuerId && found.assertion) binding = 'confirmed';
      }
      if (!key) return { ok: false, reason: 'not_found', detail: `no JWK at ${fetched.detail}` };
      if (binding !== 'confirmed' && (await listedByIssuer(kid, issuerId, fetch))) {
        binding = 'confirmed';
      }
      if (binding !== 'confirmed') {
        binding = (await listedByIssuerDid(kid, issuerId, key, fetch)) ?? binding;
      }
      return { ok: true, jwk: key, binding, detail: `kid ${kid} (${binding})` };
    }
    if (!isJwk(jwk)) {
      return { ok: false, reason: 'unsupported_method', detail: `kid is not a URL: ${kid}` };
    }
  }
  if (isJwk(jwk)) {
    return { ok: true, jwk, binding: 'self_asserted', detail: 'public key embedded in the header' };
  }
  return { ok: false, reason: 'invalid_method', detail: 'the JOSE header has neither kid nor jwk' };
}
