import extractChunks from 'png-chunks-extract';
import { BadgeError } from '../errors.js';

export type PngChunk = { name: string; data: Uint8Array };

/** The chunks of a PNG, or BadgeError('invalid_png') for anything that is not a sound PNG. */
export function readPngChunks(png: Uint8Array): PngChunk[] {
  if (!(png instanceof Uint8Array) || png.length < 8) {
    throw new BadgeError('invalid_png', 'not a PNG file');
  }
  try {
    return extractChunks(png);
  } catch (cause) {
    throw new BadgeError('invalid_png', `not a valid PNG file: ${(cause as Error).message}`, {
      cause,
    });
  }
}
