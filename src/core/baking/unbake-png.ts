import { BadgeError } from '../errors.js';
import { BADGE_KEYWORDS, type BadgeKeyword, type UnbakedBadge } from './badge-keyword.js';
import { decodeTextChunk, isTextChunk, textChunkKeyword } from './png-text-chunk.js';
import { readPngChunks } from './read-png-chunks.js';

/**
 * Reads the badge baked into a PNG. With `keyword`, only that badge kind is looked for;
 * without, either kind. Refuses ambiguity and what we will not inflate: two badge chunks
 * (`duplicate_chunk`), a compressed iTXt/zTXt (`compressed_chunk`), none (`not_baked`).
 * A legacy tEXt chunk (OB 1.x bakers) is read as well.
 */
export function unbakePng(png: Uint8Array, options: { keyword?: BadgeKeyword } = {}): UnbakedBadge {
  const wanted: readonly string[] = options.keyword ? [options.keyword] : BADGE_KEYWORDS;
  const found = readPngChunks(png)
    .filter((c) => isTextChunk(c.name) && wanted.includes(textChunkKeyword(c.data)))
    .map((c) => decodeTextChunk(c.name as 'iTXt', c.data));
  if (found.length === 0) {
    throw new BadgeError('not_baked', `no ${wanted.join(' or ')} text chunk in this PNG`);
  }
  if (found.length > 1) {
    throw new BadgeError(
      'duplicate_chunk',
      `this PNG holds ${found.length} badge chunks (${found.map((f) => f.keyword).join(', ')}); refusing to choose`,
    );
  }
  const chunk = found[0]!;
  if (chunk.compressed || chunk.text === undefined) {
    throw new BadgeError(
      'compressed_chunk',
      `the ${chunk.keyword} ${chunk.name} chunk is compressed`,
    );
  }
  const text = chunk.text.trim();
  if (text === '') throw new BadgeError('not_baked', `the ${chunk.keyword} chunk is empty`);
  return { keyword: chunk.keyword as BadgeKeyword, text };
}
