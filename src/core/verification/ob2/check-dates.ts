import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Json, Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { parseDateTime } from './ob2-values.js';

function checkAssertionDates(ctx: Ob2Context, assertion: Json) {
  const now = ctx.options.now;
  const issuedOn = parseDateTime(assertion.issuedOn);
  if (!issuedOn) {
    ctx.step(StepId.validity, 'error', Ob2Message.validityInvalidDate, { property: 'issuedOn' });
    return;
  }
  const issued = String(assertion.issuedOn);
  if (issuedOn > now) {
    ctx.step(StepId.validity, 'error', Ob2Message.validityNotYetIssued, { date: issued });
    return;
  }
  if (assertion.expires === undefined || assertion.expires === null) {
    ctx.step(StepId.validity, 'info', Ob2Message.validityValid, { issuedOn: issued });
    return;
  }
  const expires = parseDateTime(assertion.expires);
  const exp = String(assertion.expires);
  if (!expires) {
    ctx.step(StepId.validity, 'error', Ob2Message.validityInvalidDate, { property: 'expires' });
  } else if (expires < issuedOn) {
    ctx.step(StepId.validity, 'error', Ob2Message.validityExpiresBeforeIssued, {
      issuedOn: issued,
      expires: exp,
    });
  } else if (expires < now) {
    ctx.step(StepId.validity, ctx.expiredLevel, Ob2Message.validityExpired, { date: exp });
  } else {
    ctx.step(StepId.validity, 'info', Ob2Message.validityValid, {
      issuedOn: issued,
      expires: exp,
    });
  }
}

/** issuedOn in the past, expires after it and (else a warning by default) after now. */
export const checkDates: Check<Ob2Context> = {
  id: 'dates',
  fatal: false,
  run(ctx) {
    if (!ctx.isAward || !ctx.assertion) return;
    checkAssertionDates(ctx, ctx.assertion);
  },
};
