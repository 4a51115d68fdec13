import { runChecks, type Check } from '../engine.js';
import { StepId, verdictOf, type VerificationReport } from '../report.js';
import { checkAssertion } from './check-assertion.js';
import { checkBadgeAndIssuer } from './check-badge-and-issuer.js';
import { checkDates } from './check-dates.js';
import { checkDocument } from './check-document.js';
import { checkEndorsements } from './check-endorsements.js';
import { checkFormat } from './check-format.js';
import { checkGone } from './check-gone.js';
import { checkHosted } from './check-hosted.js';
import { checkHostedScopeStep } from './check-hosted-scope.js';
import { checkInput } from './check-input.js';
import { checkRecipient } from './check-recipient.js';
import { checkSignedSignature } from './check-signed-signature.js';
import { checkStatus } from './check-status.js';
import type { Ob2Input } from './decode-ob2-input.js';
import { Ob2Context, type VerifyOb2Options } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { summariseOb2Badge } from './summarise-ob2-badge.js';

export type { Ob2Input } from './decode-ob2-input.js';
export type { Ob2VerificationPolicy, VerifyOb2Options } from './ob2-context.js';

/**
 * The OB 2.0 checks, in order. check-input chooses the path (hosted, signed, 410 Gone, another
 * document); each check acts on its own path only. The report lists steps in STEP_ORDER.
 */
export const OB2_CHECKS: readonly Check<Ob2Context>[] = [
  checkInput,
  checkGone,
  checkDocument,
  checkFormat,
  checkHosted,
  checkAssertion,
  checkBadgeAndIssuer,
  checkHostedScopeStep,
  checkSignedSignature,
  checkStatus,
  checkDates,
  checkRecipient,
  checkEndorsements,
];

const STEP_ORDER: readonly StepId[] = [
  StepId.format,
  StepId.schema,
  StepId.signature,
  StepId.issuer,
  StepId.status,
  StepId.validity,
  StepId.recipient,
  StepId.endorsements,
];

/**
 * Verifies an Open Badges 2.0 badge — hosted assertion URL, assertion JSON, compact JWS, or a
 * baked PNG/SVG — in the spirit of openbadges-validator-core: recognise the input, fetch the
 * assertion (hosted: again from its id), its BadgeClass and Issuer, check the documents'
 * shape, the hosted scope or the RS256 signature by a key the issuer lists, revocation, dates,
 * optionally the recipient, and endorsements. Never throws for a bad badge: the answer is a
 * report whose steps carry i18n keys (see Ob2Message).
 */
export async function verifyOb2Badge(
  input: Ob2Input,
  options: VerifyOb2Options,
): Promise<VerificationReport> {
  const ctx = new Ob2Context(input, options);
  let skipped: string[] = [];
  try {
    ({ skipped } = await runChecks(OB2_CHECKS, ctx));
  } catch (e) {
    ctx.step(StepId.format, 'error', Ob2Message.formatUnexpected, {}, `unexpected: ${String(e)}`);
  }
  return report(ctx, skipped);
}

function report(ctx: Ob2Context, skipped: string[]): VerificationReport {
  if (!ctx.steps.some((s) => s.id === StepId.schema) && ctx.documentsChecked > 0) {
    ctx.step(StepId.schema, 'info', Ob2Message.schemaValid, {
      documents: ctx.documentsChecked,
    });
  }
  const steps = [...ctx.steps].sort((a, b) => STEP_ORDER.indexOf(a.id) - STEP_ORDER.indexOf(b.id));
  const badge = summariseOb2Badge({
    format: ctx.format,
    ...(ctx.format === 'unknown' && ctx.objectType ? { objectType: ctx.objectType } : {}),
    assertion: ctx.assertion,
    badge: ctx.badge,
    issuer: ctx.issuer?.node,
    endorsements: ctx.endorsements,
    ...(ctx.revoked ? { revoked: true, revocationReason: ctx.revoked.reason } : {}),
  });
  return {
    verdict: verdictOf(steps),
    steps,
    badge,
    ...(ctx.assertion ? { document: ctx.assertion } : {}),
    checkedAt: ctx.options.now.toISOString(),
    ...(skipped.length > 0 ? { skipped } : {}),
  };
}
