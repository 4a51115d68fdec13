/**
 * Badge requests end to end over HTTP: a mediator asks with evidence, the coordinator returns
 * it "à compléter", the mediator completes it, the coordinator approves (the badge is issued
 * with the evidence) or rejects with a reason; both sides get emails; the queue filters.
 */
import type request from 'supertest';
import { awardModel } from '../../../../src/components/awards/award.model.js';
import { badgeRequestModel } from '../../../../src/components/requests/request.model.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { TINY_PDF } from '../../../helpers/review.js';
import { startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('badge requests', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;
  let karim: Person;
  let sami: Person;
  let nadiaAgent: request.Agent;
  let karimAgent: request.Agent;
  let badgeId: string;

  const csrf = async (agent: request.Agent, path: string) => csrfFrom((await agent.get(path)).text);
  const requestIdOf = (location: string) => /^\/demandes\/([A-Za-z0-9_-]+)$/.exec(location)![1]!;

  /** Karim asks for the badge through the multipart form. */
  async function ask(fields: Record<string, string | string[]>, file?: Buffer) {
    const token = await csrf(karimAgent, '/demandes/nouvelle');
    const req = karimAgent.post('/demandes').field('_csrf', token);
    for (const [k, v] of Object.entries(fields)) {
      for (const one of Array.isArray(v) ? v : [v]) req.field(k, one);
    }
    if (file) req.attach('fichier', file, 'attestation CAF.pdf');
    return req;
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    const badge = await issuerWithBadge(t.app, 'roubaix', { evidenceRequired: 'oui' });
    badgeId = badge._id;
    nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia Coordinatrice' },
      { roubaix: 'coordinator' },
    );
    karim = await createPerson(
      t.app,
      { email: 'karim@example.org', name: 'Karim Médiateur' },
      { roubaix: 'member' },
    );
    sami = await createPerson(
      t.app,
      { email: 'sami@example.org', name: 'Sami Pair' },
      { roubaix: 'member' },
    );
    nadiaAgent = await signIn(t.app, nadia);
    karimAgent = await signIn(t.app, karim);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When a link is not a web address, then nothing is sent and the page says which one', async () => {
    const res = await ask({
      badgeClassId: badgeId,
      links: ['https://exemple.org/a', 'pas un lien'],
    });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain(
      '<a href="#link-2">Ce lien n\'est pas une adresse web (https://…) : pas un lien</a>',
    );
    expect(await badgeRequestModel(t.db).countDocuments()).toBe(0);
  });

  it('When a file is not a PDF or an image, then it is refused in plain words', async () => {
    const res = await ask(
      { badgeClassId: badgeId, text: 'Bonjour' },
      Buffer.from('<script>alert(1)</script>'),
    );
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Le fichier doit être un PDF, une image PNG ou JPEG.');
  });

  let requestId: string;

  it('When Karim asks with two links and a file, then the coordinators get an email and the queue shows it', async () => {
    const res = await ask(
      {
        badgeClassId: badgeId,
        links: ['https://exemple.org/atelier-caf', 'https://exemple.org/ameli'],
        text: 'J’ai accompagné trois personnes jusqu’au bout de leur démarche.',
      },
      TINY_PDF,
    );
    expect(res.status).toBe(303);
    requestId = requestIdOf(res.headers.location!);
    const mail = await smtp.waitFor((m) => m.to === nadia.email);
    expect(mail.subject).toBe(
      'Demande de badge : Karim Médiateur — Accompagner une démarche en ligne',
    );
    expect(mail.text).toContain(`/demandes/${requestId}`);

    const queue = await nadiaAgent.get('/structures/roubaix/demandes');
    expect(queue.status).toBe(200);
    expect(decoded(queue.text)).toContain('Karim Médiateur');
    const filtered = await nadiaAgent.get('/structures/roubaix/demandes?statut=rejected');
    expect(decoded(filtered.text)).not.toContain('Karim Médiateur');
    const byPerson = await nadiaAgent.get('/structures/roubaix/demandes?personne=karim');
    expect(decoded(byPerson.text)).toContain('Karim Médiateur');
    const nobody = await nadiaAgent.get('/structures/roubaix/demandes?personne=zoe');
    expect(decoded(nobody.text)).toContain('Aucune demande ne correspond.');
  });

  it('When the file is asked for, then the requester and the coordinator download it; a peer does not', async () => {
    for (const agent of [karimAgent, nadiaAgent]) {
      const res = await agent.get(`/demandes/${requestId}/fichier`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="attestation CAF.pdf"/,
      );
      expect(Buffer.from(res.body as Buffer).equals(TINY_PDF)).toBe(true);
    }
    const samiAgent = await signIn(t.app, sami);
    expect((await samiAgent.get(`/demandes/${requestId}/fichier`)).status).toBe(404);
    // A peer of the structure is told why the request stays closed to them (no peer needed).
    expect((await samiAgent.get(`/demandes/${requestId}`)).status).toBe(403);
  });

  it('When Nadia returns it without a comment, then it stays waiting; with one, Karim is told what to complete', async () => {
    const page = `/demandes/${requestId}`;
    const action = `/structures/roubaix/demandes/${requestId}/a-completer`;
    const empty = await nadiaAgent
      .post(action)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), returnComment: ' ', revision: '1' });
    expect(empty.status).toBe(422);
    expect(decoded(empty.text)).toContain(
      '<a href="#returnComment">Écrivez ce qu\'il faut compléter.</a>',
    );

    const res = await nadiaAgent
      .post(action)
      .type('form')
      .send({
        _csrf: await csrf(nadiaAgent, page),
        returnComment: 'Ajoutez le nom de la structure qui vous a accueilli.',
        revision: '1',
      });
    expect(res.status).toBe(303);
    const mail = await smtp.waitFor((m) => m.to === karim.email);
    expect(mail.subject).toBe('Votre demande de badge est à compléter');
    expect(mail.text).toContain('Ajoutez le nom de la structure qui vous a accueilli.');

    const mine = decoded((await karimAgent.get('/mes-badges')).text);
    expect(mine).toContain('À compléter');
    expect(mine).toContain(`href="/demandes/${requestId}/modifier"`);
    // A second decision on the same revision changes nothing.
    const again = await nadiaAgent
      .post(`/structures/roubaix/demandes/${requestId}/approuver`)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), revision: '1' });
    expect(again.status).toBe(303);
    expect(await awardModel(t.db).countDocuments()).toBe(0);
  });

  it('When Karim completes and sends it again, then it is a new revision and the coordinators are told', async () => {
    const edit = await karimAgent.get(`/demandes/${requestId}/modifier`);
    expect(edit.status).toBe(200);
    expect(decoded(edit.text)).toContain('Ajoutez le nom de la structure qui vous a accueilli.');
    const before = smtp.messages.length;
    const res = await karimAgent
      .post(`/demandes/${requestId}/modifier`)
      .field('_csrf', csrfFrom(edit.text))
      .field('links', 'https://exemple.org/atelier-caf')
      .field('links', 'https://exemple.org/ameli')
      .field('text', 'Au centre social Boilly : trois personnes accompagnées.');
    expect(res.status).toBe(303);
    const doc = await badgeRequestModel(t.db).findById(requestId).lean();
    expect(doc).toMatchObject({ status: 'submitted', revision: 2 });
    expect(doc!.file?.name).toBe('attestation CAF.pdf');
    const mail = await smtp.waitFor(
      (m, i = smtp.messages.indexOf(m)) => i >= before && m.to === nadia.email,
    );
    expect(mail.text).toContain('a complété sa demande');
  });

  it('When Nadia approves, then the badge is issued once to Karim with the evidence', async () => {
    const page = `/demandes/${requestId}`;
    const action = `/structures/roubaix/demandes/${requestId}/approuver`;
    // The page she saw was of revision 1: refused, the request changed meanwhile.
    const stale = await nadiaAgent
      .post(action)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), revision: '1' });
    expect(stale.status).toBe(303);
    expect(await awardModel(t.db).countDocuments()).toBe(0);

    const res = await nadiaAgent
      .post(action)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), revision: '2' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/assertions\/[A-Za-z0-9_-]{16}$/);
    const landed = await nadiaAgent.get(res.headers.location!).set('Accept', 'text/html');
    expect(decoded(landed.text)).toContain(
      'Demande acceptée : le badge est délivré à karim@example.org.',
    );
    const twice = await nadiaAgent
      .post(action)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), revision: '2' });
    expect(twice.status).toBe(303);
    const awards = await awardModel(t.db).find().lean();
    expect(awards).toHaveLength(1);
    expect(awards[0]!.recipient.email).toBe(karim.email);
    expect(awards[0]!.evidence.map((e) => e.url)).toEqual([
      'https://exemple.org/atelier-caf',
      'https://exemple.org/ameli',
    ]);
    await smtp.waitFor((m) => m.to === karim.email && m.subject.startsWith('Vous avez reçu'));
    const shown = decoded((await karimAgent.get(page)).text);
    expect(shown).toContain('Acceptée');
    expect(shown).toContain(`href="/assertions/${awards[0]!._id}"`);
    const mine = decoded((await karimAgent.get('/mes-badges')).text);
    expect(mine).toContain(`href="/assertions/${awards[0]!._id}"`);
  });

  it('When Karim asks again for the badge he now holds, then it is refused in plain words', async () => {
    const res = await ask({
      badgeClassId: badgeId,
      links: 'https://exemple.org/atelier-caf',
      text: 'Une deuxième demande.',
    });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Vous avez déjà le badge');
  });

  it('When Nadia rejects a request, then a reason is required and Karim receives it', async () => {
    const other = await issuerWithBadge(t.app, 'roubaix', { name: 'Animer un atelier numérique' });
    const res = await ask({ badgeClassId: other._id, text: 'Une deuxième demande.' });
    const id = requestIdOf(res.headers.location!);
    const page = `/demandes/${id}`;
    const action = `/structures/roubaix/demandes/${id}/refuser`;
    const empty = await nadiaAgent
      .post(action)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), reason: '' });
    expect(empty.status).toBe(422);
    expect(decoded(empty.text)).toContain('<a href="#reason">Écrivez le motif du refus.</a>');
    const ok = await nadiaAgent
      .post(action)
      .type('form')
      .send({ _csrf: await csrf(nadiaAgent, page), reason: 'Un seul atelier, il en faut trois.' });
    expect(ok.status).toBe(303);
    const mail = await smtp.waitFor(
      (m) => m.to === karim.email && m.subject === 'Votre demande de badge est refusée',
    );
    expect(mail.text).toContain('Motif : Un seul atelier, il en faut trois.');
    expect(decoded((await karimAgent.get(page)).text)).toContain('Refusée');
    // A rejected request cannot be edited.
    expect((await karimAgent.get(`${page}/modifier`)).status).toBe(303);
    const audit = await t.app.services.audit.page({ issuerIds: ['roubaix'] }, 50);
    expect(audit.events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'request.submitted',
        'request.returned',
        'request.resubmitted',
        'request.approved',
        'request.rejected',
      ]),
    );
  });
});
