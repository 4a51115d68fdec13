import type { Check } from '../engine.js';
import { StepId, type VerificationStep } from '../report.js';
import { checkCredentialStatus, type StatusOutcome } from './check-credential-status.js';
import { parsedOf, step, type Ob3Context } from './ob3-context.js';

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

/** Revocation and suspension: 1EdTechRevocationList and BitstringStatusListEntry. */
export const checkStatus: Check<Ob3Context> = {
  id: 'status',
  fatal: false,
  async run(ctx) {
    ctx.status = await checkCredentialStatus(
      parsedOf(ctx).credential,
      ctx.options.now,
      ctx.options.fetch,
    );
    ctx.steps.push(statusStep(ctx.status));
  },
};
