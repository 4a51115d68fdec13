import { createHash } from 'node:crypto';

/** Crockford's base 32: no I, L, O or U, so the id reads aloud and types back without doubt. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A short, human-readable and stable id for an award ("7K3M-Q9XA"): what a person types in the
 * "credential ID" field of LinkedIn or reads on a printed attestation. Derived from the award id
 * by a hash, so it is the same every time and never a `urn:uuid:`; 40 bits make an accidental
 * collision between two awards of one person practically impossible.
 */
export function shortCredentialId(awardId: string): string {
  const digest = createHash('sha256').update(awardId, 'utf8').digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 7; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}
