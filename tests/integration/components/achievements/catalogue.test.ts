/**
 * The badge catalogue: a badge never issued is edited in place; once issued, an edit makes a
 * new version (new id, previousVersionId, version + 1) and archives the old one, whose awards
 * keep pointing at it; archived badges are no longer issued and can be put back.
 */
import request from 'supertest';
import { badgeClassModel } from '../../../../src/components/achievements/badge-class.model.js';
import { auditEventModel as auditModel } from '../../../../src/components/audit/audit.model.js';
import { awardModel } from '../../../../src/components/awards/award.model.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded, visibleText } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const CATALOGUE = '/structures/roubaix/badges';

describe('badge catalogue', () => {
  let t: TestApp;
  let nadia: Person;
  let agent: request.Agent;

  async function postTo(path: string, fields: Record<string, string | string[]> = {}) {
    const page = await agent.get(CATALOGUE);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), ...fields });
  }

  const edited = {
    name: 'Accompagner une démarche en ligne (CAF)',
    description: 'Accompagne une personne dans une démarche de la CAF.',
    criteriaNarrative: 'A accompagné cinq personnes.',
    template: 'shield',
    level: 'Niveau 2',
    thematiques: ['aide_aux_demarches_administratives'],
    tags: 'caf',
    validityDays: '365',
    evidenceRequired: 'oui',
    action: 'enregistrer',
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

  it('When a badge was never issued, then an edit changes it in place and is audited', async () => {
    const badge = await issuerWithBadge(t.app, 'roubaix');
    const form = await agent.get(`${CATALOGUE}/${badge._id}/modifier`);
    expect(form.status).toBe(200);
    expect(decoded(form.text)).toContain('pas encore été délivré');
    expect(decoded(form.text)).toContain('value="Accompagner une démarche en ligne"');

    const res = await postTo(`${CATALOGUE}/${badge._id}/modifier`, edited);
    expect(res.status).toBe(303);
    const after = await badgeClassModel(t.db).findById(badge._id).lean();
    expect(after).toMatchObject({
      name: edited.name,
      version: 1,
      status: 'active',
      validityDays: 365,
      evidenceRequired: true,
      tags: ['aide_aux_demarches_administratives', 'caf'],
    });
    expect(await badgeClassModel(t.db).countDocuments({ issuerId: 'roubaix' })).toBe(1);
    const audit = await auditModel(t.db).findOne({ action: 'badgeClass.updated' }).lean();
    expect(audit?.targetId).toBe(badge._id);

    // The catalogue shows the thématique by its French label.
    const page = decoded((await agent.get(CATALOGUE)).text);
    expect(page).toContain(edited.name);
    expect(page).toContain('Aide aux démarches administratives');
    expect(page).toContain('délivré 0 fois');
    await badgeClassModel(t.db).deleteMany({});
  });

  it('When an issued badge is edited, then a new version is made and the award keeps the old one', async () => {
    const v1 = await issuerWithBadge(t.app, 'roubaix');
    // A quorum is set on its own page; the new version must keep it.
    await badgeClassModel(t.db).updateOne(
      { _id: v1._id },
      { $set: { quorum: { coordinators: 1, peers: 2 } } },
    );
    const award = await issueTo(t.app, v1);
    const form = decoded((await agent.get(`${CATALOGUE}/${v1._id}/modifier`)).text);
    expect(form).toContain('créeront la version 2');

    const res = await postTo(`${CATALOGUE}/${v1._id}/modifier`, {
      ...edited,
      evidenceRequired: 'non',
    });
    expect(res.status).toBe(303);
    const all = await badgeClassModel(t.db).find({ issuerId: 'roubaix' }).lean();
    expect(all).toHaveLength(2);
    const old = all.find((b) => b._id === v1._id)!;
    const v2 = all.find((b) => b._id !== v1._id)!;
    expect(old).toMatchObject({ status: 'archived', version: 1, name: v1.name });
    expect(v2).toMatchObject({
      status: 'active',
      version: 2,
      previousVersionId: v1._id,
      name: edited.name,
      quorum: { coordinators: 1, peers: 2 },
    });
    expect((await awardModel(t.db).findById(award._id).lean())?.badgeClassId).toBe(v1._id);

    // The catalogue shows the latest version with its history; the issue form offers only it.
    const page = decoded((await agent.get(CATALOGUE)).text);
    expect(page).toContain('Version 2');
    expect(page).toContain('Version précédente (1)');
    expect(page).toContain('délivré 0 fois');
    expect(page).toContain('Toutes versions confondues, ce badge a été délivré 1 fois.');
    const issue = decoded((await agent.get('/structures/roubaix/delivrer')).text);
    expect(issue).toContain(`value="${v2._id}"`);
    expect(issue).not.toContain(`value="${v1._id}"`);

    // The earlier version cannot be edited any more: back to the catalogue, or 409.
    const stale = await agent.get(`${CATALOGUE}/${v1._id}/modifier`);
    expect(stale.status).toBe(303);
    expect((await postTo(`${CATALOGUE}/${v1._id}/modifier`, edited)).status).toBe(409);
    expect(await badgeClassModel(t.db).countDocuments({ issuerId: 'roubaix' })).toBe(2);
    // Its public page still answers: awards point at it.
    expect((await request(t.app).get(`/badges/${v1._id}`)).status).toBe(200);
  });

  it('When a badge is archived, then it can no longer be issued, and it can be put back', async () => {
    const badge = await issuerWithBadge(t.app, 'roubaix', { name: 'Animer un atelier' });
    expect((await postTo(`${CATALOGUE}/${badge._id}/archiver`)).status).toBe(303);
    expect((await badgeClassModel(t.db).findById(badge._id).lean())?.status).toBe('archived');
    const issue = decoded((await agent.get('/structures/roubaix/delivrer')).text);
    expect(issue).not.toContain(`value="${badge._id}"`);
    const page = await agent.get('/structures/roubaix/delivrer');
    const refused = await agent
      .post('/structures/roubaix/delivrer')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        badgeClassId: badge._id,
        recipientEmail: 'karim@example.org',
      });
    expect(refused.status).toBe(422);

    expect((await postTo(`${CATALOGUE}/${badge._id}/restaurer`)).status).toBe(303);
    expect((await badgeClassModel(t.db).findById(badge._id).lean())?.status).toBe('active');
    const actions = (await auditModel(t.db).find({ targetId: badge._id }).lean()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['badgeClass.archived', 'badgeClass.restored']));
  });

  it('When a preview is asked while editing, then nothing is saved', async () => {
    const badge = await issuerWithBadge(t.app, 'roubaix', { name: 'Réparer un ordinateur' });
    const res = await postTo(`${CATALOGUE}/${badge._id}/modifier`, {
      ...edited,
      action: 'apercu',
    });
    expect(res.status).toBe(200);
    expect(decoded(res.text)).toContain('/modeles-de-badges/shield/apercu.svg?titre=');
    expect((await badgeClassModel(t.db).findById(badge._id).lean())?.name).toBe(
      'Réparer un ordinateur',
    );
  });

  it('When staff of another issuer opens or edits a badge, then it is refused', async () => {
    const badge = await issuerWithBadge(t.app, 'roubaix', { name: 'Badge protégé' });
    await createIssuer(t.app, 'tourcoing', 'Tourcoing');
    const other = await createPerson(
      t.app,
      { email: 'autre@example.org' },
      { tourcoing: 'coordinator' },
    );
    const otherAgent = await signIn(t.app, other);
    expect((await otherAgent.get(`${CATALOGUE}/${badge._id}/modifier`)).status).toBe(403);
    // Through its own issuer's path, the badge of another issuer does not exist.
    expect(
      (await otherAgent.get(`/structures/tourcoing/badges/${badge._id}/modifier`)).status,
    ).toBe(404);
  });

  it('When a badge has a thématique, then its public pages show the French label, not the identifier', async () => {
    const badge = await issuerWithBadge(t.app, 'roubaix');
    await badgeClassModel(t.db).updateOne(
      { _id: badge._id },
      { $set: { tags: ['aide_aux_demarches_administratives', 'caf'] } },
    );
    const award = await issueTo(t.app, {
      ...badge,
      tags: ['aide_aux_demarches_administratives', 'caf'],
    });
    for (const path of [`/badges/${badge._id}`, `/assertions/${award._id}`]) {
      const res = await request(t.app).get(path).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      const text = visibleText(res.text);
      expect(text).toContain('Aide aux démarches administratives');
      expect(text).toContain('caf');
      expect(text).not.toContain('aide_aux_demarches_administratives');
    }
    await awardModel(t.db).deleteMany({});
    await badgeClassModel(t.db).deleteMany({});
  });
});
