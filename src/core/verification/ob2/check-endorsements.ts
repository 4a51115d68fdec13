import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import { checkHostedScope } from './check-hosted-scope.js';
import type { Json, Ob2Context } from './ob2-context.js';
import { Ob2Message } from './ob2-messages.js';
import { expandIri, ob2Iri, scopeOf } from './ob2-term-scope.js';
import { idOf, isObject, isUrl, listOf, parseDateTime, str } from './ob2-values.js';

const MAX_ENDORSEMENTS = 10;
const HOSTED = ob2Iri('HostedBadge');

/** Endorsements of the given documents: only those that read, validate and apply are shown. */
export async function checkEndorsementsOf(
  ctx: Ob2Context,
  targets: { node: Json; label: string }[],
) {
  let count = 0;
  for (const { node } of targets) {
    for (const ref of listOf(node.endorsement).slice(0, MAX_ENDORSEMENTS)) {
      const summary = await checkEndorsement(ctx, ref, node);
      if (summary) {
        ctx.endorsements.push(summary);
        count++;
      }
    }
  }
  if (count > 0) ctx.step(StepId.endorsements, 'info', Ob2Message.endorsementsValid, { count });
}

/** One endorsement: a warning (and nothing shown) unless it reads, validates and applies. */
async function checkEndorsement(ctx: Ob2Context, ref: unknown, target: Json) {
  const url = idOf(ref) ?? '';
  const invalid = (detail: string) => {
    ctx.step(StepId.endorsements, 'warning', Ob2Message.endorsementsInvalid, { url }, detail);
    return undefined;
  };
  if (!isUrl(url)) return invalid('endorsement without a URL id cannot be checked');
  const fetched = await ctx.docs.json(url);
  if (!fetched.ok) {
    ctx.step(
      StepId.endorsements,
      'warning',
      Ob2Message.endorsementsUnavailable,
      { url },
      fetched.detail,
    );
    return undefined;
  }
  const endorsement = fetched.json;
  const errors = ctx
    .validateDocument(endorsement, 'Endorsement', true)
    .filter((p) => p.level === 'error');
  if (errors.length > 0) return invalid(errors.map((p) => p.detail).join('; '));
  const claim = isObject(endorsement.claim) ? endorsement.claim : {};
  if (claim.id !== target.id) {
    ctx.step(
      StepId.endorsements,
      'warning',
      Ob2Message.endorsementsClaimMismatch,
      { url, claim: String(claim.id) },
      `the endorsement is about ${String(claim.id)}, not ${String(target.id)}`,
    );
    return undefined;
  }
  const issuedOn = parseDateTime(endorsement.issuedOn);
  if (!issuedOn || issuedOn > ctx.options.now)
    return invalid('issuedOn is missing or in the future');
  const issuerRef = endorsement.issuer;
  const issuerUrl = idOf(issuerRef);
  const issuerDoc = issuerUrl && isUrl(issuerUrl) ? await ctx.docs.json(issuerUrl) : undefined;
  if (!issuerDoc?.ok)
    return invalid(`endorser profile unavailable: ${issuerDoc?.detail ?? 'no URL'}`);
  const issuerErrors = ctx
    .validateDocument(issuerDoc.json, 'Profile', true)
    .filter((p) => p.level === 'error');
  if (issuerErrors.length > 0) return invalid(issuerErrors.map((p) => p.detail).join('; '));
  const verification = isObject(endorsement.verification) ? endorsement.verification : {};
  const vType = expandIri(
    String(listOf(verification.type)[0] ?? ''),
    scopeOf(endorsement['@context']),
  );
  if (vType !== HOSTED) return invalid('only hosted endorsements can be checked');
  const scope = checkHostedScope(String(endorsement.id), issuerDoc.json);
  if (!scope.ok && scope.level === 'error') return invalid(scope.detail);
  return {
    issuerName: str(issuerDoc.json.name),
    issuerId: str(issuerDoc.json.id),
    comment: str(claim.endorsementComment),
    issuedOn: str(endorsement.issuedOn),
  };
}

export const checkEndorsements: Check<Ob2Context> = {
  id: 'endorsements',
  fatal: false,
  async run(ctx) {
    if (!ctx.isAward || !ctx.assertion) return;
    await checkEndorsementsOf(ctx, [
      { node: ctx.assertion, label: 'Assertion' },
      ...(ctx.badge ? [{ node: ctx.badge, label: 'BadgeClass' }] : []),
      ...(ctx.issuer ? [{ node: ctx.issuer.node, label: 'Issuer' }] : []),
    ]);
  },
};
