import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Json, Ob2Context, Ob2Issuer } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { idOf, isObject, listOf, reasonParams, str } from './ob2-values.js';

/** Revocation: `revoked: true`, or the issuer's revocation list (410 Gone: check-hosted). */
async function checkAssertionStatus(
  ctx: Ob2Context,
  assertion: Json,
  issuer: Ob2Issuer | undefined,
) {
  if (ctx.revoked) return; // already reported (410 Gone)
  if (assertion.revoked === true) {
    ctx.revoked = { reason: str(assertion.revocationReason) };
    ctx.step(
      StepId.status,
      'error',
      Ob2Message.statusRevoked,
      reasonParams(ctx.revoked.reason),
      'the assertion says revoked: true',
    );
    return;
  }
  const listRef = issuer?.node.revocationList;
  if (listRef === undefined) {
    if (ctx.format === 'ob2-hosted') {
      ctx.step(
        StepId.status,
        'info',
        Ob2Message.statusNotRevoked,
        {},
        'the issuer still serves the assertion',
      );
    } else {
      ctx.step(
        StepId.status,
        'info',
        Ob2Message.statusNoList,
        {},
        'the issuer publishes no revocation list',
      );
    }
    return;
  }
  let list: Record<string, unknown>;
  const url = idOf(listRef) ?? '';
  if (isObject(listRef) && listRef.revokedAssertions !== undefined) {
    list = listRef;
  } else {
    const fetched = await ctx.docs.json(url);
    if (!fetched.ok) {
      ctx.step(StepId.status, 'warning', Ob2Message.statusUnavailable, { url }, fetched.detail);
      return;
    }
    list = fetched.json;
    ctx.addProblems(ctx.validateDocument(list, 'RevocationList', true));
  }
  const id = assertion.id;
  const entry = listOf(list.revokedAssertions).find((e) =>
    isObject(e)
      ? (e.id !== undefined && e.id === id) ||
        (typeof e.uid === 'string' && e.uid === assertion.uid)
      : e === id,
  );
  if (entry !== undefined) {
    ctx.revoked = { reason: isObject(entry) ? str(entry.revocationReason) : undefined };
    ctx.step(
      StepId.status,
      'error',
      Ob2Message.statusRevoked,
      reasonParams(ctx.revoked.reason),
      `listed in revocation list ${url}`,
    );
  } else {
    ctx.step(
      StepId.status,
      'info',
      Ob2Message.statusNotRevoked,
      {},
      `not in revocation list ${url}`,
    );
  }
}

export const checkStatus: Check<Ob2Context> = {
  id: 'status',
  fatal: false,
  async run(ctx) {
    if (!ctx.isAward || !ctx.assertion) return;
    await checkAssertionStatus(ctx, ctx.assertion, ctx.issuer);
  },
};
