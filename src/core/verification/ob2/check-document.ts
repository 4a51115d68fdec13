import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import { resolveIssuer } from './check-badge-and-issuer.js';
import { checkEndorsementsOf } from './check-endorsements.js';
import type { Ob2Class } from './ob2-class-rules.js';
import type { Json, Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { scopeOf } from './ob2-term-scope.js';
import { listOf } from './ob2-values.js';

async function verifyDocument(ctx: Ob2Context, doc: Json, cls: Ob2Class | undefined) {
  const objectType = ctx.objectType ?? 'unknown';
  if (!ctx.options.allowNonAssertion) {
    ctx.step(
      StepId.format,
      'error',
      Ob2Message.formatNotAssertion,
      { objectType },
      'not an Assertion',
    );
    if (cls === undefined) ctx.addProblems(ctx.validateUnknownDocument(doc));
    return;
  }
  ctx.step(StepId.format, 'info', Ob2Message.formatDocument, { objectType });
  if (cls === undefined) {
    ctx.addProblems(ctx.validateUnknownDocument(doc));
    return;
  }
  ctx.addProblems(ctx.validateDocument(doc, cls, true));
  if (cls === 'BadgeClass') {
    ctx.badge = doc;
    const issuer = await resolveIssuer(ctx, doc.issuer, scopeOf(doc['@context']));
    await checkEndorsementsOf(ctx, [
      { node: doc, label: 'BadgeClass' },
      ...(issuer ? [{ node: issuer.node, label: 'Issuer' }] : []),
    ]);
  } else if (cls === 'Profile') {
    ctx.issuer = { node: doc, authoritative: false };
    for (const keyRef of listOf(doc.publicKey)) {
      if (typeof keyRef !== 'string') continue;
      const key = await ctx.docs.json(keyRef);
      if (!key.ok) {
        ctx.step(
          StepId.schema,
          'error',
          Ob2Message.schemaDocumentUnavailable,
          { document: 'CryptographicKey', url: keyRef },
          key.detail,
        );
      } else {
        ctx.addProblems(ctx.validateDocument(key.json, 'CryptographicKey', true));
      }
    }
    await checkEndorsementsOf(ctx, [{ node: doc, label: 'Issuer' }]);
  } else if (cls === 'Endorsement') {
    await resolveIssuer(ctx, doc.issuer, scopeOf(doc['@context']));
  }
}

/**
 * An OB 2.0 document that is not an awarded badge: refused (the default: a page that verifies
 * badges must not call an issuer profile "verified"), or, on request, checked for soundness.
 */
export const checkDocument: Check<Ob2Context> = {
  id: 'document',
  fatal: true,
  async run(ctx) {
    if (ctx.path !== 'document') return;
    await verifyDocument(ctx, ctx.doc, ctx.cls);
  },
};
