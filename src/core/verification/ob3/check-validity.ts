import type { Check } from '../engine.js';
import { StepId, type VerificationStep } from '../report.js';
import {
  parsedOf,
  step,
  str,
  type Json,
  type Ob3Context,
  type Ob3VerificationPolicy,
} from './ob3-context.js';

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

/** The validity window (validFrom/validUntil, or a VC-JWT's exp). */
export const checkValidity: Check<Ob3Context> = {
  id: 'validity',
  fatal: false,
  run(ctx) {
    const parsed = parsedOf(ctx);
    ctx.steps.push(
      validityStep(parsed.credential, parsed.jwt?.payload, ctx.options.now, ctx.policy),
    );
  },
};
