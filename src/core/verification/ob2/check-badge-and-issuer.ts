import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Json, Ob2Context, Ob2Issuer } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { scopeOf, type TermScope } from './ob2-term-scope.js';
import { fromOwnOrigin, isObject, isUrl, sameOrigin, str } from './ob2-values.js';

/** Fetches (or, embedded, confirms from its id) and validates an issuer profile. */
async function loadIssuer(
  ctx: Ob2Context,
  ref: unknown,
  scope: TermScope,
): Promise<Ob2Issuer | undefined> {
  if (typeof ref === 'string') {
    const fetched = await ctx.docs.json(ref);
    if (!fetched.ok) {
      ctx.step(StepId.issuer, 'error', Ob2Message.issuerUnavailable, { url: ref }, fetched.detail);
      return undefined;
    }
    ctx.checkFetchedId(fetched.json, ref, 'Profile');
    ctx.addProblems(ctx.validateDocument(fetched.json, 'Profile', true));
    // The profile speaks for its id only when read from that id's own origin (an alias on the
    // same site is the site's word; a document elsewhere claiming the id is anyone's).
    const declared = typeof fetched.json.id === 'string' ? fetched.json.id : '';
    // A non-HTTP id (urn:uuid) claims nobody's site: the profile is then the site's that serves it.
    const authoritative =
      fromOwnOrigin(fetched.result, ref) &&
      (declared === ref || sameOrigin(declared, ref) || !/^https?:\/\//.test(declared));
    return { node: fetched.json, authoritative };
  }
  if (!isObject(ref)) return undefined;
  // An embedded issuer could claim anyone's id: prefer the profile served at that id.
  if (typeof ref.id === 'string' && isUrl(ref.id)) {
    const fetched = await ctx.docs.json(ref.id);
    if (fetched.ok && fetched.json.id === ref.id && fromOwnOrigin(fetched.result, ref.id)) {
      ctx.addProblems(ctx.validateDocument(fetched.json, 'Profile', true));
      return { node: fetched.json, authoritative: true };
    }
  }
  ctx.step(
    StepId.issuer,
    'warning',
    Ob2Message.issuerEmbeddedUnconfirmed,
    { id: String(ref.id) },
    'embedded issuer profile not served at its id',
  );
  ctx.addProblems(ctx.validateDocument(ref, 'Profile', false, scope));
  return { node: ref, authoritative: false };
}

/** The issuer profile, named, and whether this platform knows it. */
export async function resolveIssuer(
  ctx: Ob2Context,
  ref: unknown,
  scope: TermScope,
): Promise<Ob2Issuer | undefined> {
  const issuer = await loadIssuer(ctx, ref, scope);
  if (!issuer) return undefined;
  ctx.issuer = issuer;
  const name = str(issuer.node.name) ?? '';
  ctx.step(StepId.issuer, 'info', Ob2Message.issuerIdentified, {
    name,
    id: String(issuer.node.id),
  });
  if (ctx.options.isKnownIssuer) {
    const id = String(issuer.node.id);
    const known = issuer.authoritative && (await ctx.options.isKnownIssuer(id));
    if (known) ctx.step(StepId.issuer, 'info', Ob2Message.issuerKnown, { name });
    else
      ctx.step(
        StepId.issuer,
        'warning',
        Ob2Message.issuerUnknown,
        { name, id },
        issuer.authoritative ? undefined : 'the issuer profile was not read from its own id',
      );
  }
  return issuer;
}

async function resolveBadgeAndIssuer(ctx: Ob2Context, assertion: Json) {
  const ref = assertion.badge;
  const scope = scopeOf(assertion['@context']);
  if (typeof ref === 'string') {
    const fetched = await ctx.docs.json(ref);
    if (!fetched.ok) {
      ctx.step(
        StepId.schema,
        'error',
        Ob2Message.schemaDocumentUnavailable,
        { document: 'BadgeClass', url: ref },
        fetched.detail,
      );
      return;
    }
    ctx.badge = fetched.json;
    ctx.checkFetchedId(fetched.json, ref, 'BadgeClass');
    ctx.addProblems(ctx.validateDocument(fetched.json, 'BadgeClass', true));
  } else if (isObject(ref)) {
    ctx.badge = ref;
    ctx.addProblems(ctx.validateDocument(ref, 'BadgeClass', false, scope));
  } else {
    return; // the schema step reports the missing badge
  }
  await resolveIssuer(ctx, ctx.badge.issuer, scopeOf(ctx.badge['@context'], scope));
}

/** The assertion's BadgeClass and the issuer profile it names, each read and validated. */
export const checkBadgeAndIssuer: Check<Ob2Context> = {
  id: 'badge-and-issuer',
  fatal: false,
  async run(ctx) {
    if (!ctx.isAward || !ctx.assertion) return;
    await resolveBadgeAndIssuer(ctx, ctx.assertion);
  },
};
