/**
 * The coordinators' overview (counts by badge and competency, pending requests, activity), the
 * mediator directory (search by name, badge, competency; paginated) and bulk revocation with
 * one required reason (a confirmation page; OB 2.0 and OB 3.0 status at once; audit; emails).
 */
import request from 'supertest';
import { bitAt, decodeBitstring } from '../../../../src/core/index.js';
import { revocationModel, type AwardDoc } from '../../../../src/components/awards/award.model.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded, visibleText } from '../../../helpers/html.js';
import { startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const BASE = 'http://127.0.0.1:3999';

describe('overview, directory and bulk revocation', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;
  let agent: request.Agent;
  let badgeId: string;
  let otherBadgeId: string;
  const awards: AwardDoc[] = [];

  const page = async (path: string) => {
    const res = await agent.get(path).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    return decoded(res.text);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    const badge = await issuerWithBadge(t.app, 'roubaix');
    const other = await issuerWithBadge(t.app, 'roubaix', {
      name: 'Animer un atelier',
      alignments: ['crcn:3.1'],
    });
    badgeId = badge._id;
    otherBadgeId = other._id;
    nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia Coordinatrice' },
      { roubaix: 'coordinator' },
    );
    // 24 mediators: more than one page of the directory.
    for (let i = 1; i <= 24; i++) {
      const n = String(i).padStart(2, '0');
      await t.app.services.users.insert({
        _id: `mediateur-${n}`,
        email: `mediateur-${n}@example.org`,
        name: `Médiateur ${n}`,
        language: 'fr',
        isAdmin: false,
        createdAt: new Date(),
      });
      await t.app.services.issuerRepo.addMembership({
        issuerId: 'roubaix',
        userId: `mediateur-${n}`,
        role: 'member',
        createdAt: new Date(),
      });
    }
    await createPerson(
      t.app,
      { email: 'karim@example.org', name: 'Karim Benali' },
      { roubaix: 'member' },
    );
    awards.push(await issueTo(t.app, badge, { recipientEmail: 'karim@example.org' }));
    awards.push(await issueTo(t.app, badge, { recipientEmail: 'mediateur-01@example.org' }));
    awards.push(await issueTo(t.app, badge, { recipientEmail: 'mediateur-02@example.org' }));
    awards.push(await issueTo(t.app, other, { recipientEmail: 'mediateur-03@example.org' }));
    agent = await signIn(t.app, nadia);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When Nadia opens the overview, then she sees counts by badge and by competency and the recent activity', async () => {
    // A file run recorded before the journal named badges: its badge is read by name anyway.
    await t.app.services.audit.record({
      action: 'bulkIssue.confirmed',
      actor: { id: 'someone', email: 'coordination@example.org' },
      target: { type: 'bulkRun', id: 'run-1749' },
      issuerId: 'roubaix',
      details: { file: 'promo.csv', rows: 3, badge: badgeId },
    });
    const text = await page('/structures/roubaix/tableau-de-bord');
    const shown = visibleText(text);
    expect(shown).toContain('Délivrance par fichier lancée · Accompagner une démarche en ligne');
    expect(shown).not.toContain(badgeId);
    // Cells carry their column name (data-label) for the phone layout: read past it.
    const compact = text.replace(/\s+/g, ' ').replace(/<td data-label="[^"]*">/g, '<td>');
    expect(compact).toMatch(/<strong>4<\/strong> badges en cours de validité/);
    expect(compact).toMatch(/<td>Accompagner une démarche en ligne<\/td> <td>3<\/td> <td>0<\/td>/);
    expect(compact).toMatch(/<td>Animer un atelier<\/td> <td>1<\/td> <td>0<\/td>/);
    // CRCN 2.1 is aligned by one badge held 3 times; 3.1 by the other.
    expect(compact).toMatch(/\(CRCN\) 2\.1 — [^<]+<\/a><\/td><td>1<\/td><td>3<\/td>/);
    expect(compact).toMatch(/\(CRCN\) 3\.1 — [^<]+<\/a><\/td><td>1<\/td><td>1<\/td>/);
    expect(compact).toContain('Badge délivré');
  });

  it('When Nadia searches the directory, then it filters by name, badge and competency, 20 a page', async () => {
    const all = await page('/structures/roubaix/mediateurs');
    expect(all).toContain('26 personnes');
    expect(all).toContain('Page 1 sur 2');
    expect(all).toContain('rel="next"');
    const second = await page('/structures/roubaix/mediateurs?page=2');
    expect(second).toContain('Page 2 sur 2');

    const byName = await page('/structures/roubaix/mediateurs?q=benali');
    expect(byName).toContain('1 personne');
    expect(byName).toContain('Karim Benali');

    const byBadge = await page(`/structures/roubaix/mediateurs?badge=${otherBadgeId}`);
    expect(byBadge).toContain('1 personne');
    expect(byBadge).toContain('Médiateur 03');

    const byCompetency = await page('/structures/roubaix/mediateurs?competence=crcn%3A2.1');
    expect(byCompetency).toContain('3 personnes');
    expect(byCompetency).toContain('Karim Benali');
    expect(byCompetency).not.toContain('Médiateur 03');
  });

  it('When Nadia revokes two badges at once, then a reason is required, she confirms, and both are revoked everywhere', async () => {
    const list = `/structures/roubaix/badges/${badgeId}/attributions`;
    const action = `/structures/roubaix/badges/${badgeId}/revoquer`;
    const [a, b] = [awards[1]!, awards[2]!];
    const url = `${BASE}/assertions/${a._id}`;
    expect((await t.app.verification.verify({ way: 'url', url })).report.verdict).toBe('verified');

    const listed = await agent.get(list).set('Accept', 'text/html');
    expect(decoded(listed.text)).toContain('mediateur-01@example.org');
    const noReason = await agent
      .post(action)
      .type('form')
      .send({ _csrf: csrfFrom(listed.text), awardIds: [a._id, b._id], reason: ' ' });
    expect(noReason.status).toBe(422);
    expect(decoded(noReason.text)).toContain('<a href="#reason">');
    // The ticked boxes stay ticked.
    expect(noReason.text).toContain(`value="${a._id}" checked`);

    const confirm = await agent
      .post(action)
      .type('form')
      .send({
        _csrf: csrfFrom(listed.text),
        awardIds: [a._id, b._id],
        reason: 'Session annulée',
      });
    expect(confirm.status).toBe(200);
    const confirmText = decoded(confirm.text);
    expect(confirmText).toContain('Révoquer 2 badges ?');
    expect(confirmText).toContain('Motif : Session annulée');
    expect(await revocationModel(t.db).countDocuments()).toBe(0);

    const done = await agent
      .post(action)
      .type('form')
      .send({
        _csrf: csrfFrom(confirm.text),
        awardIds: [a._id, b._id],
        reason: 'Session annulée',
        confirmer: 'oui',
      });
    expect(done.status).toBe(303);
    expect(await revocationModel(t.db).countDocuments()).toBe(2);

    // OB 2.0 list, OB 3.0 status bits, hosted assertion, verifier: all at once.
    const revocations = await request(t.app)
      .get('/emetteurs/roubaix/revocations')
      .set('Accept', 'application/ld+json');
    expect(
      (JSON.parse(revocations.text) as { revokedAssertions: { id: string }[] }).revokedAssertions
        .map((r) => r.id)
        .sort(),
    ).toEqual([`${BASE}/assertions/${a._id}`, `${BASE}/assertions/${b._id}`].sort());
    for (const x of [a, b]) {
      const list = await request(t.app)
        .get(`/emetteurs/roubaix/statuts/${x.ob3.statusListNo}`)
        .set('Accept', 'application/ld+json');
      const encoded = (JSON.parse(list.text) as { credentialSubject: { encodedList: string } })
        .credentialSubject.encodedList;
      expect(bitAt(decodeBitstring(encoded), x.ob3.statusListIndex)).toBe(true);
    }
    expect(
      (await request(t.app).get(`/assertions/${a._id}`).set('Accept', 'application/ld+json'))
        .status,
    ).toBe(410);
    const after = await t.app.verification.verify({ way: 'url', url });
    expect(after.report.verdict).toBe('not_verified');
    // The others are untouched.
    const kept = await t.app.verification.verify({
      way: 'url',
      url: `${BASE}/assertions/${awards[0]!._id}`,
    });
    expect(kept.report.verdict).toBe('verified');

    const audit = await t.app.services.audit.page({ action: 'award.revoked' }, 10);
    expect(audit.events.map((e) => e.details.reason)).toEqual([
      'Session annulée',
      'Session annulée',
    ]);
    for (const to of ['mediateur-01@example.org', 'mediateur-02@example.org']) {
      const mail = await smtp.waitFor((m) => m.to === to && m.subject.includes('révoqué'));
      expect(mail.text).toContain('Motif : Session annulée');
    }
    const revokedList = await page(`${list}?statut=revoques`);
    expect(revokedList).toContain('2 badges délivrés');
  });
});
