import extractChunks from 'png-chunks-extract';
import { BadgeError } from '../errors.js';

export type PngChunk = { name: string; data: Uint8Array };

const IEND = 0x49454e44;

/**
 * Checks every chunk length against the bytes actually present before png-chunks-extract
 * allocates a buffer of the declared length: a 60-byte file declaring a 4 GB chunk must not
 * make us allocate 4 GB.
 */
function checkChunkLengths(png: Uint8Array): void {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) {
      throw new BadgeError('invalid_png', 'not a valid PNG file: a chunk runs past the end');
    }
    if (view.getUint32(offset + 4) === IEND) return;
    offset = end;
  }
}

/** The chunks of a PNG, or BadgeError('invalid_png') for anything that is not a sound PNG. */
export function readPngChunks(png: Uint8Array): PngChunk[] {
  if (!(png instanceof Uint8Array) || png.length < 8) {
    throw new BadgeError('invalid_png', 'not a PNG file');
  }
  checkChunkLengths(png);
  try {
    return extractChunks(png);
  } catch (cause) {
    throw new BadgeError('invalid_png', `not a valid PNG file: ${(cause as Error).message}`, {
      cause,
    });
  }
}
