import fs from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { bakePng } from '../../../../src/core/baking/bake-png.js';
import { bakeSvg } from '../../../../src/core/baking/bake-svg.js';
import { unbakePng } from '../../../../src/core/baking/unbake-png.js';
import { unbakeSvg } from '../../../../src/core/baking/unbake-svg.js';
import { BadgeError } from '../../../../src/core/errors.js';

const fixtures = path.resolve('tests/fixtures/1edtech/validator-tests');
const read = (p: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, p)));
const readText = (p: string) => fs.readFileSync(path.join(fixtures, p), 'utf8');

const plainPng = read('ob20/assets/robotics-badge.png');
const plainSvg =
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Médiation &amp; numérique</title><circle r="4" cx="5" cy="5"/></svg>';

const hostedOb2 = JSON.stringify({
  '@context': 'https://w3id.org/openbadges/v2',
  type: 'Assertion',
  id: 'https://badges.example.fr/assertions/1',
  badge: 'https://badges.example.fr/badges/1',
  // A name that tries to break out of CDATA and out of the element must stay text.
  narrative: 'Badge « ]]></openbadges:assertion><script>alert(1)</script> » 🎉',
  verification: { type: 'hosted' },
});
const jws = 'eyJhbGciOiJSUzI1NiJ9.eyJpZCI6Imh0dHBzOi8vYmFkZ2VzLmV4YW1wbGUuZnIvYS8yIn0.c2lnbmF0dXJl';
const credentialOb3 = JSON.stringify({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:2f2d0d2c-1f1b-4c1e-9c6e-4a1b7f0b7d11',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: 'Accompagner ]]> les usagers',
});

const cases = [
  { label: 'OB 2.0 hosted', keyword: 'openbadges', text: hostedOb2 },
  { label: 'OB 2.0 signed', keyword: 'openbadges', text: jws },
  { label: 'OB 3.0 JSON', keyword: 'openbadgecredential', text: credentialOb3 },
  { label: 'OB 3.0 JWT', keyword: 'openbadgecredential', text: jws },
] as const;

function pngWith(extra: { name: string; data: Uint8Array }[]): Uint8Array {
  const chunks = extractChunks(plainPng);
  return encodeChunks([chunks[0]!, ...extra, ...chunks.slice(1)]);
}

function iTxtBody(keyword: string, text: string, compressed = false): Uint8Array {
  const head = new TextEncoder().encode(`${keyword}\0`);
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(head.length + 4 + body.length);
  out.set(head, 0);
  out[head.length] = compressed ? 1 : 0;
  out.set(body, head.length + 4);
  return out;
}

describe('PNG baking', () => {
  it.each(cases)(
    'When a $label badge is baked into a PNG and unbaked, then the payload is the same',
    ({ keyword, text }) => {
      const baked = bakePng(plainPng, { keyword, text });
      expect(unbakePng(baked, { keyword })).toEqual({ keyword, text });
      expect(unbakePng(baked)).toEqual({ keyword, text });
    },
  );

  it('When a badge is baked, then it is one uncompressed iTXt chunk with empty language and translated keyword', () => {
    const baked = bakePng(plainPng, { keyword: 'openbadges', text: jws });
    const chunks = extractChunks(baked);
    const badge = chunks.filter((c) => c.name === 'iTXt');
    expect(badge).toHaveLength(1);
    expect(chunks[0]!.name).toBe('IHDR');
    expect(Array.from(badge[0]!.data.subarray(0, 15))).toEqual([
      ...new TextEncoder().encode('openbadges'),
      0, // end of keyword
      0, // compression flag: uncompressed
      0, // compression method
      0, // empty language tag
      0, // empty translated keyword
    ]);
    // The image data is untouched.
    const idat = (png: Uint8Array) => extractChunks(png).filter((c) => c.name === 'IDAT');
    expect(idat(baked)).toEqual(idat(plainPng));
  });

  it('When a baked PNG is baked again with the same keyword, then the badge is replaced, not added', () => {
    const once = bakePng(plainPng, { keyword: 'openbadges', text: hostedOb2 });
    const twice = bakePng(once, { keyword: 'openbadges', text: jws });
    expect(extractChunks(twice).filter((c) => c.name === 'iTXt')).toHaveLength(1);
    expect(unbakePng(twice).text).toBe(jws);
  });

  it('When a PNG holds two openbadges chunks, then unbaking is refused with duplicate_chunk', () => {
    const png = pngWith([
      { name: 'iTXt', data: iTxtBody('openbadges', hostedOb2) },
      { name: 'iTXt', data: iTxtBody('openbadges', jws) },
    ]);
    expect(() => unbakePng(png, { keyword: 'openbadges' })).toThrow(
      expect.objectContaining({ code: 'duplicate_chunk' }),
    );
  });

  it('When a PNG holds a compressed openbadges iTXt chunk, then unbaking is refused with compressed_chunk', () => {
    const png = pngWith([{ name: 'iTXt', data: iTxtBody('openbadges', 'x\u0001\u0002', true) }]);
    expect(() => unbakePng(png)).toThrow(expect.objectContaining({ code: 'compressed_chunk' }));
  });

  it('When a PNG has no badge or is not a PNG, then unbaking throws not_baked or invalid_png', () => {
    expect(() => unbakePng(plainPng)).toThrow(expect.objectContaining({ code: 'not_baked' }));
    expect(() => unbakePng(new TextEncoder().encode('GIF89a…'))).toThrow(
      expect.objectContaining({ code: 'invalid_png' }),
    );
    const corrupted = bakePng(plainPng, { keyword: 'openbadges', text: jws });
    corrupted[40] = corrupted[40]! ^ 0xff; // inside the iTXt chunk: CRC no longer matches
    expect(() => unbakePng(corrupted)).toThrow(expect.objectContaining({ code: 'invalid_png' }));
    expect(() => bakePng(plainPng, { keyword: 'openbadges', text: ' ' })).toThrow(BadgeError);
  });

  it('When a tiny PNG declares a 4 GB chunk, then it is refused as invalid_png without allocating it', () => {
    // Signature, then a chunk header announcing 0xFFFFFFFF bytes that are not there.
    const lying = new Uint8Array(64);
    lying.set(plainPng.subarray(0, 8));
    lying.set([0xff, 0xff, 0xff, 0xff, ...new TextEncoder().encode('IHDR')], 8);
    expect(() => unbakePng(lying)).toThrow(expect.objectContaining({ code: 'invalid_png' }));
  });

  it('When the 1EdTech baked PNG fixtures are unbaked, then their payloads come out', () => {
    const ob2 = unbakePng(read('ob20/simple-badge.png'));
    expect(ob2.keyword).toBe('openbadges');
    expect(JSON.parse(ob2.text)).toMatchObject({
      type: 'Assertion',
      id: 'https://example.org/beths-robotics-badge.json',
    });
    const json = unbakePng(read('ob30/simple-json.png'), { keyword: 'openbadgecredential' });
    expect(JSON.parse(json.text)).toHaveProperty('@context');
    const jwt = unbakePng(read('ob30/simple-jwt.png'));
    expect(jwt.keyword).toBe('openbadgecredential');
    expect(jwt.text.split('.')).toHaveLength(3);
    expect(() => unbakePng(read('ob30/simple-jwt.png'), { keyword: 'openbadges' })).toThrow(
      expect.objectContaining({ code: 'not_baked' }),
    );
  });
});

describe('SVG baking', () => {
  it.each(cases)(
    'When a $label badge is baked into an SVG and unbaked, then the payload is the same',
    ({ keyword, text }) => {
      const baked = bakeSvg(plainSvg, { keyword, text });
      expect(unbakeSvg(baked)).toEqual({ keyword, text });
      // Still an SVG with its own content.
      expect(baked).toContain('<title>Médiation &amp; numérique</title>');
    },
  );

  it('When an OB 2.0 badge is baked, then the element and attributes follow the spec', () => {
    const hosted = bakeSvg(plainSvg, { keyword: 'openbadges', text: hostedOb2 });
    expect(hosted).toContain('xmlns:openbadges="http://openbadges.org"');
    expect(hosted).toContain(
      '<openbadges:assertion verify="https://badges.example.fr/assertions/1"><![CDATA[',
    );
    // The narrative's "]]></openbadges:assertion><script>" stayed text: no element came out of it.
    const doc = new DOMParser().parseFromString(hosted, 'image/svg+xml');
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    const signed = bakeSvg(plainSvg, { keyword: 'openbadges', text: jws });
    expect(signed).toContain(`<openbadges:assertion verify="${jws}"/>`);
    const ob3 = bakeSvg(plainSvg, { keyword: 'openbadgecredential', text: jws });
    expect(ob3).toContain('xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"');
    expect(ob3).toContain(`<openbadges:credential verify="${jws}"/>`);
  });

  it('When a baked SVG is baked again, then the old badge is replaced; another version is a conflict', () => {
    const once = bakeSvg(plainSvg, { keyword: 'openbadges', text: hostedOb2 });
    const twice = bakeSvg(once, { keyword: 'openbadges', text: jws });
    expect(twice.match(/<openbadges:assertion/g)).toHaveLength(1);
    expect(unbakeSvg(twice).text).toBe(jws);
    expect(() => bakeSvg(once, { keyword: 'openbadgecredential', text: jws })).toThrow(
      expect.objectContaining({ code: 'bake_conflict' }),
    );
  });

  it('When an SVG declares entities or a DOCTYPE internal subset, then unbaking refuses it', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://a.example/1">&x;</openbadges:assertion></svg>`;
    expect(() => unbakeSvg(xxe)).toThrow(expect.objectContaining({ code: 'invalid_svg' }));
    const bomb = `<!DOCTYPE svg [<!ELEMENT svg ANY>]><svg xmlns="http://www.w3.org/2000/svg"/>`;
    expect(() => unbakeSvg(bomb)).toThrow(expect.objectContaining({ code: 'invalid_svg' }));
    const undefinedEntity = `<svg xmlns="http://www.w3.org/2000/svg">&nbsp;</svg>`;
    expect(() => unbakeSvg(undefinedEntity)).toThrow(
      expect.objectContaining({ code: 'invalid_svg' }),
    );
  });

  it('When the input is not an SVG, has no badge or two badges, then unbaking says so', () => {
    expect(() => unbakeSvg('<html/>')).toThrow(expect.objectContaining({ code: 'invalid_svg' }));
    expect(() => unbakeSvg('{"a":1}')).toThrow(expect.objectContaining({ code: 'invalid_svg' }));
    expect(() => unbakeSvg(plainSvg)).toThrow(expect.objectContaining({ code: 'not_baked' }));
    const two = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="${jws}"/><openbadges:assertion verify="${jws}"/></svg>`;
    expect(() => unbakeSvg(two)).toThrow(expect.objectContaining({ code: 'duplicate_chunk' }));
  });

  it('When the 1EdTech baked SVG fixtures are unbaked, then their payloads come out', () => {
    const json = unbakeSvg(readText('ob30/simple-json.svg'));
    expect(json.keyword).toBe('openbadgecredential');
    expect(JSON.parse(json.text)).toHaveProperty('@context');
    const jwt = unbakeSvg(readText('ob30/simple-jwt.svg'));
    expect(jwt.keyword).toBe('openbadgecredential');
    expect(jwt.text.split('.')).toHaveLength(3);
  });
});
