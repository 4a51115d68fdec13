import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { base58btcDecode, multikeyAlgorithm } from '../did/multikey.js';

/**
 * OpenID4VCI 1.0 proof of possession, `jwt` proof type (Appendix F.1): a JWT the wallet signs
 * with its own key, `typ: openid4vci-proof+jwt`, `aud` = the credential issuer, `nonce` = a
 * c_nonce from our nonce endpoint, `iat` recent, and exactly one key reference (`kid` as a DID
 * URL, or `jwk`). The signature is checked by jose; this file only finds the key to check with.
 */
export type KeyProofErrorCode = 'invalid_proof';

export class KeyProofError extends Error {
  readonly code: KeyProofErrorCode = 'invalid_proof';
  constructor(message: string) {
    super(message);
    this.name = 'KeyProofError';
  }
}

export interface VerifiedKeyProof {
  /** The wallet's DID when the proof names its key by a DID URL (did:key, did:jwk). */
  holderDid?: string;
  jwk: JWK;
  /** The c_nonce it is bound to: the caller checks it is fresh and spends it. */
  nonce: string;
}

/** Algorithms a wallet key may sign with (asymmetric only: never `none` or HMAC). */
export const KEY_PROOF_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256'] as const;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The public JWK named by a did:key (Ed25519) or did:jwk DID URL; undefined otherwise. */
export function jwkOfDidUrl(didUrl: string): { did: string; jwk: JWK } | undefined {
  const [did, fragment] = didUrl.split('#', 2) as [string, string | undefined];
  if (did.startsWith('did:jwk:')) {
    if (fragment !== undefined && fragment !== '0') return undefined;
    try {
      const jwk = JSON.parse(Buffer.from(did.slice(8), 'base64url').toString('utf8')) as JWK;
      // A DID names a public key: a private member here is a wallet bug we refuse to keep.
      if (typeof jwk !== 'object' || jwk === null || 'd' in jwk || typeof jwk.kty !== 'string') {
        return undefined;
      }
      return { did, jwk };
    } catch {
      return undefined;
    }
  }
  if (did.startsWith('did:key:')) {
    const multibase = did.slice(8);
    if (fragment !== undefined && fragment !== multibase) return undefined;
    if (multikeyAlgorithm(multibase) !== 'Ed25519') return undefined;
    const bytes = base58btcDecode(multibase.slice(1))!;
    return { did, jwk: { kty: 'OKP', crv: 'Ed25519', x: b64url(bytes.slice(2)) } };
  }
  return undefined;
}

/** Checks one key proof; throws KeyProofError (the spec's `invalid_proof`) when it fails. */
export async function verifyKeyProof(
  jwt: string,
  expected: { audience: string; now: Date; maxAgeSeconds: number },
): Promise<VerifiedKeyProof> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw new KeyProofError('the proof is not a JWT');
  }
  if (header.typ !== 'openid4vci-proof+jwt') {
    throw new KeyProofError('typ must be openid4vci-proof+jwt');
  }
  const refs = ['kid', 'jwk', 'x5c', 'trust_chain'].filter((k) => k in header);
  if (refs.length !== 1) throw new KeyProofError('exactly one of kid or jwk names the key');
  let jwk: JWK;
  let holderDid: string | undefined;
  if (typeof header.kid === 'string') {
    const found = jwkOfDidUrl(header.kid);
    if (!found) throw new KeyProofError('kid must be a did:key (Ed25519) or did:jwk DID URL');
    jwk = found.jwk;
    holderDid = found.did;
  } else if (header.jwk && typeof header.jwk === 'object' && !('d' in header.jwk)) {
    jwk = header.jwk;
  } else {
    throw new KeyProofError('unsupported key reference');
  }
  let payload: Record<string, unknown>;
  try {
    const key = await importJWK(jwk, header.alg);
    ({ payload } = await jwtVerify(jwt, key, {
      typ: 'openid4vci-proof+jwt',
      audience: expected.audience,
      algorithms: [...KEY_PROOF_ALGORITHMS],
      currentDate: expected.now,
    }));
  } catch (error) {
    throw new KeyProofError(`signature or claims refused: ${(error as Error).message}`);
  }
  const iat = payload.iat;
  const nowS = Math.floor(expected.now.getTime() / 1000);
  if (typeof iat !== 'number' || iat > nowS + 60 || iat < nowS - expected.maxAgeSeconds) {
    throw new KeyProofError('iat is missing or not recent');
  }
  if (typeof payload.nonce !== 'string' || payload.nonce === '') {
    throw new KeyProofError('nonce is missing');
  }
  return { ...(holderDid ? { holderDid } : {}), jwk, nonce: payload.nonce };
}
