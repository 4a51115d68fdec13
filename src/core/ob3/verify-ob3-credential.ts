import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import jsonld from 'jsonld';
import { identityMatches } from '../identity/hash-identity.js';
import { createDocumentLoader } from '../jsonld/document-loader.js';
import type { Fetcher } from '../verification/fetcher.js';
import {
  StepId,
  verdictOf,
  type BadgeFormat,
  type BadgeSummary,
  type StepLevel,
  type VerificationReport,
  type VerificationStep,
} from '../verification/report.js';
import { OB3_CONTEXT, VC_V1_CONTEXT, VC_V2_CONTEXT } from './credential-types.js';
import { checkCredentialShape, credentialKind } from './verify/check-credential-shape.js';
import { checkCredentialStatus, type StatusOutcome } from './verify/check-credential-status.js';
import { resolveJwtKey } from './verify/resolve-jwt-key.js';
import type { IssuerBinding } from '../verification/issuer-binding.js';
import { verifyDataIntegrityProofs } from './verify/verify-data-integrity-proofs.js';

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

type Json = Record<string, unknown>;

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

const OB3_CONTEXT_PREFIX = 'https://purl.imsglobal.org/spec/ob/v3p0/context';
const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function step(
  id: StepId,
  ok: boolean,
  level: StepLevel,
  message: Ob3VerificationMessage,
  extra: { params?: VerificationStep['params']; detail?: string } = {},
): VerificationStep {
  return { id, ok, level, message, ...extra };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function issuerIdOf(credential: Json): string | undefined {
  const issuer = credential.issuer;
  return typeof issuer === 'string' ? issuer : isObject(issuer) ? str(issuer.id) : undefined;
}

interface Parsed {
  credential: Json;
  format: BadgeFormat;
  jwt?: { token: string; header: Json; payload: Json };
}

/** JSON object, JSON text or a compact VC-JWT (the credential is the payload, or its `vc`). */
function parseInput(input: unknown): Parsed | { error: string } {
  if (isObject(input))
    return { credential: input, format: input.proof ? 'ob3-data-integrity' : 'ob3-unsigned' };
  if (typeof input !== 'string') return { error: 'input is neither JSON nor a JWT' };
  const text = input.trim();
  if (text.startsWith('{')) {
    try {
      return parseInput(JSON.parse(text) as unknown);
    } catch {
      return { error: 'invalid JSON' };
    }
  }
  if (!JWT_PATTERN.test(text)) return { error: 'input is neither JSON nor a JWT' };
  try {
    const header = decodeProtectedHeader(text) as Json;
    const payload = decodeJwt(text) as Json;
    const credential = isObject(payload.vc) ? payload.vc : payload;
    return { credential, format: 'ob3-jwt', jwt: { token: text, header, payload } };
  } catch {
    return { error: 'undecodable JWT' };
  }
}

function checkFormat(credential: Json, steps: VerificationStep[]): boolean {
  const contexts = asArray(credential['@context']).filter(
    (c): c is string => typeof c === 'string',
  );
  const types = asArray(credential.type);
  if (contexts.length === 0 || !types.includes('VerifiableCredential')) {
    steps.push(step(StepId.format, false, 'error', 'verify.steps.format.not_credential'));
    return false;
  }
  const kind = credentialKind(credential);
  if (!kind) {
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.wrong_type', {
        detail: `type: ${JSON.stringify(credential.type)}`,
      }),
    );
    return false;
  }
  const hasVc = contexts[0] === VC_V2_CONTEXT || contexts[0] === VC_V1_CONTEXT;
  const obContext = contexts.find((c) => c.startsWith(OB3_CONTEXT_PREFIX));
  if (!hasVc || (kind !== 'BitstringStatusListCredential' && !obContext)) {
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.missing_context', {
        detail: `@context: ${contexts.join(', ')}`,
      }),
    );
    return false;
  }
  const outdated =
    contexts[0] === VC_V1_CONTEXT || (obContext !== undefined && obContext !== OB3_CONTEXT);
  steps.push(
    outdated
      ? step(StepId.format, true, 'warning', 'verify.steps.format.outdated_context', {
          params: { kind },
          detail: `@context: ${contexts.join(', ')} (current: ${VC_V2_CONTEXT}, ${OB3_CONTEXT})`,
        })
      : step(StepId.format, true, 'info', 'verify.steps.format.recognised', { params: { kind } }),
  );
  return true;
}

/**
 * OB 3.0 defines the `1EdTechRevocationList` status type, but its 3.0.x contexts do not (an
 * oversight of the spec), so safe mode would call every credential using it malformed. For the
 * terms check only, the type is given an IRI; signed content is never altered.
 */
const REVOCATION_LIST_TERM = {
  '1EdTechRevocationList': 'https://purl.imsglobal.org/spec/vcrl/v1p0/1EdTechRevocationList',
};

function withRevocationListTerm(credential: Json): Json {
  const uses = asArray(credential.credentialStatus).some(
    (s) => isObject(s) && asArray(s.type).includes('1EdTechRevocationList'),
  );
  if (!uses) return credential;
  return { ...credential, '@context': [...asArray(credential['@context']), REVOCATION_LIST_TERM] };
}

/** JSON-LD safe mode: every property and type must be defined by the contexts. */
async function checkJsonLd(
  credential: Json,
  documents?: ReadonlyMap<string, unknown>,
): Promise<string | undefined> {
  try {
    await jsonld.expand(
      withRevocationListTerm(credential) as jsonld.JsonLdDocument,
      {
        documentLoader: createDocumentLoader(documents) as never,
        safe: true,
      } as jsonld.Options.Expand,
    );
    return undefined;
  } catch (error) {
    const e = error as {
      message?: string;
      details?: { event?: { code?: string; details?: Json } };
    };
    const event = e.details?.event;
    return event
      ? `${event.code ?? ''} ${JSON.stringify(event.details ?? {})}`.trim()
      : (e.message ?? String(error));
  }
}

function checkJwtClaims(payload: Json, credential: Json): string[] {
  const problems: string[] = [];
  const seconds = (value: unknown) =>
    typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : NaN;
  if (payload.iss === undefined || payload.iss !== issuerIdOf(credential))
    problems.push('iss ≠ issuer.id');
  if (payload.jti !== undefined && payload.jti !== credential.id) problems.push('jti ≠ id');
  const validFrom = seconds(credential.validFrom ?? credential.issuanceDate);
  if (typeof payload.nbf !== 'number' || payload.nbf !== validFrom)
    problems.push('nbf ≠ validFrom');
  const subjectId = asArray(credential.credentialSubject).map((s) =>
    isObject(s) ? s.id : undefined,
  )[0];
  if (payload.sub !== undefined && subjectId !== undefined && payload.sub !== subjectId) {
    problems.push('sub ≠ credentialSubject.id');
  }
  const validUntil = credential.validUntil ?? credential.expirationDate;
  if (
    payload.exp !== undefined &&
    validUntil !== undefined &&
    payload.exp !== seconds(validUntil)
  ) {
    problems.push('exp ≠ validUntil');
  }
  return problems;
}

interface SignatureResult {
  steps: VerificationStep[];
  /** True when verified proofs covered every proof of the document (JSON-LD already checked). */
  coversDocument?: boolean;
  binding?: IssuerBinding;
  format: BadgeFormat;
}

async function verifyJwtSignature(
  parsed: Parsed,
  options: VerifyOb3Options,
): Promise<SignatureResult> {
  const { header, payload, token } = parsed.jwt!;
  const credential = parsed.credential;
  const alg = str(header.alg);
  if (!alg || !JWT_ALGORITHMS.includes(alg)) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.unsupported', {
          detail: `alg ${alg}`,
        }),
      ],
    };
  }
  if (isObject(header.jwk) && header.jwk.d !== undefined) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.invalid', {
          detail: 'header jwk is a private key',
        }),
      ],
    };
  }
  const key = await resolveJwtKey(header, issuerIdOf(credential), options.fetch);
  if (!key.ok) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.key_not_found', {
          detail: key.detail,
        }),
      ],
    };
  }
  try {
    await compactVerify(token, await importJWK(key.jwk as JWK, alg), { algorithms: [alg] });
  } catch (error) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.invalid', {
          detail: (error as Error).message,
        }),
      ],
    };
  }
  const problems = checkJwtClaims(payload, credential);
  if (problems.length > 0) {
    return {
      format: 'ob3-jwt',
      binding: key.binding,
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.claims_mismatch', {
          detail: problems.join('; '),
        }),
      ],
    };
  }
  return {
    format: 'ob3-jwt',
    binding: key.binding,
    steps: [
      step(StepId.signature, true, 'info', 'verify.steps.signature.valid', {
        params: { method: `VC-JWT ${alg}` },
        detail: key.detail,
      }),
    ],
  };
}

async function verifyEmbeddedProofs(
  credential: Json,
  options: VerifyOb3Options,
): Promise<SignatureResult> {
  if (credential.proof === undefined) {
    return {
      format: 'ob3-unsigned',
      steps: [step(StepId.signature, false, 'error', 'verify.steps.signature.missing')],
    };
  }
  const outcomes = await verifyDataIntegrityProofs(
    credential,
    issuerIdOf(credential),
    options.fetch,
    options.documents,
  );
  const failed = outcomes.find((o) => !o.ok);
  if (failed && !failed.ok) {
    const message =
      failed.reason === 'missing'
        ? 'verify.steps.signature.missing'
        : failed.reason === 'unsupported'
          ? 'verify.steps.signature.unsupported'
          : failed.reason === 'key_not_found'
            ? 'verify.steps.signature.key_not_found'
            : 'verify.steps.signature.invalid';
    return {
      format: 'ob3-data-integrity',
      steps: [step(StepId.signature, false, 'error', message, { detail: failed.detail })],
    };
  }
  const ok = outcomes.filter((o) => o.ok);
  const order: IssuerBinding['status'][] = ['mismatch', 'unconfirmed', 'confirmed'];
  const worst = order.find((b) => ok.some((o) => o.binding.status === b))!;
  const first = ok.find((o) => o.binding.status === worst)!;
  const proofCount = Array.isArray(credential.proof) ? credential.proof.length : 1;
  return {
    format: 'ob3-data-integrity',
    coversDocument: ok.length === proofCount,
    binding: first.binding,
    steps: [
      step(StepId.signature, true, 'info', 'verify.steps.signature.valid', {
        params: { method: ok.map((o) => o.cryptosuite).join(', ') },
        detail: ok.map((o) => `${o.cryptosuite} ${o.method}`).join('; '),
      }),
    ],
  };
}

/** Endorsements embedded anywhere in the credential (issuer, achievement, credential…). */
function embeddedEndorsements(value: unknown, found: unknown[] = [], depth = 0): unknown[] {
  if (depth > 8) return found;
  if (Array.isArray(value)) value.forEach((v) => embeddedEndorsements(v, found, depth + 1));
  else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'endorsement' || key === 'endorsementJwt') found.push(...asArray(v));
      else if (key !== 'proof') embeddedEndorsements(v, found, depth + 1);
    }
  }
  return found;
}

async function checkEndorsements(
  credential: Json,
  options: VerifyOb3Options,
): Promise<{ step?: VerificationStep; valid: Json[] }> {
  const endorsements = embeddedEndorsements(credential);
  if (endorsements.length === 0) return { valid: [] };
  const valid: Json[] = [];
  const failures: string[] = [];
  for (const endorsement of endorsements) {
    const parsed = parseInput(endorsement);
    if ('error' in parsed || credentialKind(parsed.credential) !== 'EndorsementCredential') {
      failures.push('not an EndorsementCredential');
      continue;
    }
    const result = parsed.jwt
      ? await verifyJwtSignature(parsed, options)
      : await verifyEmbeddedProofs(parsed.credential, options);
    const problem = result.steps.find((s) => s.level === 'error');
    const bound =
      result.binding?.status === 'confirmed' ||
      (result.binding?.status === 'unconfirmed' && options.policy?.unconfirmedKey === 'accept');
    if (problem || !bound) {
      failures.push(
        `${String(parsed.credential.id)}: ${problem?.detail ?? result.binding?.detail}`,
      );
    } else valid.push(parsed.credential);
  }
  if (failures.length === 0) return { valid };
  return {
    valid,
    step: step(StepId.signature, false, 'error', 'verify.steps.signature.endorsement_invalid', {
      params: { count: failures.length },
      detail: failures.join('; '),
    }),
  };
}

/**
 * Who signed: the issuer-binding outcome, then (for this platform's own issuers) the stored
 * key's status. A compromised key is named as such even though it left the issuer's documents.
 */
async function issuerStep(
  binding: SignatureResult['binding'],
  credential: Json,
  policy: Ob3VerificationPolicy,
  options: VerifyOb3Options,
): Promise<VerificationStep | undefined> {
  const issuer = credential.issuer;
  const issuerId = issuerIdOf(credential);
  const name = (isObject(issuer) ? str(issuer.name) : undefined) ?? issuerId ?? '';
  const params = { name };
  if (!binding) return undefined;
  const detail = binding.detail;
  const own =
    options.issuerKeyStatus && issuerId && binding.keyId
      ? await options.issuerKeyStatus(issuerId, binding.keyId)
      : undefined;
  if (own === 'compromised') {
    return step(StepId.issuer, false, 'error', 'verify.steps.issuer.key_compromised', {
      params,
      detail: `${binding.keyId} was declared compromised by its issuer; ${detail}`,
    });
  }
  if (binding.status === 'mismatch') {
    return step(StepId.issuer, false, 'error', 'verify.steps.issuer.key_mismatch', {
      params,
      detail,
    });
  }
  if (binding.status === 'unconfirmed') {
    const level: StepLevel = policy.unconfirmedKey === 'accept' ? 'info' : 'error';
    return step(StepId.issuer, level === 'info', level, 'verify.steps.issuer.unconfirmed', {
      params,
      detail,
    });
  }
  const known = options.issuerKeyStatus
    ? own !== undefined
    : options.isKnownIssuer && issuerId
      ? await options.isKnownIssuer(issuerId)
      : undefined;
  if (known === false) {
    return step(StepId.issuer, false, 'warning', 'verify.steps.issuer.unknown', { params, detail });
  }
  return step(
    StepId.issuer,
    true,
    'info',
    known ? 'verify.steps.issuer.known' : 'verify.steps.issuer.confirmed',
    { params, detail },
  );
}

function statusStep(outcomes: StatusOutcome[]): VerificationStep {
  const detail = outcomes.map((o) => ('detail' in o ? o.detail : o.state)).join('; ');
  const revoked = outcomes.find((o) => o.state === 'revoked');
  if (revoked) {
    const reason = revoked.state === 'revoked' ? revoked.reason : undefined;
    return step(StepId.status, false, 'error', 'verify.steps.status.revoked', {
      ...(reason ? { params: { reason } } : {}),
      detail,
    });
  }
  if (outcomes.some((o) => o.state === 'suspended')) {
    return step(StepId.status, false, 'error', 'verify.steps.status.suspended', { detail });
  }
  if (outcomes.some((o) => o.state === 'unavailable')) {
    return step(StepId.status, false, 'warning', 'verify.steps.status.unavailable', { detail });
  }
  if (outcomes.some((o) => o.state === 'unsupported')) {
    return step(StepId.status, false, 'warning', 'verify.steps.status.unsupported', { detail });
  }
  if (outcomes.every((o) => o.state === 'none'))
    return step(StepId.status, true, 'info', 'verify.steps.status.none');
  return step(StepId.status, true, 'info', 'verify.steps.status.active', { detail });
}

function validityStep(
  credential: Json,
  jwtPayload: Json | undefined,
  now: Date,
  policy: Ob3VerificationPolicy,
): VerificationStep {
  const from = str(credential.validFrom) ?? str(credential.issuanceDate);
  let until = str(credential.validUntil) ?? str(credential.expirationDate);
  // OB 3.0 §8.2: a JWT `exp` sets validUntil.
  if (!until && typeof jwtPayload?.exp === 'number')
    until = new Date(jwtPayload.exp * 1000).toISOString();
  const fromMs = from ? Date.parse(from) : NaN;
  const untilMs = until ? Date.parse(until) : undefined;
  if (Number.isNaN(fromMs) || (untilMs !== undefined && Number.isNaN(untilMs))) {
    return step(StepId.validity, false, 'error', 'verify.steps.validity.invalid_dates', {
      detail: `validFrom ${from}, validUntil ${until}`,
    });
  }
  if (fromMs > now.getTime()) {
    return step(StepId.validity, false, 'error', 'verify.steps.validity.not_yet_valid', {
      params: { date: from! },
    });
  }
  if (untilMs !== undefined && untilMs < now.getTime()) {
    return step(StepId.validity, false, policy.expired, 'verify.steps.validity.expired', {
      params: { date: until! },
    });
  }
  return step(StepId.validity, true, 'info', 'verify.steps.validity.valid', {
    params: until ? { from: from!, until } : { from: from! },
  });
}

function recipientStep(credential: Json, email: string): VerificationStep {
  const identifiers = asArray(credential.credentialSubject)
    .flatMap((s) => (isObject(s) ? asArray(s.identifier) : []))
    .filter(
      (i): i is Json =>
        isObject(i) && i.identityType === 'emailAddress' && typeof i.identityHash === 'string',
    );
  if (identifiers.length === 0) {
    return step(StepId.recipient, false, 'warning', 'verify.steps.recipient.not_checkable');
  }
  const match = identifiers.some((i) =>
    identityMatches(email, {
      identity: String(i.identityHash),
      hashed: i.hashed === true,
      salt: str(i.salt),
    }),
  );
  return match
    ? step(StepId.recipient, true, 'info', 'verify.steps.recipient.match')
    : step(StepId.recipient, false, 'error', 'verify.steps.recipient.no_match');
}

function imageId(value: unknown): string | undefined {
  return typeof value === 'string' ? value : isObject(value) ? str(value.id) : undefined;
}

function summarise(
  credential: Json,
  format: BadgeFormat,
  endorsements: Json[],
  revoked: boolean | undefined,
): BadgeSummary {
  const subject = asArray(credential.credentialSubject).find(isObject);
  const achievement = subject && isObject(subject.achievement) ? subject.achievement : undefined;
  const issuer = credential.issuer;
  const criteria = achievement && isObject(achievement.criteria) ? achievement.criteria : undefined;
  const identifier = subject ? asArray(subject.identifier).find(isObject) : undefined;
  const summary: BadgeSummary = {
    format,
    id: str(credential.id),
    name: str(achievement?.name) ?? str(credential.name),
    description: str(achievement?.description) ?? str(credential.description),
    image: imageId(achievement?.image) ?? imageId(credential.image),
    issuer: isObject(issuer)
      ? {
          id: str(issuer.id),
          name: str(issuer.name),
          url: str(issuer.url),
          email: str(issuer.email),
        }
      : { id: str(issuer) },
    issuedOn:
      str(credential.awardedDate) ?? str(credential.validFrom) ?? str(credential.issuanceDate),
    expires: str(credential.validUntil) ?? str(credential.expirationDate),
  };
  if (criteria) summary.criteria = { narrative: str(criteria.narrative), url: str(criteria.id) };
  const alignments = asArray(achievement?.alignment).filter(isObject);
  if (alignments.length > 0) {
    summary.alignments = alignments.map((a) => ({
      targetName: String(a.targetName ?? ''),
      targetUrl: str(a.targetUrl),
      targetFramework: str(a.targetFramework),
      targetCode: str(a.targetCode),
    }));
  }
  const evidence = asArray(credential.evidence).filter(isObject);
  if (evidence.length > 0) {
    summary.evidence = evidence.map((e) => ({
      url: str(e.id),
      narrative: str(e.narrative),
      name: str(e.name),
    }));
  }
  if (endorsements.length > 0) {
    summary.endorsements = endorsements.map((e) => {
      const subjectOf = asArray(e.credentialSubject).find(isObject);
      return {
        issuerName: isObject(e.issuer) ? str(e.issuer.name) : undefined,
        issuerId: issuerIdOf(e),
        comment: str(subjectOf?.endorsementComment),
        issuedOn: str(e.validFrom) ?? str(e.issuanceDate),
      };
    });
  }
  if (identifier)
    summary.recipient = { hashed: identifier.hashed === true, type: str(identifier.identityType) };
  else if (subject && str(subject.id)) summary.recipient = { hashed: false, type: 'id' };
  if (revoked !== undefined) summary.revoked = revoked;
  return summary;
}

/**
 * Verifies an Open Badges 3.0 credential (JSON object or text, or a compact VC-JWT): format
 * and contexts, shape, JSON-LD terms, proof (VC-JWT or Data Integrity eddsa-rdfc-2022 /
 * ecdsa-sd-2023), issuer/key binding, status, validity window and, on request, the recipient.
 * Never throws for a bad badge: the report says what is wrong.
 */
export async function verifyOb3Credential(
  input: unknown,
  options: VerifyOb3Options,
): Promise<VerificationReport> {
  const policy: Ob3VerificationPolicy = {
    expired: 'warning',
    unconfirmedKey: 'reject',
    ...options.policy,
  };
  const checkedAt = options.now.toISOString();
  const steps: VerificationStep[] = [];
  const parsed = parseInput(input);
  if ('error' in parsed) {
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.unreadable', {
        detail: parsed.error,
      }),
    );
    return { verdict: verdictOf(steps), steps, badge: { format: 'unknown' }, checkedAt };
  }
  const { credential } = parsed;
  let format = parsed.format;
  try {
    if (!checkFormat(credential, steps)) {
      return {
        verdict: verdictOf(steps),
        steps,
        badge: summarise(credential, 'unknown', [], undefined),
        document: credential,
        checkedAt,
      };
    }
    const kind = credentialKind(credential)!;
    const problems = checkCredentialShape(credential, kind, { proofRequired: !parsed.jwt });
    let signature: SignatureResult;
    let jsonLdProblem: string | undefined;
    if (parsed.jwt) {
      jsonLdProblem = await checkJsonLd(credential, options.documents);
      signature = await verifyJwtSignature(parsed, options);
    } else {
      signature = await verifyEmbeddedProofs(credential, options);
      // A verified eddsa/ecdsa proof already canonicalised the whole document in JSON-LD safe
      // mode; expanding it again would double the cost (~4 ms). Check only what it did not cover.
      if (!signature.coversDocument) {
        jsonLdProblem = await checkJsonLd(credential, options.documents);
        const failed = signature.steps.find((s) => s.level === 'error');
        if (failed && jsonLdProblem)
          failed.detail = `${failed.detail ?? ''} (JSON-LD: ${jsonLdProblem})`;
      }
    }
    if (problems.length > 0) {
      steps.push(
        step(StepId.schema, false, 'error', 'verify.steps.schema.invalid', {
          params: { count: problems.length },
          detail: problems.join('; '),
        }),
      );
    }
    if (jsonLdProblem) {
      steps.push(
        step(StepId.schema, false, 'error', 'verify.steps.schema.invalid_jsonld', {
          detail: jsonLdProblem,
        }),
      );
    }
    if (problems.length === 0 && !jsonLdProblem) {
      steps.push(step(StepId.schema, true, 'info', 'verify.steps.schema.valid'));
    }

    format = signature.format;
    steps.push(...signature.steps);
    const endorsements = await checkEndorsements(credential, options);
    if (endorsements.step) steps.push(endorsements.step);

    const issuer = await issuerStep(signature.binding, credential, policy, options);
    if (issuer) steps.push(issuer);

    const status = await checkCredentialStatus(credential, options.now, options.fetch);
    steps.push(statusStep(status));
    steps.push(validityStep(credential, parsed.jwt?.payload, options.now, policy));
    if (options.expectedEmail !== undefined)
      steps.push(recipientStep(credential, options.expectedEmail));

    const revoked = status.some((s) => s.state === 'revoked' || s.state === 'suspended')
      ? true
      : status.every((s) => s.state === 'active' || s.state === 'none')
        ? false
        : undefined;
    return {
      verdict: verdictOf(steps),
      steps,
      badge: summarise(credential, format, endorsements.valid, revoked),
      document: parsed.jwt ? parsed.jwt.payload : credential,
      checkedAt,
    };
  } catch (error) {
    // A library failing on hostile input is still a result, not an exception.
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.unreadable', {
        detail: (error as Error).message,
      }),
    );
    return {
      verdict: verdictOf(steps),
      steps,
      badge: summarise(credential, format, [], undefined),
      document: credential,
      checkedAt,
    };
  }
}
