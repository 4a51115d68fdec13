import type { JWK } from 'jose';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { BadgeError } from '../errors.js';
import type { Ed25519KeyMaterial } from './sign-credential-data-integrity.js';

/**
 * A new Ed25519 key for an issuer, as Multikey. `seed` (32 bytes) makes it deterministic for
 * tests; without it the key comes from the platform's CSPRNG. The verification method id is
 * `keyId` when given (recommended: a URL that returns the Multikey document, or a did:web
 * URL), else `controller#publicKeyMultibase`.
 */
export async function generateEd25519KeyMaterial(options: {
  controller: string;
  keyId?: string;
  seed?: Uint8Array;
}): Promise<Ed25519KeyMaterial> {
  if (options.seed && options.seed.length !== 32) {
    throw new BadgeError('invalid_input', 'an Ed25519 seed is 32 bytes');
  }
  const keyPair = await Ed25519Multikey.generate(options.seed ? { seed: options.seed } : {});
  return {
    id: options.keyId ?? `${options.controller}#${keyPair.publicKeyMultibase}`,
    controller: options.controller,
    publicKeyMultibase: keyPair.publicKeyMultibase,
    secretKeyMultibase: keyPair.secretKeyMultibase!,
  };
}

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** The public Multikey document of a key (what a key URL should return). */
export function buildMultikeyDocument(key: {
  id: string;
  controller: string;
  publicKeyMultibase: string;
}): Record<string, unknown> {
  return {
    '@context': MULTIKEY_CONTEXT,
    id: key.id,
    type: 'Multikey',
    controller: key.controller,
    publicKeyMultibase: key.publicKeyMultibase,
  };
}

/**
 * The issuer's controller document (also the shape of a did:web `did.json`): its Ed25519
 * Multikeys and its JWKs (for VC-JWT), all listed under `assertionMethod`. The DID context
 * comes first so Data Integrity libraries read it without JSON-LD framing.
 */
export function buildControllerDocument(input: {
  id: string;
  multikeys?: { id: string; publicKeyMultibase: string }[];
  jsonWebKeys?: { id: string; publicKeyJwk: JWK }[];
}): Record<string, unknown> {
  const verificationMethod: Record<string, unknown>[] = [];
  for (const k of input.multikeys ?? []) {
    verificationMethod.push({
      id: k.id,
      type: 'Multikey',
      controller: input.id,
      publicKeyMultibase: k.publicKeyMultibase,
    });
  }
  for (const k of input.jsonWebKeys ?? []) {
    if ('d' in k.publicKeyJwk)
      throw new BadgeError('invalid_key', 'a private JWK cannot be published');
    verificationMethod.push({
      id: k.id,
      type: 'JsonWebKey',
      controller: input.id,
      publicKeyJwk: k.publicKeyJwk,
    });
  }
  return {
    '@context': [
      'https://www.w3.org/ns/did/v1',
      MULTIKEY_CONTEXT,
      'https://w3id.org/security/jwk/v1',
    ],
    id: input.id,
    verificationMethod,
    assertionMethod: verificationMethod.map((vm) => vm.id),
  };
}
