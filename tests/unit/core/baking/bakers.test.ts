import fs from 'node:fs';
import path from 'node:path';
import { bakePng } from '../../../../src/core/baking/bake-png.js';
import { bakeSvg } from '../../../../src/core/baking/bake-svg.js';
import { pngBaker, svgBaker } from '../../../../src/core/baking/bakers.js';
import { unbakePng } from '../../../../src/core/baking/unbake-png.js';
import type { BadgeKeyword } from '../../../../src/core/baking/badge-keyword.js';

const fixtures = path.resolve('tests/fixtures/1edtech/validator-tests');
const plainPng = new Uint8Array(
  fs.readFileSync(path.join(fixtures, 'ob20/assets/robotics-badge.png')),
);
const plainSvg =
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Médiation &amp; numérique</title><circle r="4" cx="5" cy="5"/></svg>';

const jws = (n: number) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ id: `https://badges.example.fr/a/${n}`, é: '🎉' })).toString('base64url')}.c2lnbmF0dXJl${n}`;
const json = JSON.stringify({ id: 'https://badges.example.fr/a/1', name: 'A ]]> « b »' });

describe('baking many badges into one image', () => {
  it.each<[BadgeKeyword]>([['openbadges'], ['openbadgecredential']])(
    'When %s badges are baked by the prepared PNG baker, then each file is byte for byte the one bakePng makes',
    (keyword) => {
      const bake = pngBaker(plainPng, keyword);
      for (const text of [jws(1), jws(22), json, 'é'.repeat(3000)]) {
        const fast = bake(text);
        expect(Buffer.from(fast).equals(Buffer.from(bakePng(plainPng, { keyword, text })))).toBe(
          true,
        );
        expect(unbakePng(fast)).toEqual({ keyword, text });
      }
      // An image already baked: its old badge is replaced, as bakePng does.
      const again = pngBaker(bakePng(plainPng, { keyword, text: jws(5) }), keyword)(jws(6));
      expect(
        Buffer.from(again).equals(Buffer.from(bakePng(plainPng, { keyword, text: jws(6) }))),
      ).toBe(true);
    },
  );

  it.each<[BadgeKeyword]>([['openbadges'], ['openbadgecredential']])(
    'When %s badges are baked by the prepared SVG baker, then each file is the one bakeSvg makes',
    (keyword) => {
      const bake = svgBaker(plainSvg, keyword);
      for (const text of [jws(1), jws(333), json]) {
        expect(bake(text)).toBe(bakeSvg(plainSvg, { keyword, text }));
      }
    },
  );
});
