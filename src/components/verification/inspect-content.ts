import type { Element, Node } from '@xmldom/xmldom';
import { BadgeError, looksLikeSvg, parseSvg, type BadgeKeyword } from '../../core/index.js';

// Recognition lives in the core (verifyBadge uses it too); re-exported for this module's callers.
export { looksLikeSvg };

/**
 * What an uploaded file or a fetched body is, judged from its bytes only (never from a file
 * name or a declared type), and the safety checks done before any badge code reads it:
 * - PNG: chunk lengths within the file, sane image dimensions (IHDR), text chunks of sane size.
 *   Image data is never inflated, so the dimensions do not cost memory here; they are refused
 *   because no badge is 20 000 pixels wide, and a decompression bomb usually is.
 * - SVG: no entity declarations or DOCTYPE internal subset (XML bombs, external entities), no
 *   script: no <script> element, no on… event attribute, no javascript: URL.
 */
export type ContentRefusal =
  | 'png_structure'
  | 'png_dimensions'
  | 'png_text_too_large'
  | 'svg_unsafe'
  | 'svg_script'
  | 'svg_invalid'
  | 'unsupported_file';

export type SniffedContent =
  | { kind: 'png'; bytes: Uint8Array; keyword: BadgeKeyword | undefined }
  | { kind: 'svg'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'refused'; reason: ContentRefusal; detail: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_DIMENSION = 16_384;
const MAX_PIXELS = 64 * 1024 * 1024;
const MAX_CHUNKS = 10_000;
const MAX_TEXT_CHUNK = 1024 * 1024;
const MAX_TEXT_TOTAL = 2 * 1024 * 1024;
const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);
const BADGE_KEYWORDS = new Set<string>(['openbadges', 'openbadgecredential']);

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function refused(reason: ContentRefusal, detail: string): SniffedContent {
  return { kind: 'refused', reason, detail };
}

/** Walks the PNG chunk headers (no allocation, no inflation) and applies the limits above. */
export function inspectPng(bytes: Uint8Array): SniffedContent {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const name = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  let offset = 8;
  let chunks = 0;
  let textBytes = 0;
  let keyword: BadgeKeyword | undefined;
  let ended = false;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = name(offset + 4);
    const dataStart = offset + 8;
    if (dataStart + length + 4 > bytes.length) {
      return refused('png_structure', `chunk ${type} runs past the end of the file`);
    }
    if (++chunks > MAX_CHUNKS) return refused('png_structure', `more than ${MAX_CHUNKS} chunks`);
    if (chunks === 1) {
      if (type !== 'IHDR' || length !== 13) return refused('png_structure', 'no IHDR first');
      const width = view.getUint32(dataStart);
      const height = view.getUint32(dataStart + 4);
      if (width === 0 || height === 0) return refused('png_structure', 'empty image');
      if (width > MAX_DIMENSION || height > MAX_DIMENSION || width * height > MAX_PIXELS) {
        return refused('png_dimensions', `image of ${width} × ${height} pixels`);
      }
    }
    if (TEXT_CHUNKS.has(type)) {
      textBytes += length;
      if (length > MAX_TEXT_CHUNK) {
        return refused('png_text_too_large', `${type} chunk of ${length} bytes`);
      }
      if (textBytes > MAX_TEXT_TOTAL) {
        return refused('png_text_too_large', `${textBytes} bytes of text chunks`);
      }
      const data = bytes.subarray(dataStart, dataStart + Math.min(length, 80));
      const end = data.indexOf(0);
      const kw = String.fromCharCode(...data.subarray(0, end < 0 ? data.length : end));
      if (BADGE_KEYWORDS.has(kw)) keyword ??= kw as BadgeKeyword;
    }
    offset = dataStart + length + 4;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) return refused('png_structure', 'no IEND chunk: truncated file');
  return { kind: 'png', bytes, keyword };
}

function walk(root: Element, visit: (el: Element) => string | undefined): string | undefined {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType !== 1) continue;
    const found = visit(node as Element);
    if (found) return found;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) stack.push(children[i]!);
  }
  return undefined;
}

/** Why an SVG is refused as unsafe, or undefined when it may be read. */
export function inspectSvg(text: string): SniffedContent {
  let root: Element;
  try {
    root = parseSvg(text).root;
  } catch (e) {
    const detail = e instanceof BadgeError ? e.message : String(e);
    return refused(/ENTITY|DOCTYPE|entity/.test(detail) ? 'svg_unsafe' : 'svg_invalid', detail);
  }
  const script = walk(root, (el) => {
    if (el.localName?.toLowerCase() === 'script') return '<script> element';
    const attributes = el.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attr = attributes[i]!;
      const local = (attr.localName ?? attr.name).toLowerCase();
      if (local.startsWith('on')) return `${attr.name} event attribute`;
      // Browsers ignore spaces and control characters inside the scheme.
      const compact = [...attr.value]
        .filter((c) => c.charCodeAt(0) > 0x20)
        .join('')
        .toLowerCase();
      if (compact.includes('javascript:') || compact.includes('vbscript:')) {
        return `script URL in ${attr.name}`;
      }
    }
    return undefined;
  });
  if (script) return refused('svg_script', script);
  return { kind: 'svg', text };
}

const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x25, 0x50, 0x44, 0x46], // PDF
  [0x50, 0x4b, 0x03, 0x04], // ZIP (office documents)
  [0x52, 0x49, 0x46, 0x46], // RIFF (WebP)
];

/**
 * Sniffs uploaded or fetched bytes: a PNG, an SVG, or UTF-8 text (JSON, a JWS/JWT, a URL,
 * HTML); anything else is refused as not a badge file.
 */
export function sniffContent(bytes: Uint8Array): SniffedContent {
  if (isPng(bytes)) return inspectPng(bytes);
  if (BINARY_SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b))) {
    return refused('unsupported_file', 'an image or document format that cannot hold a badge');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused('unsupported_file', 'binary content that is neither PNG nor text');
  }
  if (text.includes('\u0000')) return refused('unsupported_file', 'binary content');
  if (looksLikeSvg(text)) return inspectSvg(text);
  return { kind: 'text', text: text.replace(/^\uFEFF/, '') };
}
