/**
 * Issuing one badge to one person from the coordinator form: every form of the badge is
 * stored, the recipient gets an email in their language, a double submit issues once, and
 * every mistake is explained.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { userModel } from '../../../../src/components/accounts/user.model.js';
import { awardModel, statusListSlotModel } from '../../../../src/components/awards/award.model.js';
import { issuerKeyModel } from '../../../../src/components/keys/keys.model.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const FORM = '/structures/roubaix/delivrer';
const DAY = 24 * 3600_000;

describe('issuing a badge', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;
  let agent: request.Agent;
  let badgeId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    badgeId = (await issuerWithBadge(t.app, 'roubaix', { validityDays: '365' }))._id;
    nadia = await createPerson(t.app, { email: 'nadia@example.org' }, { roubaix: 'coordinator' });
    agent = await signIn(t.app, nadia);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function formFields(extra: Record<string, string> = {}) {
    const page = await agent.get(`${FORM}?badge=${badgeId}`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1]!;
    return { _csrf: csrfFrom(page.text), idempotencyKey: key, badgeClassId: badgeId, ...extra };
  }

  it('When an issuer created before keys existed issues its first badge, then its keys are created then', async () => {
    expect(await issuerKeyModel(t.db).countDocuments({ issuerId: 'roubaix' })).toBe(0);
    await issueTo(t.app, await t.app.services.achievements.getBadgeClass(badgeId), {
      recipientEmail: 'premier@example.org',
    });
    const keys = await issuerKeyModel(t.db).find({ issuerId: 'roubaix' }).lean();
    expect(keys.map((k) => k.type).sort()).toEqual(['Ed25519', 'RSA']);
  });

  it('When the coordinator issues a badge, then every form is stored, the person is emailed in French and the act is audited', async () => {
    const fields = await formFields({
      recipientEmail: '  Karim.Mediateur@Example.org ',
      evidence: 'https://exemple.org/atelier-1\n\nhttps://exemple.org/atelier-2',
      narrative: 'A animé deux ateliers CAF.',
    });
    const res = await agent.post(FORM).type('form').send(fields);
    expect(res.status).toBe(303);
    const id = /^\/assertions\/([A-Za-z0-9_-]{16})$/.exec(res.headers.location as string)![1]!;
    const award = (await awardModel(t.db).findById(id).lean())!;
    expect(award).toMatchObject({
      issuerId: 'roubaix',
      badgeClassId: badgeId,
      recipient: { email: 'karim.mediateur@example.org' },
      evidence: [
        { url: 'https://exemple.org/atelier-1' },
        { url: 'https://exemple.org/atelier-2' },
      ],
      narrative: 'A animé deux ateliers CAF.',
      revoked: false,
      lang: 'fr',
      createdBy: nadia.id,
      idempotencyKey: `roubaix:${fields.idempotencyKey}`,
    });
    expect(award.expires!.getTime() - award.issuedOn.getTime()).toBe(365 * DAY);
    expect(award.issuedOn.getMilliseconds()).toBe(0);

    // OB 2.0 signed: RS256, creator = the active RSA key of the issuer.
    expect(decodeProtectedHeader(award.ob2.jws)).toEqual({ alg: 'RS256' });
    const payload = decodeJwt(award.ob2.jws);
    expect(payload).toMatchObject({
      type: 'Assertion',
      id: `http://127.0.0.1:3999/assertions/${id}`,
      verification: {
        type: 'SignedBadge',
        creator: `http://127.0.0.1:3999/emetteurs/roubaix/cles/${award.ob2.keyId}`,
      },
      recipient: { type: 'email', hashed: true, salt: award.recipient.salt },
    });
    // OB 3.0: Data Integrity and VC-JWT, both with the status entry of the allocated slot.
    const credential = JSON.parse(award.ob3.credential);
    const did = 'did:web:127.0.0.1%3A3999:emetteurs:roubaix';
    expect(credential).toMatchObject({
      id: `http://127.0.0.1:3999/assertions/${id}/credential`,
      issuer: { id: did, type: ['Profile'] },
      validUntil: award.expires!.toISOString().replace('.000Z', 'Z'),
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(award.ob3.statusListIndex),
        statusListCredential: `http://127.0.0.1:3999/emetteurs/roubaix/statuts/${award.ob3.statusListNo}`,
      },
      credentialSubject: { narrative: 'A animé deux ateliers CAF.' },
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' },
    });
    expect(credential.proof.verificationMethod).toMatch(new RegExp(`^${did}#ed-[0-9a-f]{16}$`));
    expect(decodeProtectedHeader(award.ob3.jwt)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: `http://127.0.0.1:3999/emetteurs/roubaix/cles/${award.ob2.keyId}/jwk`,
    });
    const claims = decodeJwt(award.ob3.jwt);
    expect(claims).toMatchObject({
      iss: did,
      jti: credential.id,
      nbf: award.issuedOn.getTime() / 1000,
      exp: award.expires!.getTime() / 1000,
    });
    expect(claims.proof).toBeUndefined();

    const slot = await statusListSlotModel(t.db)
      .findById(`roubaix:${award.ob3.statusListNo}:${award.ob3.statusListIndex}`)
      .lean();
    expect(slot).toMatchObject({ assertionId: id });

    const mail = await smtp.waitFor((m) => m.to === 'karim.mediateur@example.org');
    expect(mail.subject).toBe('Vous avez reçu le badge « Accompagner une démarche en ligne »');
    expect(mail.text).toContain(`http://127.0.0.1:3999/assertions/${id}`);
    expect(mail.text).toContain('Ville de Roubaix — Coopérative des médiateurs numériques');

    const audit = await t.app.services.audit.page({ action: 'award.issued' }, 5);
    expect(audit.events[0]).toMatchObject({
      actorId: nadia.id,
      targetType: 'award',
      targetId: id,
      issuerId: 'roubaix',
    });
    const page = decoded((await agent.get(`/assertions/${id}`).set('Accept', 'text/html')).text);
    expect(page).toContain(
      'Le badge est délivré. Un courriel a été envoyé à karim.mediateur@example.org.',
    );
  });

  it('When the same form is submitted twice, then the badge is issued and emailed once', async () => {
    const fields = await formFields({ recipientEmail: 'double@example.org' });
    const first = await agent.post(FORM).type('form').send(fields);
    const second = await agent.post(FORM).type('form').send(fields);
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await awardModel(t.db).countDocuments({ 'recipient.email': 'double@example.org' })).toBe(
      1,
    );
    const page = await agent.get(second.headers.location as string).set('Accept', 'text/html');
    expect(decoded(page.text)).toContain(
      "Ce formulaire avait déjà été envoyé : le badge n'a été délivré qu'une fois.",
    );
    await smtp.waitFor((m) => m.to === 'double@example.org');
    expect(smtp.messages.filter((m) => m.to === 'double@example.org')).toHaveLength(1);
  });

  it('When the coordinator picks a mediator of the structure, then the badge goes to their address with the evidence in words and links', async () => {
    const karim = await createPerson(
      t.app,
      { email: 'karim@example.org', name: 'Karim' },
      { roubaix: 'member' },
    );
    const page = decoded((await agent.get(FORM)).text);
    expect(page).toContain(`<option value="${karim.id}">Karim (karim@example.org)</option>`);
    const res = await agent
      .post(FORM)
      .type('form')
      .send(
        await formFields({
          memberId: karim.id,
          recipientEmail: '',
          evidence: 'https://exemple.org/atelier',
          evidenceText: 'Atelier CAF au centre social, 12 mars.',
        }),
      );
    expect(res.status).toBe(303);
    const id = (res.headers.location as string).split('/').pop()!;
    const award = await awardModel(t.db).findById(id).lean();
    expect(award).toMatchObject({
      recipient: { email: 'karim@example.org' },
      recipientUserId: karim.id,
      evidence: [
        { url: 'https://exemple.org/atelier' },
        { narrative: 'Atelier CAF au centre social, 12 mars.' },
      ],
    });
    const mail = await smtp.waitFor((m) => m.to === 'karim@example.org');
    expect(mail.text).toContain(`/assertions/${id}`);

    // Someone who is not a member of this structure cannot be picked.
    const outsider = await createPerson(t.app, { email: 'dehors@example.org' });
    const refused = await agent
      .post(FORM)
      .type('form')
      .send(await formFields({ memberId: outsider.id, recipientEmail: '' }));
    expect(refused.status).toBe(422);
    expect(decoded(refused.text)).toContain(
      '<a href="#memberId">Cette personne n\'est plus membre de la structure',
    );
    expect(await awardModel(t.db).countDocuments({ 'recipient.email': 'dehors@example.org' })).toBe(
      0,
    );
  });

  it('When the person has an account in English, then the email is in English and the award is linked to the account', async () => {
    const jane = await createPerson(t.app, { email: 'jane@example.org', name: 'Jane' });
    await userModel(t.db).updateOne({ _id: jane.id }, { $set: { language: 'en' } });
    const res = await agent
      .post(FORM)
      .type('form')
      .send(await formFields({ recipientEmail: 'jane@example.org', lang: 'fr' }));
    const id = (res.headers.location as string).split('/').pop()!;
    expect(await awardModel(t.db).findById(id).lean()).toMatchObject({
      recipientUserId: jane.id,
      lang: 'en',
    });
    const mail = await smtp.waitFor((m) => m.to === 'jane@example.org');
    expect(mail.subject).toBe('You have received the badge “Accompagner une démarche en ligne”');
    expect(mail.text).toContain('Hello Jane,');
  });

  it('When the form has mistakes, then nothing is issued and each field says what to fix', async () => {
    await createIssuer(t.app, 'autre', 'Autre');
    const other = await issuerWithBadge(t.app, 'autre');
    const before = await awardModel(t.db).countDocuments({});
    const res = await agent
      .post(FORM)
      .type('form')
      .send(
        await formFields({
          badgeClassId: other._id,
          recipientEmail: 'pas-une-adresse',
          evidence: 'https://exemple.org/ok\nexemple.org/sans-protocole',
        }),
      );
    expect(res.status).toBe(422);
    const html = decoded(res.text);
    expect(html).toContain(
      '<a href="#badgeClassId">Choisissez le badge à délivrer dans la liste.</a>',
    );
    const bad = await agent
      .post(FORM)
      .type('form')
      .send(
        await formFields({
          recipientEmail: 'pas-une-adresse',
          evidence: 'https://exemple.org/ok\nexemple.org/sans-protocole',
        }),
      );
    const text = decoded(bad.text);
    expect(text).toContain('<a href="#recipientEmail">Saisissez une adresse e-mail valide');
    expect(text).toContain(
      '<a href="#evidence">Ce lien de preuve n\'est pas une adresse complète : exemple.org/sans-protocole',
    );
    // What was typed is kept.
    expect(text).toContain('exemple.org/sans-protocole</textarea>');
    expect(await awardModel(t.db).countDocuments({})).toBe(before);
  });

  it('When a badge requires evidence and none is given, then it cannot be issued', async () => {
    const strict = await issuerWithBadge(t.app, 'roubaix', {
      name: 'Sécuriser un smartphone',
      evidenceRequired: 'oui',
    });
    await expect(issueTo(t.app, strict, { evidence: '', narrative: '' })).rejects.toMatchObject({
      status: 422,
      fieldErrors: [{ field: 'evidence', messageKey: 'awards.errors.evidenceRequired' }],
    });
    await expect(
      issueTo(t.app, strict, { evidence: '', narrative: 'Atelier fait.' }),
    ).resolves.toBeDefined();
  });

  it('When many badges are issued without idempotency keys, then each gets its own status list slot', async () => {
    const badge = await t.app.services.achievements.getBadgeClass(badgeId);
    const awards = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        issueTo(t.app, badge, { recipientEmail: `p${i}@example.org` }),
      ),
    );
    const slots = new Set(awards.map((a) => `${a.ob3.statusListNo}:${a.ob3.statusListIndex}`));
    expect(slots.size).toBe(12);
    expect(awards.every((a) => a.idempotencyKey === undefined)).toBe(true);
  });

  it('When an administrator creates an issuer, then it gets its RSA and Ed25519 keys at once', async () => {
    const admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    const adminAgent = await signIn(t.app, admin);
    const page = await adminAgent.get('/admin/structures/nouvelle');
    const res = await adminAgent
      .post('/admin/structures')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Centre social Nautilus',
        url: 'https://nautilus.example.org',
        email: 'contact@nautilus.example.org',
        siret: '215 905 128 00017',
        ownerEmail: 'nadia@example.org',
      });
    expect(res.status).toBe(303);
    const keys = await issuerKeyModel(t.db).find({ issuerId: 'centre-social-nautilus' }).lean();
    expect(keys.map((k) => `${k.type}:${k.status}`).sort()).toEqual([
      'Ed25519:active',
      'RSA:active',
    ]);
    expect((await t.app.services.issuerRepo.findById('centre-social-nautilus'))!.siret).toBe(
      '21590512800017',
    );
  });

  it('When the issuer is created with a logo, then the logo is served and named by its OB 2.0 and OB 3.0 profiles', async () => {
    const admin = await createPerson(t.app, { email: 'admin2@example.org', isAdmin: true });
    const adminAgent = await signIn(t.app, admin);
    const page = await adminAgent.get('/admin/structures/nouvelle');
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5" cx="5" cy="5"/></svg>',
    );
    const res = await adminAgent
      .post('/admin/structures')
      .field('_csrf', csrfFrom(page.text))
      .field('name', 'Médiathèque Jean Lévy')
      .field('url', 'https://mediatheque.example.org')
      .field('email', 'contact@mediatheque.example.org')
      .field('ownerEmail', 'nadia@example.org')
      .attach('image', svg, { filename: 'logo.svg', contentType: 'image/svg+xml' });
    expect(res.status).toBe(303);
    const logo = await request(t.app).get('/emetteurs/mediatheque-jean-levy/image').buffer(true);
    expect(logo.status).toBe(200);
    expect(logo.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(logo.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.from(logo.body as Buffer).equals(svg)).toBe(true);
    const profile = JSON.parse(
      (
        await request(t.app)
          .get('/emetteurs/mediatheque-jean-levy')
          .set('Accept', 'application/ld+json')
      ).text,
    );
    expect(profile.image).toMatch(
      /^http:\/\/127\.0\.0\.1:3999\/emetteurs\/mediatheque-jean-levy\/image\?v=/,
    );
    const ob3 = JSON.parse(
      (await request(t.app).get('/emetteurs/mediatheque-jean-levy/profil.json')).text,
    );
    expect(ob3.image).toEqual({ id: profile.image, type: 'Image' });

    // Anything else is refused with a message on the field, and no issuer is created.
    const again = await adminAgent.get('/admin/structures/nouvelle');
    const bad = await adminAgent
      .post('/admin/structures')
      .field('_csrf', csrfFrom(again.text))
      .field('name', 'Structure au mauvais logo')
      .field('url', 'https://logo.example.org')
      .field('email', 'contact@logo.example.org')
      .field('ownerEmail', 'nadia@example.org')
      .attach('image', Buffer.from('GIF89a…'), { filename: 'logo.gif', contentType: 'image/gif' });
    expect(bad.status).toBe(422);
    expect(decoded(bad.text)).toContain(
      'Le logo doit être une image PNG ou SVG de 200 Ko au plus.',
    );
    expect(await t.app.services.issuerRepo.findById('structure-au-mauvais-logo')).toBeNull();
  });
});
