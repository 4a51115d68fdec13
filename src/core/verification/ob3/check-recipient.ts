import { identityMatches } from '../../identity/hash-identity.js';
import type { Check } from '../engine.js';
import { StepId, type VerificationStep } from '../report.js';
import {
  asArray,
  isObject,
  parsedOf,
  step,
  str,
  type Json,
  type Ob3Context,
} from './ob3-context.js';

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

/** Only on request: the IdentityObject must match the expected email. */
export const checkRecipient: Check<Ob3Context> = {
  id: 'recipient',
  fatal: false,
  run(ctx) {
    if (ctx.options.expectedEmail === undefined) return;
    ctx.steps.push(recipientStep(parsedOf(ctx).credential, ctx.options.expectedEmail));
  },
};
