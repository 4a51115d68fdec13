import { createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';
import { base58btcDecode, multikeyAlgorithm } from '../did/multikey.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A public key, comparable: as a JWK when we can read it as one (JWK, Ed25519 Multikey, PEM),
 * and as its multibase text otherwise (a P-256 Multikey), so two keys compare either way.
 */
export interface KeyMaterial {
  jwk?: JWK;
  multibase?: string;
}

/** The key material of a verification method or CryptographicKey; undefined when it has none. */
export function keyMaterialOf(method: {
  publicKeyJwk?: unknown;
  publicKeyMultibase?: unknown;
  publicKeyPem?: unknown;
}): KeyMaterial | undefined {
  const { publicKeyJwk, publicKeyMultibase, publicKeyPem } = method;
  if (isObject(publicKeyJwk) && typeof publicKeyJwk.kty === 'string') {
    return { jwk: publicKeyJwk as JWK };
  }
  if (typeof publicKeyMultibase === 'string') {
    if (multikeyAlgorithm(publicKeyMultibase) === 'Ed25519') {
      const bytes = base58btcDecode(publicKeyMultibase.slice(1))!;
      const x = Buffer.from(bytes.subarray(2)).toString('base64url');
      return { jwk: { kty: 'OKP', crv: 'Ed25519', x }, multibase: publicKeyMultibase };
    }
    return { multibase: publicKeyMultibase };
  }
  if (typeof publicKeyPem === 'string') {
    try {
      return { jwk: createPublicKey(publicKeyPem).export({ format: 'jwk' }) as JWK };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Same public key: every public parameter equal (a private `d` never matters here). */
export function samePublicKey(a: JWK, b: JWK): boolean {
  return (['kty', 'crv', 'n', 'e', 'x', 'y'] as const).every((p) => a[p] === b[p]);
}

/** Same key material; two keys we cannot compare are taken as different (fail closed). */
export function sameKeyMaterial(a: KeyMaterial, b: KeyMaterial): boolean {
  if (a.jwk && b.jwk) return samePublicKey(a.jwk, b.jwk);
  if (a.multibase && b.multibase) return a.multibase === b.multibase;
  return false;
}
