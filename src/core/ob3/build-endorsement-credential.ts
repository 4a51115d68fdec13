import { BadgeError } from '../errors.js';
import {
  buildIssuerProfile,
  credentialContexts,
  type Ob3IssuerInput,
} from './build-open-badge-credential.js';
import {
  toDateTimeStamp,
  type CredentialStatusEntry,
  type VerifiableCredentialJson,
} from './credential-types.js';

export interface EndorsementCredentialInput {
  /** The endorsement credential's URL. */
  id: string;
  /** Who endorses. */
  issuer: Ob3IssuerInput;
  /** What is endorsed: an Achievement, a Profile or a credential id. */
  endorsedId: string;
  name: string;
  comment?: string;
  validFrom: Date | string;
  validUntil?: Date | string;
  credentialStatus?: CredentialStatusEntry;
}

/** An unsigned EndorsementCredential (OB 3.0, VC Data Model 2.0). */
export function buildEndorsementCredential(
  input: EndorsementCredentialInput,
): VerifiableCredentialJson {
  if (!input.endorsedId || !/^[a-z][a-z0-9+.-]*:/i.test(input.endorsedId)) {
    throw new BadgeError('invalid_input', 'endorsedId must be an absolute URI');
  }
  if (!input.name?.trim()) throw new BadgeError('invalid_input', 'name is required');
  const status = input.credentialStatus ? [input.credentialStatus] : undefined;
  const subject: Record<string, unknown> = { id: input.endorsedId, type: ['EndorsementSubject'] };
  if (input.comment) subject.endorsementComment = input.comment;
  const credential: VerifiableCredentialJson = {
    '@context': credentialContexts(status),
    id: input.id,
    type: ['VerifiableCredential', 'EndorsementCredential'],
    name: input.name,
    issuer: buildIssuerProfile(input.issuer),
    validFrom: toDateTimeStamp(input.validFrom),
    credentialSubject: subject,
  };
  if (input.validUntil !== undefined) credential.validUntil = toDateTimeStamp(input.validUntil);
  if (input.credentialStatus) credential.credentialStatus = input.credentialStatus;
  return credential;
}
