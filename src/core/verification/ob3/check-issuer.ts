import type { Check } from '../engine.js';
import { StepId, type StepLevel, type VerificationStep } from '../report.js';
import {
  isObject,
  issuerIdOf,
  parsedOf,
  step,
  str,
  type Json,
  type Ob3Context,
  type Ob3VerificationPolicy,
  type SignatureResult,
  type VerifyOb3Options,
} from './ob3-context.js';

/**
 * Who signed: the issuer-binding outcome, then (for this platform's own issuers) the stored
 * key's status. A compromised key is named as such even though it left the issuer's documents.
 */
async function issuerStep(
  binding: SignatureResult['binding'],
  credential: Json,
  policy: Ob3VerificationPolicy,
  options: VerifyOb3Options,
): Promise<VerificationStep | undefined> {
  const issuer = credential.issuer;
  const issuerId = issuerIdOf(credential);
  const name = (isObject(issuer) ? str(issuer.name) : undefined) ?? issuerId ?? '';
  const params = { name };
  if (!binding) return undefined;
  const detail = binding.detail;
  const own =
    options.issuerKeyStatus && issuerId && binding.keyId
      ? await options.issuerKeyStatus(issuerId, binding.keyId)
      : undefined;
  if (own === 'compromised') {
    return step(StepId.issuer, false, 'error', 'verify.steps.issuer.key_compromised', {
      params,
      detail: `${binding.keyId} was declared compromised by its issuer; ${detail}`,
    });
  }
  if (binding.status === 'mismatch') {
    return step(StepId.issuer, false, 'error', 'verify.steps.issuer.key_mismatch', {
      params,
      detail,
    });
  }
  if (binding.status === 'unconfirmed') {
    const level: StepLevel = policy.unconfirmedKey === 'accept' ? 'info' : 'error';
    return step(StepId.issuer, level === 'info', level, 'verify.steps.issuer.unconfirmed', {
      params,
      detail,
    });
  }
  const known = options.issuerKeyStatus
    ? own !== undefined
    : options.isKnownIssuer && issuerId
      ? await options.isKnownIssuer(issuerId)
      : undefined;
  if (known === false) {
    return step(StepId.issuer, false, 'warning', 'verify.steps.issuer.unknown', { params, detail });
  }
  return step(
    StepId.issuer,
    true,
    'info',
    known ? 'verify.steps.issuer.known' : 'verify.steps.issuer.confirmed',
    { params, detail },
  );
}

export const checkIssuer: Check<Ob3Context> = {
  id: 'issuer',
  fatal: false,
  async run(ctx) {
    const issuer = await issuerStep(
      ctx.signature?.binding,
      parsedOf(ctx).credential,
      ctx.policy,
      ctx.options,
    );
    if (issuer) ctx.steps.push(issuer);
    // A signature by a key that is not the issuer's proves the bytes are intact, not that the
    // badge is the issuer's: "not altered since it was issued" would mislead an employer.
    if (issuer && !issuer.ok && issuer.level === 'error') {
      const signature = ctx.steps.find(
        (s) => s.id === StepId.signature && s.message === 'verify.steps.signature.valid',
      );
      if (signature) {
        Object.assign(signature, {
          ok: false,
          level: 'warning',
          message: 'verify.steps.signature.valid_other_key',
        });
      }
    }
  },
};
