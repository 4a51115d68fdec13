/**
 * The Open Badges core: a pure library (no express, mongoose, config or clock). Components
 * import it only through this file; its exports are listed explicitly.
 */
export { BadgeError, type BadgeErrorCode } from './errors.js';
export {
  hashIdentity,
  identityMatches,
  newSalt,
  normaliseEmail,
} from './identity/hash-identity.js';
export {
  StepId,
  verdictOf,
  type BadgeFormat,
  type BadgeSummary,
  type StepLevel,
  type Verdict,
  type VerificationReport,
  type VerificationStep,
} from './verification/report.js';
export {
  FetchError,
  jsonBody,
  type FetchErrorCode,
  type FetchKind,
  type FetchResult,
  type Fetcher,
} from './verification/fetcher.js';
export {
  bundledContextUrls,
  createDocumentLoader,
  type DocumentLoader,
  type RemoteDocument,
} from './jsonld/document-loader.js';
export {
  didWebUrl,
  resolveDidDocument,
  type DidDocument,
  type DidResolution,
} from './did/resolve-did-document.js';
export {
  OB3_CONTEXT,
  OB3_CREDENTIAL_CONTEXTS,
  OB3_EXTENSIONS_CONTEXT,
  VC_V2_CONTEXT,
  type BitstringStatusListEntry,
  type CredentialStatusEntry,
  type IdentityObject,
  type OpenBadgeCredentialJson,
  type RevocationListEntry,
  type VerifiableCredentialJson,
} from './ob3/credential-types.js';
export {
  buildIdentityObject,
  buildOpenBadgeCredential,
  type Ob3AchievementInput,
  type Ob3IssuerInput,
  type OpenBadgeCredentialInput,
} from './ob3/build-open-badge-credential.js';
export {
  buildEndorsementCredential,
  type EndorsementCredentialInput,
} from './ob3/build-endorsement-credential.js';
export {
  buildBitstringStatusListCredential,
  buildBitstringStatusListEntry,
  buildRevocationListEntry,
  type StatusPurpose,
} from './ob3/build-status-list.js';
export { bitAt, decodeBitstring, encodeBitstring, MIN_STATUS_LIST_BITS } from './ob3/bitstring.js';
export {
  credentialJwtClaims,
  signCredentialJwt,
  type CredentialJwtAlg,
  type JoseSigningKey,
} from './ob3/sign-credential-jwt.js';
export {
  createDataIntegritySigner,
  signCredentialDataIntegrity,
  type DataIntegritySigner,
  type Ed25519KeyMaterial,
} from './ob3/sign-credential-data-integrity.js';
export {
  OB3_VERIFICATION_MESSAGES,
  verifyOb3Credential,
  type Ob3VerificationMessage,
  type Ob3VerificationPolicy,
  type VerifyOb3Options,
} from './ob3/verify-ob3-credential.js';
export {
  buildControllerDocument,
  buildMultikeyDocument,
  generateEd25519KeyMaterial,
} from './ob3/build-controller-document.js';
