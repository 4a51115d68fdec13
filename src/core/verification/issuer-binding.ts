import { didOf, resolveDidDocument } from '../did/resolve-did-document.js';
import { jsonBody, type Fetcher } from './fetcher.js';
import { keyMaterialOf, sameKeyMaterial, type KeyMaterial } from './key-material.js';

export { keyMaterialOf, sameKeyMaterial, samePublicKey, type KeyMaterial } from './key-material.js';

/**
 * The one rule that ties a signing key to the issuer a badge names (docs/verification.md):
 * a key speaks for an issuer only if a document fetched FROM THE ISSUER'S OWN IDENTIFIER lists
 * it for assertions, with identical key material.
 * - issuer did:web → its DID document lists the method under `assertionMethod`;
 * - issuer https → the profile served at that URL (same origin after redirects, declaring that
 *   id) lists it under `assertionMethod` (OB 3.0) or `publicKey` (OB 2.0);
 * - issuer did:key → only that did:key's own key;
 * - a key document's `owner`/`controller` back-link, a JOSE `jwk`/`jku`/`x5u`/`x5c` header, or a
 *   controller document found at the key's own URL never establishes it: the attacker writes them.
 *
 * Outcomes: `confirmed` (listed, same material), `mismatch` (the issuer's document was read and
 * does not list this key, or lists other material: someone else signed) and `unconfirmed` (the
 * issuer's own document could not be read, so nothing ties the key to it).
 */
export type IssuerBinding =
  | {
      status: 'confirmed';
      keyId: string;
      /** The key as the issuer lists it (material and its verification method entry). */
      key?: KeyMaterial;
      method?: Record<string, unknown>;
      detail: string;
    }
  | { status: 'mismatch' | 'unconfirmed'; keyId?: string; detail: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function absolute(id: string, base: string): string {
  return id.startsWith('#') ? `${base}${id}` : id;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** What a document says of `keyId`: listed for assertions (with its material when given). */
export type Listing =
  | { listed: true; material?: KeyMaterial; entry?: Json }
  | { listed: false; reason: 'absent' | 'not_for_assertions' | 'other_material' };

/**
 * Whether `doc` (the issuer's own document) lists `keyId` as a key that may sign its badges:
 * DID/controller documents through `assertionMethod` (embedded, or by reference to a
 * `verificationMethod` entry), OB 2.0 issuer profiles through `publicKey` (IRI or embedded
 * CryptographicKey). When `material` is given, the listed key must be that very key.
 */
export function keyListedBy(doc: Json, keyId: string, material?: KeyMaterial): Listing {
  const base = typeof doc.id === 'string' ? doc.id : '';
  const sameId = (value: unknown) =>
    typeof value === 'string'
      ? absolute(value, base) === keyId
      : isObject(value) && typeof value.id === 'string' && absolute(value.id, base) === keyId;

  let entry: Json | undefined;
  let assertion = false;
  for (const vm of asArray(doc.verificationMethod)) {
    if (isObject(vm) && sameId(vm)) entry = vm;
  }
  for (const am of asArray(doc.assertionMethod)) {
    if (!sameId(am)) continue;
    assertion = true;
    if (isObject(am)) entry = am;
  }
  // OB 2.0: the Issuer's `publicKey` names the CryptographicKeys allowed to sign.
  for (const pk of asArray(doc.publicKey)) {
    if (!sameId(pk)) continue;
    assertion = true;
    if (isObject(pk)) entry = pk;
  }
  if (!assertion) return { listed: false, reason: entry ? 'not_for_assertions' : 'absent' };
  const listedMaterial = entry ? keyMaterialOf(entry) : undefined;
  if (material && listedMaterial && !sameKeyMaterial(material, listedMaterial)) {
    return { listed: false, reason: 'other_material' };
  }
  return listedMaterial && entry
    ? { listed: true, material: listedMaterial, entry: { ...entry, id: keyId } }
    : { listed: true };
}

/**
 * The issuer's own document: its DID document, or the JSON served at its https id (the final
 * URL on the same origin, declaring the same id). undefined with a reason when it cannot be read.
 */
export async function fetchIssuerDocument(
  issuerId: string,
  fetch: Fetcher,
): Promise<{ doc: Json; detail: string } | { doc?: undefined; detail: string }> {
  if (issuerId.startsWith('did:')) {
    const resolved = await resolveDidDocument(didOf(issuerId), fetch);
    if (!resolved.ok) return { detail: resolved.detail };
    return { doc: resolved.document, detail: `DID document of ${issuerId}` };
  }
  if (!/^https?:\/\//.test(issuerId)) return { detail: `${issuerId} cannot be dereferenced` };
  try {
    const res = await fetch(issuerId.split('#', 1)[0]!, { kind: 'json' });
    if (res.status < 200 || res.status >= 300) return { detail: `${issuerId}: HTTP ${res.status}` };
    if (originOf(res.url) !== originOf(issuerId)) {
      return { detail: `${issuerId} redirects to another origin (${res.url})` };
    }
    const body = jsonBody(res);
    if (!isObject(body)) return { detail: `${issuerId}: not JSON` };
    if (body.id !== issuerId) {
      return { detail: `the document at ${issuerId} declares the id ${String(body.id)}` };
    }
    return { doc: body, detail: `profile at ${issuerId}` };
  } catch (error) {
    return { detail: `${issuerId}: ${(error as Error).message}` };
  }
}

/**
 * Applies the rule to the key id `keyId` (a Data Integrity `verificationMethod`, a JWT `kid`,
 * an OB 2.0 `verification.creator`) for the issuer `issuerId`. With `material` (the key the
 * signature was checked with), the listed key must be that key; without it, the answer gives
 * the listed material, which the caller then verifies the signature with. `issuerDocument`
 * may be given when the caller already read the issuer's document from its own id (OB 2.0).
 */
export async function bindKeyToIssuer(input: {
  issuerId: string | undefined;
  keyId: string | undefined;
  material?: KeyMaterial;
  fetch: Fetcher;
  issuerDocument?: Json;
}): Promise<IssuerBinding> {
  const { issuerId, keyId, material, fetch } = input;
  if (!issuerId) return { status: 'mismatch', detail: 'the badge names no issuer' };
  if (!keyId) {
    return {
      status: 'unconfirmed',
      detail: 'no key id: a key carried by the signature itself proves nothing about its signer',
    };
  }
  // A did:key speaks for the issuer only when it is the issuer (its document is derived from
  // the identifier, listing that one key) or the issuer's own document lists it, like any key.
  let doc = input.issuerDocument;
  let where = `profile of ${issuerId}`;
  if (!doc) {
    const fetched = await fetchIssuerDocument(issuerId, fetch);
    if (!fetched.doc) return { status: 'unconfirmed', keyId, detail: fetched.detail };
    doc = fetched.doc;
    where = fetched.detail;
  }
  const listing = keyListedBy(doc, keyId, material);
  if (listing.listed) {
    if (!material && !listing.material) {
      return { status: 'mismatch', keyId, detail: `${where} lists ${keyId} without key material` };
    }
    return {
      status: 'confirmed',
      keyId,
      ...(listing.material ? { key: listing.material, method: listing.entry } : {}),
      detail: `${keyId} listed for assertions by the ${where}`,
    };
  }
  const why =
    listing.reason === 'other_material'
      ? `lists ${keyId} with other key material`
      : listing.reason === 'not_for_assertions'
        ? `lists ${keyId} but not for assertions`
        : `does not list ${keyId}`;
  return { status: 'mismatch', keyId, detail: `the ${where} ${why}` };
}
