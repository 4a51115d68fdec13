/**
 * The OB 2.0 classes and the rules their properties follow, transcribed from
 * openbadges-validator-core (validation.py, ClassValidators) with 1EdTech's Java port where
 * they differ (startsWith may be a list; publicKey may list several keys, as the spec's
 * "key(s)" says, so rotated keys stay published).
 */
export type Ob2Class =
  | 'Assertion'
  | 'BadgeClass'
  | 'Profile'
  | 'IdentityObject'
  | 'VerificationObjectAssertion'
  | 'VerificationObjectIssuer'
  | 'Image'
  | 'Criteria'
  | 'AlignmentObject'
  | 'Evidence'
  | 'CryptographicKey'
  | 'RevocationList'
  | 'Endorsement'
  | 'EndorsementClaim';

export type ValueType =
  | 'iri'
  | 'text'
  | 'datetime'
  | 'url'
  | 'email'
  | 'telephone'
  | 'boolean'
  | 'language'
  | 'textOrNumber'
  | 'compactIri'
  | 'urlAuthority'
  | 'identity'
  | 'urlOrData'
  | 'node';

export interface PropRule {
  name: string;
  value: ValueType;
  required?: boolean;
  many?: boolean;
  /** For `node` values: the class of an embedded object. */
  expected?: Ob2Class;
  allowDataUri?: boolean;
  /**
   * Dereferenced and validated by the verification flow itself (badge, issuer, keys,
   * endorsements): here only the reference's form is checked.
   */
  followed?: boolean;
  /** Embedded object checked only for a valid id (`related`). */
  idOnly?: boolean;
}

export interface TypeRule {
  required: boolean;
  many: boolean;
  /** OB 2.0 terms; the node's type must expand to one of them. */
  mustContainOne?: readonly string[];
}

export interface ClassRules {
  type: TypeRule;
  props: readonly PropRule[];
  /** Primary objects also take @language, version, related and endorsement. */
  primary?: boolean;
}

const PRIMARY_PROPS: readonly PropRule[] = [
  { name: '@language', value: 'language' },
  { name: 'version', value: 'textOrNumber' },
  { name: 'related', value: 'node', many: true, idOnly: true },
  { name: 'endorsement', value: 'node', many: true, expected: 'Endorsement', followed: true },
];

const RULES: Readonly<Record<Ob2Class, ClassRules>> = {
  Assertion: {
    primary: true,
    type: { required: true, many: true, mustContainOne: ['Assertion'] },
    props: [
      { name: 'id', value: 'iri', required: true },
      { name: 'recipient', value: 'node', expected: 'IdentityObject', required: true },
      { name: 'badge', value: 'node', expected: 'BadgeClass', required: true, followed: true },
      {
        name: 'verification',
        value: 'node',
        expected: 'VerificationObjectAssertion',
        required: true,
      },
      { name: 'issuedOn', value: 'datetime', required: true },
      { name: 'expires', value: 'datetime' },
      // OB 2.0 allows data: URIs for BadgeClass and Issuer images only.
      { name: 'image', value: 'node', expected: 'Image', allowDataUri: false },
      { name: 'narrative', value: 'text' },
      { name: 'evidence', value: 'node', expected: 'Evidence', many: true },
      { name: 'revoked', value: 'boolean' },
      { name: 'revocationReason', value: 'text' },
    ],
  },
  BadgeClass: {
    primary: true,
    type: { required: true, many: true, mustContainOne: ['BadgeClass'] },
    props: [
      { name: 'id', value: 'iri', required: true },
      { name: 'issuer', value: 'node', expected: 'Profile', required: true, followed: true },
      { name: 'name', value: 'text', required: true },
      { name: 'description', value: 'text', required: true },
      { name: 'image', value: 'node', expected: 'Image', allowDataUri: true },
      { name: 'criteria', value: 'node', expected: 'Criteria', required: true },
      { name: 'alignment', value: 'node', expected: 'AlignmentObject', many: true },
      { name: 'tags', value: 'text', many: true },
    ],
  },
  Profile: {
    primary: true,
    type: { required: true, many: true, mustContainOne: ['Issuer', 'Profile'] },
    props: [
      { name: 'id', value: 'iri', required: true },
      { name: 'name', value: 'text', required: true },
      { name: 'description', value: 'text' },
      { name: 'image', value: 'node', expected: 'Image', allowDataUri: true },
      { name: 'url', value: 'url', required: true },
      { name: 'email', value: 'email', required: true },
      { name: 'telephone', value: 'telephone' },
      {
        name: 'publicKey',
        value: 'node',
        expected: 'CryptographicKey',
        many: true,
        followed: true,
      },
      { name: 'verification', value: 'node', expected: 'VerificationObjectIssuer' },
      {
        name: 'revocationList',
        value: 'node',
        expected: 'RevocationList',
        followed: true,
      },
    ],
  },
  IdentityObject: {
    type: { required: true, many: false, mustContainOne: ['id', 'email', 'url', 'telephone'] },
    props: [
      { name: 'identity', value: 'identity', required: true },
      { name: 'hashed', value: 'boolean', required: true },
      { name: 'salt', value: 'text' },
    ],
  },
  VerificationObjectAssertion: {
    type: { required: true, many: false, mustContainOne: ['HostedBadge', 'SignedBadge'] },
    props: [
      {
        name: 'creator',
        value: 'node',
        expected: 'CryptographicKey',
        followed: true,
      },
    ],
  },
  VerificationObjectIssuer: {
    type: { required: false, many: true },
    props: [
      { name: 'verificationProperty', value: 'compactIri' },
      { name: 'startsWith', value: 'url', many: true },
      { name: 'allowedOrigins', value: 'urlAuthority', many: true },
    ],
  },
  Image: {
    type: { required: false, many: true },
    props: [
      { name: 'id', value: 'urlOrData', required: true },
      { name: 'caption', value: 'text' },
      { name: 'author', value: 'iri' },
    ],
  },
  Criteria: {
    type: { required: false, many: true },
    props: [
      { name: 'id', value: 'iri' },
      { name: 'narrative', value: 'text' },
    ],
  },
  AlignmentObject: {
    type: { required: false, many: true },
    props: [
      { name: 'targetName', value: 'text', required: true },
      { name: 'targetUrl', value: 'url', required: true },
      { name: 'description', value: 'text' },
      { name: 'targetDescription', value: 'text' },
      { name: 'targetFramework', value: 'text' },
      { name: 'targetCode', value: 'text' },
    ],
  },
  Evidence: {
    type: { required: false, many: true },
    props: [
      { name: 'id', value: 'iri' },
      { name: 'narrative', value: 'text' },
      { name: 'name', value: 'text' },
      { name: 'description', value: 'text' },
      { name: 'genre', value: 'text' },
      { name: 'audience', value: 'text' },
    ],
  },
  CryptographicKey: {
    type: { required: false, many: true, mustContainOne: ['CryptographicKey'] },
    props: [
      { name: 'id', value: 'iri' },
      { name: 'owner', value: 'iri' },
      { name: 'publicKeyPem', value: 'text' },
    ],
  },
  RevocationList: {
    type: { required: true, many: true, mustContainOne: ['RevocationList'] },
    props: [{ name: 'id', value: 'iri' }],
  },
  Endorsement: {
    primary: true,
    type: { required: true, many: true, mustContainOne: ['Endorsement'] },
    props: [
      { name: 'id', value: 'iri', required: true },
      { name: 'claim', value: 'node', expected: 'EndorsementClaim', required: true },
      { name: 'issuedOn', value: 'datetime', required: true },
      { name: 'issuer', value: 'node', expected: 'Profile', required: true, followed: true },
    ],
  },
  EndorsementClaim: {
    type: { required: false, many: true },
    props: [
      { name: 'id', value: 'iri', required: true },
      { name: 'endorsementComment', value: 'text' },
    ],
  },
};

export function rulesOf(cls: Ob2Class): ClassRules {
  const rules = RULES[cls];
  return rules.primary ? { ...rules, props: [...rules.props, ...PRIMARY_PROPS] } : rules;
}

/** Top-level classes, by the OB 2.0 term their `type` uses (Issuer is validated as Profile). */
export const CLASS_OF_TERM: Readonly<Record<string, Ob2Class>> = {
  Assertion: 'Assertion',
  BadgeClass: 'BadgeClass',
  Issuer: 'Profile',
  Profile: 'Profile',
  Endorsement: 'Endorsement',
  CryptographicKey: 'CryptographicKey',
  RevocationList: 'RevocationList',
  AlignmentObject: 'AlignmentObject',
  Criteria: 'Criteria',
  Evidence: 'Evidence',
  Image: 'Image',
  IdentityObject: 'IdentityObject',
};
