import { identityMatches } from '../../identity/hash-identity.js';
import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Json, Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { expandIri, ob2Iri, scopeOf } from './ob2-term-scope.js';
import { isObject } from './ob2-values.js';

function checkAssertionRecipient(ctx: Ob2Context, assertion: Json) {
  const email = ctx.options.expectedEmail;
  if (email === undefined || email.trim() === '') {
    ctx.step(StepId.recipient, 'info', Ob2Message.recipientNotChecked);
    return;
  }
  const recipient = isObject(assertion.recipient) ? assertion.recipient : {};
  const type = recipient.type;
  if (
    type !== 'email' &&
    expandIri(String(type), scopeOf(assertion['@context'])) !== ob2Iri('email')
  ) {
    ctx.step(StepId.recipient, 'warning', Ob2Message.recipientUnsupportedType, {
      type: String(type),
    });
    return;
  }
  const matches =
    typeof recipient.identity === 'string' &&
    identityMatches(email, {
      identity: recipient.identity,
      hashed: recipient.hashed === true,
      salt: typeof recipient.salt === 'string' ? recipient.salt : undefined,
    });
  if (matches) ctx.step(StepId.recipient, 'info', Ob2Message.recipientMatch);
  else ctx.step(StepId.recipient, 'error', Ob2Message.recipientMismatch);
}

/** The recipient identity against the expected email, or "not checked". */
export const checkRecipient: Check<Ob2Context> = {
  id: 'recipient',
  fatal: false,
  run(ctx) {
    if (!ctx.isAward || !ctx.assertion) return;
    checkAssertionRecipient(ctx, ctx.assertion);
  },
};
