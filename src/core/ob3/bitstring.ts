import { gunzipSync, gzipSync } from 'node:zlib';
import { BadgeError } from '../errors.js';

/** Bitstring Status List v1.0: a list is at least 131,072 bits (16 KiB) for herd privacy. */
export const MIN_STATUS_LIST_BITS = 131072;
/** Refuse absurd lists from other issuers (a gzip bomb) before inflating them. */
const MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

/**
 * The `encodedList` of a BitstringStatusList: the bits (index 0 = most significant bit of the
 * first byte), GZIP-compressed, base64url without padding, with the multibase prefix "u".
 */
export function encodeBitstring(
  setIndexes: Iterable<number>,
  length = MIN_STATUS_LIST_BITS,
): string {
  if (!Number.isInteger(length) || length < MIN_STATUS_LIST_BITS || length % 8 !== 0) {
    throw new BadgeError(
      'invalid_input',
      `status list length must be a multiple of 8 and at least ${MIN_STATUS_LIST_BITS}`,
    );
  }
  const bytes = new Uint8Array(length / 8);
  for (const index of setIndexes) {
    if (!Number.isInteger(index) || index < 0 || index >= length) {
      throw new BadgeError('invalid_input', `status list index out of range: ${index}`);
    }
    bytes[index >> 3]! |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** The raw bits of an `encodedList` (multibase base64url, or plain base64url as some write). */
export function decodeBitstring(encodedList: string): Uint8Array {
  const body = encodedList.startsWith('u') ? encodedList.slice(1) : encodedList;
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(body)) {
    throw new BadgeError('invalid_document', 'encodedList is not base64url');
  }
  try {
    return new Uint8Array(
      gunzipSync(Buffer.from(body, 'base64url'), { maxOutputLength: MAX_STATUS_LIST_BYTES }),
    );
  } catch (cause) {
    throw new BadgeError('invalid_document', 'encodedList is not GZIP data', { cause });
  }
}

/** Whether bit `index` is set; undefined when the index is outside the list. */
export function bitAt(bits: Uint8Array, index: number): boolean | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) return undefined;
  return (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
