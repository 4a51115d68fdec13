/**
 * Revoking an award: one request, with a reason, flips the OB 2.0 revocation list, the OB 3.0
 * status list and the hosted assertion together; every verifier then refuses the badge.
 */
import request from 'supertest';
import {
  bitAt,
  decodeBitstring,
  unbakePng,
  verifyOb2Badge,
  verifyOb3Credential,
} from '../../../../src/core/index.js';
import { revocationModel } from '../../../../src/components/awards/award.model.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
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

const HTML = 'text/html';

describe('revoking an award', () => {
  let t: TestApp;
  let nadia: Person;
  let agent: request.Agent;
  let award: AwardDoc;
  let keep: AwardDoc;

  const json = async (path: string) => {
    const res = await request(t.app).get(path).set('Accept', 'application/ld+json');
    return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
  };
  const statusBit = async (a: AwardDoc) => {
    const list = await json(`/emetteurs/roubaix/statuts/${a.ob3.statusListNo}`);
    const subject = list.body.credentialSubject as { encodedList: string };
    return bitAt(decodeBitstring(subject.encodedList), a.ob3.statusListIndex);
  };
  const revokeUrl = (a: AwardDoc) => `/structures/roubaix/assertions/${a._id}/revoquer`;

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    const badge = await issuerWithBadge(t.app, 'roubaix');
    award = await issueTo(t.app, badge);
    keep = await issueTo(t.app, badge, { recipientEmail: 'autre@example.org' });
    nadia = await createPerson(t.app, { email: 'nadia@example.org' }, { roubaix: 'coordinator' });
    agent = await signIn(t.app, nadia);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When a visitor opens the award page, then there is no revocation form; a coordinator sees it', async () => {
    const anonymous = await request(t.app).get(`/assertions/${award._id}`).set('Accept', HTML);
    expect(anonymous.text).not.toContain('Révoquer ce badge');
    expect(anonymous.text).not.toContain(award.recipient.email);
    const staff = await agent.get(`/assertions/${award._id}`).set('Accept', HTML);
    expect(decoded(staff.text)).toContain('Révoquer ce badge');
    // A link to the confirmation page, not a form that revokes at once.
    expect(staff.text).toContain(`href="${revokeUrl(award)}"`);
    expect(staff.text).not.toContain(`action="${revokeUrl(award)}"`);
    // Her structure sees to whom it was issued.
    expect(staff.text).toContain(award.recipient.email);
    expect(staff.headers['cache-control']).toBe('no-store');
  });

  it('When a coordinator follows "Révoquer ce badge…", then a page says what will happen and nothing is revoked yet', async () => {
    const staff = await agent.get(`/assertions/${award._id}`).set('Accept', HTML);
    const link = /<a class="button button--danger" href="([^"]+)">/.exec(staff.text)?.[1];
    expect(link).toBe(revokeUrl(award));
    const res = await agent.get(link!).set('Accept', HTML);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Révoquer le badge « Accompagner une démarche en ligne » ?');
    expect(text).toContain(award.recipient.email);
    expect(text).toContain('La révocation est définitive');
    expect(text).toContain('La personne est prévenue par e-mail, avec le motif.');
    expect(text).toContain('Motif de la révocation');
    expect(res.text).toContain(`<form method="post" action="${revokeUrl(award)}"`);
    expect(res.text).toContain(`href="/assertions/${award._id}">Annuler, garder le badge</a>`);
    expect(await revocationModel(t.db).countDocuments({})).toBe(0);
    expect((await json(`/assertions/${award._id}`)).status).toBe(200);
    // Staff of another issuer, or a wrong issuer in the path, do not see it.
    expect((await agent.get(`/structures/autre/assertions/${award._id}/revoquer`)).status).toBe(
      403,
    );
  });

  it('When the reason is left empty, then nothing is revoked and the page says what is missing', async () => {
    const page = await agent.get(revokeUrl(award)).set('Accept', HTML);
    const res = await agent
      .post(revokeUrl(award))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: '   ' });
    expect(res.status).toBe(422);
    // The confirmation page again, with the error next to the reason.
    expect(decoded(res.text)).toContain(
      'Révoquer le badge « Accompagner une démarche en ligne » ?',
    );
    expect(decoded(res.text)).toContain(
      '<a href="#reason">Saisissez le motif de la révocation.</a>',
    );
    expect(await revocationModel(t.db).countDocuments({})).toBe(0);
    expect((await json(`/assertions/${award._id}`)).status).toBe(200);
  });

  it('When a coordinator revokes with a reason, then the lists, the hosted assertion and every verifier say so at once', async () => {
    const fetch = t.app.services.internalFetcher;
    const now = new Date();
    expect(await statusBit(award)).toBe(false);
    expect((await verifyOb3Credential(award.ob3.credential, { fetch, now })).verdict).toBe(
      'verified',
    );

    const page = await agent.get(revokeUrl(award)).set('Accept', HTML);
    const res = await agent
      .post(revokeUrl(award))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'Délivré par erreur' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/assertions/${award._id}`);

    // The very next requests: no cache, no delay.
    const list = await json('/emetteurs/roubaix/revocations');
    expect(list.body.revokedAssertions).toEqual([
      {
        id: `http://127.0.0.1:3999/assertions/${award._id}`,
        revocationReason: 'Délivré par erreur',
      },
    ]);
    expect(await statusBit(award)).toBe(true);
    expect(await statusBit(keep)).toBe(false);
    const hosted = await json(`/assertions/${award._id}`);
    expect(hosted.status).toBe(410);
    expect(hosted.body).toMatchObject({ revoked: true, revocationReason: 'Délivré par erreur' });

    const revokedStep = (r: { verdict: string; steps: { id: string; message: string }[] }) => [
      r.verdict,
      r.steps.find((s) => s.id === 'status')?.message,
    ];
    const bakedPng = async (variant: string) =>
      new Uint8Array(
        (await request(t.app).get(`/assertions/${award._id}/${variant}`).buffer(true))
          .body as Buffer,
      );
    for (const input of [
      `http://127.0.0.1:3999/assertions/${award._id}`,
      award.ob2.jws,
      await bakedPng('badge.png'),
      await bakedPng('badge-signe.png'),
    ]) {
      expect(revokedStep(await verifyOb2Badge(input, { fetch, now }))).toEqual([
        'not_verified',
        'verify.steps.status.revoked',
      ]);
    }
    // OB 3.0 images are unbaked first (the verification feature does the same).
    for (const input of [
      award.ob3.credential,
      award.ob3.jwt,
      unbakePng(await bakedPng('credential.png')).text,
      unbakePng(await bakedPng('credential-json.png')).text,
    ]) {
      expect(revokedStep(await verifyOb3Credential(input, { fetch, now }))).toEqual([
        'not_verified',
        'verify.steps.status.revoked',
      ]);
    }
    // The other award of the issuer is untouched.
    expect((await verifyOb3Credential(keep.ob3.credential, { fetch, now })).verdict).toBe(
      'verified',
    );

    const after = await agent.get(`/assertions/${award._id}`).set('Accept', HTML);
    expect(after.status).toBe(410);
    const text = decoded(after.text);
    expect(text).toContain('Le badge est révoqué.');
    expect(text).toContain('Motif : Délivré par erreur');
    expect(text).not.toContain('Révoquer ce badge');
    const audit = await t.app.services.audit.page({ action: 'award.revoked' }, 5);
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({
      actorId: nadia.id,
      targetId: award._id,
      details: { reason: 'Délivré par erreur' },
    });
  });

  it('When the award is revoked again, then nothing changes: one record, the first reason', async () => {
    const result = await t.app.services.awards.revokeAward({
      actor: { id: 'admin', isAdmin: true, roles: {} },
      ip: '',
      issuerId: 'roubaix',
      awardId: award._id,
      reason: 'Autre motif',
    });
    expect(result.revoked).toBe(false);
    expect(await revocationModel(t.db).find({}).lean()).toEqual([
      expect.objectContaining({ _id: award._id, reason: 'Délivré par erreur' }),
    ]);
    expect((await t.app.services.audit.page({ action: 'award.revoked' }, 5)).events).toHaveLength(
      1,
    );
  });

  it('When staff of another issuer, or the wrong issuer path, is used, then revocation is refused', async () => {
    await createIssuer(t.app, 'autre', 'Autre');
    const bob = await createPerson(t.app, { email: 'bob@example.org' }, { autre: 'coordinator' });
    const bobAgent = await signIn(t.app, bob);
    const token = csrfFrom((await bobAgent.get('/structures/autre').set('Accept', HTML)).text);
    const forbidden = await bobAgent
      .post(revokeUrl(keep))
      .type('form')
      .send({ _csrf: token, reason: 'Malveillance' });
    expect(forbidden.status).toBe(403);
    const wrongPath = await bobAgent
      .post(`/structures/autre/assertions/${keep._id}/revoquer`)
      .type('form')
      .send({ _csrf: token, reason: 'Malveillance' });
    expect(wrongPath.status).toBe(404);
    expect(await revocationModel(t.db).countDocuments({ _id: keep._id })).toBe(0);
  });
});
