import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { reasonParams, str } from './ob2-values.js';

/**
 * A hosted assertion revoked the way the spec says (410 Gone, often with only `id`, `revoked`
 * and `revocationReason`): the badge was revoked by whoever hosts it, whatever else it lacks.
 */
export const checkGone: Check<Ob2Context> = {
  id: 'gone',
  fatal: true,
  run(ctx) {
    if (ctx.path !== 'gone') return;
    const doc = ctx.doc;
    ctx.format = 'ob2-hosted';
    ctx.assertion = doc;
    ctx.revoked = { reason: str(doc.revocationReason) };
    ctx.step(StepId.format, 'info', Ob2Message.formatHosted, { container: 'url' });
    ctx.step(
      StepId.status,
      'error',
      Ob2Message.statusRevoked,
      reasonParams(ctx.revoked.reason),
      `${ctx.gone} answers 410 Gone`,
    );
  },
};
