/**
 * Compromised keys: the issuer's owner declares a key compromised (with
 * a reason, on a confirmation page, audited); the key leaves the did.json, the JWKS and the OB
 * 2.0 profile at once while retired keys stay; the awards signed with it are listed and issued
 * again with the active keys in one action (emails sent, old awards revoked with the reason),
 * and running that action twice issues nothing twice.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { awardModel, type AwardDoc } from '../../../../src/components/awards/award.model.js';
import { COMPROMISE_REVOCATION_REASON } from '../../../../src/components/awards/compromised-keys.use-case.js';
import { ownBadgesFrom } from '../../../../src/components/awards/own-badges.js';
import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import type { PublicKeyInfo } from '../../../../src/components/keys/keys.use-case.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { startTestServer, testDatabaseUri } from '../../../helpers/test-app.js';
import { runAdminCli } from '../../../helpers/admin-cli.js';

const HTML = 'text/html';
const ISSUER = 'roubaix';
const EXTRA = 20;

describe('compromised keys', () => {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  let t: Awaited<ReturnType<typeof startTestServer>>;
  let smtp: TestSmtpServer;
  let badge: BadgeClassDoc;
  let owner: Person;
  let coordinator: Person;
  let ownerAgent: request.Agent;
  /** Issued before the rotation: its OB 2.0 form is signed again, its JWT and proof are not. */
  let early: AwardDoc;
  /** Revoked for another reason before the key was compromised. */
  let revokedBefore: AwardDoc;
  /** Issued after the rotation, with the key that will be compromised. */
  let late: AwardDoc;
  let lateOthers: AwardDoc[] = [];
  let firstKeys: PublicKeyInfo[];
  let stolenRsa: PublicKeyInfo;

  const urls = () => t.app.services.urls;
  const keyPage = (keyId: string, page: string) => `/structures/${ISSUER}/cles/${keyId}/${page}`;
  const json = async (path: string) => {
    const res = await request(t.app).get(path).set('Accept', 'application/ld+json');
    return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
  };
  const reissued = async (old: AwardDoc) => {
    const id = await t.app.services.awardsRepo.reissueOf(old._id);
    return id ? t.app.services.awardsRepo.findById(id) : null;
  };
  const verifyApi = async (input: string) => {
    const res = await request(t.app).post('/api/v1/verify').send({ input });
    expect(res.status).toBe(200);
    return res.body as {
      verdict: string;
      steps: { id: string; ok: boolean; key: string; message: string }[];
    };
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestServer({ dbName, env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    badge = await issuerWithBadge(t.app, ISSUER);
    early = await issueTo(t.app, badge, { recipientEmail: 'avant@example.org' });
    revokedBefore = await issueTo(t.app, badge, { recipientEmail: 'erreur@example.org' });
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      awardId: revokedBefore._id,
      reason: 'Délivré par erreur',
    });
    firstKeys = await t.app.services.keys.listPublicKeys(ISSUER);
    await t.app.services.awards.rotateIssuerKeys({ actor: adminActor, ip: '', issuerId: ISSUER });
    late = await issueTo(t.app, badge, { recipientEmail: 'apres@example.org' });
    lateOthers = [];
    // Enough awards for a second page of the list (20 per page).
    for (let i = 0; i < EXTRA; i++) {
      lateOthers.push(await issueTo(t.app, badge, { recipientEmail: `lot-${i}@example.org` }));
    }
    stolenRsa = (await t.app.services.keys.listPublicKeys(ISSUER)).find(
      (k) => k.type === 'RSA' && k.status === 'active',
    )!;
    owner = await createPerson(t.app, { email: 'responsable@example.org' }, { [ISSUER]: 'owner' });
    coordinator = await createPerson(
      t.app,
      { email: 'coordination@example.org' },
      { [ISSUER]: 'coordinator' },
    );
    ownerAgent = await signIn(t.app, owner);
  }, 120_000);
  afterAll(async () => {
    await t?.db.dropDatabase().catch(() => {});
    await t?.close();
    await smtp?.close();
  });

  it("When a coordinator or another issuer's owner tries, then the keys page and the declaration answer 403", async () => {
    const coordAgent = await signIn(t.app, coordinator);
    expect((await coordAgent.get(`/structures/${ISSUER}/cles`).set('Accept', HTML)).status).toBe(
      403,
    );
    expect(
      (await coordAgent.get(keyPage(stolenRsa._id, 'declarer-compromise')).set('Accept', HTML))
        .status,
    ).toBe(403);
    const page = await coordAgent.get(`/structures/${ISSUER}`).set('Accept', HTML);
    const refused = await coordAgent
      .post(keyPage(stolenRsa._id, 'declarer-compromise'))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'Essai' });
    expect(refused.status).toBe(403);

    await issuerWithBadge(t.app, 'autre');
    const otherOwner = await createPerson(
      t.app,
      { email: 'autre@example.org' },
      { autre: 'owner' },
    );
    const otherAgent = await signIn(t.app, otherOwner);
    const otherPage = await otherAgent.get('/structures/autre/cles').set('Accept', HTML);
    expect(otherPage.status).toBe(200);
    const refused2 = await otherAgent
      .post(keyPage(stolenRsa._id, 'declarer-compromise'))
      .type('form')
      .send({ _csrf: csrfFrom(otherPage.text), reason: 'Essai' });
    expect(refused2.status).toBe(403);
    expect((await t.app.services.keys.findPublicKey(stolenRsa._id))!.status).toBe('active');
  });

  it('When the owner opens the keys page, then every key is listed with its status and dates, public parts only', async () => {
    const res = await ownerAgent.get(`/structures/${ISSUER}/cles`).set('Accept', HTML);
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    expect(text).toContain('<h1>Clés de signature</h1>');
    for (const k of await t.app.services.keys.listPublicKeys(ISSUER)) expect(text).toContain(k._id);
    expect(text.match(/Retirée \(toujours publiée\)/g)).toHaveLength(2);
    expect(text.match(/<dd>En service<\/dd>/g)).toHaveLength(2);
    expect(text).toContain(`href="${keyPage(stolenRsa._id, 'declarer-compromise')}"`);
    expect(text).toContain('Déclarer cette clé compromise');
    for (const secret of ['PRIVATE KEY', 'ciphertext', 'encryptedPrivateKey', '"d":']) {
      expect(text).not.toContain(secret);
    }
  });

  it('When the owner opens the declaration, then the page says what will happen, and an empty reason changes nothing', async () => {
    const page = await ownerAgent
      .get(keyPage(stolenRsa._id, 'declarer-compromise'))
      .set('Accept', HTML);
    expect(page.status).toBe(200);
    const text = decoded(page.text);
    expect(text).toContain('<h1>Déclarer cette clé compromise ?</h1>');
    // The active RSA key signed the late awards and the re-signed OB 2.0 forms of the early ones.
    expect(text).toContain(
      `les ${3 + EXTRA} badges signés avec elle afficheront « Non vérifié » jusqu'à ce qu'ils soient délivrés à nouveau`,
    );
    expect(text).toContain('une nouvelle clé est créée aussitôt');
    expect(text).toContain('Cette déclaration est définitive : elle ne peut pas être annulée.');
    expect(text).toMatch(/<label for="reason">Motif<\/label>/);

    const res = await ownerAgent
      .post(keyPage(stolenRsa._id, 'declarer-compromise'))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: '   ' });
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain(
      '<a href="#reason">Indiquez le motif : ce qui s\'est passé.</a>',
    );
    expect((await t.app.services.keys.findPublicKey(stolenRsa._id))!.status).toBe('active');
  });

  it('When the owner declares the active key compromised, then it is marked, replaced and audited', async () => {
    const page = await ownerAgent
      .get(keyPage(stolenRsa._id, 'declarer-compromise'))
      .set('Accept', HTML);
    const res = await ownerAgent
      .post(keyPage(stolenRsa._id, 'declarer-compromise'))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'Ordinateur portable volé' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(keyPage(stolenRsa._id, 'badges-concernes'));

    const stored = (await t.app.services.keys.findPublicKey(stolenRsa._id))!;
    expect(stored).toMatchObject({
      status: 'compromised',
      compromisedBy: owner.id,
      compromiseReason: 'Ordinateur portable volé',
    });
    expect(stored.compromisedAt).toBeInstanceOf(Date);
    const keys = await t.app.services.keys.listPublicKeys(ISSUER);
    const activeRsa = keys.filter((k) => k.type === 'RSA' && k.status === 'active');
    expect(activeRsa).toHaveLength(1);
    expect(activeRsa[0]!._id).not.toBe(stolenRsa._id);

    const audit = await t.app.services.audit.page({ action: 'key.compromised' }, 5);
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({
      actorId: owner.id,
      issuerId: ISSUER,
      targetType: 'key',
      targetId: stolenRsa._id,
      details: {
        reason: 'Ordinateur portable volé',
        wasActive: true,
        replacement: activeRsa[0]!._id,
      },
    });
    // The audit page shows it in French.
    const auditPage = decoded((await ownerAgent.get('/audit').set('Accept', HTML)).text);
    expect(auditPage).toContain('Clé de signature déclarée compromise');

    // Declaring it again changes nothing: the page says when it was declared.
    const again = await ownerAgent
      .post(keyPage(stolenRsa._id, 'declarer-compromise'))
      .type('form')
      .send({ _csrf: csrfFrom(page.text), reason: 'Encore' });
    expect(again.status).toBe(303);
    const already = decoded(
      (await ownerAgent.get(keyPage(stolenRsa._id, 'declarer-compromise')).set('Accept', HTML))
        .text,
    );
    expect(already).toContain('Cette clé a été déclarée compromise le');
    expect(already).toContain('Motif : Ordinateur portable volé');
    expect((await t.app.services.audit.page({ action: 'key.compromised' }, 5)).events).toHaveLength(
      1,
    );
    expect((await t.app.services.keys.findPublicKey(stolenRsa._id))!.compromiseReason).toBe(
      'Ordinateur portable volé',
    );
  });

  it('When the public documents are read, then the compromised key is gone from each and retired keys stay', async () => {
    const u = urls();
    const retiredRsa = firstKeys.find((k) => k.type === 'RSA')!;
    const retiredEd = firstKeys.find((k) => k.type === 'Ed25519')!;
    const did = (await json(`/emetteurs/${ISSUER}/did.json`)).body as {
      verificationMethod: { id: string }[];
      assertionMethod: string[];
    };
    const methodIds = did.verificationMethod.map((m) => m.id);
    expect(methodIds).not.toContain(u.jwk(ISSUER, stolenRsa._id));
    expect(did.assertionMethod).not.toContain(u.jwk(ISSUER, stolenRsa._id));
    expect(methodIds).toContain(u.jwk(ISSUER, retiredRsa._id));
    expect(methodIds).toContain(`${u.issuerDid(ISSUER)}#${retiredEd._id}`);
    // First RSA and Ed25519 (retired), second Ed25519 and the replacement RSA (active).
    expect(methodIds).toHaveLength(4);

    const jwks = (await json(`/emetteurs/${ISSUER}/jwks.json`)).body as { keys: { kid: string }[] };
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids).not.toContain(u.jwk(ISSUER, stolenRsa._id));
    expect(kids).toContain(u.jwk(ISSUER, retiredRsa._id));
    expect(kids).toHaveLength(4);

    const profile = (await json(`/emetteurs/${ISSUER}`)).body;
    const listed = [profile.publicKey].flat();
    expect(listed).not.toContain(u.key(ISSUER, stolenRsa._id));
    expect(listed.length).toBeGreaterThan(0);

    for (const path of [
      `/emetteurs/${ISSUER}/cles/${stolenRsa._id}`,
      `/emetteurs/${ISSUER}/cles/${stolenRsa._id}/jwk`,
    ]) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(410);
      const body = JSON.parse(res.text) as Record<string, unknown>;
      expect(body.revoked).toBe(true);
      expect(Object.keys(body).sort()).toEqual(['id', 'revoked']);
      expect(res.text).not.toContain('BEGIN PUBLIC KEY');
    }
    expect((await json(`/emetteurs/${ISSUER}/cles/${retiredRsa._id}`)).status).toBe(200);
    expect((await json(`/emetteurs/${ISSUER}/cles/${retiredRsa._id}/jwk`)).status).toBe(200);
  });

  it('When verification asks for the status of a key, then our stored status comes back for every form of its id', async () => {
    const own = ownBadgesFrom(t.app.services);
    const u = urls();
    const retiredEd = firstKeys.find((k) => k.type === 'Ed25519')!;
    const status = own.issuerKeyStatus!;
    expect(await status(u.issuer(ISSUER), u.key(ISSUER, stolenRsa._id))).toBe('compromised');
    expect(await status(u.issuerDid(ISSUER), u.jwk(ISSUER, stolenRsa._id))).toBe('compromised');
    expect(await status(u.issuerDid(ISSUER), `${u.issuerDid(ISSUER)}#${retiredEd._id}`)).toBe(
      'retired',
    );
    const active = await t.app.services.keys.activePublicKey(ISSUER, 'RSA');
    expect(await status(u.issuer(ISSUER), u.jwk(ISSUER, active._id))).toBe('active');
    // Not ours, or not that issuer's: unknown.
    expect(await status('https://ailleurs.example/emetteur', u.key(ISSUER, active._id))).toBe(
      undefined,
    );
    expect(await status(u.issuer('autre'), u.key(ISSUER, active._id))).toBe(undefined);
    expect(await status(u.issuer('autre'), u.key('autre', active._id))).toBe(undefined);
    expect(await status(u.issuer('inexistante'), u.key('inexistante', active._id))).toBe(undefined);
    expect(await status(u.issuer(ISSUER), u.key(ISSUER, 'rsa-0000000000000000'))).toBe(undefined);
  });

  it('When a badge signed with the compromised key is verified, then it is not verified and the compromise is named', async () => {
    for (const input of [late.ob3.jwt, late.ob2.jws]) {
      const report = await verifyApi(input);
      expect(report.verdict).toBe('not_verified');
      expect(report.steps.find((s) => s.id === 'issuer' && !s.ok)).toMatchObject({
        key: 'verify.steps.issuer.key_compromised',
      });
      expect(
        report.steps.find((s) => s.key === 'verify.steps.issuer.key_compromised')?.message,
      ).toContain('compromise');
    }
    // Its OB 3.0 Data Integrity proof is signed by the Ed25519 key, which was not compromised.
    expect((await verifyApi(late.ob3.credential)).verdict).toBe('verified');
  });

  it('When the owner opens the affected awards, then they are listed 20 per page with their state', async () => {
    const res = await ownerAgent
      .get(keyPage(stolenRsa._id, 'badges-concernes'))
      .set('Accept', HTML);
    expect(res.status).toBe(200);
    const text = decoded(res.text);
    expect(text).toContain('<h1>Badges signés avec une clé compromise</h1>');
    expect(text).toContain(`${3 + EXTRA} badges signés avec cette clé.`);
    expect(text).toContain(`${2 + EXTRA} badges restent à délivrer à nouveau.`);
    expect(text).toContain('Délivrer à nouveau avec la clé active');
    expect(text).toContain('Page 1 sur 2');
    expect(text.match(/<tr>/g)).toHaveLength(21);
    // Newest first: the last of the batch on page 1, the early ones on page 2.
    expect(text).toContain(`/assertions/${lateOthers[EXTRA - 1]!._id}`);
    const second = decoded(
      (
        await ownerAgent
          .get(`${keyPage(stolenRsa._id, 'badges-concernes')}?page=2`)
          .set('Accept', HTML)
      ).text,
    );
    expect(second).toContain('Page 2 sur 2');
    expect(second).toContain(`/assertions/${early._id}`);
    expect(second).toContain(`/assertions/${revokedBefore._id}`);
    expect(second).toContain('Révoqué : Délivré par erreur');
  });

  it('When the owner confirms "Délivrer à nouveau", then each award is issued again, verifies, is emailed, and the old one is revoked with the reason', async () => {
    const confirm = await ownerAgent
      .get(keyPage(stolenRsa._id, 'delivrer-a-nouveau'))
      .set('Accept', HTML);
    expect(confirm.status).toBe(200);
    const text = decoded(confirm.text);
    expect(text).toContain(`<h1>Délivrer à nouveau ${2 + EXTRA} badges ?</h1>`);
    expect(text).toContain(
      `L'ancien badge est révoqué avec le motif « ${COMPROMISE_REVOCATION_REASON} ».`,
    );
    const before = smtp.messages.length;
    const res = await ownerAgent
      .post(keyPage(stolenRsa._id, 'delivrer-a-nouveau'))
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) });
    expect(res.status).toBe(303);
    const after = decoded((await ownerAgent.get(res.headers.location!).set('Accept', HTML)).text);
    expect(after).toContain(`${2 + EXTRA} badges délivrés à nouveau.`);
    expect(after).toContain('Tous ces badges ont été délivrés à nouveau.');

    const activeRsa = await t.app.services.keys.activePublicKey(ISSUER, 'RSA');
    for (const old of [early, late, ...lateOthers]) {
      const fresh = await reissued(old);
      expect(fresh).not.toBeNull();
      expect(fresh).toMatchObject({
        reissueOf: old._id,
        badgeClassId: old.badgeClassId,
        recipient: { email: old.recipient.email },
        evidence: old.evidence,
        narrative: old.narrative,
        issuedOn: old.issuedOn,
        ob2: { keyId: activeRsa._id },
      });
      expect(fresh!.signingKeyIds).not.toContain(stolenRsa._id);
      // The old one: revoked with the reason, in the hosted assertion (410) and the OB 2.0 list.
      const hosted = await json(`/assertions/${old._id}`);
      expect(hosted.status).toBe(410);
      expect(hosted.body).toMatchObject({
        revoked: true,
        revocationReason: COMPROMISE_REVOCATION_REASON,
      });
    }
    const list = (await json(`/emetteurs/${ISSUER}/revocations`)).body as {
      revokedAssertions: { id: string; revocationReason: string }[];
    };
    expect(list.revokedAssertions).toContainEqual({
      id: urls().assertion(late._id),
      revocationReason: COMPROMISE_REVOCATION_REASON,
    });
    // The award revoked before for another reason was not issued again, nor its reason changed.
    expect(await reissued(revokedBefore)).toBeNull();
    expect((await t.app.services.awardsRepo.findRevocation(revokedBefore._id))!.reason).toBe(
      'Délivré par erreur',
    );

    // The new award of a late one: every form verifies through the public API.
    const fresh = (await reissued(late))!;
    for (const input of [fresh.ob2.jws, fresh.ob3.jwt, fresh.ob3.credential]) {
      expect((await verifyApi(input)).verdict).toBe('verified');
    }
    // OB 3.0: valid from the new signature, awarded on the first date; OB 2.0 issuedOn kept.
    const credential = JSON.parse(fresh.ob3.credential) as Record<string, string>;
    expect(credential.awardedDate).toBe(late.issuedOn.toISOString().replace('.000Z', 'Z'));
    expect(decodeJwt(fresh.ob2.jws).issuedOn).toBe(
      late.issuedOn.toISOString().replace('.000Z', 'Z'),
    );
    expect(decodeProtectedHeader(fresh.ob3.jwt).kid).toBe(urls().jwk(ISSUER, activeRsa._id));
    // …and the old ones are revoked for every verifier.
    const old = await verifyApi(late.ob3.credential);
    expect(old.verdict).toBe('not_verified');

    // One email per person, with the new link; no separate "revoked" email.
    const mail = await smtp.waitFor(
      (m) => m.to === 'apres@example.org' && m.subject.includes('à nouveau'),
    );
    expect(mail.subject).toBe(
      'Votre badge « Accompagner une démarche en ligne » a été délivré à nouveau',
    );
    expect(mail.text).toContain(urls().assertion(fresh._id));
    expect(mail.text).toContain('déclarée compromise');
    await smtp.waitFor(
      (m) => m.to === `lot-${EXTRA - 1}@example.org` && m.subject.includes('à nouveau'),
    );
    const sent = smtp.messages.slice(before);
    expect(sent).toHaveLength(2 + EXTRA);
    expect(sent.filter((m) => m.subject.includes('révoqué'))).toEqual([]);
    expect(sent.map((m) => m.to)).not.toContain('erreur@example.org');

    const audit = await t.app.services.audit.page({ action: 'key.awardsReissued' }, 5);
    expect(audit.events[0]).toMatchObject({
      actorId: owner.id,
      targetId: stolenRsa._id,
      details: { reissued: 2 + EXTRA, skippedRevoked: 1 },
    });
  }, 90_000);

  it('When the re-issue runs a second time, then nothing is issued twice and no email leaves', async () => {
    const count = await awardModel(t.db).countDocuments({ issuerId: ISSUER });
    const before = smtp.messages.length;
    const confirm = await ownerAgent
      .get(keyPage(stolenRsa._id, 'delivrer-a-nouveau'))
      .set('Accept', HTML);
    const res = await ownerAgent
      .post(keyPage(stolenRsa._id, 'delivrer-a-nouveau'))
      .type('form')
      .send({ _csrf: csrfFrom(confirm.text) });
    expect(res.status).toBe(303);
    expect(
      decoded((await ownerAgent.get(res.headers.location!).set('Accept', HTML)).text),
    ).toContain("Aucun badge n'était à délivrer à nouveau.");
    const report = await t.app.services.compromisedKeys.reissueAffected({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      keyId: stolenRsa._id,
    });
    expect(report).toMatchObject({ reissued: 0, already: 2 + EXTRA, skippedRevoked: 1 });
    expect(await awardModel(t.db).countDocuments({ issuerId: ISSUER })).toBe(count);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.length).toBe(before);
  });

  it('When a retired key of awards issued before signingKeyIds existed is compromised, then they are found from their signatures', async () => {
    // As stored before this feature: no signingKeyIds. The early award's OB 2.0 form was signed
    // again at the rotation; only its VC-JWT `kid` still names the first RSA key.
    await awardModel(t.db).updateMany({ issuerId: ISSUER }, { $unset: { signingKeyIds: 1 } });
    const retiredRsa = firstKeys.find((k) => k.type === 'RSA')!;
    expect(early.ob2.keyId).toBe(retiredRsa._id);
    const stored = (await t.app.services.awardsRepo.findById(early._id))!;
    expect(stored.ob2.keyId).not.toBe(retiredRsa._id);

    const result = await t.app.services.compromisedKeys.declareCompromised({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      keyId: retiredRsa._id,
      reason: 'Sauvegarde perdue',
    });
    expect(result).toMatchObject({ already: false });
    expect(result.replacement).toBeUndefined();
    const affected = await t.app.services.compromisedKeys.affected(
      adminActor,
      ISSUER,
      retiredRsa._id,
      1,
    );
    expect(affected.awards.map((a) => a.id).sort()).toEqual([early._id, revokedBefore._id].sort());
    const did = (await json(`/emetteurs/${ISSUER}/did.json`)).body as {
      verificationMethod: { id: string }[];
    };
    expect(did.verificationMethod.map((m) => m.id)).not.toContain(
      urls().jwk(ISSUER, retiredRsa._id),
    );
    expect(did.verificationMethod).toHaveLength(3);
  });

  it('When an operator runs `npm run admin -- compromise-key`, then the key is declared the same way, audited as the command line', async () => {
    const env = {
      MONGODB_URI: `${testDatabaseUri()}/${dbName}`,
      DATA_DIR: t.dataDir,
      PUBLIC_URL: t.url,
      NODE_ENV: 'test',
    };
    const ed = (await t.app.services.keys.listPublicKeys(ISSUER)).find(
      (k) => k.type === 'Ed25519' && k.status === 'active',
    )!;
    const missing = await runAdminCli(['compromise-key', '--issuer', ISSUER, '--key', ed._id], env);
    expect([missing.code, missing.err.trim()]).toEqual([
      64,
      'Missing --issuer, --key or --reason (all three are required).',
    ]);
    const run = await runAdminCli(
      [
        'compromise-key',
        '--issuer',
        ISSUER,
        '--key',
        ed._id,
        '--reason',
        'Clé copiée sur une clé USB perdue',
      ],
      env,
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Key ${ed._id} of ${ISSUER} declared compromised`);
    expect(run.out).toMatch(/new Ed25519 key: ed-[0-9a-f]{16}/);
    expect((await t.app.services.keys.findPublicKey(ed._id))!.status).toBe('compromised');
    const audit = await t.app.services.audit.page({ action: 'key.compromised' }, 5);
    expect(audit.events[0]).toMatchObject({
      actorId: 'cli',
      targetId: ed._id,
      details: { reason: 'Clé copiée sur une clé USB perdue' },
    });
  }, 60_000);
});
