/**
 * The request form as a mediator reads it: whether evidence is required is said once and the
 * fields agree with it; a badge already held cannot be asked for again (the list says so), until
 * it is revoked.
 */
import type request from 'supertest';
import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import { badgeRequestModel } from '../../../../src/components/requests/request.model.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { adminActor, issueTo, issuerWithBadge, RECIPIENT } from '../../../helpers/awards.js';
import { decoded, visibleText } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('the request form', () => {
  let t: TestApp;
  let karim: Person;
  let agent: request.Agent;
  let withEvidence: BadgeClassDoc;
  let withoutEvidence: BadgeClassDoc;

  async function ask(badgeClassId: string, fields: Record<string, string>) {
    const page = await agent.get('/demandes/nouvelle');
    const req = agent
      .post('/demandes')
      .field('_csrf', csrfFrom(page.text))
      .field('badgeClassId', badgeClassId);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req;
  }

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    withEvidence = await issuerWithBadge(t.app, 'roubaix', { evidenceRequired: 'oui' });
    withoutEvidence = await issuerWithBadge(t.app, 'roubaix', {
      name: 'Animer un atelier numérique',
      evidenceRequired: 'non',
    });
    karim = await createPerson(
      t.app,
      { email: RECIPIENT, name: 'Karim Médiateur' },
      { roubaix: 'member' },
    );
    agent = await signIn(t.app, karim);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When a badge requires evidence, then the form says a link or a file is needed, marks nothing of it optional, and refuses a text alone', async () => {
    const form = visibleText(
      (await agent.get(`/demandes/nouvelle?badge=${withEvidence._id}`)).text,
    );
    expect(form).toContain(
      'Ce badge demande une preuve : donnez au moins un lien ou un fichier, en plus de votre description.',
    );
    expect(form).not.toContain('facultatif');

    const res = await ask(withEvidence._id, { text: 'J’ai aidé trois personnes.' });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain(
      'Ce badge demande une preuve : donnez au moins un lien ou un fichier.',
    );
    expect(await badgeRequestModel(t.db).countDocuments()).toBe(0);

    const ok = await ask(withEvidence._id, {
      text: 'J’ai aidé trois personnes.',
      links: 'https://exemple.org/atelier',
    });
    expect(ok.status).toBe(303);
  });

  it('When a badge does not require evidence, then links and file are said optional and a description is enough', async () => {
    const form = visibleText(
      (await agent.get(`/demandes/nouvelle?badge=${withoutEvidence._id}`)).text,
    );
    expect(form).toContain(
      'Pour ce badge, liens et fichier sont facultatifs : votre description peut suffire.',
    );
    expect(form).toContain('Un fichier (facultatif)');
    expect(form).not.toContain('demande une preuve');
    const ok = await ask(withoutEvidence._id, { text: 'Deux ateliers à la médiathèque.' });
    expect(ok.status).toBe(303);
  });

  it('When Karim already holds a badge, then the list marks it "déjà obtenu" and asking again is refused; once revoked he may ask again', async () => {
    const award = await issueTo(t.app, withoutEvidence);
    const form = decoded((await agent.get('/demandes/nouvelle')).text);
    expect(form).toContain(
      `<option value="${withoutEvidence._id}" disabled>Animer un atelier numérique — déjà obtenu</option>`,
    );
    expect(form).toContain('Accompagner une démarche en ligne — preuve demandée</option>');

    const chosen = visibleText(
      (await agent.get(`/demandes/nouvelle?badge=${withoutEvidence._id}`)).text,
    );
    expect(chosen).toContain('Vous avez déjà ce badge');

    const before = await badgeRequestModel(t.db).countDocuments();
    const res = await ask(withoutEvidence._id, { text: 'Encore un atelier.' });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain(
      "Vous avez déjà le badge « Animer un atelier numérique » : il est dans Mes badges, une nouvelle demande n'est pas utile.",
    );
    expect(await badgeRequestModel(t.db).countDocuments()).toBe(before);

    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '127.0.0.1',
      issuerId: 'roubaix',
      awardId: award._id,
      reason: 'Délivré par erreur.',
    });
    const again = await ask(withoutEvidence._id, { text: 'Encore un atelier.' });
    expect(again.status).toBe(303);
  });
});
