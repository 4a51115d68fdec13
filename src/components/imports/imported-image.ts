import { looksLikeSvg } from '../../core/index.js';

/** Largest badge image we keep a copy of (badge images are small; a baked PNG may be bigger). */
export const IMAGE_COPY_MAX_BYTES = 512 * 1024;

const SIGNATURES: { type: string; bytes: number[] }[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
];

/**
 * The image type of these bytes, read from their content (never from a name or a header
 * another site chose), or undefined when they are no image we serve.
 */
export function imageTypeOf(bytes: Uint8Array): string | undefined {
  for (const s of SIGNATURES) if (s.bytes.every((b, i) => bytes[i] === b)) return s.type;
  if (
    bytes.length > 12 &&
    Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'RIFF' &&
    Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  return looksLikeSvg(head) ? 'image/svg+xml' : undefined;
}

/** A copy we may keep: a recognised image no larger than the limit. */
export function imageCopy(bytes: Uint8Array): { contentType: string; data: Buffer } | undefined {
  if (bytes.length === 0 || bytes.length > IMAGE_COPY_MAX_BYTES) return undefined;
  const contentType = imageTypeOf(bytes);
  return contentType ? { contentType, data: Buffer.from(bytes) } : undefined;
}

/** The bytes of a `data:image/…;base64,` URI (the image an OB document may embed). */
export function dataUriBytes(uri: string): Uint8Array | undefined {
  const m = /^data:image\/[a-z0-9.+-]+(;[a-z0-9=.+-]+)*?(;base64)?,(.*)$/is.exec(uri);
  if (!m || uri.length > IMAGE_COPY_MAX_BYTES * 2) return undefined;
  try {
    return m[2] ? Buffer.from(m[3]!, 'base64') : Buffer.from(decodeURIComponent(m[3]!), 'utf8');
  } catch {
    return undefined;
  }
}
