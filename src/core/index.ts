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
export { OB2_CONTEXT_URL } from './ob2/ob2-context.js';
export type {
  Ob2AlignmentObject,
  Ob2Assertion,
  Ob2AssertionVerification,
  Ob2BadgeClass,
  Ob2CryptographicKey,
  Ob2Criteria,
  Ob2Endorsement,
  Ob2EndorsementClaim,
  Ob2Evidence,
  Ob2IdentityObject,
  Ob2IssuerProfile,
  Ob2IssuerVerificationPolicy,
  Ob2RevocationList,
  Ob2RevokedAssertion,
  Ob2VerificationInput,
} from './ob2/ob2-documents.js';
export { buildIssuerProfile, type IssuerProfileInput } from './ob2/build-issuer-profile.js';
export { buildBadgeClass, type BadgeClassInput } from './ob2/build-badge-class.js';
export { buildAssertion, type AssertionInput } from './ob2/build-assertion.js';
export {
  buildCryptographicKey,
  type CryptographicKeyInput,
} from './ob2/build-cryptographic-key.js';
export { buildRevocationList, type RevocationListInput } from './ob2/build-revocation-list.js';
export { buildEndorsement, type EndorsementInput } from './ob2/build-endorsement.js';
export { signAssertion, type SigningKey } from './ob2/sign-assertion.js';
export {
  BADGE_KEYWORDS,
  type BadgeKeyword,
  type BakeOptions,
  type UnbakedBadge,
} from './baking/badge-keyword.js';
export { bakePng } from './baking/bake-png.js';
export { unbakePng } from './baking/unbake-png.js';
export { bakeSvg } from './baking/bake-svg.js';
export { pngBaker, svgBaker } from './baking/bakers.js';
export { unbakeSvg } from './baking/unbake-svg.js';
export { parseSvg } from './baking/parse-svg.js';
export {
  verifyOb2Badge,
  type Ob2Input,
  type Ob2VerificationPolicy,
  type VerifyOb2Options,
} from './verification/ob2/verify-ob2-badge.js';
export { verifyBadge, type BadgeInput, type VerifyBadgeDeps } from './verification/verify-badge.js';
export {
  bakedCredential,
  classifyBadgeText,
  isVerifiableCredential,
  looksLikeSvg,
  type BadgeFamily,
  type BadgeText,
} from './verification/recognise-badge.js';
export { createOb2Verifier, type Ob2Verifier } from './verification/ob2/create-ob2-verifier.js';
export { Ob2KeyCache } from './verification/ob2/ob2-key-cache.js';
export { Ob2Message, type Ob2MessageKey } from './verification/ob2/ob2-messages.js';
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
  type Ob3Profile,
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
} from './verification/ob3/verify-ob3-credential.js';
export {
  buildControllerDocument,
  buildMultikeyDocument,
  generateEd25519KeyMaterial,
} from './ob3/build-controller-document.js';
export {
  LINKEDIN_ADD_TO_PROFILE,
  buildLinkedInAddToProfileUrl,
  yearMonthOf,
  type LinkedInCertification,
} from './sharing/linkedin-add-to-profile.js';
export { shortCredentialId } from './sharing/short-credential-id.js';
export {
  createCanonizeTemplates,
  isAwardVariable,
  type CanonizeTemplates,
} from './ob3/canonize-templates.js';
export {
  KEY_PROOF_ALGORITHMS,
  KeyProofError,
  jwkOfDidUrl,
  verifyKeyProof,
  type VerifiedKeyProof,
} from './wallet/wallet-key-proof.js';
export { verifyDidAuthPresentation, type DidAuthOutcome } from './wallet/did-auth-presentation.js';
export {
  CONFIGURATION_IDS,
  PRE_AUTHORIZED_GRANT,
  buildAuthorizationServerMetadata,
  buildCredentialOffer,
  buildIssuerMetadata,
  credentialOfferLink,
  didAuthRequest,
  interactionProtocols,
  isConfigurationId,
  lcwDeepLink,
  type ConfigurationId,
  type LocalisedDisplay,
} from './wallet/credential-offer.js';
