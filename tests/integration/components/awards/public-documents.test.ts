/**
 * The public documents of an award, as HTTP serves them (content negotiation, types, cache
 * validators, CORS) and as the internal fetcher answers them (same status, type and bytes),
 * and the baked images: each carries exactly the form it names.
 */
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import request from 'supertest';
import {
  FetchError,
  unbakePng,
  unbakeSvg,
  verifyOb3Credential,
  type FetchResult,
} from '../../../../src/core/index.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import { BAKED_VARIANTS } from '../../../../src/components/awards/public-urls.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const VALIDATOR_ACCEPT = 'application/ld+json, application/json, image/png, image/svg+xml';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const BASE = 'http://127.0.0.1:3999';

describe('public documents', () => {
  let t: TestApp;
  let award: AwardDoc;
  let revoked: AwardDoc;
  const get = (path: string, accept = VALIDATOR_ACCEPT) =>
    request(t.app).get(path).set('Accept', accept).buffer(true);

  beforeAll(async () => {
    t = await createTestApp();
    const badge = await issuerWithBadge(t.app);
    award = await issueTo(t.app, badge);
    revoked = await issueTo(t.app, badge, { recipientEmail: 'erreur@example.org' });
    await t.app.services.awards.revokeAward({
      actor: { id: 'admin', isAdmin: true, roles: {} },
      ip: '',
      issuerId: badge.issuerId,
      awardId: revoked._id,
      reason: 'Délivré par erreur',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When the assertion URL is asked for JSON-LD, by a browser or with */*, then each gets its form', async () => {
    const json = await get(`/assertions/${award._id}`);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    expect(json.headers.vary).toMatch(/Accept/);
    expect(JSON.parse(json.text)).toMatchObject({
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Assertion',
      id: `${BASE}/assertions/${award._id}`,
      badge: `${BASE}/badges/${award.badgeClassId}`,
      verification: { type: 'hosted' },
      recipient: { type: 'email', hashed: true, identity: award.recipient.identityHash },
      evidence: [{ id: 'https://exemple.org/atelier-caf' }],
    });
    expect(json.text).not.toContain(award.recipient.email);
    const any = await get(`/assertions/${award._id}`, '*/*');
    expect(any.headers['content-type']).toMatch(/^application\/ld\+json/);
    const page = await get(`/assertions/${award._id}`, BROWSER_ACCEPT);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<h1>Accompagner une démarche en ligne</h1>');
    expect(page.text).not.toContain(award.recipient.email);
    expect(page.text).not.toMatch(/<script/);
  });

  it('When a revoked assertion is asked for, then JSON says 410 with the reason and the page says so', async () => {
    const json = await get(`/assertions/${revoked._id}`);
    expect(json.status).toBe(410);
    expect(JSON.parse(json.text)).toMatchObject({
      id: `${BASE}/assertions/${revoked._id}`,
      revoked: true,
      revocationReason: 'Délivré par erreur',
    });
    const page = await get(`/assertions/${revoked._id}`, BROWSER_ACCEPT);
    expect(page.status).toBe(410);
    expect(page.text).toContain('Ce badge a été révoqué');
    expect(page.text).toContain('Motif : Délivré par erreur');
    expect(page.text).not.toContain('Télécharger le badge');
  });

  it('When each public URL is fetched, then it has its media type, cache policy, ETag and CORS', async () => {
    const issuer = award.issuerId;
    const keys = await t.app.services.keys.listPublicKeys(issuer);
    const rsa = keys.find((k) => k.type === 'RSA')!;
    const ed = keys.find((k) => k.type === 'Ed25519')!;
    const cases: [string, RegExp, string][] = [
      [`/emetteurs/${issuer}`, /^application\/ld\+json/, 'public, max-age=300'],
      [`/emetteurs/${issuer}/profil.json`, /^application\/json/, 'public, max-age=300'],
      [`/emetteurs/${issuer}/did.json`, /^application\/did\+json/, 'public, max-age=300'],
      [`/emetteurs/${issuer}/jwks.json`, /^application\/jwk-set\+json/, 'public, max-age=300'],
      [`/emetteurs/${issuer}/cles/${rsa._id}`, /^application\/ld\+json/, 'public, max-age=300'],
      [`/emetteurs/${issuer}/cles/${ed._id}`, /^application\/ld\+json/, 'public, max-age=300'],
      [
        `/emetteurs/${issuer}/cles/${rsa._id}/jwk`,
        /^application\/jwk\+json/,
        'public, max-age=300',
      ],
      [`/emetteurs/${issuer}/revocations`, /^application\/ld\+json/, 'no-cache'],
      [`/emetteurs/${issuer}/statuts/1`, /^application\/vc\+ld\+json/, 'no-cache'],
      ['/.well-known/did.json', /^application\/did\+json/, 'public, max-age=300'],
      [`/badges/${award.badgeClassId}`, /^application\/ld\+json/, 'public, max-age=300'],
      [`/badges/${award.badgeClassId}/image.png`, /^image\/png$/, 'public, max-age=86400'],
      [`/badges/${award.badgeClassId}/image.svg`, /^image\/svg\+xml/, 'public, max-age=86400'],
      [`/assertions/${award._id}`, /^application\/ld\+json/, 'no-cache'],
      [`/assertions/${award._id}/jws`, /^text\/plain/, 'no-cache'],
      [`/assertions/${award._id}/credential`, /^application\/vc\+ld\+json/, 'no-cache'],
      [`/assertions/${award._id}/credential.jwt`, /^application\/vc\+jwt/, 'no-cache'],
      ...BAKED_VARIANTS.map((v): [string, RegExp, string] => [
        `/assertions/${award._id}/${v}`,
        v.endsWith('.png') ? /^image\/png$/ : /^image\/svg\+xml/,
        'no-cache',
      ]),
    ];
    const problems: string[] = [];
    for (const [path, type, cache] of cases) {
      const res = await get(path);
      const etag = res.headers.etag as string | undefined;
      if (res.status !== 200) problems.push(`${path}: ${res.status}`);
      if (!type.test(String(res.headers['content-type'])))
        problems.push(`${path}: ${res.headers['content-type']}`);
      if (res.headers['cache-control'] !== cache)
        problems.push(`${path}: ${res.headers['cache-control']}`);
      if (res.headers['access-control-allow-origin'] !== '*') problems.push(`${path}: no CORS`);
      if (!etag || !/^"[A-Za-z0-9_-]{27}"$/.test(etag)) problems.push(`${path}: etag ${etag}`);
      const again = await get(path).set('If-None-Match', etag ?? '');
      if (again.status !== 304) problems.push(`${path}: revalidation gave ${again.status}`);
    }
    expect(problems).toEqual([]);
  });

  it('When the VC-JWT is asked for as text, or unknown ids are asked for, then it answers accordingly', async () => {
    const text = await get(`/assertions/${award._id}/credential.jwt`, 'text/plain');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.text).toBe(award.ob3.jwt);
    for (const path of [
      '/assertions/inconnue',
      '/assertions/inconnue/badge.png',
      '/badges/inconnu',
      '/emetteurs/inconnu',
      '/emetteurs/inconnu/did.json',
      `/emetteurs/${award.issuerId}/statuts/0`,
      `/emetteurs/${award.issuerId}/statuts/1001`,
      `/emetteurs/${award.issuerId}/cles/inconnue/jwk`,
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
    // A key of one issuer is not served under another.
    await issuerWithBadge(t.app, 'autre');
    await issueTo(t.app, (await t.app.services.achievements.listForIssuer('autre'))[0]!);
    const otherKey = (await t.app.services.keys.listPublicKeys('autre'))[0]!;
    expect((await get(`/emetteurs/${award.issuerId}/cles/${otherKey._id}`)).status).toBe(404);
  });

  it('When the internal fetcher is asked for any public URL, then it answers exactly as HTTP does', async () => {
    const fetcher = t.app.services.internalFetcher;
    const issuer = award.issuerId;
    const keys = await t.app.services.keys.listPublicKeys(issuer);
    const paths = [
      `/emetteurs/${issuer}`,
      `/emetteurs/${issuer}/profil.json`,
      `/emetteurs/${issuer}/did.json`,
      `/emetteurs/${issuer}/jwks.json`,
      `/emetteurs/${issuer}/revocations`,
      `/emetteurs/${issuer}/statuts/1`,
      ...keys.flatMap((k) => [
        `/emetteurs/${issuer}/cles/${k._id}`,
        `/emetteurs/${issuer}/cles/${k._id}/jwk`,
      ]),
      '/.well-known/did.json',
      `/badges/${award.badgeClassId}`,
      `/badges/${award.badgeClassId}/image.png`,
      `/badges/${award.badgeClassId}/image.svg`,
      `/assertions/${award._id}`,
      `/assertions/${revoked._id}`,
      `/assertions/${award._id}/jws`,
      `/assertions/${award._id}/credential`,
      `/assertions/${award._id}/credential.jwt`,
      ...BAKED_VARIANTS.map((v) => `/assertions/${award._id}/${v}`),
      '/assertions/inconnue',
      `/emetteurs/${issuer}/inconnu`,
    ];
    const differences: string[] = [];
    for (const path of paths) {
      const http = await get(path);
      const internal: FetchResult = await fetcher(`${BASE}${path}#fragment`, { kind: 'json' });
      const body = Buffer.from(internal.body);
      if (internal.status !== http.status)
        differences.push(`${path}: ${internal.status} ≠ ${http.status}`);
      if (http.status === 404) continue;
      if (internal.contentType !== http.headers['content-type'])
        differences.push(`${path}: ${internal.contentType} ≠ ${http.headers['content-type']}`);
      const httpBody = Buffer.isBuffer(http.body) ? http.body : Buffer.from(http.text);
      if (!body.equals(httpBody)) differences.push(`${path}: bodies differ`);
      if (internal.url !== `${BASE}${path}`) differences.push(`${path}: url ${internal.url}`);
    }
    expect(differences).toEqual([]);
    // did:web resolves over https: the fetcher answers that form of our own URLs too.
    const viaHttps = await fetcher(`https://127.0.0.1:3999/emetteurs/${issuer}/did.json`);
    expect(JSON.parse(Buffer.from(viaHttps.body).toString()).id).toBe(
      'did:web:127.0.0.1%3A3999:emetteurs:ville-de-roubaix',
    );
    expect(fetcher.handles('https://example.org/badge')).toBe(false);
    expect(fetcher.handles('http://localhost:3999/assertions/x')).toBe(false);
    await expect(fetcher('https://example.org/badge')).rejects.toBeInstanceOf(FetchError);
  });

  it('When the internal fetcher serves the verifier, then our credential verifies without any HTTP', async () => {
    const report = await verifyOb3Credential(award.ob3.credential, {
      fetch: t.app.services.internalFetcher,
      now: new Date(),
    });
    expect(report.verdict).toBe('verified');
  });

  it('When each baked image is unbaked, then it carries exactly the form its name says, and a doubled or compressed badge chunk is refused', async () => {
    const expected: Record<string, { keyword: string; text: string }> = {
      badge: {
        keyword: 'openbadges',
        text: (await get(`/assertions/${award._id}`)).text,
      },
      'badge-signe': { keyword: 'openbadges', text: award.ob2.jws },
      credential: { keyword: 'openbadgecredential', text: award.ob3.jwt },
      'credential-json': { keyword: 'openbadgecredential', text: award.ob3.credential },
    };
    for (const variant of BAKED_VARIANTS) {
      const [form, ext] = variant.split('.') as [string, string];
      const res = await get(`/assertions/${award._id}/${variant}`);
      const unbaked =
        ext === 'png'
          ? unbakePng(new Uint8Array(res.body as Buffer))
          : unbakeSvg(Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.text);
      expect([variant, unbaked.keyword, unbaked.text]).toEqual([
        variant,
        expected[form]!.keyword,
        expected[form]!.text.trim(),
      ]);
      expect(res.headers['content-disposition']).toBe(
        `inline; filename="accompagner-une-demarche-en-ligne-${variant}"`,
      );
    }
    // Tampering with a real baked PNG: a second badge chunk, or a compressed one, is refused.
    const png = new Uint8Array(
      (await get(`/assertions/${award._id}/badge-signe.png`)).body as Buffer,
    );
    const chunks = extractChunks(png);
    const badgeChunk = chunks.find((c) => c.name === 'iTXt')!;
    const doubled = encodeChunks([chunks[0]!, badgeChunk, ...chunks.slice(1)]);
    expect(() => unbakePng(doubled)).toThrow(
      expect.objectContaining({
        code: 'duplicate_chunk',
        message: expect.stringMatching(/2 badge chunks/),
      }),
    );
    const compressedData = Uint8Array.from(badgeChunk.data);
    compressedData['openbadges'.length + 1] = 1; // the compression flag
    const compressed = encodeChunks(
      chunks.map((c) => (c === badgeChunk ? { name: 'iTXt', data: compressedData } : c)),
    );
    expect(() => unbakePng(compressed)).toThrow(
      expect.objectContaining({
        code: 'compressed_chunk',
        message: expect.stringMatching(/compressed/),
      }),
    );

    // The SVGs are images, never documents: nothing in them may run.
    const svg = await get(`/assertions/${award._id}/badge-signe.svg`);
    expect(svg.headers['content-security-policy']).toContain('sandbox');
  });
});
