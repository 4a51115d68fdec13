import { CompactSign, importPKCS8, type CryptoKey, type KeyObject } from 'jose';
import { BadgeError } from '../errors.js';

/** A private RSA key: a KeyObject / CryptoKey, or PKCS#8 PEM text. */
export type SigningKey = CryptoKey | KeyObject | string;

/**
 * Signs an OB 2.0 assertion (or endorsement) as a compact JWS with RS256, the only algorithm the
 * reference validator accepts; the payload is the document's JSON. The document must already
 * say `verification: {type: "SignedBadge", creator: <key id>}`, so the signature covers it.
 */
export async function signAssertion(document: object, privateKey: SigningKey): Promise<string> {
  const verification = (document as { verification?: { type?: unknown; creator?: unknown } })
    .verification;
  const type = verification?.type;
  if ((type !== 'SignedBadge' && type !== 'signed') || typeof verification?.creator !== 'string') {
    throw new BadgeError(
      'invalid_document',
      'a signed document needs verification {type: "SignedBadge", creator: <key id>}',
    );
  }
  let key: CryptoKey | KeyObject;
  try {
    key = typeof privateKey === 'string' ? await importPKCS8(privateKey, 'RS256') : privateKey;
  } catch (cause) {
    throw new BadgeError('invalid_key', 'the private key is not an RSA PKCS#8 key', { cause });
  }
  try {
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(document)))
      .setProtectedHeader({ alg: 'RS256' })
      .sign(key);
  } catch (cause) {
    throw new BadgeError('signing_failed', 'RS256 signing failed (is the key an RSA key?)', {
      cause,
    });
  }
}
