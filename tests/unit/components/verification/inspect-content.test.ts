import fs from 'node:fs';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import {
  inspectSvg,
  looksLikeSvg,
  sniffContent,
} from '../../../../src/components/verification/inspect-content.js';
import { bakePng } from '../../../../src/core/index.js';

const plainPng = new Uint8Array(
  fs.readFileSync('tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png'),
);
const svg = (inner: string, attrs = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${attrs}>${inner}</svg>`;

function withIhdr(width: number, height: number): Uint8Array {
  const chunks = extractChunks(plainPng);
  const ihdr = new Uint8Array(chunks[0]!.data);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  return encodeChunks([{ name: 'IHDR', data: ihdr }, ...chunks.slice(1)]);
}

function withText(name: string, bytes: number): Uint8Array {
  const chunks = extractChunks(plainPng);
  const data = new Uint8Array(bytes);
  data.set(new TextEncoder().encode('Comment\0'));
  data.fill(0x41, 8);
  return encodeChunks([chunks[0]!, { name, data }, ...chunks.slice(1)]);
}

describe('sniffContent: what a file is, from its bytes only', () => {
  it('When a PNG holds a badge, then it is a PNG with its keyword', () => {
    const baked = bakePng(plainPng, { keyword: 'openbadgecredential', text: 'a.b.c' });
    expect(sniffContent(baked)).toMatchObject({ kind: 'png', keyword: 'openbadgecredential' });
    expect(sniffContent(plainPng)).toMatchObject({ kind: 'png', keyword: undefined });
  });

  it('When the IHDR announces an absurd size, then the PNG is refused (decompression bomb)', () => {
    expect(sniffContent(withIhdr(100_000, 100_000))).toMatchObject({
      kind: 'refused',
      reason: 'png_dimensions',
    });
    expect(sniffContent(withIhdr(16_384, 8_192))).toMatchObject({
      kind: 'refused',
      reason: 'png_dimensions',
    });
    expect(sniffContent(withIhdr(1024, 1024))).toMatchObject({ kind: 'png' });
  });

  it('When a text chunk is oversized, then the PNG is refused', () => {
    expect(sniffContent(withText('tEXt', 1024 * 1024 + 1))).toMatchObject({
      kind: 'refused',
      reason: 'png_text_too_large',
    });
    expect(sniffContent(withText('zTXt', 2 * 1024 * 1024))).toMatchObject({
      reason: 'png_text_too_large',
    });
    expect(sniffContent(withText('tEXt', 1000))).toMatchObject({ kind: 'png' });
  });

  it('When a chunk runs past the end or the file is cut, then the PNG is refused as damaged', () => {
    const lying = new Uint8Array(64);
    lying.set(plainPng.subarray(0, 8));
    lying.set([0xff, 0xff, 0xff, 0xff, ...new TextEncoder().encode('IHDR')], 8);
    expect(sniffContent(lying)).toMatchObject({ kind: 'refused', reason: 'png_structure' });
    expect(sniffContent(plainPng.subarray(0, plainPng.length - 20))).toMatchObject({
      reason: 'png_structure',
    });
  });

  it('When the bytes are JPEG, GIF, PDF or binary, then they are refused as not a badge file', () => {
    for (const bytes of [
      [0xff, 0xd8, 0xff, 0xe0, 0, 0x10],
      [...new TextEncoder().encode('GIF89a')],
      [...new TextEncoder().encode('%PDF-1.7')],
      [0x00, 0x01, 0x02, 0xfe, 0xff],
    ]) {
      expect(sniffContent(new Uint8Array(bytes))).toMatchObject({
        kind: 'refused',
        reason: 'unsupported_file',
      });
    }
  });

  it('When the bytes are text, then JSON, JWS and URLs are text and an SVG is an SVG', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniffContent(enc('\uFEFF{"a":1}'))).toEqual({ kind: 'text', text: '{"a":1}' });
    expect(sniffContent(enc('eyJhbGciOiJSUzI1NiJ9.e30.c2ln'))).toMatchObject({ kind: 'text' });
    expect(
      sniffContent(enc(`<?xml version="1.0"?>\n<!-- badge -->\n${svg('<rect/>')}`)),
    ).toMatchObject({ kind: 'svg' });
    expect(looksLikeSvg('<!doctype html><html><body><svg></svg></body></html>')).toBe(false);
  });
});

describe('inspectSvg: an SVG we may read', () => {
  it.each([
    ['a script element', svg('<script>alert(1)</script>')],
    ['a namespaced script', svg('<x:script xmlns:x="http://www.w3.org/2000/svg">1</x:script>')],
    ['an onload attribute', svg('<rect/>', ' onload="alert(1)"')],
    ['an event attribute deep inside', svg('<g><g><rect onclick="x()"/></g></g>')],
    ['a javascript: link', svg('<a xlink:href="javascript:alert(1)"><rect/></a>')],
    ['a javascript: link with spaces', svg('<a href=" java\tscript:alert(1)"><rect/></a>')],
    [
      'an animation setting a script URL',
      svg('<a><set attributeName="href" to="javascript:x()"/></a>'),
    ],
    [
      'script in a foreignObject',
      svg(
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>1</script></div></foreignObject>',
      ),
    ],
  ])('When the SVG holds %s, then it is refused as a script', (_what, text) => {
    expect(inspectSvg(text)).toMatchObject({ kind: 'refused', reason: 'svg_script' });
  });

  it.each([
    [
      'an entity declaration (billion laughs)',
      `<!DOCTYPE svg [<!ENTITY lol "lol">]>${svg('<text>&lol;</text>')}`,
    ],
    [
      'an external entity',
      `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${svg('<text>&xxe;</text>')}`,
    ],
    ['a DOCTYPE internal subset', `<!DOCTYPE svg [ ]>${svg('<rect/>')}`],
  ])('When the SVG holds %s, then it is refused as unsafe', (_what, text) => {
    expect(inspectSvg(text)).toMatchObject({ kind: 'refused', reason: 'svg_unsafe' });
  });

  it('When the SVG is plain, with an external DOCTYPE, then it may be read', () => {
    const text = `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${svg('<circle r="4" opacity="0.5"/>')}`;
    expect(inspectSvg(text)).toEqual({ kind: 'svg', text });
  });

  it('When the SVG is malformed, then it is refused as such', () => {
    expect(inspectSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>')).toMatchObject({
      reason: 'svg_invalid',
    });
  });
});
