import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import type { Ob2Context } from './ob2-context.js';
import { Ob2Message, type Ob2MessageKey } from './ob2-messages.js';
import { isObject, listOf } from './ob2-values.js';

export type HostedScopeResult =
  | { ok: true; detail: string }
  | {
      ok: false;
      level: 'error' | 'warning';
      message: Ob2MessageKey;
      params: Record<string, string>;
      detail: string;
    };

/**
 * Is a hosted assertion (or endorsement) served where its issuer allows? The issuer's
 * `verification` policy may give `startsWith` prefixes and `allowedOrigins` hosts; by default
 * the assertion must be on the issuer id's own host (same check as the reference validators'
 * ASSERTION_VERIFICATION_DEPENDENCIES / VerificationDependenciesProbe). An issuer without an
 * HTTP id leaves nothing to enforce: a warning.
 */
export function checkHostedScope(
  assertionId: string,
  issuer: Record<string, unknown>,
): HostedScopeResult {
  const issuerId = typeof issuer.id === 'string' ? issuer.id.trim() : '';
  const policy = isObject(issuer.verification) ? issuer.verification : {};
  const startsWith = listOf(policy.startsWith).filter((s): s is string => typeof s === 'string');
  if (policy.startsWith !== undefined && !startsWith.some((p) => assertionId.startsWith(p))) {
    return outOfScope(
      assertionId,
      issuerId,
      `${assertionId} does not start with any of ${startsWith.join(', ')} (issuer verification policy)`,
    );
  }
  const declared = listOf(policy.allowedOrigins).filter((s): s is string => typeof s === 'string');
  const allowedOrigins =
    policy.allowedOrigins !== undefined && policy.allowedOrigins !== null
      ? declared
      : [hostOf(issuerId)].filter((h): h is string => h !== undefined);
  if (allowedOrigins.length === 0 || !issuerId.startsWith('http')) {
    return {
      ok: false,
      level: 'warning',
      message: Ob2Message.signatureHostedNoPolicy,
      params: { issuer: issuerId },
      detail: `Issuer ${issuerId} has no HTTP domain to enforce the hosted verification policy against`,
    };
  }
  const host = hostOf(assertionId);
  if (host === undefined || !allowedOrigins.includes(host)) {
    return outOfScope(
      assertionId,
      issuerId,
      `${assertionId} is not hosted in the allowed origins ${allowedOrigins.join(', ')}`,
    );
  }
  return { ok: true, detail: `${assertionId} is hosted on ${host}, allowed by issuer ${issuerId}` };
}

function outOfScope(url: string, issuer: string, detail: string): HostedScopeResult {
  return {
    ok: false,
    level: 'error',
    message: Ob2Message.signatureHostedOutOfScope,
    params: { url, issuer },
    detail,
  };
}

function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

/**
 * Where the issuer hosts its badges (`verification.allowedOrigins`, …, default the issuer id's
 * origin): read only from a profile served at the issuer's own id.
 */
export const checkHostedScopeStep: Check<Ob2Context> = {
  id: 'hosted-scope',
  fatal: false,
  run(ctx) {
    const issuer = ctx.issuer;
    if (ctx.path !== 'hosted' || !ctx.hostedOk || !issuer) return;
    const id = String(ctx.doc.id);
    if (!issuer.authoritative) {
      // The hosting rules (allowedOrigins…) would come from a profile the badge wrote itself.
      ctx.step(
        StepId.signature,
        'error',
        Ob2Message.signatureHostedOutOfScope,
        { url: id, issuer: String(issuer.node.id) },
        'the issuer profile was not read from its own id, so nothing says where it hosts badges',
      );
      return;
    }
    const scope = checkHostedScope(id, issuer.node);
    if (scope.ok) {
      ctx.step(
        StepId.signature,
        'info',
        Ob2Message.signatureHostedValid,
        { url: id },
        [scope.detail, ctx.note].filter(Boolean).join('; '),
      );
    } else {
      ctx.step(StepId.signature, scope.level, scope.message, scope.params, scope.detail);
    }
  },
};
