import { bitAt, decodeBitstring } from '../../ob3/bitstring.js';
import type { Fetcher } from '../fetcher.js';
import { fetchJsonDocument } from './controller-document.js';
import { verifyDataIntegrityProofs } from './verify-data-integrity-proofs.js';

type Json = Record<string, unknown>;

export type StatusOutcome =
  | { state: 'none' }
  | { state: 'active'; detail: string }
  | { state: 'revoked'; detail: string; reason?: string }
  | { state: 'suspended'; detail: string }
  | { state: 'unavailable'; detail: string }
  | { state: 'unsupported'; detail: string };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issuerIdOf(credential: Json): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  return isObject(issuer) && typeof issuer.id === 'string' ? issuer.id : undefined;
}

function typesOf(value: Json): unknown[] {
  return Array.isArray(value.type) ? value.type : [value.type];
}

async function checkBitstringEntry(
  entry: Json,
  credential: Json,
  now: Date,
  fetch: Fetcher,
): Promise<StatusOutcome> {
  const url = entry.statusListCredential;
  const index = Number(entry.statusListIndex);
  const purpose = entry.statusPurpose;
  if (
    typeof url !== 'string' ||
    !Number.isInteger(index) ||
    index < 0 ||
    typeof purpose !== 'string'
  ) {
    return { state: 'unavailable', detail: 'malformed BitstringStatusListEntry' };
  }
  const fetched = await fetchJsonDocument(url, fetch);
  const list = fetched.body;
  if (!isObject(list) || !typesOf(list).includes('BitstringStatusListCredential')) {
    return {
      state: 'unavailable',
      detail: `no BitstringStatusListCredential at ${fetched.detail}`,
    };
  }
  // A list anyone could have written proves nothing: it must be signed by the same issuer.
  const listIssuer = issuerIdOf(list);
  if (listIssuer !== issuerIdOf(credential)) {
    return { state: 'unavailable', detail: `status list issuer ${listIssuer} is not the issuer` };
  }
  const proofs = await verifyDataIntegrityProofs(list, listIssuer, fetch);
  // Its signing key must not be someone else's (issuer-binding.ts); whether an unreadable
  // issuer document is acceptable is the credential's own issuer check, on the same document.
  const bad = proofs.find((p) => !p.ok || p.binding.status === 'mismatch');
  if (bad) {
    return {
      state: 'unavailable',
      detail: `status list signature: ${bad.ok ? bad.binding.detail : bad.detail}`,
    };
  }
  const validUntil = typeof list.validUntil === 'string' ? Date.parse(list.validUntil) : NaN;
  if (!Number.isNaN(validUntil) && validUntil < now.getTime()) {
    return { state: 'unavailable', detail: `status list expired on ${String(list.validUntil)}` };
  }
  const subject = list.credentialSubject;
  if (!isObject(subject) || typeof subject.encodedList !== 'string') {
    return { state: 'unavailable', detail: 'status list has no encodedList' };
  }
  if (subject.statusPurpose !== purpose) {
    return { state: 'unavailable', detail: `status list purpose is not ${purpose}` };
  }
  let bit: boolean | undefined;
  try {
    bit = bitAt(decodeBitstring(subject.encodedList), index);
  } catch (error) {
    return { state: 'unavailable', detail: (error as Error).message };
  }
  if (bit === undefined) return { state: 'unavailable', detail: `index ${index} outside the list` };
  const detail = `${url} bit ${index} (${purpose}) = ${bit ? 1 : 0}`;
  if (!bit) return { state: 'active', detail };
  if (purpose === 'revocation') return { state: 'revoked', detail };
  if (purpose === 'suspension') return { state: 'suspended', detail };
  // Other purposes (message, refresh…) say nothing about validity.
  return { state: 'active', detail };
}

async function checkRevocationList(
  entry: Json,
  credential: Json,
  fetch: Fetcher,
): Promise<StatusOutcome> {
  if (typeof entry.id !== 'string') {
    return { state: 'unavailable', detail: 'malformed 1EdTechRevocationList entry' };
  }
  const fetched = await fetchJsonDocument(entry.id, fetch);
  const list = fetched.body;
  if (!isObject(list))
    return { state: 'unavailable', detail: `no revocation list at ${fetched.detail}` };
  // The OB 3.0 text says revokedCredentials; some lists write revokedCredential.
  const items = [list.revokedCredentials, list.revokedCredential].flatMap((v) =>
    Array.isArray(v) ? v : [],
  );
  const hit = items.find((i) => isObject(i) && i.id === credential.id && i.revoked !== false);
  if (!isObject(hit)) return { state: 'active', detail: `not listed in ${entry.id}` };
  return {
    state: 'revoked',
    detail: `listed as revoked in ${entry.id}`,
    ...(typeof hit.revocationReason === 'string' ? { reason: hit.revocationReason } : {}),
  };
}

/** The credential's status according to each of its `credentialStatus` entries. */
export async function checkCredentialStatus(
  credential: Json,
  now: Date,
  fetch: Fetcher,
): Promise<StatusOutcome[]> {
  const raw = credential.credentialStatus;
  if (raw === undefined) return [{ state: 'none' }];
  const entries = (Array.isArray(raw) ? raw : [raw]).filter(isObject);
  if (entries.length === 0) return [{ state: 'unsupported', detail: 'malformed credentialStatus' }];
  return Promise.all(
    entries.map(async (entry): Promise<StatusOutcome> => {
      const type = typesOf(entry);
      if (type.includes('BitstringStatusListEntry')) {
        return checkBitstringEntry(entry, credential, now, fetch);
      }
      if (type.includes('1EdTechRevocationList'))
        return checkRevocationList(entry, credential, fetch);
      return { state: 'unsupported', detail: `unsupported status type ${String(entry.type)}` };
    }),
  );
}
