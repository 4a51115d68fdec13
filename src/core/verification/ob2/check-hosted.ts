import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { fromOwnOrigin, isUrl, reasonParams, str } from './ob2-values.js';

/**
 * A hosted assertion is checked as its id serves it: a baked or pasted copy may be stale or
 * tampered. A 410 Gone answer is a revocation; another origin, another id or no answer fails.
 */
export const checkHosted: Check<Ob2Context> = {
  id: 'hosted',
  fatal: false,
  async run(ctx) {
    if (ctx.path !== 'hosted') return;
    const provided = ctx.doc;
    let assertion = provided;
    const id = provided.id;
    if (typeof id !== 'string' || !isUrl(id)) {
      ctx.step(StepId.signature, 'error', Ob2Message.signatureHostedNotUrl, { id: String(id) });
    } else {
      const hosted = await ctx.docs.json(id);
      if (hosted.ok && !fromOwnOrigin(hosted.result, id)) {
        // A redirect to another origin: whoever answers there is not the badge's host.
        ctx.step(
          StepId.signature,
          'error',
          Ob2Message.signatureHostedUnavailable,
          { url: id },
          `${id} redirects to another origin (${hosted.result.url})`,
        );
      } else if (hosted.ok && hosted.json.id === id) {
        assertion = hosted.json;
        ctx.hostedOk = true;
      } else if (hosted.ok) {
        ctx.step(
          StepId.signature,
          'error',
          Ob2Message.signatureHostedIdMismatch,
          { url: id, id: String(hosted.json.id) },
          'the document served at the assertion id declares another id',
        );
      } else if (hosted.status === 410) {
        assertion = hosted.json?.id === id ? hosted.json : provided;
        ctx.revoked = { reason: str(hosted.json?.revocationReason) };
        ctx.step(
          StepId.status,
          'error',
          Ob2Message.statusRevoked,
          reasonParams(ctx.revoked.reason),
          `${id} answers 410 Gone`,
        );
      } else {
        ctx.step(
          StepId.signature,
          'error',
          Ob2Message.signatureHostedUnavailable,
          { url: id },
          hosted.detail,
        );
      }
    }
    ctx.assertion = assertion;
    if (ctx.hostedOk && JSON.stringify(assertion) !== JSON.stringify(provided)) {
      ctx.note = 'the provided copy differs from the hosted assertion; the hosted one was checked';
    }
  },
};
