import { runChecks, type Check } from '../engine.js';
import { StepId, verdictOf, type VerificationReport } from '../report.js';
import { checkEndorsements } from './check-endorsements.js';
import { checkFormat } from './check-format.js';
import { checkInput } from './check-input.js';
import { checkIssuer } from './check-issuer.js';
import { checkJsonLdTerms } from './check-jsonld.js';
import { checkRecipient } from './check-recipient.js';
import { checkShape } from './check-shape.js';
import { checkSignatureDataIntegrity } from './check-signature-data-integrity.js';
import { checkSignatureJwt } from './check-signature-jwt.js';
import { checkStatus } from './check-status.js';
import { checkValidity } from './check-validity.js';
import {
  step,
  type Ob3Context,
  type Ob3VerificationPolicy,
  type VerifyOb3Options,
} from './ob3-context.js';
import { summariseOb3Credential } from './summarise-ob3-credential.js';

export {
  OB3_VERIFICATION_MESSAGES,
  type Ob3VerificationMessage,
  type Ob3VerificationPolicy,
  type OwnKeyStatus,
  type VerifyOb3Options,
} from './ob3-context.js';

/**
 * The OB 3.0 checks, in report order. The schema line is computed after the signature (a
 * verified proof already checked the JSON-LD terms) but listed before it (see check-shape).
 */
export const OB3_CHECKS: readonly Check<Ob3Context>[] = [
  checkInput,
  checkFormat,
  checkShape,
  checkSignatureJwt,
  checkSignatureDataIntegrity,
  checkJsonLdTerms,
  checkEndorsements,
  checkIssuer,
  checkStatus,
  checkValidity,
  checkRecipient,
];

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
  const ctx: Ob3Context = {
    input,
    options,
    policy,
    format: 'unknown',
    endorsements: [],
    steps: [],
  };
  const { steps } = ctx;
  try {
    const { skipped } = await runChecks(OB3_CHECKS, ctx);
    const extra = skipped.length > 0 ? { skipped } : {};
    if (!ctx.parsed)
      return {
        verdict: verdictOf(steps),
        steps,
        badge: { format: 'unknown' },
        checkedAt,
        ...extra,
      };
    const { credential, jwt } = ctx.parsed;
    if (!ctx.kind) {
      return {
        verdict: verdictOf(steps),
        steps,
        badge: summariseOb3Credential(credential, 'unknown', [], undefined),
        document: credential,
        checkedAt,
        ...extra,
      };
    }
    const status = ctx.status ?? [];
    const revoked = status.some((s) => s.state === 'revoked' || s.state === 'suspended')
      ? true
      : status.every((s) => s.state === 'active' || s.state === 'none')
        ? false
        : undefined;
    return {
      verdict: verdictOf(steps),
      steps,
      badge: summariseOb3Credential(credential, ctx.format, ctx.endorsements, revoked),
      document: jwt ? jwt.payload : credential,
      checkedAt,
      ...extra,
    };
  } catch (error) {
    if (!ctx.parsed) throw error;
    // A library failing on hostile input is still a result, not an exception.
    steps.push(
      step(StepId.format, false, 'error', 'verify.steps.format.unreadable', {
        detail: (error as Error).message,
      }),
    );
    return {
      verdict: verdictOf(steps),
      steps,
      badge: summariseOb3Credential(ctx.parsed.credential, ctx.format, [], undefined),
      document: ctx.parsed.credential,
      checkedAt,
    };
  }
}
