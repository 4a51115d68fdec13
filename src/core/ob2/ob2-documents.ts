/**
 * Open Badges 2.0 documents as this platform publishes them (the subset of the spec we emit,
 * with the spec's property names). Every id is a full URL decided by the caller.
 */
export type Ob2Context = 'https://w3id.org/openbadges/v2';

/** How a hosted assertion may be checked: `allowedOrigins` are bare hosts (no port). */
export interface Ob2IssuerVerificationPolicy {
  type?: 'VerificationObject';
  allowedOrigins?: string[];
  startsWith?: string[];
}

export interface Ob2IssuerProfile {
  '@context': Ob2Context;
  type: 'Issuer';
  id: string;
  name: string;
  url: string;
  email: string;
  description?: string;
  image?: string;
  telephone?: string;
  /** Every key the issuer has signed with (old keys stay listed so old badges verify). */
  publicKey?: string[];
  revocationList?: string;
  verification?: Ob2IssuerVerificationPolicy;
}

export interface Ob2AlignmentObject {
  targetName: string;
  targetUrl: string;
  targetDescription?: string;
  targetFramework?: string;
  targetCode?: string;
}

export interface Ob2Criteria {
  id?: string;
  narrative: string;
}

export interface Ob2BadgeClass {
  '@context': Ob2Context;
  type: 'BadgeClass';
  id: string;
  name: string;
  description: string;
  image: string;
  criteria: Ob2Criteria;
  issuer: string;
  alignment?: Ob2AlignmentObject[];
  tags?: string[];
  /** URLs of hosted Endorsements whose claim is this badge class. */
  endorsement?: string[];
}

export interface Ob2IdentityObject {
  type: 'email';
  hashed: true;
  salt: string;
  identity: string;
}

export interface Ob2Evidence {
  id?: string;
  narrative?: string;
  name?: string;
  description?: string;
}

export type Ob2AssertionVerification =
  { type: 'hosted' } | { type: 'SignedBadge'; creator: string };

export interface Ob2Assertion {
  '@context': Ob2Context;
  type: 'Assertion';
  id: string;
  recipient: Ob2IdentityObject;
  badge: string;
  verification: Ob2AssertionVerification;
  issuedOn: string;
  expires?: string;
  image?: string;
  narrative?: string;
  evidence?: Ob2Evidence[];
  revoked?: boolean;
  revocationReason?: string;
  /** URLs of hosted Endorsements whose claim is this assertion. */
  endorsement?: string[];
}

export interface Ob2CryptographicKey {
  '@context': Ob2Context;
  type: 'CryptographicKey';
  id: string;
  owner: string;
  publicKeyPem: string;
}

export interface Ob2RevokedAssertion {
  id: string;
  revocationReason?: string;
}

export interface Ob2RevocationList {
  '@context': Ob2Context;
  type: 'RevocationList';
  id: string;
  issuer: string;
  revokedAssertions: Ob2RevokedAssertion[];
}

export interface Ob2EndorsementClaim {
  id: string;
  endorsementComment?: string;
}

export interface Ob2Endorsement {
  '@context': Ob2Context;
  type: 'Endorsement';
  id: string;
  claim: Ob2EndorsementClaim;
  issuer: string;
  issuedOn: string;
  verification: Ob2AssertionVerification;
}

/** Caller's choice of verification for an assertion or endorsement. */
export type Ob2VerificationInput = { type: 'hosted' } | { type: 'signed'; keyId: string };
