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
