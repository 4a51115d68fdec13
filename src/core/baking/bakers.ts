import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { isCompactJws, type BadgeKeyword } from './badge-keyword.js';
import { bakePng } from './bake-png.js';
import { bakeSvg } from './bake-svg.js';
import { encodeITxt } from './png-text-chunk.js';

/**
 * Baking many badges into one image (a CSV run's awards share their badge class image): the
 * image is read and re-encoded once, each badge only writes its own part. The bytes are those
 * of bakePng / bakeSvg for the same image and text (tests/unit/core/baking/bakers.test.ts).
 */

/** PNG: the image with its earlier badge chunk removed, split after IHDR; one iTXt per badge. */
export function pngBaker(png: Uint8Array, keyword: BadgeKeyword): (text: string) => Uint8Array {
  // bakePng checks the image and the keyword, and drops an earlier badge of this keyword.
  const probe = bakePng(png, { keyword, text: 'x' });
  const ihdrEnd = 8 + 12 + new DataView(probe.buffer, probe.byteOffset).getUint32(8);
  const probeChunk = 12 + encodeITxt(keyword, 'x').length;
  const head = probe.subarray(0, ihdrEnd);
  const tail = probe.subarray(ihdrEnd + probeChunk);
  return (text) => {
    if (text.trim() === '') return bakePng(png, { keyword, text }); // its error
    const data = encodeITxt(keyword, text);
    const out = new Uint8Array(head.length + 12 + data.length + tail.length);
    const view = new DataView(out.buffer);
    out.set(head, 0);
    let at = head.length;
    view.setUint32(at, data.length);
    const typed = new Uint8Array(4 + data.length);
    typed.set([0x69, 0x54, 0x58, 0x74]); // "iTXt"
    typed.set(data, 4);
    out.set(typed, at + 4);
    at += 8 + data.length;
    view.setUint32(at, crc32(typed));
    out.set(tail, at + 4);
    return out;
  };
}

/**
 * SVG: baked once around a placeholder JWS; a signed badge (compact JWS or VC-JWT, which XML
 * never escapes) takes the placeholder's place. Other texts are baked the ordinary way.
 */
export function svgBaker(svg: string, keyword: BadgeKeyword): (text: string) => string {
  const placeholder = `${randomBytes(9).toString('base64url')}.placeholder.${randomBytes(9).toString('base64url')}`;
  const baked = bakeSvg(svg, { keyword, text: placeholder });
  const at = baked.indexOf(placeholder);
  const once = at >= 0 && baked.indexOf(placeholder, at + 1) < 0;
  const before = baked.slice(0, at);
  const after = baked.slice(at + placeholder.length);
  return (text) =>
    once && isCompactJws(text) && text === text.trim()
      ? before + text + after
      : bakeSvg(svg, { keyword, text });
}
