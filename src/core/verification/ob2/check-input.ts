import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import { decodeOb2Input, type DecodedOb2Input, type Ob2Container } from './decode-ob2-input.js';
import { CLASS_OF_TERM, type Ob2Class } from './ob2-class-rules.js';
import type { Json, Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { expandIri, ob2Iri, scopeOf } from './ob2-term-scope.js';
import { isObject, listOf } from './ob2-values.js';

const SIGNED = ob2Iri('SignedBadge');

async function fetchInput(
  ctx: Ob2Context,
  url: string,
  container?: Ob2Container,
): Promise<DecodedOb2Input> {
  const unavailable = (detail: string): DecodedOb2Input => ({
    kind: 'failed',
    message: Ob2Message.formatUnavailable,
    params: { url },
    detail,
  });
  try {
    const result = await ctx.docs.fetchRaw(url);
    // 410 Gone: a revoked hosted assertion still describes itself; the hosted check reports it.
    if ((result.status < 200 || result.status >= 300) && result.status !== 410) {
      return unavailable(`HTTP ${result.status}`);
    }
    if (result.status === 410) ctx.gone = url;
    return decodeOb2Input(result.body, container ?? 'url');
  } catch (e) {
    return unavailable(String(e));
  }
}

/** The OB 2.0 class of the top-level document, from its `type`; undefined for others. */
function classify(ctx: Ob2Context, doc: Json): Ob2Class | undefined {
  const scope = scopeOf(doc['@context']);
  const types = listOf(doc.type);
  ctx.objectType = typeof types[0] === 'string' ? types[0] : undefined;
  for (const t of types) {
    if (typeof t !== 'string') continue;
    const iri = expandIri(t, scope);
    const term = Object.keys(CLASS_OF_TERM).find((name) => ob2Iri(name) === iri);
    if (term) return CLASS_OF_TERM[term];
  }
  return undefined;
}

/**
 * Recognises the input (URL, JSON, JWS, baked image; a URL is followed at most twice) and
 * chooses the path the other checks follow. Nothing readable ends the run.
 */
export const checkInput: Check<Ob2Context> = {
  id: 'decode-input',
  fatal: true,
  async run(ctx) {
    let decoded = decodeOb2Input(ctx.input);
    // A URL (typed, or baked by older tools) leads to JSON, a JWS or a baked image.
    for (let hops = 0; decoded.kind === 'url' && hops < 2; hops++) {
      decoded = await fetchInput(ctx, decoded.url, decoded.container);
    }
    if (decoded.kind === 'url') {
      ctx.step(StepId.format, 'error', Ob2Message.formatUnreadable, {}, 'too many URL hops');
      return;
    }
    if (decoded.kind === 'failed') {
      ctx.step(StepId.format, 'error', decoded.message, decoded.params ?? {}, decoded.detail);
      return;
    }
    ctx.decoded = decoded;
    const doc = decoded.kind === 'jws' ? decoded.payload : decoded.doc;
    ctx.doc = doc;
    ctx.cls = classify(ctx, doc);
    if (ctx.gone && ctx.cls !== 'Assertion') ctx.path = 'gone';
    else if (ctx.cls !== 'Assertion') ctx.path = 'document';
    else if (decoded.kind === 'jws') ctx.path = 'signed';
    else {
      const verificationType = expandIri(
        String(listOf(isObject(doc.verification) ? doc.verification.type : undefined)[0] ?? ''),
        scopeOf(doc['@context']),
      );
      ctx.path = verificationType === SIGNED ? 'signed-without-jws' : 'hosted';
    }
  },
};
