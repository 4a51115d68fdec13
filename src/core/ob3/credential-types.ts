import { BadgeError } from '../errors.js';

/**
 * OB 3.0 / VC Data Model 2.0 document shapes the core builds. Index signatures keep them open:
 * credentials from other issuers carry many more properties, and the verifier reads them as
 * unknown JSON.
 */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const VC_V1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const OB3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
/** Defines the 1EdTech terms (`1EdTechRevocationList`…) that the OB 3.0.3 context lacks. */
export const OB3_EXTENSIONS_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
/** The order matters: the VC context first, then Open Badges (JSON-LD term definitions). */
export const OB3_CREDENTIAL_CONTEXTS: readonly string[] = [VC_V2_CONTEXT, OB3_CONTEXT];

export interface Ob3Image {
  id: string;
  type: 'Image';
  caption?: string;
}

export interface Ob3Profile {
  id: string;
  type: string[];
  name?: string;
  url?: string;
  email?: string;
  description?: string;
  image?: Ob3Image;
  [key: string]: unknown;
}

export interface IdentityObject {
  type: 'IdentityObject';
  hashed: boolean;
  identityHash: string;
  identityType: string;
  salt?: string;
}

export interface Ob3Alignment {
  type: ['Alignment'];
  targetName: string;
  targetUrl: string;
  targetFramework?: string;
  targetCode?: string;
  targetDescription?: string;
}

export interface Ob3Achievement {
  id: string;
  type: ['Achievement'];
  name: string;
  description: string;
  criteria: { id?: string; narrative?: string };
  image?: Ob3Image;
  alignment?: Ob3Alignment[];
  tag?: string[];
  achievementType?: string;
  [key: string]: unknown;
}

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: string;
  statusListIndex: string;
  statusListCredential: string;
}

export interface RevocationListEntry {
  id: string;
  type: '1EdTechRevocationList';
}

export type CredentialStatusEntry = BitstringStatusListEntry | RevocationListEntry;

export interface DataIntegrityProofJson {
  type: 'DataIntegrityProof';
  cryptosuite: string;
  created?: string;
  verificationMethod: string;
  proofPurpose: string;
  proofValue: string;
  [key: string]: unknown;
}

export interface VerifiableCredentialJson {
  '@context': string[];
  id: string;
  type: string[];
  issuer: Ob3Profile | string;
  validFrom: string;
  validUntil?: string;
  name?: string;
  description?: string;
  credentialSubject: Record<string, unknown>;
  credentialStatus?: CredentialStatusEntry | CredentialStatusEntry[];
  proof?: DataIntegrityProofJson | DataIntegrityProofJson[];
  [key: string]: unknown;
}

export interface OpenBadgeCredentialJson extends VerifiableCredentialJson {
  issuer: Ob3Profile;
  name: string;
  credentialSubject: {
    type: ['AchievementSubject'];
    id?: string;
    identifier?: IdentityObject[];
    achievement: Ob3Achievement;
    [key: string]: unknown;
  };
}

/** xsd:dateTimeStamp without milliseconds, the form the specs' examples use. */
export function toDateTimeStamp(value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime()))
    throw new BadgeError('invalid_input', `Invalid date: ${String(value)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
