/**
 * Creating badges from the coordinator form: preview without creating, every mistake listed
 * with a message, alignments taken from the shipped frameworks, a readable public id, and
 * the OB 2.0 BadgeClass that results.
 */
import request from 'supertest';
import { badgeClassModel } from '../../../../src/components/achievements/badge-class.model.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { decoded } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const FORM = '/structures/roubaix/badges/nouveau';

describe('badge classes', () => {
  let t: TestApp;
  let nadia: Person;
  let agent: request.Agent;

  async function post(fields: Record<string, string | string[]>) {
    const page = await agent.get(FORM);
    return agent
      .post('/structures/roubaix/badges')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields });
  }

  const valid = {
    name: 'Accompagner une démarche en ligne',
    description: 'Accompagne une personne dans une démarche administrative en ligne.',
    criteriaNarrative: 'A accompagné trois personnes jusqu’au bout de leur démarche.',
    criteriaUrl: 'https://coop.example.org/criteres/demarches',
    template: 'shield',
    level: 'Niveau 2',
    primaryColor: '#17663a',
    secondaryColor: '#ffbf47',
    pictogram: 'livre',
    alignments: ['crcn:2.1', 'remn:CCP1'],
    tags: 'inclusion numérique, démarches, inclusion numérique',
    validityDays: '730',
    evidenceRequired: 'oui',
  };

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    await createIssuer(t.app, 'roubaix', 'Ville de Roubaix');
    nadia = await createPerson(t.app, { email: 'nadia@example.org' }, { roubaix: 'coordinator' });
    agent = await signIn(t.app, nadia);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When the form opens, then it shows a preview of the default template and every framework', async () => {
    const page = await agent.get(FORM);
    expect(page.status).toBe(200);
    const html = decoded(page.text);
    expect(html).toContain('Créer un badge');
    expect(html).toMatch(/<img src="\/modeles-de-badges\/[a-z]+\/apercu\.svg\?titre=/);
    expect(html).toContain('value="crcn:2.1"');
    expect(html).toContain('Cadre de référence des compétences numériques (CRCN)');
  });

  it('When the coordinator asks for a preview, then the image follows her choices and nothing is created', async () => {
    const res = await post({ ...valid, action: 'apercu' });
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html).toContain('Aperçu mis à jour');
    expect(html).toContain('/modeles-de-badges/shield/apercu.svg?titre=Accompagner');
    expect(html).toContain('couleur=%2317663a');
    // The choices are kept: ticked competencies, typed texts.
    expect(html).toMatch(/value="crcn:2.1" checked/);
    expect(html).toContain('value="Niveau 2"');
    expect(await badgeClassModel(t.db).countDocuments({})).toBe(0);
  });

  it('When fields are missing or wrong, then every problem is listed and linked to its field', async () => {
    const res = await post({
      name: 'Accompagner les publics éloignés du numérique dans toutes leurs démarches',
      description: '',
      criteriaNarrative: '',
      criteriaUrl: 'pas une adresse',
      template: 'medal',
      alignments: ['crcn:99.9'],
      validityDays: 'deux ans',
      action: 'creer',
    });
    expect(res.status).toBe(422);
    const html = decoded(res.text);
    expect(html).toMatch(/<title>Erreur : Créer un badge/);
    for (const [field, message] of [
      ['name', 'Ce nom est trop long pour tenir sur l’image'.replace('’', "'")],
      ['description', 'Saisissez une description du badge.'],
      ['criteriaNarrative', "Saisissez les critères d'obtention du badge."],
      ['criteriaUrl', 'Saisissez une adresse complète commençant par https://'],
      ['alignments', "Une compétence choisie n'existe pas"],
      ['validityDays', 'Saisissez un nombre entier de jours'],
    ]) {
      expect(html).toContain(`<a href="#${field}">${message}`);
    }
    expect(await badgeClassModel(t.db).countDocuments({})).toBe(0);
  });

  it('When the form is right, then the badge is created with its alignments and a readable id, and audited', async () => {
    const res = await post({ ...valid, action: 'creer' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(
      /^\/structures\/roubaix\/badges#badge-accompagner-une-demarche-en-ligne-[0-9a-f]{4}$/,
    );
    const [badge] = await badgeClassModel(t.db).find({ issuerId: 'roubaix' }).lean();
    expect(badge!._id).toMatch(/^accompagner-une-demarche-en-ligne-[0-9a-f]{4}$/);
    expect(badge).toMatchObject({
      name: valid.name,
      criteria: { narrative: valid.criteriaNarrative, url: valid.criteriaUrl },
      image: {
        template: 'shield',
        level: 'Niveau 2',
        primaryColor: '#17663a',
        secondaryColor: '#ffbf47',
        pictogram: 'livre',
      },
      tags: ['inclusion numérique', 'démarches'],
      validityDays: 730,
      evidenceRequired: true,
      status: 'active',
      version: 1,
      createdBy: nadia.id,
    });
    expect(badge!.alignments.map((a) => `${a.frameworkId}:${a.targetCode}`)).toEqual([
      'crcn:2.1',
      'remn:CCP1',
    ]);
    expect(badge!.alignments[0]!.targetUrl).toBe(
      'http://127.0.0.1:3999/referentiels/crcn#competence-2.1',
    );
    const page = decoded((await agent.get('/structures/roubaix')).text);
    expect(page).toContain(`Le badge « ${valid.name} » est créé.`);
    const audit = await t.app.services.audit.page({ action: 'badgeClass.created' }, 5);
    expect(audit.events[0]).toMatchObject({ targetId: badge!._id, issuerId: 'roubaix' });

    // Its OB 2.0 BadgeClass and image are public at once.
    const json = await request(t.app)
      .get(`/badges/${badge!._id}`)
      .set('Accept', 'application/ld+json');
    expect(JSON.parse(json.text)).toMatchObject({
      type: 'BadgeClass',
      id: `http://127.0.0.1:3999/badges/${badge!._id}`,
      issuer: 'http://127.0.0.1:3999/emetteurs/roubaix',
      image: `http://127.0.0.1:3999/badges/${badge!._id}/image.png`,
      criteria: { id: valid.criteriaUrl, narrative: valid.criteriaNarrative },
      alignment: [
        expect.objectContaining({
          targetCode: '2.1',
          targetFramework: expect.stringContaining('CRCN'),
        }),
        expect.objectContaining({ targetCode: 'CCP1' }),
      ],
      tags: ['inclusion numérique', 'démarches'],
    });
    const png = await request(t.app).get(`/badges/${badge!._id}/image.png`);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
  });

  it('When a member who is not staff, or staff of another issuer, posts the form, then it is refused', async () => {
    await createIssuer(t.app, 'autre', 'Autre structure');
    const karim = await createPerson(
      t.app,
      { email: 'karim@example.org' },
      { roubaix: 'member', autre: 'coordinator' },
    );
    const other = await signIn(t.app, karim);
    const token = csrfFrom((await other.get('/structures/autre/badges/nouveau')).text);
    const res = await other
      .post('/structures/roubaix/badges')
      .type('form')
      .send({ _csrf: token, ...valid, action: 'creer' });
    expect(res.status).toBe(403);
  });
});
