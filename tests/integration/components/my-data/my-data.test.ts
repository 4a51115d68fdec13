/**
 * My data (GDPR): the export holds every record that mentions the person, and a deleted
 * account leaves neither its name nor its address anywhere in the database. Both checks scan
 * every collection the database has (listed by the connection), so a new collection that
 * stores a person's id or address without being covered by my-data makes them fail.
 */
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import { sessionRef } from '../../../../src/components/my-data/personal-data.repository.js';
import { pseudonymOf } from '../../../../src/components/my-data/my-data.use-case.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import {
  createPerson,
  csrfFrom,
  postForm,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { didKeyBadge } from '../../../helpers/imports.js';
import { TINY_PDF } from '../../../helpers/review.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const KARIM = { email: 'karim.zebulon@example.org', name: 'Karimovitch Zébulon' };
const LINA = { email: 'lina.mediatrice@example.org', name: 'Lina Mediatrice' };

/** Every document of every collection, as JSON text (binary data as base64). */
async function everyDocument(t: TestApp) {
  const names = (await t.db.db!.listCollections().toArray()).map((c) => c.name);
  const docs: { collection: string; id: string; text: string }[] = [];
  for (const collection of names) {
    for (const doc of await t.db.db!.collection(collection).find({}).toArray()) {
      docs.push({ collection, id: String(doc._id), text: JSON.stringify(doc) });
    }
  }
  return { names, docs };
}

function pathOf(url: string): string {
  return new URL(url).pathname;
}

describe('my data', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  const clock = testClock();
  let nadia: Person;
  let karim: Person;
  let lina: Person;
  const karimAwards: AwardDoc[] = [];
  let linaAward: AwardDoc;
  let badge: Awaited<ReturnType<typeof issuerWithBadge>>;
  let otherBadge: Awaited<ReturnType<typeof issuerWithBadge>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url }, clock: clock.now });
    badge = await issuerWithBadge(t.app, 'roubaix');
    nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia' },
      { roubaix: 'owner' },
    );
    karim = await createPerson(t.app, KARIM, { roubaix: 'member' });
    lina = await createPerson(t.app, LINA, { roubaix: 'member' });
    karimAwards.push(await issueTo(t.app, badge, { recipientEmail: KARIM.email }));
    karimAwards.push(
      await issueTo(t.app, badge, {
        recipientEmail: KARIM.email,
        narrative: 'Atelier CAF, deuxième session.',
      }),
    );
    linaAward = await issueTo(t.app, badge, { recipientEmail: LINA.email });
    const karimActor = {
      id: karim.id,
      email: karim.email,
      name: karim.name,
      isAdmin: false,
      roles: { roubaix: 'member' as const },
    };
    // A request for another badge of the catalogue (he already holds the first one).
    otherBadge = await issuerWithBadge(t.app, 'roubaix');
    await t.app.services.requests.submit({
      actor: karimActor,
      ip: '127.0.0.1',
      badgeClassId: otherBadge._id,
      links: ['https://exemple.org/atelier'],
      text: 'J’ai accompagné trois personnes.',
      file: { originalname: 'attestation.pdf', buffer: TINY_PDF, size: TINY_PDF.length },
    });
    await t.app.services.endorsements.endorseAward({
      actor: karimActor,
      ip: '127.0.0.1',
      awardId: linaAward._id,
      comment: 'Lina anime très bien les ateliers.',
    });
    // A wrong password (sign-in failure record) and an address change asked, not confirmed.
    const anonymous = request.agent(t.app);
    const page = await anonymous.get('/connexion');
    await anonymous
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: KARIM.email, password: 'pas le bon' });
    const agent = await signIn(t.app, karim);
    await postForm(agent, '/compte', '/compte/adresse', {
      newEmail: 'karim.nouvelle@example.org',
      emailPassword: karim.password,
    });
    // Mediator space: his full name on one badge, a public profile, a badge from elsewhere.
    await t.app.services.backpack.accept(karimActor, karimAwards[0]!._id, 'full');
    await t.app.services.backpack.saveProfile(karimActor, {
      enabled: 'oui',
      slug: 'karim-z',
      bio: `Bonjour, je suis ${KARIM.name}.`,
      awardIds: [karimAwards[0]!._id],
    });
    const elsewhere = await didKeyBadge(KARIM.email, 'mydata');
    const imported = await t.app.services.imports.importBadge(
      karim.id,
      { way: 'text', text: elsewhere.json },
      'text',
    );
    await t.app.services.imports.setVisibleOnProfile(karim.id, imported.id, true);
    expect(adminActor.id).toBeTruthy();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When Karim downloads his data, then the zip holds every record that mentions him, his evidence and his baked badges', async () => {
    const agent = await signIn(t.app, karim);
    const account = await agent.get('/compte');
    expect(account.text).toContain('href="/compte/mes-donnees.zip"');
    expect(account.text).toContain('Télécharger mes données');

    const res = await agent
      .get('/compte/mes-donnees.zip')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="mes-donnees-/);
    const files = unzipSync(new Uint8Array(res.body as Buffer));
    const json = strFromU8(files['donnees.json']!);
    const data = JSON.parse(json) as { records: Record<string, { _id: string }[]> };

    // No secret leaves: no password hash, no session id.
    expect(json).not.toMatch(/argon2|passwordHash/);

    // Every document of the database that mentions his id or address is in the export.
    const { docs } = await everyDocument(t);
    const needles = [karim.id, KARIM.email];
    const hits = docs.filter((d) => needles.some((n) => d.text.includes(n)));
    expect(hits.length).toBeGreaterThan(10);
    const missing = hits.filter((hit) => {
      const exported = data.records[hit.collection] ?? [];
      const ref = hit.collection === 'sessions' ? sessionRef(hit.id) : hit.id;
      return !exported.some((e) => String(e._id) === ref);
    });
    expect(missing.map((m) => `${m.collection}/${m.id}`)).toEqual([]);
    for (const c of [
      'users',
      'memberships',
      'assertions',
      'badge_requests',
      'endorsements',
      'auditEvents',
      'sessions',
      'signInFailures',
      'oneTimeTokens',
      'public_profiles',
      'profile_slugs',
      'imported_badges',
    ]) {
      expect([c, data.records[c]?.length ?? 0]).not.toEqual([c, 0]);
    }
    // Lina's data is not in Karim's export.
    expect(json).not.toContain(LINA.email);

    // The evidence file, byte for byte, and every baked form of both badges.
    const evidence = Object.keys(files).filter((f) => f.startsWith('preuves/'));
    expect(evidence).toHaveLength(1);
    expect(Buffer.from(files[evidence[0]!]!).equals(TINY_PDF)).toBe(true);
    for (const award of karimAwards) {
      const png = files[`badges/${award._id}/badge-signe.png`];
      expect(png && Buffer.from(png).subarray(1, 4).toString()).toBe('PNG');
      expect(strFromU8(files[`badges/${award._id}/credential.svg`]!)).toContain('openbadges:');
    }
    expect(Object.keys(files).some((f) => f.includes(linaAward._id))).toBe(false);
  });

  it('When anonymous, then the download asks to sign in', async () => {
    const res = await request(t.app).get('/compte/mes-donnees.zip');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/connexion/);
  });

  it('When the last owner of a structure asks to delete their account, then it is refused with a clear message', async () => {
    const agent = await signIn(t.app, nadia);
    const page = await agent.get('/compte/suppression');
    expect(page.status).toBe(200);
    expect(page.text).toContain('dernière personne responsable de cette structure');
    expect(page.text).not.toContain('Recevoir le lien de suppression');
    const res = await agent
      .post('/compte/suppression')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Ville de Roubaix');
    expect(smtp.messages.some((m) => m.to === nadia.email && /suppression/.test(m.subject))).toBe(
      false,
    );
  });

  it('When the deletion form is sent without its CSRF token, then nothing is sent', async () => {
    const agent = await signIn(t.app, karim);
    const res = await agent.post('/compte/suppression').type('form').send({});
    expect(res.status).toBe(403);
    expect(smtp.messages.some((m) => m.subject.includes('suppression'))).toBe(false);
  });

  it('When the deletion link has expired, then it deletes nothing', async () => {
    const agent = await signIn(t.app, karim);
    const sent = await postForm(agent, '/compte/suppression', '/compte/suppression', {});
    expect(sent.status).toBe(200);
    expect(sent.text).toContain(KARIM.email);
    const mail = await smtp.waitFor((m) => m.to === KARIM.email && /suppression/.test(m.subject));
    const link = pathOf(linkIn(mail, '/compte/suppression/confirmer/'));
    clock.advance((t.config.ACCOUNT_DELETION_HOURS + 1) * 3600_000);
    const page = await request(t.app).get(link);
    expect(page.status).toBe(410);
    expect(await t.app.services.users.findById(karim.id)).not.toBeNull();
  });

  it('When Karim confirms the deletion, then his name and address are nowhere, his badges answer "revoked: compte supprimé", others are intact, and the link works once', async () => {
    // Verified just before: what the verifier keeps of our badges must not outlive the deletion.
    for (const award of karimAwards) {
      const before = await t.app.verification.verify({
        way: 'url',
        url: `${t.config.PUBLIC_URL}/assertions/${award._id}`,
      });
      expect(before.report.badge?.revoked).toBeFalsy();
    }
    const agent = await signIn(t.app, karim);
    smtp.messages.length = 0;
    await postForm(agent, '/compte/suppression', '/compte/suppression', {});
    const mail = await smtp.waitFor((m) => m.to === KARIM.email && /suppression/.test(m.subject));
    const link = pathOf(linkIn(mail, '/compte/suppression/confirmer/'));

    const page = await agent.get(link);
    expect(page.status).toBe(200);
    expect(page.text).toContain(KARIM.email);
    // A POST without the token of the page is refused.
    expect((await agent.post(link).type('form').send({})).status).toBe(403);
    const done = await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Votre compte est supprimé');

    // Single use.
    const again = await request(t.app).get(link);
    expect(again.status).toBe(410);
    // Signed out everywhere.
    expect((await agent.get('/compte')).status).toBe(302);

    // Neither the address nor the name anywhere, in any collection.
    const { names, docs } = await everyDocument(t);
    expect(names).toEqual(expect.arrayContaining(['users', 'assertions', 'auditEvents']));
    const lower = (s: string) => s.toLowerCase();
    const leaks = docs.filter(
      (d) =>
        lower(d.text).includes(lower(KARIM.email)) ||
        lower(d.text).includes(lower(KARIM.name)) ||
        lower(d.text).includes('karim.nouvelle@example.org'),
    );
    expect(leaks.map((l) => `${l.collection}/${l.id}: ${l.text.slice(0, 600)}`)).toEqual([]);

    // Lina keeps her account, her badge and Karim's recommendation (under a pseudonym).
    expect(await t.app.services.users.findByEmail(LINA.email)).not.toBeNull();
    const linaResult = await t.app.verification.verify({
      way: 'url',
      url: `${t.config.PUBLIC_URL}/assertions/${linaAward._id}`,
    });
    // Still verified: Karim's recommendation counts, signed again under his pseudonym.
    expect(linaResult.report.verdict).toBe('verified');
    expect(linaResult.report.badge?.revoked).toBeFalsy();
    const endorsement = await t.db
      .collection('endorsements')
      .findOne({ endorserUserId: karim.id } as never);
    expect(endorsement?.endorserName).toBe(pseudonymOf(karim.id));
    const recommendation = await request(t.app).get(
      `/recommandations/${String(endorsement?._id)}/credential`,
    );
    const byPseudonym = await t.app.verification.verify({ way: 'text', text: recommendation.text });
    expect(byPseudonym.report.verdict).not.toBe('not_verified');

    // His badges: revoked, with the reason, for any verifier.
    for (const award of karimAwards) {
      const result = await t.app.verification.verify({
        way: 'url',
        url: `${t.config.PUBLIC_URL}/assertions/${award._id}`,
      });
      expect(result.report.verdict).toBe('not_verified');
      expect(result.report.badge?.revocationReason).toBe('compte supprimé');
      const hosted = await request(t.app)
        .get(`/assertions/${award._id}`)
        .set('Accept', 'application/ld+json');
      expect(hosted.status).toBe(410);
      const revocation = await t.db.collection('revocations').findOne({ _id: award._id } as never);
      expect(revocation?.reason).toBe('compte supprimé');
    }

    // The audit log keeps the acts, under the pseudonym.
    const revoked = await t.app.services.audit.page({ action: 'award.revoked' }, 10);
    expect(revoked.events).toHaveLength(2);
    expect(revoked.events.every((e) => e.actorLabel === pseudonymOf(karim.id))).toBe(true);
    const issued = await t.app.services.audit.page({ action: 'award.issued' }, 10);
    expect(issued.events.filter((e) => e.details.email === pseudonymOf(karim.id))).toHaveLength(2);
    expect(issued.events.filter((e) => e.details.email === LINA.email)).toHaveLength(1);
  });

  it('When the retention period of a deleted account has passed, then the clean-up removes its audit entries', async () => {
    const before = await t.db.collection('auditEvents').countDocuments({ actorId: karim.id });
    expect(before).toBeGreaterThan(0);
    await t.app.housekeeping();
    expect(await t.db.collection('auditEvents').countDocuments({ actorId: karim.id })).toBe(before);
    clock.advance((t.config.RETENTION_DELETED_AUDIT_MONTHS * 31 + 1) * 24 * 3600_000);
    const removed = await t.app.housekeeping();
    expect(removed.deletedAccountAudit).toBeGreaterThan(0);
    expect(await t.db.collection('auditEvents').countDocuments({ actorId: karim.id })).toBe(0);
    expect(
      await t.db.collection('auditEvents').countDocuments({ targetId: karim.id } as never),
    ).toBe(0);
    // Lina's entries stay.
    expect(
      await t.db.collection('auditEvents').countDocuments({ targetId: lina.id } as never),
    ).toBeGreaterThan(0);
  });

  it('When a refused request is older than the retention period, then the clean-up erases its evidence file and keeps the request', async () => {
    const linaActor = {
      id: lina.id,
      email: lina.email,
      name: lina.name,
      isAdmin: false,
      roles: { roubaix: 'member' as const },
    };
    const { request: asked } = await t.app.services.requests.submit({
      actor: linaActor,
      ip: '127.0.0.1',
      badgeClassId: otherBadge._id,
      links: ['https://exemple.org/lina'],
      text: 'Mon attestation.',
      file: { originalname: 'attestation.pdf', buffer: TINY_PDF, size: TINY_PDF.length },
    });
    await t.app.services.requests.reject({
      actor: {
        id: nadia.id,
        email: nadia.email,
        name: nadia.name,
        isAdmin: false,
        roles: { roubaix: 'owner' },
      },
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      requestId: asked._id,
      revision: asked.revision,
      reason: 'Il manque la preuve de la deuxième session.',
    });
    const fileId = (await t.db.collection('badge_requests').findOne({ _id: asked._id } as never))
      ?.file?.id as string;
    expect(fileId).toBeTruthy();
    // Within the period: kept (the person may contest the decision with it).
    expect((await t.app.housekeeping()).refusedEvidence).toBe(0);
    clock.advance((t.config.RETENTION_REFUSED_EVIDENCE_DAYS + 1) * 24 * 3600_000);
    expect((await t.app.housekeeping()).refusedEvidence).toBe(1);
    const after = await t.db.collection('badge_requests').findOne({ _id: asked._id } as never);
    expect(after?.status).toBe('rejected');
    expect(after?.file).toBeUndefined();
    expect(
      await t.db.collection('badge_request_files').countDocuments({ _id: fileId } as never),
    ).toBe(0);
  });
});
