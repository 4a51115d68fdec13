/**
 * Importing badges from other platforms: a foreign issuer on loopback (HTTPS, 127.0.0.2) awards
 * badges to Karim; he imports them by address, baked PNG or pasted text. Our verifier decides:
 * tampered, forged or someone else's badges are refused with the reason and nothing is stored;
 * the same badge twice is refused; imported badges are listed apart from the cooperative's and
 * verified again on display, so a revocation made after the import shows.
 */
import request, { type Agent } from 'supertest';
import { importedBadgeModel } from '../../../../src/components/imports/imported-badge.model.js';
import {
  DAY,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import {
  selfSignedCert,
  serveSite,
  trustCertificateFor,
  type Site,
} from '../../../helpers/adversarial-world.js';
import { RECIPIENT, createIssuerWorld, type IssuerWorld } from '../../../helpers/badge-world.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';
import { pageText } from '../../../helpers/verification.js';

describe('importing badges from other platforms', () => {
  let t: TestApp;
  let site: Site;
  let foreign: IssuerWorld;
  let restoreTls: () => void;
  let karim: Person;
  let karimAgent: Agent;
  const clock = testClock(new Date('2026-03-01T12:00:00Z'));

  /** Submits the import form (one of its three ways), as a browser would. */
  async function importBadge(
    input: { url: string } | { text: string } | { png: Uint8Array },
    agent: Agent = karimAgent,
  ) {
    const token = csrfFrom((await agent.get('/mes-badges/importer')).text);
    const req = agent.post('/mes-badges/importer').field('_csrf', token);
    if ('url' in input) return req.field('way', 'url').field('url', input.url);
    if ('text' in input) return req.field('way', 'text').field('text', input.text);
    return req.field('way', 'file').attach('fichier', Buffer.from(input.png), 'badge.png');
  }

  const stored = () => importedBadgeModel(t.db).countDocuments({ userId: karim.id });
  const errorSummary = (html: string) =>
    pageText(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');

  beforeAll(async () => {
    const tls = selfSignedCert();
    site = await serveSite({ ip: '127.0.0.2', tls });
    restoreTls = trustCertificateFor([site.hostPort], tls.cert);
    foreign = await createIssuerWorld({
      table: site.table,
      origin: site.origin,
      slug: 'obf',
      name: 'Open Badge Factory — Association Ailleurs',
    });
    t = await createTestApp({
      clock: clock.now,
      env: {
        ...relaxedLimits,
        VERIFY_ALLOW_HOSTS: site.hostPort,
        VERIFY_CACHE_SECONDS: '300',
      },
    });
    karim = await createPerson(t.app, { email: RECIPIENT, name: 'Karim Benali' });
    karimAgent = await signIn(t.app, karim);
  });

  afterAll(async () => {
    await t?.close();
    await site?.close();
    restoreTls?.();
  });

  it('When Karim imports a hosted badge by its address, then it is stored with its verdict and listed apart', async () => {
    const assertion = foreign.hosted('par-lien');
    const res = await importBadge({ url: assertion.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/mes-badges\/importes\/[A-Za-z0-9_-]+$/);

    const record = await importedBadgeModel(t.db).findOne({ badgeId: assertion.id }).lean();
    expect(record).toMatchObject({
      userId: karim.id,
      way: 'url',
      sourceUrl: assertion.id,
      name: 'Accompagner une démarche en ligne',
      issuerName: 'Open Badge Factory — Association Ailleurs',
      recipientEmail: RECIPIENT,
      visibleOnProfile: false,
    });
    // Valid signature, but an issuer this platform does not know: "Attention", importable.
    expect(record!.verdict).toBe('warning');
    // The badge image was copied and is served from our own origin (CSP img-src 'self').
    expect(record!.image?.contentType).toBe('image/png');

    const list = await karimAgent.get('/mes-badges/importes');
    expect(list.status).toBe(200);
    const text = pageText(list.text);
    expect(text).toContain("Badges importés d'autres plateformes");
    expect(text).toContain('Accompagner une démarche en ligne');
    expect(text).toContain('Open Badge Factory — Association Ailleurs');
    expect(list.text).toContain(`src="/badges-importes/${record!._id}/image"`);
    // Apart from the cooperative's own badges: "Mes badges" only links to them.
    const mine = await karimAgent.get('/mes-badges');
    expect(pageText(mine.text)).toContain("Vous n'avez pas encore reçu de badge.");
    expect(mine.text).toContain('href="/mes-badges/importes"');

    const image = await karimAgent.get(`/badges-importes/${record!._id}/image`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-security-policy']).toContain('sandbox');
  });

  it('When Karim uploads a baked PNG of a signed badge, then it is imported from the file', async () => {
    const jws = await foreign.signed('par-image');
    const res = await importBadge({ png: foreign.png('openbadges', jws) });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split('/').pop()!;
    const record = await importedBadgeModel(t.db).findById(id).lean();
    expect(record).toMatchObject({
      way: 'file',
      badgeId: `${foreign.origin}/assertions/par-image`,
    });
    expect(['verified', 'warning']).toContain(record!.verdict);
    // The original bytes are kept: the badge is verified again from them.
    expect(Buffer.from(record!.original!.buffer).subarray(1, 4).toString()).toBe('PNG');

    const page = await karimAgent.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain('Accompagner une démarche en ligne');
    expect(page.text).toMatch(/class="verdict verdict--(ok|warn)"/);
  });

  it('When one byte of a signed badge was changed, then it is refused with the reason and nothing is stored', async () => {
    const jws = await foreign.signed('falsifie');
    const [header, payload, signature] = jws.split('.');
    const json = Buffer.from(payload!, 'base64url').toString().replace('2025-03-03', '2024-03-03');
    const tampered = [header, Buffer.from(json).toString('base64url'), signature].join('.');
    const before = await stored();

    const res = await importBadge({ png: foreign.png('openbadges', tampered) });
    expect(res.status).toBe(422);
    const summary = errorSummary(res.text);
    expect(summary).toContain(
      "Ce badge ne peut pas être importé : il n'a pas passé la vérification.",
    );
    // The verifier's own sentence says what is wrong.
    expect(summary).toMatch(/signature/i);
    expect(res.text).toContain('<a href="#fichier">');
    expect(await stored()).toBe(before);

    // The same tampering in pasted text: refused too.
    const pasted = await importBadge({ text: tampered });
    expect(pasted.status).toBe(422);
    expect(errorSummary(pasted.text)).toContain("il n'a pas passé la vérification");
    expect(await stored()).toBe(before);
  });

  it('When the badge was awarded to someone else, then it is refused and nothing is stored', async () => {
    const other = foreign.hosted('pour-sami', {
      recipient: { email: 'sami@example.org', salt: 's' },
    });
    const before = await stored();
    const res = await importBadge({ url: other.id });
    expect(res.status).toBe(422);
    expect(errorSummary(res.text)).toContain(
      'Ce badge ne peut pas être importé : il a été délivré à une autre adresse e-mail que la vôtre.',
    );
    expect(await stored()).toBe(before);
  });

  it('When the same badge is imported twice (by address, then as a file), then it says it is already imported', async () => {
    const assertion = foreign.hosted('deux-fois');
    expect((await importBadge({ url: assertion.id })).status).toBe(303);
    const before = await stored();

    const again = await importBadge({ url: assertion.id });
    expect(again.status).toBe(409);
    expect(errorSummary(again.text)).toContain('Ce badge est déjà importé.');
    expect(again.text).toMatch(/href="\/mes-badges\/importes\/[A-Za-z0-9_-]+"/);

    // The baked image of the same assertion is the same badge.
    const baked = await importBadge({
      png: foreign.png('openbadges', JSON.stringify(assertion)),
    });
    expect(baked.status).toBe(409);
    expect(await stored()).toBe(before);
  });

  it('When the issuer revokes a badge after its import, then the list shows it revoked (verified again)', async () => {
    const assertion = foreign.hosted('revoque-apres');
    const res = await importBadge({ url: assertion.id });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split('/').pop()!;
    const before = pageText((await karimAgent.get('/mes-badges/importes')).text);
    expect(before).not.toContain('révoqué');

    foreign.revokeOb2(assertion.id, 'Délivré par erreur');
    // Other platforms' results are reused for VERIFY_CACHE_SECONDS (300 s): past that, live.
    clock.advance(301_000);

    const list = await karimAgent.get('/mes-badges/importes');
    const item = pageText(
      new RegExp(
        `<li class="card imported-badge[^"]*">(?:(?!</li>\\s*</ul>\\s*</li>)[\\s\\S])*?href="/mes-badges/importes/${id}"[\\s\\S]*?</ul>`,
      ).exec(list.text)?.[0] ?? '',
    );
    expect(item).toContain('Non vérifié');
    expect(item).toContain('Délivré par erreur');
    // The latest verdict is stored too.
    expect((await importedBadgeModel(t.db).findById(id).lean())!.verdict).toBe('not_verified');

    const page = await karimAgent.get(`/mes-badges/importes/${id}`);
    expect(page.text).toContain('class="verdict verdict--bad"');
    expect(pageText(page.text)).toContain('Délivré par erreur');
  });

  it('When Karim shows a badge on his profile, then the profile function returns it with a live verdict; others never see his imports', async () => {
    const assertion = foreign.hosted('profil');
    const res = await importBadge({ url: assertion.id });
    const id = res.headers.location!.split('/').pop()!;
    const anonymousImage = () => request(t.app).get(`/badges-importes/${id}/image`);
    expect((await anonymousImage()).status).toBe(404);
    expect(await t.app.services.imports.importedBadgesForProfile(karim.id)).toEqual([]);

    const page = await karimAgent.get(`/mes-badges/importes/${id}`);
    const shown = await karimAgent
      .post(`/mes-badges/importes/${id}/profil`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), visible: 'oui' });
    expect(shown.status).toBe(303);
    const profile = await t.app.services.imports.importedBadgesForProfile(karim.id);
    expect(profile).toEqual([
      expect.objectContaining({
        id,
        title: 'Accompagner une démarche en ligne',
        issuer: 'Open Badge Factory — Association Ailleurs',
        imageUrl: `/badges-importes/${id}/image`,
        verdict: 'warning',
        revoked: false,
      }),
    ]);
    expect((await anonymousImage()).status).toBe(200);

    // Another mediator: 404 on Karim's import, nothing in her list.
    const nadia = await createPerson(t.app, { email: 'nadia@example.org' });
    const nadiaAgent = await signIn(t.app, nadia);
    expect((await nadiaAgent.get(`/mes-badges/importes/${id}`)).status).toBe(404);
    const nadiaPage = await nadiaAgent.get('/mes-badges/importes');
    expect(pageText(nadiaPage.text)).toContain("Vous n'avez pas encore importé de badge.");
    const del = await nadiaAgent
      .post(`/mes-badges/importes/${id}/supprimer`)
      .type('form')
      .send({ _csrf: csrfFrom(nadiaPage.text) });
    expect(del.status).toBe(404);
    // Nor can she import Karim's badge: it was not awarded to her.
    expect((await importBadge({ url: assertion.id }, nadiaAgent)).status).toBe(422);
  });

  it('When Karim deletes an imported badge, then it is gone from the list and the database', async () => {
    const assertion = foreign.hosted('a-supprimer');
    const res = await importBadge({ url: assertion.id });
    const id = res.headers.location!.split('/').pop()!;
    const page = await karimAgent.get(`/mes-badges/importes/${id}`);
    const del = await karimAgent
      .post(`/mes-badges/importes/${id}/supprimer`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(del.status).toBe(303);
    expect(del.headers.location).toBe('/mes-badges/importes');
    expect(await importedBadgeModel(t.db).findById(id).lean()).toBeNull();
    expect((await karimAgent.get(`/mes-badges/importes/${id}`)).status).toBe(404);
    // …and it can be imported again.
    clock.advance(DAY);
    expect((await importBadge({ url: assertion.id })).status).toBe(303);
  });

  it('When the form is sent empty or with a file over the limit, then the form says what to fix', async () => {
    const token = csrfFrom((await karimAgent.get('/mes-badges/importer')).text);
    const empty = await karimAgent
      .post('/mes-badges/importer')
      .field('_csrf', token)
      .field('way', 'file');
    expect(empty.status).toBe(422);
    expect(errorSummary(empty.text)).toContain("Choisissez l'image du badge");
    const big = Buffer.alloc(5 * 1024 * 1024 + 10);
    const tooBig = await karimAgent
      .post('/mes-badges/importer')
      .field('_csrf', token)
      .field('way', 'file')
      .attach('fichier', big, 'grand.png');
    expect(tooBig.status).toBe(413);
    expect(errorSummary(tooBig.text)).toContain('Le fichier est trop volumineux : 5 Mo au plus');
  });
});
