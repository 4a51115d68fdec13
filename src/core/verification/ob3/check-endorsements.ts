import type { Check } from '../engine.js';
import { StepId, type VerificationStep } from '../report.js';
import { credentialKind } from './check-credential-shape.js';
import { parseOb3Input } from './check-input.js';
import { verifyEmbeddedProofs } from './check-signature-data-integrity.js';
import { verifyJwtSignature } from './check-signature-jwt.js';
import {
  asArray,
  isObject,
  parsedOf,
  step,
  type Json,
  type Ob3Context,
  type VerifyOb3Options,
} from './ob3-context.js';

/** Endorsements embedded anywhere in the credential (issuer, achievement, credential…). */
function embeddedEndorsements(value: unknown, found: unknown[] = [], depth = 0): unknown[] {
  if (depth > 8) return found;
  if (Array.isArray(value)) value.forEach((v) => embeddedEndorsements(v, found, depth + 1));
  else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'endorsement' || key === 'endorsementJwt') found.push(...asArray(v));
      else if (key !== 'proof') embeddedEndorsements(v, found, depth + 1);
    }
  }
  return found;
}

async function checkEmbeddedEndorsements(
  credential: Json,
  options: VerifyOb3Options,
): Promise<{ step?: VerificationStep; valid: Json[] }> {
  const endorsements = embeddedEndorsements(credential);
  if (endorsements.length === 0) return { valid: [] };
  const valid: Json[] = [];
  const failures: string[] = [];
  for (const endorsement of endorsements) {
    const parsed = parseOb3Input(endorsement);
    if ('error' in parsed || credentialKind(parsed.credential) !== 'EndorsementCredential') {
      failures.push('not an EndorsementCredential');
      continue;
    }
    const result = parsed.jwt
      ? await verifyJwtSignature(parsed, options)
      : await verifyEmbeddedProofs(parsed.credential, options);
    const problem = result.steps.find((s) => s.level === 'error');
    const bound =
      result.binding?.status === 'confirmed' ||
      (result.binding?.status === 'unconfirmed' && options.policy?.unconfirmedKey === 'accept');
    if (problem || !bound) {
      failures.push(
        `${String(parsed.credential.id)}: ${problem?.detail ?? result.binding?.detail}`,
      );
    } else valid.push(parsed.credential);
  }
  if (failures.length === 0) return { valid };
  return {
    valid,
    step: step(StepId.signature, false, 'error', 'verify.steps.signature.endorsement_invalid', {
      params: { count: failures.length },
      detail: failures.join('; '),
    }),
  };
}

/** Every embedded endorsement must be signed by a key its own issuer lists. */
export const checkEndorsements: Check<Ob3Context> = {
  id: 'endorsements',
  fatal: false,
  async run(ctx) {
    const result = await checkEmbeddedEndorsements(parsedOf(ctx).credential, ctx.options);
    ctx.endorsements = result.valid;
    if (result.step) ctx.steps.push(result.step);
  },
};
