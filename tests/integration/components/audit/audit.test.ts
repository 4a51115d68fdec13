import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../../../src/libraries/paths.js';
import { decoded, visibleText } from '../../../helpers/html.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('the audit log', () => {
  let t: TestApp;
  let admin: Person;
  let ownerA: Person;
  let coordinatorA: Person;

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    await createIssuer(t.app, 'emetteur-a', 'Émetteur A');
    await createIssuer(t.app, 'emetteur-b', 'Émetteur B');
    admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    ownerA = await createPerson(t.app, { email: 'owner-a@example.org' }, { 'emetteur-a': 'owner' });
    coordinatorA = await createPerson(
      t.app,
      { email: 'coord-a@example.org' },
      { 'emetteur-a': 'coordinator' },
    );
    const audit = t.app.services.audit;
    for (let i = 0; i < 30; i++) {
      await audit.record({
        action: 'invitation.sent',
        actor: { id: coordinatorA.id, email: coordinatorA.email },
        target: { type: 'invitation', id: `inv-a-${i}` },
        issuerId: 'emetteur-a',
        ip: '192.0.2.1',
        details: { email: `personne-${i}@example.org` },
      });
    }
    await audit.record({
      action: 'award.revoked',
      actor: { id: 'someone', email: 'b@example.org' },
      target: { type: 'award', id: 'badge-b-1' },
      issuerId: 'emetteur-b',
      details: { reason: 'délivré par erreur' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When the owner of A reads the log, then she sees A only, 25 per page, newest first', async () => {
    const agent = await signIn(t.app, ownerA);
    const res = await agent.get('/audit');
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain('Journal des actions');
    expect(html).toContain('personne-29@example.org');
    expect(html).not.toContain('personne-4@example.org<');
    expect(html).not.toContain('badge-b-1');
    expect((html.match(/<li class="card">/g) ?? []).length).toBe(25);
    const next = /href="(\/audit\?[^"]*avant=[^"]+)"/.exec(html)![1]!;
    const second = decoded((await agent.get(next)).text);
    expect(second).toContain('personne-4@example.org<');
    expect(second).toContain('personne-0@example.org<');
    expect(second).not.toContain('personne-29@example.org');
    expect((await agent.get('/audit?structure=emetteur-b')).status).toBe(403);
  });

  it('When the admin reads the log, then every issuer and the sign-in failures are there', async () => {
    await request(t.app).post('/connexion').type('form').send({}); // refused by CSRF: not audited
    const stranger = request.agent(t.app);
    const page = await stranger.get('/connexion');
    await stranger
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'inconnu@example.org', password: 'une erreur' });
    const agent = await signIn(t.app, admin);
    const html = decoded((await agent.get('/audit?action=award.revoked')).text);
    expect(html).toContain('badge-b-1');
    expect(html).toContain('Émetteur B');
    expect(html).toContain('<dt>Motif</dt><dd>délivré par erreur</dd>');
    const failures = decoded((await agent.get('/audit?action=signIn.failure')).text);
    expect(failures).toContain('Échec de connexion');
    expect(failures).toContain('Personne non connectée');
    expect(failures).not.toContain('inconnu@example.org');
  });

  it('When filters are used, then only matching events are listed', async () => {
    const agent = await signIn(t.app, admin);
    const byActor = decoded(
      (await agent.get(`/audit?acteur=${encodeURIComponent('COORD-A@example.org')}`)).text,
    );
    expect(byActor).toContain('personne-29@example.org');
    expect(byActor).not.toContain('badge-b-1');
    const nobody = decoded((await agent.get('/audit?acteur=personne@example.org')).text);
    expect(nobody).toContain('Aucune action ne correspond à ces filtres.');
    const future = decoded((await agent.get('/audit?du=2999-01-01')).text);
    expect(future).toContain('Aucune action ne correspond à ces filtres.');
    const past = decoded((await agent.get('/audit?au=2000-01-01')).text);
    expect(past).toContain('Aucune action ne correspond à ces filtres.');
  });

  it('When events name requests, awards and recommendations, then the log says what they are, not their ids', async () => {
    const audit = t.app.services.audit;
    const actor = { id: coordinatorA.id, email: coordinatorA.email };
    // The shapes the use cases record (endorsements, requests, bulk issuing).
    await audit.record({
      action: 'endorsement.created',
      actor,
      target: { type: 'request', id: 'uuU_WqZ3kF8mN2pR7sT9vX1yA' },
      issuerId: 'emetteur-b',
      details: {
        badge: 'Accueillir et orienter les publics',
        role: 'peer',
        endorsement: 'rec-b-1',
      },
    });
    await audit.record({
      action: 'request.approved',
      actor,
      target: { type: 'request', id: 'uuU_WqZ3kF8mN2pR7sT9vX1yA' },
      issuerId: 'emetteur-b',
      details: { badge: 'Accueillir et orienter les publics', award: 'award-b-7', endorsements: 2 },
    });
    await audit.record({
      action: 'bulkIssue.confirmed',
      actor,
      target: { type: 'bulkRun', id: 'run-b-1' },
      issuerId: 'emetteur-b',
      details: { file: 'promo.csv', rows: 20, badge: 'Accueillir et orienter les publics' },
    });
    const res = await (await signIn(t.app, admin)).get('/audit?structure=emetteur-b');
    const html = decoded(res.text);
    const text = visibleText(res.text);
    expect(text).toContain('Demande de badge : Accueillir et orienter les publics');
    expect(text).toContain('Rôle pair (médiation numérique)');
    expect(text).toContain('Recommandation Voir la recommandation');
    expect(text).toContain('Badge délivré Voir le badge délivré');
    expect(text).toContain('Délivrance par fichier : Accueillir et orienter les publics');
    for (const raw of [
      'uuU_W',
      'request :',
      ' peer',
      'award ',
      'endorsement ',
      'run-b-1',
      'rec-b-1',
    ]) {
      expect(text).not.toContain(raw);
    }
    expect(html).toContain('href="/demandes/uuU_WqZ3kF8mN2pR7sT9vX1yA"');
    expect(html).toContain('href="/assertions/award-b-7"');
    expect(html).toContain('href="/recommandations/rec-b-1"');
    expect(html).toContain('href="/structures/emetteur-b/delivrer/fichier/run-b-1"');
  });

  it('When a coordinator or a mediator asks for the log, then it is refused', async () => {
    const agent = await signIn(t.app, coordinatorA);
    expect((await agent.get('/audit')).status).toBe(403);
  });

  it('When a caller passes secret-looking details, then they are not stored', async () => {
    await t.app.services.audit.record({
      action: 'password.changed',
      actor: { id: admin.id, email: admin.email },
      details: { password: 'ne-doit-pas-rester', resetToken: 'ni-celui-ci', count: 2 },
    });
    const { events } = await t.app.services.audit.page({ action: 'password.changed' }, 5);
    expect(events[0]!.details).toEqual({ count: 2 });
  });

  it('When the code is read, then the audit collection has no update or delete path', () => {
    const dir = path.join(projectRoot, 'src/components/audit');
    const code = fs
      .readdirSync(dir)
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    expect(code).not.toMatch(
      /\.(update\w*|delete\w*|findOneAnd\w+|replaceOne|bulkWrite|remove\w*)\(/,
    );
    // Appending one event or many (a CSV run's awards): both are inserts.
    expect(Object.keys(t.app.services.audit).sort()).toEqual(['page', 'record', 'recordMany']);
  });
});
