import { BadgeError } from '../errors.js';
import { requireUrl } from './document-inputs.js';
import type { Ob2CryptographicKey } from './ob2-documents.js';
import { OB2_CONTEXT_URL } from './ob2-context.js';

export interface CryptographicKeyInput {
  id: string;
  /** Id of the issuer profile that owns the key (and lists it in its `publicKey`). */
  owner: string;
  /** SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") of an RSA key. */
  publicKeyPem: string;
}

export function buildCryptographicKey(input: CryptographicKeyInput): Ob2CryptographicKey {
  const pem = typeof input.publicKeyPem === 'string' ? input.publicKeyPem.trim() : '';
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n[\s\S]+\r?\n-----END PUBLIC KEY-----$/.test(pem)) {
    throw new BadgeError('invalid_key', 'publicKeyPem must be an SPKI PEM public key');
  }
  return {
    '@context': OB2_CONTEXT_URL,
    type: 'CryptographicKey',
    id: requireUrl(input.id, 'id'),
    owner: requireUrl(input.owner, 'owner'),
    publicKeyPem: pem,
  };
}
