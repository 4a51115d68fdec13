import { createVerificationFetcher } from '../../../../src/components/verification/compose-fetcher.js';
import { ownUrls } from '../../../../src/components/verification/own-urls.js';
import { ResultCache } from '../../../../src/components/verification/result-cache.js';
import {
  longDate,
  safeHref,
  stepLine,
} from '../../../../src/components/verification/verification-view-model.js';
import type { VerificationOutcome } from '../../../../src/components/verification/verification.use-case.js';
import {
  classifyText,
  parseHttpUrl,
} from '../../../../src/components/verification/verification.use-case.js';
import { normaliseTypedUrl } from '../../../../src/components/verification/verification.controller.js';
import { FetchError, type FetchResult, type VerificationStep } from '../../../../src/core/index.js';
import { translator } from '../../../../src/libraries/i18n/i18n.js';

describe('ownUrls', () => {
  const own = ownUrls('http://127.0.0.1:3999');

  it('When a URL is under PUBLIC_URL or the https form of our did:web host, then it is ours', () => {
    expect(own.isOwnUrl('http://127.0.0.1:3999/assertions/a')).toBe(true);
    expect(own.isOwnUrl('https://127.0.0.1:3999/emetteurs/coop/did.json')).toBe(true);
    expect(own.isOwnUrl('http://127.0.0.1:4000/assertions/a')).toBe(false);
    expect(own.isOwnUrl('http://127.0.0.1.evil.example/assertions/a')).toBe(false);
    expect(own.isOwnUrl('http://x@127.0.0.1:3999/a')).toBe(false);
    expect(own.isOwnUrl('pas une adresse')).toBe(false);
  });

  it('When an issuer id is a did:web of our host or a URL under PUBLIC_URL, then it is ours', () => {
    expect(own.isOwnIssuerId('did:web:127.0.0.1%3A3999:emetteurs:coop')).toBe(true);
    expect(own.isOwnIssuerId('did:web:127.0.0.1%3A4000:emetteurs:coop')).toBe(false);
    expect(own.isOwnIssuerId('http://127.0.0.1:3999/emetteurs/coop')).toBe(true);
    expect(own.isOwnIssuerId('did:key:z6Mk')).toBe(false);
  });

  it('When PUBLIC_URL has a path, then only URLs below it are ours', () => {
    const sub = ownUrls('https://ville.example.fr/badges');
    expect(sub.isOwnUrl('https://ville.example.fr/badges/assertions/a')).toBe(true);
    expect(sub.isOwnUrl('https://ville.example.fr/badgesx/a')).toBe(false);
    expect(sub.isOwnUrl('https://ville.example.fr/autre')).toBe(false);
  });
});

describe('createVerificationFetcher', () => {
  const answer = (url: string): FetchResult => ({
    url,
    status: 200,
    contentType: 'application/json',
    body: new Uint8Array(),
  });

  it('When a URL is ours, then our document source answers; otherwise HTTP; each URL once', async () => {
    const ownCalls: string[] = [];
    const httpCalls: string[] = [];
    const f = createVerificationFetcher({
      own: ownUrls('https://ville.example.fr'),
      ownDocuments: async (url) => (ownCalls.push(url), answer(url)),
      external: async (url) => (httpCalls.push(url), answer(url)),
    });
    await f.fetch('https://ville.example.fr/emetteurs/a');
    await f.fetch('https://ville.example.fr/emetteurs/a');
    await f.fetch('https://ailleurs.example.org/badge');
    expect(ownCalls).toEqual(['https://ville.example.fr/emetteurs/a']);
    expect(httpCalls).toEqual(['https://ailleurs.example.org/badge']);
    expect(f.usedOwn).toBe(true);
  });

  it('When a badge asks for too many documents, then the next ones are refused', async () => {
    const f = createVerificationFetcher({
      own: ownUrls('https://ville.example.fr'),
      external: async (url) => answer(url),
      maxDocuments: 2,
    });
    await f.fetch('https://a.example.org/1');
    await f.fetch('https://a.example.org/2');
    await expect(f.fetch('https://a.example.org/3')).rejects.toBeInstanceOf(FetchError);
    expect(f.usedOwn).toBe(false);
  });

  it('When the time budget of a verification is spent, then further documents are refused', async () => {
    let ms = 0;
    const f = createVerificationFetcher({
      own: ownUrls('https://ville.example.fr'),
      external: async (url) => answer(url),
      budgetMs: 1000,
      now: () => ms,
    });
    await f.fetch('https://a.example.org/1');
    ms = 1001;
    await expect(f.fetch('https://a.example.org/2')).rejects.toMatchObject({ code: 'timeout' });
    // What was already read is still answered.
    await expect(f.fetch('https://a.example.org/1')).resolves.toMatchObject({ status: 200 });
  });
});

describe('ResultCache', () => {
  it('When the time to live passes or the bound is reached, then entries go', () => {
    let now = 0;
    const cache = new ResultCache<string>(1000, 2, () => new Date(now));
    cache.set('a', '1');
    cache.set('b', '2');
    cache.set('c', '3');
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, '2', '3']);
    now = 999;
    expect(cache.get('b')).toBe('2');
    now = 1000;
    expect(cache.get('b')).toBeUndefined();
    const off = new ResultCache<string>(0, 10, () => new Date(now));
    off.set('a', '1');
    expect(off.get('a')).toBeUndefined();
  });
});

describe('input recognition', () => {
  const jws = (payload: object) =>
    `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

  it('When text is pasted, then its content decides what it is', () => {
    expect(classifyText(' {"type":"Assertion"} ')).toMatchObject({ kind: 'json' });
    expect(classifyText(jws({ type: 'Assertion' }))).toEqual({ kind: 'jws', family: 'ob2' });
    expect(classifyText(jws({ vc: {} }))).toEqual({ kind: 'jws', family: 'ob3' });
    expect(classifyText(jws({ type: ['VerifiableCredential'] }))).toEqual({
      kind: 'jws',
      family: 'ob3',
    });
    expect(classifyText('https://badges.example.org/a/1')).toMatchObject({ kind: 'url' });
    expect(classifyText('<svg xmlns="http://www.w3.org/2000/svg"/>')).toEqual({ kind: 'svg' });
    expect(classifyText('<!doctype html><p>x</p>')).toEqual({ kind: 'html' });
    expect(classifyText('Bonjour')).toEqual({ kind: 'other' });
    expect(classifyText('{pas du json')).toEqual({ kind: 'other' });
  });

  it('When an address is typed, then only complete http(s) URLs without credentials pass', () => {
    expect(parseHttpUrl('https://badges.example.org/a')).toBe('https://badges.example.org/a');
    expect(parseHttpUrl('ftp://badges.example.org/a')).toBeUndefined();
    expect(parseHttpUrl('https://u:p@badges.example.org/a')).toBeUndefined();
    expect(parseHttpUrl('https://badges.example.org/a b')).toBeUndefined();
    expect(normaliseTypedUrl('badges.example.org/assertions/1')).toBe(
      'https://badges.example.org/assertions/1',
    );
    expect(normaliseTypedUrl('javascript:alert(1)')).toBeUndefined();
    expect(normaliseTypedUrl(`https://a.example.org/${'x'.repeat(3000)}`)).toBeUndefined();
  });
});

describe('plain sentences', () => {
  const outcome = { source: { way: 'url', container: 'json' } } as VerificationOutcome;
  const line = (step: Partial<VerificationStep>, lang: 'fr' | 'en' = 'fr') =>
    stepLine(
      { id: 'status', ok: false, level: 'error', message: '', ...step } as VerificationStep,
      outcome,
      { t: translator(lang), lang },
    ).replace(/\u00a0/g, ' ');

  it('When a date is the first of the month, then French says « 1er »', () => {
    expect(longDate('2029-01-01T10:00:00Z', 'fr')).toBe('1er janvier 2029');
    expect(longDate('2029-01-11T10:00:00Z', 'fr')).toBe('11 janvier 2029');
    expect(longDate('2029-01-01T10:00:00Z', 'en')).toBe('1 January 2029');
    expect(longDate('pas une date', 'fr')).toBe('pas une date');
  });

  it('When a badge is revoked, then the sentence gives the date and the reason it has', () => {
    const key = 'verify.steps.status.revoked';
    expect(line({ message: key })).toBe(
      "Ce badge a été révoqué par son émetteur : il n'est plus valable.",
    );
    expect(line({ message: key, params: { reason: 'délivré par erreur.' } })).toBe(
      'Ce badge a été révoqué par son émetteur. Motif : délivré par erreur.',
    );
    expect(
      line({
        message: key,
        params: { reason: 'délivré par erreur', date: '2027-03-03T10:00:00Z' },
      }),
    ).toBe('Ce badge a été révoqué le 3 mars 2027. Motif : délivré par erreur.');
    expect(line({ message: key, params: { date: '2027-03-03T10:00:00Z' } }, 'en')).toBe(
      'This badge was revoked on 3 March 2027: it no longer holds.',
    );
  });

  it('When OB 2.0 and OB 3.0 give validity dates, then the same sentences come out', () => {
    const key = 'verify.steps.validity.valid';
    expect(line({ message: key, params: { issuedOn: '2025-03-03T10:00:00Z' } })).toBe(
      "Ce badge a été délivré le 3 mars 2025 et n'a pas de date de fin de validité.",
    );
    expect(
      line({
        message: key,
        params: { from: '2025-03-03T10:00:00Z', until: '2029-01-01T00:00:00Z' },
      }),
    ).toBe("Ce badge a été délivré le 3 mars 2025 ; il est valable jusqu'au 1er janvier 2029.");
  });

  it('When a key is unknown, then a neutral sentence is shown rather than the key', () => {
    expect(line({ message: 'verify.steps.nothing.like_this' })).toBe(
      'Vérification effectuée (voir les détails techniques).',
    );
  });

  it('When a link comes from a badge, then only http(s) is kept', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<script>')).toBeUndefined();
    expect(safeHref('https://pix.fr/a')).toBe('https://pix.fr/a');
  });
});
