/**
 * Recommendations ("recommandations"): a peer or a coordinator recommends an issued badge; the
 * OB 2.0 Endorsement (hosted and signed) and the OB 3.0 EndorsementCredential are published at
 * stable URLs, listed by the hosted assertion and shown by the verifier at once. Co-issuance
 * by quorum: a request waits for N recommendations, and the issued badge carries them.
 */
import { compactVerify, importSPKI } from 'jose';
import request from 'supertest';
import { verifyOb2Badge, verifyOb3Credential } from '../../../../src/core/index.js';
import { awardModel, type AwardDoc } from '../../../../src/components/awards/award.model.js';
import {
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

const BASE = 'http://127.0.0.1:3999';

describe('recommendations and co-issuance by quorum', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;
  let karim: Person;
  let sami: Person;
  let lea: Person;
  let agents: Record<string, request.Agent>;
  let award: AwardDoc;

  const csrf = async (agent: request.Agent, path: string) =>
    csrfFrom((await agent.get(path).set('Accept', 'text/html')).text);
  /** GET the page (for its CSRF token and cookie), then POST the form. */
  const post = async (
    agent: request.Agent,
    page: string,
    path: string,
    fields: Record<string, string>,
  ) => {
    const token = await csrf(agent, page);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  };
  const json = async (path: string) => {
    const res = await request(t.app).get(path).set('Accept', 'application/ld+json');
    return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
  };
  const verifyUrl = (url: string) => t.app.verification.verify({ way: 'url', url });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    const badge = await issuerWithBadge(t.app, 'roubaix');
    nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia Coordinatrice' },
      { roubaix: 'coordinator' },
    );
    karim = await createPerson(
      t.app,
      { email: 'karim.mediateur@example.org', name: 'Karim Médiateur' },
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
    award = await issueTo(t.app, badge); // to karim.mediateur@example.org
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When Karim opens his own badge, then he cannot recommend it', async () => {
    const page = decoded(
      (await agents.karim!.get(`/assertions/${award._id}`).set('Accept', 'text/html')).text,
    );
    expect(page).not.toContain(`/assertions/${award._id}/recommander`);
    const res = await post(
      agents.karim!,
      `/assertions/${award._id}`,
      `/assertions/${award._id}/recommander`,
      {
        comment: 'Moi-même',
      },
    );
    expect(res.status).toBe(422);
    expect(decoded(res.text)).toContain('Vous ne pouvez pas recommander votre propre badge.');
  });

  it('When a peer recommends the badge, then it is signed, published, listed by the assertion and shown by the verifier at once', async () => {
    const url = `${BASE}/assertions/${award._id}`;
    // Verified (and cached) before the recommendation.
    const before = await verifyUrl(url);
    expect(before.report.verdict).toBe('verified');
    expect(before.report.badge?.endorsements ?? []).toEqual([]);

    const form = await agents.sami!.get(`/assertions/${award._id}/recommander`);
    expect(form.status).toBe(200);
    const empty = await agents
      .sami!.post(`/assertions/${award._id}/recommander`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), comment: '  ' });
    expect(empty.status).toBe(422);
    expect(decoded(empty.text)).toContain('<a href="#comment">Écrivez votre recommandation.</a>');
    const res = await post(
      agents.sami!,
      `/assertions/${award._id}`,
      `/assertions/${award._id}/recommander`,
      {
        comment: 'Karim a accompagné mes usagers avec patience.',
      },
    );
    expect(res.status).toBe(303);
    const id = `${award._id}.0`;

    // OB 2.0 hosted Endorsement; the hosted assertion lists it.
    const hosted = await json(`/recommandations/${id}`);
    expect(hosted.status).toBe(200);
    expect(hosted.body).toMatchObject({
      type: 'Endorsement',
      id: `${BASE}/recommandations/${id}`,
      claim: { id: url, endorsementComment: 'Karim a accompagné mes usagers avec patience.' },
      verification: { type: 'hosted' },
    });
    const profile = await json(new URL(String(hosted.body.issuer)).pathname);
    expect(profile.body).toMatchObject({ type: 'Profile', name: 'Sami Pair' });
    expect(JSON.stringify(profile.body)).not.toContain('sami@example.org');
    expect((await json(`/assertions/${award._id}`)).body.endorsement).toEqual([
      `${BASE}/recommandations/${id}`,
    ]);

    // OB 2.0 signed form: RS256 over the same Endorsement, key published under the person.
    const jws = (await request(t.app).get(`/recommandations/${id}/jws`)).text;
    const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
    const keyDoc = await json(new URL(payload.verification.creator as string).pathname);
    expect(keyDoc.body).toMatchObject({ type: 'CryptographicKey', owner: hosted.body.issuer });
    await compactVerify(jws, await importSPKI(keyDoc.body.publicKeyPem as string, 'RS256'));

    // OB 3.0 EndorsementCredential: verifies with the person's did:web (the issuer's keys).
    const credential = (await request(t.app).get(`/recommandations/${id}/credential`)).text;
    const checked = await verifyOb3Credential(credential, {
      fetch: t.app.services.internalFetcher,
      now: new Date(),
    });
    expect(checked.steps.filter((s) => s.level === 'error')).toEqual([]);

    // The verifier shows it now (the change epoch drops the cached result).
    const after = await verifyUrl(url);
    expect(after.report.verdict).toBe('verified');
    expect(after.report.badge?.endorsements).toEqual([
      expect.objectContaining({
        issuerName: 'Sami Pair',
        comment: 'Karim a accompagné mes usagers avec patience.',
      }),
    ]);
    const page = decoded(
      (await request(t.app).get(`/assertions/${award._id}`).set('Accept', 'text/html')).text,
    );
    expect(page).toContain('Sami Pair');
    expect(page).toContain('Karim a accompagné mes usagers avec patience.');
    const mail = await smtp.waitFor(
      (m) => m.to === karim.email && m.subject.includes('recommande'),
    );
    expect(mail.subject).toBe(
      'Sami Pair recommande votre badge « Accompagner une démarche en ligne »',
    );

    // A second click makes no second recommendation.
    await post(agents.sami!, `/assertions/${award._id}`, `/assertions/${award._id}/recommander`, {
      comment: 'Encore',
    });
    expect((await json(`/assertions/${award._id}`)).body.endorsement).toHaveLength(1);
  });

  it('When a badge needs 1 coordinator and 2 peers, then the request waits, shows progress, and the issued badge carries the three', async () => {
    // Karim already holds the first badge: he asks for another one of the catalogue.
    const quorumBadgeId = (await issuerWithBadge(t.app, 'roubaix'))._id;
    const quorumPage = `/structures/roubaix/badges/${quorumBadgeId}/recommandations-requises`;
    const bad = await post(agents.nadia!, quorumPage, quorumPage, {
      coordinators: '11',
      peers: '2',
    });
    expect(bad.status).toBe(422);
    const set = await post(agents.nadia!, quorumPage, quorumPage, {
      coordinators: '1',
      peers: '2',
    });
    expect(set.status).toBe(303);

    const asked = await agents
      .karim!.post('/demandes')
      .field('_csrf', await csrf(agents.karim!, '/demandes/nouvelle'))
      .field('badgeClassId', quorumBadgeId)
      .field('links', 'https://exemple.org/atelier-1')
      .field('text', 'Trois ateliers au centre social.');
    expect(asked.status).toBe(303);
    const page = asked.headers.location!;
    const requestId = page.split('/').pop()!;
    const approve = `/structures/roubaix/demandes/${requestId}/approuver`;
    const endorse = `/demandes/${requestId}/recommander`;

    // Too early: nothing is issued.
    const early = await post(agents.nadia!, page, approve, { revision: '1' });
    expect(early.status).toBe(303);
    // Only the badge issued to him directly before.
    expect(await awardModel(t.db).countDocuments()).toBe(1);
    const karimPage = decoded((await agents.karim!.get(page)).text);
    expect(karimPage).toContain('Recommandations réunies : 0 sur 3');

    // The requester cannot recommend his own request; a peer sees it on "Mes badges".
    const own = await post(agents.karim!, page, endorse, { comment: 'Moi' });
    expect(own.status).toBe(422);
    expect(decoded((await agents.lea!.get('/mes-badges')).text)).toContain(
      'Karim Médiateur demande le badge « Accompagner une démarche en ligne »',
    );
    for (const [who, comment] of [
      ['sami', 'Vu en atelier : très clair.'],
      ['lea', 'Il m’a aidée sur une démarche CAF.'],
    ] as const) {
      expect((await post(agents[who]!, page, endorse, { comment })).status).toBe(303);
    }
    expect(decoded((await agents.karim!.get(page)).text)).toContain(
      'Recommandations réunies : 2 sur 3',
    );
    // Two peers are enough peers: a third peer's recommendation is not asked for.
    expect(decoded((await agents.lea!.get('/mes-badges')).text)).not.toContain('demande le badge');
    expect(
      (await post(agents.nadia!, page, endorse, { comment: 'Je confirme ces ateliers.' })).status,
    ).toBe(303);
    await smtp.waitFor(
      (m) => m.to === nadia.email && m.subject.startsWith('Recommandations réunies'),
    );
    expect(decoded((await agents.karim!.get(page)).text)).toContain(
      'Recommandations réunies : 3 sur 3',
    );

    const done = await post(agents.nadia!, page, approve, { revision: '1' });
    expect(done.status).toBe(303);
    const all = await awardModel(t.db).find().lean();
    expect(all).toHaveLength(2);
    const found = all.find((a) => a._id !== award._id)!;
    expect(found.recipient.email).toBe(karim.email);
    expect(found.endorsementIds).toHaveLength(3);

    // OB 3.0: the three EndorsementCredentials are inside the signed credential and verify.
    const credential = JSON.parse(found.ob3.credential);
    expect(credential.endorsement).toHaveLength(3);
    expect(credential.endorsement[0].type).toEqual([
      'VerifiableCredential',
      'EndorsementCredential',
    ]);
    const fetch = t.app.services.internalFetcher;
    const ob3 = await verifyOb3Credential(found.ob3.credential, { fetch, now: new Date() });
    expect(ob3.verdict).toBe('verified');
    expect(ob3.badge?.endorsements).toHaveLength(3);
    // OB 2.0: the signed assertion lists them; the verifier follows and shows them.
    const ob2 = await verifyOb2Badge(found.ob2.jws, { fetch, now: new Date() });
    expect(ob2.verdict).toBe('verified');
    expect(ob2.badge?.endorsements?.map((e) => e.issuerName).sort()).toEqual([
      'Léa Paire',
      'Nadia Coordinatrice',
      'Sami Pair',
    ]);
  });
});
