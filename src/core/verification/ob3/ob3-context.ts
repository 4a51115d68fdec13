import type { IssuerBinding } from '../issuer-binding.js';
import type { CheckContext } from '../engine.js';
import type { BadgeFormat, StepId, StepLevel, VerificationStep } from '../report.js';
import type { Fetcher } from '../fetcher.js';
import type { CredentialKind } from './check-credential-shape.js';
import type { StatusOutcome } from './check-credential-status.js';

export interface Ob3VerificationPolicy {
  /** An expired credential: 'warning' (default, DESIGN §5) or 'error' (1EdTech's view). */
  expired: 'warning' | 'error';
  /**
   * A key the issuer's own document could not confirm because that document could not be read
   * (`issuer#z6Mk…` with no profile served, a VC-JWT with only a header `jwk`). Anyone can mint
   * such a key, so by default the badge is not verified ('reject'); 'accept' reproduces
   * 1EdTech's validator, which accepts it, and serves only to compare verdicts with it.
   */
  unconfirmedKey: 'reject' | 'accept';
}

/** The status of one of this platform's issuers' stored keys (undefined: not one of ours). */
export type OwnKeyStatus = 'active' | 'retired' | 'compromised';

export interface VerifyOb3Options {
  fetch: Fetcher;
  now: Date;
  /** Documents to serve the JSON-LD loader besides the bundled contexts. */
  documents?: ReadonlyMap<string, unknown>;
  /** When given, the IdentityObject must match this email. */
  expectedEmail?: string;
  policy?: Partial<Ob3VerificationPolicy>;
  /** When given, an issuer this platform does not know gives a warning. */
  isKnownIssuer?: (issuerId: string) => boolean | Promise<boolean>;
  /**
   * The status of `keyId` when it is a stored key of `issuerId`, one of this platform's
   * issuers; undefined otherwise. When given, it decides "structure de cette plateforme"
   * (instead of isKnownIssuer) and reports badges signed with a compromised key.
   */
  issuerKeyStatus?: (issuerId: string, keyId: string) => Promise<OwnKeyStatus | undefined>;
}

export type Json = Record<string, unknown>;

/** Every message key this verifier may put in a report (the locales must define them). */
export const OB3_VERIFICATION_MESSAGES = [
  'verify.steps.format.recognised',
  'verify.steps.format.unreadable',
  'verify.steps.format.not_credential',
  'verify.steps.format.wrong_type',
  'verify.steps.format.missing_context',
  'verify.steps.format.outdated_context',
  'verify.steps.schema.valid',
  'verify.steps.schema.invalid',
  'verify.steps.schema.invalid_jsonld',
  'verify.steps.signature.valid',
  'verify.steps.signature.valid_other_key',
  'verify.steps.signature.invalid',
  'verify.steps.signature.missing',
  'verify.steps.signature.unsupported',
  'verify.steps.signature.key_not_found',
  'verify.steps.signature.claims_mismatch',
  'verify.steps.signature.endorsement_invalid',
  'verify.steps.issuer.confirmed',
  'verify.steps.issuer.unconfirmed',
  'verify.steps.issuer.key_mismatch',
  'verify.steps.issuer.key_compromised',
  'verify.steps.issuer.known',
  'verify.steps.issuer.unknown',
  'verify.steps.status.none',
  'verify.steps.status.active',
  'verify.steps.status.revoked',
  'verify.steps.status.suspended',
  'verify.steps.status.unavailable',
  'verify.steps.status.unsupported',
  'verify.steps.validity.valid',
  'verify.steps.validity.expired',
  'verify.steps.validity.not_yet_valid',
  'verify.steps.validity.invalid_dates',
  'verify.steps.recipient.match',
  'verify.steps.recipient.no_match',
  'verify.steps.recipient.not_checkable',
] as const;
export type Ob3VerificationMessage = (typeof OB3_VERIFICATION_MESSAGES)[number];

/** A credential as read from the input: JSON, or the payload (or its `vc`) of a VC-JWT. */
export interface Parsed {
  credential: Json;
  format: BadgeFormat;
  jwt?: { token: string; header: Json; payload: Json };
}

/** What one signature check established (the credential's own proof or an endorsement's). */
export interface SignatureResult {
  steps: VerificationStep[];
  /** True when verified proofs covered every proof of the document (JSON-LD already checked). */
  coversDocument?: boolean;
  binding?: IssuerBinding;
  format: BadgeFormat;
}

/** The state the OB 3.0 checks share, in the order they fill it. */
export interface Ob3Context extends CheckContext {
  input: unknown;
  options: VerifyOb3Options;
  policy: Ob3VerificationPolicy;
  parsed?: Parsed;
  /** The format reported in the summary (refined by the signature checks). */
  format: BadgeFormat;
  kind?: CredentialKind;
  /** Structural problems found by check-shape, reported with the JSON-LD ones. */
  shapeProblems?: string[];
  /** Where the schema steps go in the report (they come before the signature's). */
  schemaAt?: number;
  signature?: SignatureResult;
  /** Endorsements whose signature and issuer binding held. */
  endorsements: Json[];
  status?: StatusOutcome[];
}

/** The parsed input: checks after parse-input only run once it is there. */
export function parsedOf(ctx: Ob3Context): Parsed {
  if (!ctx.parsed) throw new Error('OB 3.0 check run before parse-input');
  return ctx.parsed;
}

export function step(
  id: StepId,
  ok: boolean,
  level: StepLevel,
  message: Ob3VerificationMessage,
  extra: { params?: VerificationStep['params']; detail?: string } = {},
): VerificationStep {
  return { id, ok, level, message, ...extra };
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function issuerIdOf(credential: Json): string | undefined {
  const issuer = credential.issuer;
  return typeof issuer === 'string' ? issuer : isObject(issuer) ? str(issuer.id) : undefined;
}
