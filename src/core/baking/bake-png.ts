import encodeChunks from 'png-chunks-encode';
import { BadgeError } from '../errors.js';
import { BADGE_KEYWORDS, type BakeOptions } from './badge-keyword.js';
import { encodeITxt, isTextChunk, textChunkKeyword } from './png-text-chunk.js';
import { readPngChunks } from './read-png-chunks.js';

/**
 * Bakes a badge into a PNG: one uncompressed iTXt chunk with the keyword `openbadges` (OB 2.0)
 * or `openbadgecredential` (OB 3.0), right after IHDR so that streaming readers meet it early.
 * Any earlier badge text chunk with the same keyword is replaced; the other chunks are kept.
 */
export function bakePng(png: Uint8Array, options: BakeOptions): Uint8Array {
  if (!BADGE_KEYWORDS.includes(options.keyword)) {
    throw new BadgeError('invalid_input', `unknown badge keyword ${String(options.keyword)}`);
  }
  if (typeof options.text !== 'string' || options.text.trim() === '') {
    throw new BadgeError('invalid_input', 'nothing to bake: the badge text is empty');
  }
  const kept = readPngChunks(png).filter(
    (c) => !(isTextChunk(c.name) && textChunkKeyword(c.data) === options.keyword),
  );
  const badge = { name: 'iTXt', data: encodeITxt(options.keyword, options.text) };
  return encodeChunks([kept[0]!, badge, ...kept.slice(1)]);
}
