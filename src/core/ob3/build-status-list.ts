import { BadgeError } from '../errors.js';
import { encodeBitstring, MIN_STATUS_LIST_BITS } from './bitstring.js';
import {
  toDateTimeStamp,
  VC_V2_CONTEXT,
  type BitstringStatusListEntry,
  type RevocationListEntry,
  type VerifiableCredentialJson,
} from './credential-types.js';

export type StatusPurpose = 'revocation' | 'suspension';

/**
 * The `credentialStatus` of a credential whose status is bit `index` of the list at
 * `statusListCredential` (index allocation is the application's job).
 */
export function buildBitstringStatusListEntry(input: {
  statusListCredential: string;
  statusListIndex: number;
  statusPurpose?: StatusPurpose;
}): BitstringStatusListEntry {
  const { statusListCredential, statusListIndex } = input;
  if (!Number.isInteger(statusListIndex) || statusListIndex < 0) {
    throw new BadgeError('invalid_input', 'statusListIndex must be a non-negative integer');
  }
  return {
    id: `${statusListCredential}#${statusListIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: input.statusPurpose ?? 'revocation',
    // A string, as the Bitstring Status List spec writes it.
    statusListIndex: String(statusListIndex),
    statusListCredential,
  };
}

/** A 1EdTechRevocationList entry (needs the OB 3.0 extensions context; see the report). */
export function buildRevocationListEntry(revocationListUrl: string): RevocationListEntry {
  return { id: revocationListUrl, type: '1EdTechRevocationList' };
}

/**
 * An unsigned BitstringStatusListCredential listing `setIndexes` (revoked or suspended
 * credentials). Sign it with signCredentialDataIntegrity before serving it.
 */
export function buildBitstringStatusListCredential(input: {
  /** The URL the list is served at (what entries name as statusListCredential). */
  id: string;
  /** The issuer id: the same issuer as the credentials that point at the list. */
  issuer: string;
  validFrom: Date | string;
  validUntil?: Date | string;
  statusPurpose?: StatusPurpose;
  setIndexes: Iterable<number>;
  length?: number;
}): VerifiableCredentialJson {
  const credential: VerifiableCredentialJson = {
    '@context': [VC_V2_CONTEXT],
    id: input.id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: toDateTimeStamp(input.validFrom),
    credentialSubject: {
      id: `${input.id}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.statusPurpose ?? 'revocation',
      encodedList: encodeBitstring(input.setIndexes, input.length ?? MIN_STATUS_LIST_BITS),
    },
  };
  if (input.validUntil !== undefined) credential.validUntil = toDateTimeStamp(input.validUntil);
  return credential;
}
