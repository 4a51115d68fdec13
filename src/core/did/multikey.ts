/**
 * Multibase (base58btc, prefix "z") and multicodec prefixes for public keys, enough to read
 * the keys that appear in OB 3.0 verification methods (`…#z6Mk…` Ed25519, `…#zDn…` P-256).
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const INDEX = new Map([...ALPHABET].map((c, i) => [c, i]));

export function base58btcDecode(text: string): Uint8Array | undefined {
  if (text.length === 0) return undefined;
  const bytes: number[] = [];
  for (const char of text) {
    let carry = INDEX.get(char);
    if (carry === undefined) return undefined;
    for (let i = 0; i < bytes.length; i++) {
      carry += bytes[i]! * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  for (const char of text) {
    if (char !== '1') break;
    bytes.push(0);
  }
  return Uint8Array.from(bytes.reverse());
}

export type MultikeyAlgorithm = 'Ed25519' | 'P-256' | 'P-384';

const CODECS: { prefix: [number, number]; algorithm: MultikeyAlgorithm; length: number }[] = [
  { prefix: [0xed, 0x01], algorithm: 'Ed25519', length: 32 },
  { prefix: [0x80, 0x24], algorithm: 'P-256', length: 33 },
  { prefix: [0x81, 0x24], algorithm: 'P-384', length: 49 },
];

/** The algorithm of a `publicKeyMultibase`, or undefined when it is not a public key we know. */
export function multikeyAlgorithm(publicKeyMultibase: string): MultikeyAlgorithm | undefined {
  if (!publicKeyMultibase.startsWith('z')) return undefined;
  const bytes = base58btcDecode(publicKeyMultibase.slice(1));
  if (!bytes) return undefined;
  const codec = CODECS.find(
    (c) => bytes[0] === c.prefix[0] && bytes[1] === c.prefix[1] && bytes.length === 2 + c.length,
  );
  return codec?.algorithm;
}
