import { didOf, resolveDidDocument } from '../../did/resolve-did-document.js';
import { multikeyAlgorithm } from '../../did/multikey.js';
import type { Fetcher } from '../../verification/fetcher.js';
import {
  fetchJsonDocument,
  findVerificationMethod,
  isControllerDocument,
  type VerificationMethodJson,
} from './controller-document.js';

/**
 * How firmly the key is tied to the credential's issuer:
 * - confirmed: the issuer publishes the key (its controller/DID document lists it for
 *   assertions, or the key is the issuer's own did:key);
 * - self_asserted: the credential names a key "of" the issuer (e.g. `issuer#z6Mk…`) but the
 *   issuer's document could not be read to confirm it (what 1EdTech's validator accepts);
 * - mismatch: the key belongs to someone else, or the issuer's published document does not
 *   list it.
 */
export type KeyBinding = 'confirmed' | 'self_asserted' | 'mismatch';

export type KeyResolution =
  | {
      ok: true;
      method: VerificationMethodJson;
      binding: KeyBinding;
      detail: string;
    }
  | { ok: false; reason: 'invalid_method' | 'unsupported_method' | 'not_found'; detail: string };

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** The shape the cryptosuites import: Multikey when the key is multibase-encoded. */
function asMultikey(method: VerificationMethodJson, controller: string): VerificationMethodJson {
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

/** Checks a fragment key `controller#z…` against the controller's own published document. */
async function confirmWithController(
  methodId: string,
  controller: string,
  publicKeyMultibase: string,
  fetch: Fetcher,
): Promise<{ binding: KeyBinding; detail: string }> {
  let doc: unknown;
  let where: string;
  if (controller.startsWith('did:')) {
    const did = await resolveDidDocument(controller, fetch);
    if (!did.ok) return { binding: 'self_asserted', detail: did.detail };
    doc = did.document;
    where = controller;
  } else if (/^https?:\/\//.test(controller)) {
    const fetched = await fetchJsonDocument(controller, fetch);
    doc = fetched.body;
    where = fetched.detail;
  } else {
    return { binding: 'self_asserted', detail: `${controller} cannot be dereferenced` };
  }
  if (!isControllerDocument(doc)) {
    return { binding: 'self_asserted', detail: `no controller document at ${where}` };
  }
  const found = findVerificationMethod(doc, methodId);
  if (found.method && found.assertion && found.method.publicKeyMultibase === publicKeyMultibase) {
    return { binding: 'confirmed', detail: `listed for assertions by ${where}` };
  }
  return { binding: 'mismatch', detail: `${where} does not list ${methodId} for assertions` };
}

/**
 * Resolves a Data Integrity `verificationMethod` to a public key and its binding to
 * `issuerId`. Accepted forms (as 1EdTech's validator): `controller#<multibase key>`,
 * `did:key:…`, `did:web:…#…` (DID document through the fetcher), an http(s) URL of a key or
 * controller document. Other schemes and DID methods fail.
 */
export async function resolveVerificationMethod(
  methodId: string,
  issuerId: string | undefined,
  fetch: Fetcher,
): Promise<KeyResolution> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(methodId)?.[1]?.toLowerCase();
  if (!scheme) {
    return { ok: false, reason: 'invalid_method', detail: `not a URI: ${methodId}` };
  }
  const hash = methodId.indexOf('#');
  const fragment = hash >= 0 ? methodId.slice(hash + 1) : '';
  const before = hash >= 0 ? methodId.slice(0, hash) : methodId;

  // controller#z6Mk…: the key is in the identifier; the controller must be the issuer.
  if (fragment && multikeyAlgorithm(fragment) && !before.startsWith('did:key:')) {
    const method = asMultikey({ id: methodId, publicKeyMultibase: fragment }, before);
    if (issuerId !== before) {
      return {
        ok: true,
        method,
        binding: 'mismatch',
        detail: `key controller ${before} is not the issuer ${issuerId ?? '(none)'}`,
      };
    }
    const confirmation = await confirmWithController(methodId, before, fragment, fetch);
    return { ok: true, method, ...confirmation };
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
    const controller = found.method.controller ?? did;
    const method = asMultikey(found.method, controller);
    if (!found.assertion) {
      return { ok: true, method, binding: 'mismatch', detail: `${id} is not an assertionMethod` };
    }
    if (issuerId === did || issuerId === controller) {
      return { ok: true, method, binding: 'confirmed', detail: `key of the issuer's DID ${did}` };
    }
    // A did:key key signing for a non-DID issuer: nothing ties the two (1EdTech accepts it).
    if (did.startsWith('did:key:')) {
      return { ok: true, method, binding: 'self_asserted', detail: `${did} is not the issuer` };
    }
    return { ok: true, method, binding: 'mismatch', detail: `${did} is not the issuer` };
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
    let found: { method?: VerificationMethodJson; assertion: boolean };
    if (isControllerDocument(record)) {
      found = findVerificationMethod(record, methodId);
    } else {
      found = {
        method: { ...(record as VerificationMethodJson), id: methodId },
        assertion: false,
      };
    }
    const { method } = found;
    if (!method || (!method.publicKeyMultibase && !method.publicKeyJwk)) {
      return { ok: false, reason: 'not_found', detail: `no public key at ${fetched.detail}` };
    }
    const controller =
      typeof method.controller === 'string'
        ? method.controller
        : typeof record.id === 'string'
          ? record.id
          : before;
    const key = asMultikey(method, controller);
    if (controller !== issuerId) {
      return {
        ok: true,
        method: key,
        binding: 'mismatch',
        detail: `key controller ${controller} is not the issuer ${issuerId ?? '(none)'}`,
      };
    }
    if (isControllerDocument(record) && record.id === issuerId) {
      return found.assertion
        ? { ok: true, method: key, binding: 'confirmed', detail: `listed by ${issuerId}` }
        : {
            ok: true,
            method: key,
            binding: 'mismatch',
            detail: `${methodId} is not an assertionMethod`,
          };
    }
    if (method.publicKeyMultibase) {
      const confirmation = await confirmWithController(
        methodId,
        controller,
        method.publicKeyMultibase,
        fetch,
      );
      return { ok: true, method: key, ...confirmation };
    }
    return { ok: true, method: key, binding: 'self_asserted', detail: `key document ${methodId}` };
  }

  return { ok: false, reason: 'unsupported_method', detail: `unsupported scheme: ${scheme}` };
}
