/**
 * The peer's path through a request whose badge needs peers' recommendations: the peers of the
 * structure are emailed with the link, "Mes badges" lists it, the peer recommends, the requester
 * is told that his request (not yet a badge) is recommended. Without peers required, a peer who
 * follows a link is told why the request stays closed to them.
 */
import type request from 'supertest';
import {
  createPerson,
  csrfFrom,
  postForm,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge } from '../../../helpers/awards.js';
import { decoded, visibleText } from '../../../helpers/html.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('peers and the requests that wait for their recommendation', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;
  let karim: Person;
  let sami: Person;
  let lea: Person;
  let agents: Record<'nadia' | 'karim' | 'sami' | 'lea', request.Agent>;
  let badgeId: string;

  async function ask(text: string): Promise<string> {
    const page = await agents.karim.get('/demandes/nouvelle');
    const res = await agents.karim
      .post('/demandes')
      .field('_csrf', csrfFrom(page.text))
      .field('badgeClassId', badgeId)
      .field('text', text);
    expect(res.status).toBe(303);
    return res.headers.location!.split('/').pop()!;
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    badgeId = (await issuerWithBadge(t.app, 'roubaix'))._id;
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
    lea = await createPerson(
      t.app,
      { email: 'lea@example.org', name: 'Léa Paire' },
      { roubaix: 'member' },
    );
    agents = {
      nadia: await signIn(t.app, nadia),
      karim: await signIn(t.app, karim),
      sami: await signIn(t.app, sami),
      lea: await signIn(t.app, lea),
    };
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When the badge needs no peer, then peers get no email and a peer opening the request is told why', async () => {
    const requestId = await ask('Trois ateliers au centre social.');
    await smtp.waitFor((m) => m.to === nadia.email);
    expect(smtp.messages.filter((m) => m.to === sami.email || m.to === lea.email)).toEqual([]);

    const res = await agents.sami.get(`/demandes/${requestId}`).set('Accept', 'text/html');
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain(
      'Ce badge ne demande pas de recommandation de pairs : seules la personne qui le demande et la coordination de la structure voient cette demande.',
    );
    expect(decoded((await agents.sami.get('/mes-badges')).text)).not.toContain('demande le badge');
  });

  it('When the badge needs a peer, then peers are emailed the link, see it on "Mes badges", recommend it, and Karim is told his request is recommended', async () => {
    const quorumPage = `/structures/roubaix/badges/${badgeId}/recommandations-requises`;
    const set = await postForm(agents.nadia, quorumPage, quorumPage, {
      coordinators: '0',
      peers: '1',
    });
    expect(set.status).toBe(303);
    smtp.messages.length = 0;

    const requestId = await ask('J’ai animé l’atelier CAF avec Sami.');
    const toSami = await smtp.waitFor((m) => m.to === sami.email);
    expect(toSami.subject).toBe(
      'Recommandation attendue\u00a0: Karim Médiateur — Accompagner une démarche en ligne',
    );
    expect(toSami.text).toContain("Ce badge demande la recommandation d'un pair");
    const link = linkIn(toSami, `/demandes/${requestId}`);
    await smtp.waitFor((m) => m.to === lea.email);
    expect(smtp.messages.filter((m) => m.to === karim.email)).toEqual([]);

    // The link opens the request with its recommendation form.
    const page = await agents.sami.get(new URL(link).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/demandes/${requestId}/recommander"`);

    // "Mes badges" lists it and links to the request's recommendations.
    const mine = decoded((await agents.sami.get('/mes-badges')).text);
    expect(mine).toContain(
      `<a href="/demandes/${requestId}#recommandations">Karim Médiateur demande le badge « Accompagner une démarche en ligne »`,
    );

    const endorsed = await postForm(
      agents.sami,
      `/demandes/${requestId}`,
      `/demandes/${requestId}/recommander`,
      { comment: 'Je l’ai vu animer cet atelier.' },
    );
    expect(endorsed.status).toBe(303);
    const toKarim = await smtp.waitFor((m) => m.to === karim.email);
    expect(toKarim.subject).toBe(
      'Sami Pair recommande votre demande de badge «\u00a0Accompagner une démarche en ligne\u00a0»',
    );
    expect(toKarim.text).not.toContain('recommande votre badge');
    // One peer was enough: Léa is no longer asked.
    expect((await agents.lea.get('/mes-badges')).text).not.toContain(`/demandes/${requestId}#`);
  });
});
