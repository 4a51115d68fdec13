import fs from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import type { FetchResult, Fetcher, OpenBadgeCredentialInput } from '../../../../src/core/index.js';

export const fixturesDir = path.resolve('tests/fixtures/1edtech');
export const validatorTestsDir = path.join(fixturesDir, 'validator-tests');

export interface ExpectedCase {
  file: string;
  ob: string;
  input: 'json' | 'jwt' | 'png' | 'svg' | '1ob';
  payload?: 'json' | 'jwt';
  expect: 'valid' | 'warning' | 'invalid';
  offline: string;
  reason: string;
  javaTest: string;
}

export interface ExpectedFile {
  recommendedNow: string;
  urlMap: Record<string, string>;
  ob30UrlMap: Record<string, string>;
  cases: ExpectedCase[];
}

export function readExpected(): ExpectedFile {
  return JSON.parse(
    fs.readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8'),
  ) as ExpectedFile;
}

function result(url: string, status: number, body: Uint8Array, contentType: string): FetchResult {
  return { url, status, contentType, body };
}

/** Serves urlMap + ob30UrlMap from validator-tests/, 404 for anything else (never the network). */
export function fixtureFetcher(expected: ExpectedFile, log: string[] = []): Fetcher {
  const map = { ...expected.urlMap, ...expected.ob30UrlMap };
  return async (url: string) => {
    log.push(url);
    const file = map[url];
    if (!file) return result(url, 404, new Uint8Array(), 'text/plain');
    return result(
      url,
      200,
      fs.readFileSync(path.join(validatorTestsDir, file)),
      'application/json',
    );
  };
}

/** A fetcher over in-memory JSON documents (our own issuer's controller document, lists…). */
export function mapFetcher(docs: Record<string, unknown>, log: string[] = []): Fetcher {
  return async (url: string) => {
    log.push(url);
    const doc = docs[url];
    if (doc === undefined) return result(url, 404, new Uint8Array(), 'text/plain');
    const text = typeof doc === 'string' ? doc : JSON.stringify(doc);
    return result(url, 200, new TextEncoder().encode(text), 'application/json');
  };
}

/**
 * Test-only reader of OB 3.0 baked images (PNG iTXt `openbadgecredential`, SVG
 * `<openbadges:credential>`), so the agreement test covers the image fixtures before the
 * baking module (another branch) is merged; the lead can switch to unbakePng/unbakeSvg.
 */
export function extractBakedCredential(file: string): string {
  const bytes = fs.readFileSync(file);
  if (file.endsWith('.png')) {
    let offset = 8;
    while (offset < bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString('latin1', offset + 4, offset + 8);
      const data = bytes.subarray(offset + 8, offset + 8 + length);
      if (type === 'iTXt') {
        const nul = data.indexOf(0);
        const keyword = data.toString('latin1', 0, nul);
        if (keyword === 'openbadgecredential') {
          const compressed = data[nul + 1] === 1;
          let p = nul + 3;
          p = data.indexOf(0, p) + 1; // language tag
          p = data.indexOf(0, p) + 1; // translated keyword
          const text = data.subarray(p);
          return (compressed ? inflateSync(text) : text).toString('utf8');
        }
      }
      offset += 12 + length;
    }
    throw new Error(`no openbadgecredential chunk in ${file}`);
  }
  const svg = bytes.toString('utf8');
  const element = /<openbadges:credential\b([^>]*?)(\/>|>([\s\S]*?)<\/openbadges:credential>)/.exec(
    svg,
  );
  if (!element) throw new Error(`no openbadges:credential in ${file}`);
  const verify = /\bverify="([^"]+)"/.exec(element[1] ?? '')?.[1];
  const inner = element[3]?.trim();
  if (inner)
    return inner
      .replace(/^<!\[CDATA\[/, '')
      .replace(/\]\]>$/, '')
      .trim();
  if (verify) return verify;
  throw new Error(`empty openbadges:credential in ${file}`);
}

export function readCase(c: ExpectedCase): string {
  const file = path.join(validatorTestsDir, c.file);
  if (c.input === 'png' || c.input === 'svg') return extractBakedCredential(file);
  return fs.readFileSync(file, 'utf8');
}

/** Award data as the app would pass it (our own issuer on badges.example). */
export const awardInput: OpenBadgeCredentialInput = {
  id: 'https://badges.example/credentials/c1',
  issuer: {
    id: 'https://badges.example/issuers/coop',
    name: 'Coopérative des médiateurs numériques de Roubaix',
    url: 'https://badges.example',
    email: 'contact@badges.example',
    description: 'Coopérative',
    image: 'https://badges.example/issuers/coop/logo.png',
  },
  achievement: {
    id: 'https://badges.example/achievements/accueil',
    name: 'Accueil numérique',
    description: 'Accueillir et orienter le public.',
    criteria: {
      narrative: 'Avoir accueilli 20 personnes.',
      id: 'https://badges.example/achievements/accueil#criteria',
    },
    image: 'https://badges.example/achievements/accueil/image.png',
    alignments: [
      {
        targetName: 'Interagir',
        targetUrl: 'https://badges.example/frameworks/crcn#2.1',
        targetFramework: 'CRCN',
        targetCode: '2.1',
      },
    ],
    tags: ['accueil'],
  },
  recipient: { email: ' A@Example.com ', salt: 'Kosher' },
  validFrom: new Date('2026-01-02T10:00:00.123Z'),
  evidence: [{ id: 'https://badges.example/evidence/1', narrative: 'Attestation' }],
};
