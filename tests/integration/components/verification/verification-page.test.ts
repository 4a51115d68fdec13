/**
 * The /verifier page beyond verdicts: form errors (GOV.UK error summary), uploads (limits,
 * sniffing, unsafe files), CSRF for anonymous visitors, the shareable link, the cache and its
 * "checked at" time, our own badges always live, and the expected email never logged.
 */
import fs from 'node:fs';
import os from 'node:os';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import request from 'supertest';
import { bakePng } from '../../../../src/core/index.js';
import { relaxedLimits, testClock } from '../../../helpers/accounts.js';
import {
  BASE_SVG,
  DocumentTable,
  RECIPIENT,
  createIssuerWorld,
  serveTable,
  type IssuerWorld,
} from '../../../helpers/badge-world.js';
import { decoded } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';
import { pageText, pageVerdict, submitPage } from '../../../helpers/verification.js';

const plainPng = fs.readFileSync(
  'tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png',
);

describe('the /verifier page', () => {
  let t: TestApp;
  const clock = testClock(new Date('2026-03-01T12:00:00Z'));
  let foreign: IssuerWorld;
  let own: IssuerWorld;
  const ownTable = new DocumentTable();
  let foreignServer: Awaited<ReturnType<typeof serveTable>>;
  const publicUrl = 'http://127.0.0.1:3999';

  beforeAll(async () => {
    const foreignTable = new DocumentTable();
    foreignServer = await serveTable(foreignTable);
    foreign = await createIssuerWorld({
      table: foreignTable,
      origin: foreignServer.origin,
      slug: 'ailleurs',
      name: 'Association Numérique Ailleurs',
    });
    own = await createIssuerWorld({
      table: ownTable,
      origin: publicUrl,
      slug: 'coop',
      name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
      didWeb: true,
    });
    t = await createTestApp({
      clock: clock.now,
      env: {
        ...relaxedLimits,
        PUBLIC_URL: publicUrl,
        VERIFY_ALLOW_HOSTS: foreignServer.hostPort,
        VERIFY_MAX_UPLOAD_MB: '1',
        VERIFY_CACHE_SECONDS: '300',
      },
      // Our issuer is in "our database": an id under our host name alone is no longer enough.
      ownBadges: {
        documents: ownTable.fetcher(),
        isKnownIssuer: (id) => id === own.issuerId || id === own.ob3IssuerId,
      },
    });
    foreign.hosted('karim');
    own.hosted('karim');
  });

  afterAll(async () => {
    await t?.close();
    await foreignServer?.close();
  });

  const errorSummary = (html: string) =>
    pageText(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');

  describe('form errors', () => {
    it('When the link is empty or not a web address, then an error summary links to the field', async () => {
      for (const [url, message] of [
        ['', 'Saisissez le lien du badge'],
        [
          'ftp://badges.example.org/a',
          'Saisissez une adresse web complète, qui commence par https://',
        ],
        [
          'https://moi:secret@badges.example.org/a',
          "Cette adresse contient un nom d'utilisateur ou un mot de passe",
        ],
      ]) {
        const res = await submitPage(t.app, { way: 'url', url: url! });
        expect(res.status).toBe(422);
        expect(errorSummary(res.text)).toContain(message);
        expect(res.text).toContain('<a href="#url">');
        expect(res.text).toMatch(/<input id="url"[^>]*aria-invalid="true"/);
        expect(decoded(res.text)).toContain(
          '<title>Erreur : Vérifier un badge – Coop Badges</title>',
        );
      }
    });

    it('When the email is not an address, then the error points at the email field of that form', async () => {
      const res = await submitPage(
        t.app,
        { way: 'url', url: 'https://badges.example.org/a' },
        'karim',
      );
      expect(res.status).toBe(422);
      expect(errorSummary(res.text)).toContain('Saisissez une adresse e-mail valide');
      expect(res.text).toContain('<a href="#email-url">');
      // What was typed comes back, so nothing has to be typed again.
      expect(res.text).toContain('value="https://badges.example.org/a"');
    });

    it('When the pasted text is empty, then the text section opens with its error', async () => {
      const res = await submitPage(t.app, { way: 'text', text: '  ' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('<details class="verify-way verify-way--text" open>');
      expect(errorSummary(res.text)).toContain('Collez le texte du badge');
    });

    it('When no file is chosen, then the form asks for it', async () => {
      const agent = request.agent(t.app);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/verifier')).text)![1]!;
      const res = await agent.post('/verifier').field('_csrf', token).field('way', 'file');
      expect(res.status).toBe(422);
      expect(errorSummary(res.text)).toContain("Choisissez l'image du badge");
    });
  });

  describe('uploads', () => {
    it('When the file is larger than the limit, then 413 and the form says the limit', async () => {
      const big = Buffer.concat([plainPng, Buffer.alloc(1024 * 1024 + 10)]);
      const res = await submitPage(t.app, { way: 'file', bytes: big, name: 'badge.png' });
      expect(res.status).toBe(413);
      expect(errorSummary(res.text)).toContain('Le fichier est trop volumineux : 1 Mo au plus');
    });

    it('When a file is a JPEG named .png, then it is refused by its content (415)', async () => {
      const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
      const res = await submitPage(t.app, { way: 'file', bytes: jpeg, name: 'badge.png' });
      expect(res.status).toBe(415);
      expect(errorSummary(res.text)).toContain("Ce fichier n'est pas une image de badge");
    });

    it('When a baked PNG is named .svg and sent as text/plain, then it is still read as a PNG', async () => {
      const png = foreign.png('openbadges', JSON.stringify(foreign.hosted('renomme')));
      const agent = request.agent(t.app);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/verifier')).text)![1]!;
      const res = await agent
        .post('/verifier')
        .field('_csrf', token)
        .field('way', 'file')
        .attach('fichier', Buffer.from(png), { filename: 'badge.svg', contentType: 'text/plain' });
      expect(pageVerdict(res)).toBe('warning');
      expect(pageText(res.text)).toContain("Badge reconnu dans l'image PNG");
    });

    it.each([
      [
        'a script',
        BASE_SVG.replace('</svg>', '<script>fetch("/")</script></svg>'),
        'contient un programme (script)',
      ],
      [
        'an onload handler',
        BASE_SVG.replace('<svg ', '<svg onload="x()" '),
        'contient un programme (script)',
      ],
      [
        'an external entity',
        `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${BASE_SVG}`,
        'DOCTYPE interne ou entités',
      ],
    ])(
      'When an SVG holds %s, then it is refused with a clear message (422)',
      async (_what, svg, message) => {
        const res = await submitPage(t.app, { way: 'file', bytes: svg, name: 'badge.svg' });
        expect(res.status).toBe(422);
        expect(errorSummary(res.text)).toContain(message);
      },
    );

    it('When a PNG announces absurd dimensions, then it is refused before anything reads it', async () => {
      const chunks = extractChunks(plainPng);
      const ihdr = new Uint8Array(chunks[0]!.data);
      new DataView(ihdr.buffer).setUint32(0, 200_000);
      new DataView(ihdr.buffer).setUint32(4, 200_000);
      const bomb = encodeChunks([{ name: 'IHDR', data: ihdr }, ...chunks.slice(1)]);
      const res = await submitPage(t.app, { way: 'file', bytes: bomb, name: 'badge.png' });
      expect(res.status).toBe(422);
      expect(errorSummary(res.text)).toContain('beaucoup trop grande pour être un badge');
    });

    it('When the badge chunk is compressed, then it is not inflated and the result says so', async () => {
      const chunks = extractChunks(plainPng);
      const body = new Uint8Array([
        ...new TextEncoder().encode('openbadges'),
        0,
        1,
        0,
        0,
        0,
        0x78,
        0x9c,
      ]);
      const png = encodeChunks([chunks[0]!, { name: 'iTXt', data: body }, ...chunks.slice(1)]);
      const res = await submitPage(t.app, { way: 'file', bytes: png, name: 'badge.png' });
      expect(pageVerdict(res)).toBe('not_verified');
      expect(pageText(res.text)).toContain('est compressé : par sécurité, nous ne le lisons pas.');
    });

    it('When a badge is uploaded, then nothing of it is written to disk', async () => {
      const marker = Buffer.from(`coop-badges-upload-${Date.now()}`);
      const png = bakePng(plainPng, { keyword: 'openbadges', text: marker.toString() });
      const before = new Set(fs.readdirSync(os.tmpdir()));
      await submitPage(t.app, { way: 'file', bytes: png, name: 'badge.png' });
      const added = fs
        .readdirSync(os.tmpdir())
        .filter((f) => !before.has(f))
        .filter((f) => {
          const p = `${os.tmpdir()}/${f}`;
          return fs.statSync(p).isFile() && fs.readFileSync(p).includes(marker);
        });
      expect(added).toEqual([]);
    });
  });

  describe('CSRF for anonymous visitors', () => {
    it('When the form is posted without the token from the page, then it is refused; with it, it works', async () => {
      const refused = await request(t.app)
        .post('/verifier')
        .type('form')
        .send({ way: 'text', text: 'x' });
      expect(refused.status).toBe(403);
      const ok = await submitPage(t.app, { way: 'text', text: 'pas un badge' });
      expect(ok.status).toBe(200);
      expect(pageVerdict(ok)).toBe('not_verified');
    });

    it('When a multipart upload carries the token, then the CSRF check passes after parsing', async () => {
      const agent = request.agent(t.app);
      const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/verifier')).text)![1]!;
      const without = await agent
        .post('/verifier')
        .field('way', 'file')
        .attach('fichier', plainPng, 'b.png');
      expect(without.status).toBe(403);
      const withToken = await agent
        .post('/verifier')
        .field('_csrf', token)
        .field('way', 'file')
        .attach('fichier', plainPng, 'b.png');
      expect(withToken.status).toBe(200);
    });
  });

  describe('results', () => {
    it('When a result is opened from its link, then it is shareable, offers the email check and allows the badge image', async () => {
      const url = `${foreign.origin}/assertions/karim`;
      const res = await request(t.app).get('/verifier').query({ url });
      expect(pageVerdict(res)).toBe('warning');
      const text = pageText(res.text);
      expect(text).toContain('Partager ce résultat');
      expect(decoded(res.text)).toContain(`${publicUrl}/verifier?url=${encodeURIComponent(url)}`);
      expect(text).toContain("Vérifier l'adresse e-mail du titulaire");
      expect(res.text).toContain(`<input type="hidden" name="url" value="${url}">`);
      expect(res.headers['content-security-policy']).toMatch(
        new RegExp(`img-src 'self' data: ${foreignServer.origin.replace(/[.:/]/g, '\\$&')}`),
      );
      // Technical details hold what the plain lines leave out.
      expect(res.text).toContain('<summary>Détails techniques</summary>');
      expect(text).toContain('Open Badges 2.0, badge hébergé (HostedBadge)');
    });

    it('When the same foreign badge is checked again within minutes, then the cached result says when it was checked', async () => {
      const url = `${foreign.origin}/assertions/cache`;
      foreign.hosted('cache');
      t.app.verification.clearCache();
      const first = await request(t.app).get('/verifier').query({ url });
      expect(pageText(first.text)).toContain('Vérification faite le 1er mars 2026 à 13:00.');
      expect(pageText(first.text)).not.toContain('quelques minutes au plus');
      const requests = foreignServer.requests.length;
      clock.advance(2 * 60_000);
      // The issuer revokes it meanwhile: the cached result still stands for a few minutes.
      foreign.revokeOb2(url, 'erreur de saisie');
      const second = await request(t.app).get('/verifier').query({ url });
      expect(pageVerdict(second)).toBe('warning');
      expect(pageText(second.text)).toContain(
        'Vérification faite le 1er mars 2026 à 13:00. Ce résultat date de quelques minutes au plus.',
      );
      expect(foreignServer.requests.length).toBe(requests);
      clock.advance(4 * 60_000);
      const third = await request(t.app).get('/verifier').query({ url });
      expect(pageVerdict(third)).toBe('not_verified');
      expect(pageText(third.text)).toContain('Vérification faite le 1er mars 2026 à 13:06.');
    });

    it('When one of our badges is revoked, then the very next check shows it (never cached)', async () => {
      const url = `${publicUrl}/assertions/vivant`;
      own.hosted('vivant');
      expect(pageVerdict(await request(t.app).get('/verifier').query({ url }))).toBe('verified');
      own.revokeOb2(url, 'délivré par erreur');
      const after = await request(t.app).get('/verifier').query({ url });
      expect(pageVerdict(after)).toBe('not_verified');
      expect(pageText(after.text)).toContain('Motif : délivré par erreur.');
    });

    it('When the page is asked in English, then the verdict and lines are English', async () => {
      const url = `${publicUrl}/assertions/karim`;
      const res = await request(t.app).get('/verifier').query({ url, lang: 'en' });
      const text = pageText(res.text);
      expect(text).toContain('Verified');
      expect(text).toContain('This badge is genuine and still valid.');
      expect(text).toContain('The issuer does publish this badge on its site');
      // Switching back to French keeps the result.
      expect(decoded(res.text)).toContain(`<a href="?url=${encodeURIComponent(url)}&lang=fr"`);
    });

    it("When a link leads to an award's web page, then the badge it announces is verified", async () => {
      foreign.hosted('page');
      foreign.table.set(
        `${foreign.origin}/profil/karim/badge`,
        `<!doctype html><html><head><title>Badge</title><link rel="alternate" type="application/ld+json" href="/assertions/page"></head><body>…</body></html>`,
        { contentType: 'text/html' },
      );
      const res = await submitPage(t.app, {
        way: 'url',
        url: `${foreign.origin}/profil/karim/badge`,
      });
      expect(pageVerdict(res)).toBe('warning');
      expect(pageText(res.text)).toContain('Accompagner une démarche en ligne');
    });

    it('When an address is typed without https://, then it is understood', async () => {
      const res = await submitPage(t.app, {
        way: 'url',
        url: `${foreignServer.hostPort}/assertions/karim`,
      });
      // Taken as https://…, which this plain-http test server does not speak: a plain "could
      // not reach" result, not a form error.
      expect(res.status).toBe(200);
      expect(pageText(res.text)).toContain("Nous n'avons pas pu joindre le site à cette adresse.");
    });
  });

  it('When an email is checked through the page and the API, then it appears in no log line', async () => {
    const email = 'Mme.Lefebvre-Secret@Example.fr';
    const before = t.logs.lines.length;
    await submitPage(t.app, { way: 'url', url: `${foreign.origin}/assertions/karim` }, email);
    await submitPage(
      t.app,
      { way: 'url', url: `${foreign.origin}/assertions/karim` },
      'pas-une-adresse@',
    );
    await request(t.app)
      .get('/api/v1/verify')
      .query({ url: `${publicUrl}/assertions/karim`, email });
    await request(t.app)
      .post('/api/v1/verify')
      .send({ input: `${publicUrl}/assertions/karim`, email });
    await request(t.app)
      .post('/api/v1/verify')
      .field('email', email)
      .attach(
        'file',
        Buffer.from(own.png('openbadges', JSON.stringify(own.hosted('log')))),
        'b.png',
      );
    const logged = t.logs.lines.slice(before).join('\n').toLowerCase();
    expect(t.logs.lines.length).toBeGreaterThan(before);
    expect(logged).toContain('badge verified');
    for (const needle of [email.toLowerCase(), 'lefebvre', 'pas-une-adresse', RECIPIENT]) {
      expect(logged).not.toContain(needle);
    }
  });
});
