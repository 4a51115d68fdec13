import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';

/** The "format" line of an awarded badge; a SignedBadge given without its JWS ends the run. */
export const checkFormat: Check<Ob2Context> = {
  id: 'format',
  fatal: true,
  run(ctx) {
    const decoded = ctx.decoded;
    if (!decoded) return;
    if (ctx.path === 'hosted') {
      ctx.format = 'ob2-hosted';
      ctx.step(StepId.format, 'info', Ob2Message.formatHosted, { container: decoded.container });
    } else if (ctx.path === 'signed') {
      ctx.format = 'ob2-signed';
      ctx.assertion = ctx.doc;
      ctx.step(StepId.format, 'info', Ob2Message.formatSigned, { container: decoded.container });
    } else if (ctx.path === 'signed-without-jws') {
      ctx.format = 'ob2-signed';
      ctx.assertion = ctx.doc;
      ctx.step(
        StepId.format,
        'error',
        Ob2Message.formatSignedWithoutSignature,
        {},
        'the assertion says SignedBadge but was given without its JWS',
      );
    }
  },
};
