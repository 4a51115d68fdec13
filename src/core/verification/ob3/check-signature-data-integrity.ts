import type { IssuerBinding } from '../issuer-binding.js';
import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import {
  asArray,
  isObject,
  issuerIdOf,
  parsedOf,
  step,
  type Json,
  type Ob3Context,
  type SignatureResult,
  type VerifyOb3Options,
} from './ob3-context.js';
import { compromisedKeyResult } from './check-compromised-key.js';
import { verifyDataIntegrityProofs } from './verify-data-integrity-proofs.js';

/** Embedded Data Integrity proofs (eddsa-rdfc-2022, ecdsa-sd-2023), their keys bound to the issuer. */
export async function verifyEmbeddedProofs(
  credential: Json,
  options: VerifyOb3Options,
): Promise<SignatureResult> {
  if (credential.proof === undefined) {
    return {
      format: 'ob3-unsigned',
      steps: [step(StepId.signature, false, 'error', 'verify.steps.signature.missing')],
    };
  }
  const methods = asArray(credential.proof).map((p) =>
    isObject(p) ? p.verificationMethod : undefined,
  );
  const compromised = await compromisedKeyResult(
    credential,
    methods,
    options,
    'ob3-data-integrity',
  );
  if (compromised) return compromised;
  const outcomes = await verifyDataIntegrityProofs(
    credential,
    issuerIdOf(credential),
    options.fetch,
    options.documents,
  );
  const failed = outcomes.find((o) => !o.ok);
  if (failed && !failed.ok) {
    const message =
      failed.reason === 'missing'
        ? 'verify.steps.signature.missing'
        : failed.reason === 'unsupported'
          ? 'verify.steps.signature.unsupported'
          : failed.reason === 'key_not_found'
            ? 'verify.steps.signature.key_not_found'
            : 'verify.steps.signature.invalid';
    return {
      format: 'ob3-data-integrity',
      steps: [step(StepId.signature, false, 'error', message, { detail: failed.detail })],
    };
  }
  const ok = outcomes.filter((o) => o.ok);
  const order: IssuerBinding['status'][] = ['mismatch', 'unconfirmed', 'confirmed'];
  const worst = order.find((b) => ok.some((o) => o.binding.status === b))!;
  const first = ok.find((o) => o.binding.status === worst)!;
  const proofCount = Array.isArray(credential.proof) ? credential.proof.length : 1;
  return {
    format: 'ob3-data-integrity',
    coversDocument: ok.length === proofCount,
    binding: first.binding,
    steps: [
      step(StepId.signature, true, 'info', 'verify.steps.signature.valid', {
        params: { method: ok.map((o) => o.cryptosuite).join(', ') },
        detail: ok.map((o) => `${o.cryptosuite} ${o.method}`).join('; '),
      }),
    ],
  };
}

export const checkSignatureDataIntegrity: Check<Ob3Context> = {
  id: 'signature-data-integrity',
  fatal: false,
  async run(ctx) {
    const parsed = parsedOf(ctx);
    if (parsed.jwt) return;
    ctx.signature = await verifyEmbeddedProofs(parsed.credential, ctx.options);
    ctx.format = ctx.signature.format;
    ctx.steps.push(...ctx.signature.steps);
  },
};
