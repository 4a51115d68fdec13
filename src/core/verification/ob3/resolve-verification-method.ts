import { didOf, resolveDidDocument } from '../../did/resolve-did-document.js';
import { multikeyAlgorithm } from '../../did/multikey.js';
import type { Fetcher } from '../fetcher.js';
import {
  fetchJsonDocument,
  findVerificationMethod,
  isControllerDocument,
  type VerificationMethodJson,
} from './controller-document.js';

/**
 * The public key a Data Integrity proof names, read from where the proof points. This only
 * gives key material to check the signature with; whether the key speaks for the issuer is
 * decided by the issuer-binding rule (../../verification/issuer-binding.ts), never here.
 */
export type KeyResolution =
  | { ok: true; method: VerificationMethodJson; detail: string }
  | { ok: false; reason: 'invalid_method' | 'unsupported_method' | 'not_found'; detail: string };

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** The shape the cryptosuites import: Multikey when the key is multibase-encoded. */
export function asMultikey(
  method: VerificationMethodJson,
  controller: string,
): VerificationMethodJson {
  if (method.publicKeyMultibase) {
    return {
      '@context': MULTIKEY_CONTEXT,
      id: method.id,
      type: 'Multikey',
      controller,
      publicKeyMultibase: method.publicKeyMultibase,
    };
  }
  return { ...method, '@context': MULTIKEY_CONTEXT, controller };
}

/**
 * Resolves a Data Integrity `verificationMethod` to a public key. Accepted forms (as 1EdTech's
 * validator): `controller#<multibase key>`, `did:key:…`, `did:web:…#…` (DID document through
 * the fetcher), an http(s) URL of a key or controller document. Other schemes and DID methods
 * fail.
 */
export async function resolveVerificationMethod(
  methodId: string,
  fetch: Fetcher,
): Promise<KeyResolution> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(methodId)?.[1]?.toLowerCase();
  if (!scheme) {
    return { ok: false, reason: 'invalid_method', detail: `not a URI: ${methodId}` };
  }
  const hash = methodId.indexOf('#');
  const fragment = hash >= 0 ? methodId.slice(hash + 1) : '';
  const before = hash >= 0 ? methodId.slice(0, hash) : methodId;

  // controller#z6Mk…: the key is written in the identifier itself.
  if (fragment && multikeyAlgorithm(fragment) && !before.startsWith('did:key:')) {
    const method = asMultikey({ id: methodId, publicKeyMultibase: fragment }, before);
    return { ok: true, method, detail: `key written in ${methodId}` };
  }

  if (scheme === 'did') {
    const did = didOf(methodId);
    const resolved = await resolveDidDocument(did, fetch);
    if (!resolved.ok) {
      return {
        ok: false,
        reason: resolved.reason === 'unsupported_method' ? 'unsupported_method' : 'not_found',
        detail: resolved.detail,
      };
    }
    // did:key without fragment names its only key.
    const id = hash < 0 && did.startsWith('did:key:') ? `${did}#${did.slice(8)}` : methodId;
    const found = findVerificationMethod(resolved.document, id);
    if (!found.method) {
      return { ok: false, reason: 'not_found', detail: `${id} is not in the DID document` };
    }
    const method = asMultikey(found.method, found.method.controller ?? did);
    return { ok: true, method, detail: `${id} in the DID document of ${did}` };
  }

  if (scheme === 'http' || scheme === 'https') {
    const fetched = await fetchJsonDocument(methodId, fetch);
    const doc = fetched.body;
    if (typeof doc !== 'object' || doc === null) {
      return {
        ok: false,
        reason: 'not_found',
        detail: `key document not found: ${fetched.detail}`,
      };
    }
    const record = doc as Record<string, unknown>;
    // Either the key document itself or a controller document that lists it.
    const method = isControllerDocument(record)
      ? findVerificationMethod(record, methodId).method
      : { ...(record as VerificationMethodJson), id: methodId };
    if (!method || (!method.publicKeyMultibase && !method.publicKeyJwk)) {
      return { ok: false, reason: 'not_found', detail: `no public key at ${fetched.detail}` };
    }
    const controller = typeof method.controller === 'string' ? method.controller : before;
    return { ok: true, method: asMultikey(method, controller), detail: `key document ${methodId}` };
  }

  return { ok: false, reason: 'unsupported_method', detail: `unsupported scheme: ${scheme}` };
}
