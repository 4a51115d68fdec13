import { compactVerify, importJWK, type JWK } from 'jose';
import type { Check } from '../engine.js';
import { StepId } from '../report.js';
import {
  asArray,
  isObject,
  issuerIdOf,
  parsedOf,
  step,
  str,
  type Json,
  type Ob3Context,
  type Parsed,
  type SignatureResult,
  type VerifyOb3Options,
} from './ob3-context.js';
import { compromisedKeyResult } from './check-compromised-key.js';
import { resolveJwtKey } from './resolve-jwt-key.js';

const JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

function checkJwtClaims(payload: Json, credential: Json): string[] {
  const problems: string[] = [];
  const seconds = (value: unknown) =>
    typeof value === 'string' ? Math.floor(Date.parse(value) / 1000) : NaN;
  if (payload.iss === undefined || payload.iss !== issuerIdOf(credential))
    problems.push('iss ≠ issuer.id');
  if (payload.jti !== undefined && payload.jti !== credential.id) problems.push('jti ≠ id');
  const validFrom = seconds(credential.validFrom ?? credential.issuanceDate);
  if (typeof payload.nbf !== 'number' || payload.nbf !== validFrom)
    problems.push('nbf ≠ validFrom');
  const subjectId = asArray(credential.credentialSubject).map((s) =>
    isObject(s) ? s.id : undefined,
  )[0];
  if (payload.sub !== undefined && subjectId !== undefined && payload.sub !== subjectId) {
    problems.push('sub ≠ credentialSubject.id');
  }
  const validUntil = credential.validUntil ?? credential.expirationDate;
  if (
    payload.exp !== undefined &&
    validUntil !== undefined &&
    payload.exp !== seconds(validUntil)
  ) {
    problems.push('exp ≠ validUntil');
  }
  return problems;
}

/** A VC-JWT's signature, its key bound to the issuer (issuer-binding), and its claims. */
export async function verifyJwtSignature(
  parsed: Parsed,
  options: VerifyOb3Options,
): Promise<SignatureResult> {
  const { header, payload, token } = parsed.jwt!;
  const credential = parsed.credential;
  const alg = str(header.alg);
  if (!alg || !JWT_ALGORITHMS.includes(alg)) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.unsupported', {
          detail: `alg ${alg}`,
        }),
      ],
    };
  }
  if (isObject(header.jwk) && header.jwk.d !== undefined) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.invalid', {
          detail: 'header jwk is a private key',
        }),
      ],
    };
  }
  const compromised = await compromisedKeyResult(credential, [header.kid], options, 'ob3-jwt');
  if (compromised) return compromised;
  const key = await resolveJwtKey(header, issuerIdOf(credential), options.fetch);
  if (!key.ok) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.key_not_found', {
          detail: key.detail,
        }),
      ],
    };
  }
  try {
    await compactVerify(token, await importJWK(key.jwk as JWK, alg), { algorithms: [alg] });
  } catch (error) {
    return {
      format: 'ob3-jwt',
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.invalid', {
          detail: (error as Error).message,
        }),
      ],
    };
  }
  const problems = checkJwtClaims(payload, credential);
  if (problems.length > 0) {
    return {
      format: 'ob3-jwt',
      binding: key.binding,
      steps: [
        step(StepId.signature, false, 'error', 'verify.steps.signature.claims_mismatch', {
          detail: problems.join('; '),
        }),
      ],
    };
  }
  return {
    format: 'ob3-jwt',
    binding: key.binding,
    steps: [
      step(StepId.signature, true, 'info', 'verify.steps.signature.valid', {
        params: { method: `VC-JWT ${alg}` },
        detail: key.detail,
      }),
    ],
  };
}

export const checkSignatureJwt: Check<Ob3Context> = {
  id: 'signature-jwt',
  fatal: false,
  async run(ctx) {
    const parsed = parsedOf(ctx);
    if (!parsed.jwt) return;
    ctx.signature = await verifyJwtSignature(parsed, ctx.options);
    ctx.format = ctx.signature.format;
    ctx.steps.push(...ctx.signature.steps);
  },
};
