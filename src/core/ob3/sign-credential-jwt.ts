import { importJWK, SignJWT, type JWK } from 'jose';
import { BadgeError } from '../errors.js';
import type { VerifiableCredentialJson } from './credential-types.js';

/** A private key jose can sign with: CryptoKey, KeyObject (or raw bytes for HMAC, refused). */
export type JoseSigningKey = Parameters<SignJWT['sign']>[0];

/** What 1EdTech's validator accepts for OB 3.0 VC-JWT: RS256 (its Java code checks RS256 only). */
export type CredentialJwtAlg = 'RS256' | 'ES256';

function issuerIdOf(credential: VerifiableCredentialJson): string {
  const issuer = credential.issuer;
  const id = typeof issuer === 'string' ? issuer : issuer?.id;
  if (!id) throw new BadgeError('invalid_input', 'credential.issuer.id is required');
  return id;
}

function numericDate(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadgeError('invalid_input', `${field} is not a date`);
  return Math.floor(ms / 1000);
}

/**
 * The JWT claims an OB 3.0 VC-JWT carries next to the credential (OB 3.0 §8.2, VC Data Model
 * 2.0: the payload IS the credential, no `vc` wrapper). `sub` is the subject's id when it has
 * one; our subjects are identified by a hashed IdentityObject instead, and an invented `sub`
 * would not "match credentialSubject.id", so it is then left out.
 */
export function credentialJwtClaims(
  credential: VerifiableCredentialJson,
): Record<string, string | number> {
  const claims: Record<string, string | number> = {
    iss: issuerIdOf(credential),
    jti: credential.id,
    nbf: numericDate(credential.validFrom, 'validFrom'),
  };
  const subjectId = credential.credentialSubject?.id;
  if (typeof subjectId === 'string') claims.sub = subjectId;
  if (credential.validUntil) claims.exp = numericDate(credential.validUntil, 'validUntil');
  return claims;
}

/**
 * Signs an OB 3.0 credential as a VC-JWT (compact JWS): header `{alg, kid, typ: "JWT"}` where
 * `kid` is a URL returning the public JWK; payload = the credential + iss/jti/nbf/sub/exp.
 */
export async function signCredentialJwt(
  credential: VerifiableCredentialJson,
  key: JoseSigningKey | JWK,
  options: { kid: string; alg: CredentialJwtAlg },
): Promise<string> {
  if (!credential.id) throw new BadgeError('invalid_input', 'credential.id is required');
  if (!/^https?:\/\//.test(options.kid) && !options.kid.startsWith('did:')) {
    throw new BadgeError('invalid_input', 'kid must be a URL that returns the public JWK');
  }
  let signingKey: JoseSigningKey;
  try {
    signingKey = 'kty' in key ? await importJWK(key as JWK, options.alg) : (key as JoseSigningKey);
  } catch (cause) {
    throw new BadgeError('invalid_key', `cannot use this key for ${options.alg}`, { cause });
  }
  try {
    return await new SignJWT({ ...credential, ...credentialJwtClaims(credential) })
      .setProtectedHeader({ alg: options.alg, kid: options.kid, typ: 'JWT' })
      .sign(signingKey);
  } catch (cause) {
    throw new BadgeError('signing_failed', `VC-JWT signing failed (${options.alg})`, { cause });
  }
}
