import { BadgeError } from '../errors.js';

/**
 * PNG text chunks (PNG spec §11.3.4). png-chunks-extract/encode handle the container (lengths,
 * CRCs); these helpers read and write the chunk bodies. Badges use iTXt, uncompressed, with an
 * empty language tag and translated keyword; tEXt/zTXt are read only to spot old or compressed
 * badges.
 */
export type TextChunkName = 'iTXt' | 'tEXt' | 'zTXt';

export interface DecodedTextChunk {
  name: TextChunkName;
  keyword: string;
  compressed: boolean;
  /** Undefined when compressed (we never inflate untrusted data). */
  text?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeITxt(keyword: string, text: string): Uint8Array {
  const kw = latin1Bytes(keyword);
  const body = new TextEncoder().encode(text);
  // keyword \0 | compression flag 0 | method 0 | language "" \0 | translated keyword "" \0 | text
  const out = new Uint8Array(kw.length + 5 + body.length);
  out.set(kw, 0);
  out.set(body, kw.length + 5);
  return out;
}

export function isTextChunk(name: string): name is TextChunkName {
  return name === 'iTXt' || name === 'tEXt' || name === 'zTXt';
}

/** Keyword only, for filtering chunks without decoding their text. */
export function textChunkKeyword(data: Uint8Array): string {
  const end = data.indexOf(0);
  return latin1String(data.subarray(0, end < 0 ? data.length : end));
}

export function decodeTextChunk(name: TextChunkName, data: Uint8Array): DecodedTextChunk {
  const end = data.indexOf(0);
  if (end < 1) throw new BadgeError('invalid_png', `${name} chunk without a keyword`);
  const keyword = latin1String(data.subarray(0, end));
  if (name === 'tEXt') {
    return { name, keyword, compressed: false, text: latin1String(data.subarray(end + 1)) };
  }
  if (name === 'zTXt') return { name, keyword, compressed: true };
  const flag = data[end + 1];
  if (flag === undefined || data[end + 2] === undefined) {
    throw new BadgeError('invalid_png', 'truncated iTXt chunk');
  }
  if (flag !== 0) return { name, keyword, compressed: true };
  const langEnd = data.indexOf(0, end + 3);
  const translatedEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
  if (translatedEnd < 0) throw new BadgeError('invalid_png', 'truncated iTXt chunk');
  try {
    return {
      name,
      keyword,
      compressed: false,
      text: utf8.decode(data.subarray(translatedEnd + 1)),
    };
  } catch (cause) {
    throw new BadgeError('invalid_png', 'iTXt text is not valid UTF-8', { cause });
  }
}

function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function latin1String(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
