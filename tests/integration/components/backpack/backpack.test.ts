/**
 * "Mes badges" and the public profile over HTTP on a real FerretDB: status of each badge
 * (valid, expired, revoked with its reason), accept and hide, grouping by competency, the name
 * the holder chooses to show (signed into the OB 3.0 credential, read from our records for OB
 * 2.0 pages), and the public profile's address rules (unique, reserved after opt-out, 404).
 */
import request from 'supertest';
import type { Agent } from 'supertest';
import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import {
  DAY,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import { RECIPIENT, adminActor, issueTo, issuerWithBadge } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { didKeyBadge } from '../../../helpers/imports.js';
import { verificationViewModel } from '../../../../src/components/verification/verification-view-model.js';
import { translator } from '../../../../src/libraries/i18n/i18n.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const NBSP = '\u00a0';

describe('the backpack and the public profile', () => {
  const clock = testClock(new Date('2027-03-01T09:00:00Z'));
  let t: TestApp;
  let karim: Person;
  let sami: Person;
  let karimAgent: Agent;
  let samiAgent: Agent;
  let badge: BadgeClassDoc;
  let unaligned: BadgeClassDoc;
  let shortLived: BadgeClassDoc;

  /** Moves the clock; sessions (14 idle days) end, so both people sign in again. */
  async function later(ms: number) {
    clock.advance(ms);
    karimAgent = await signIn(t.app, karim);
    samiAgent = await signIn(t.app, sami);
  }
  const page = async (agent: Agent, path: string) =>
    decoded((await agent.get(path).set('Accept', 'text/html')).text);
  async function post(agent: Agent, from: string, path: string, fields: Record<string, unknown>) {
    const token = csrfFrom((await agent.get(from)).text);
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  }
  const credentialOf = async (id: string) =>
    JSON.parse((await request(t.app).get(`/assertions/${id}/credential`)).text) as {
      credentialSubject: { identifier: Record<string, unknown>[] };
      credentialStatus: Record<string, unknown>;
    };

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits, clock: clock.now });
    badge = await issuerWithBadge(t.app, 'roubaix');
    unaligned = await issuerWithBadge(t.app, 'roubaix', {
      name: 'Animer un atelier',
      alignments: [],
    });
    shortLived = await issuerWithBadge(t.app, 'roubaix', {
      name: 'Premiers secours numériques',
      alignments: ['crcn:4.2'],
      validityDays: '30',
    });
    karim = await createPerson(
      t.app,
      { email: RECIPIENT, name: 'Karim Benali' },
      { roubaix: 'member' },
    );
    sami = await createPerson(
      t.app,
      { email: 'sami@example.org', name: 'Sami Pair' },
      { roubaix: 'member' },
    );
    karimAgent = await signIn(t.app, karim);
    samiAgent = await signIn(t.app, sami);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('Mes badges', () => {
    let kept: AwardDoc;
    let revoked: AwardDoc;
    let expired: AwardDoc;
    let other: AwardDoc;

    beforeAll(async () => {
      kept = await issueTo(t.app, badge);
      other = await issueTo(t.app, unaligned);
      revoked = await issueTo(t.app, unaligned, { narrative: 'Deuxième atelier.' });
      await t.app.services.awards.revokeAward({
        actor: adminActor,
        ip: '127.0.0.1',
        issuerId: 'roubaix',
        awardId: revoked._id,
        reason: 'Délivré par erreur',
      });
      expired = await issueTo(t.app, shortLived);
      await later(31 * DAY);
    });

    it('When a mediator opens their badges, then each shows its status: valid, expired since a date, revoked with the date and the reason', async () => {
      const html = await page(karimAgent, '/mes-badges');
      expect(html).toContain('<h1>Mes badges</h1>');
      const card = (id: string) => {
        const start = html.indexOf(`/assertions/${id}"`);
        return html.slice(start, html.indexOf('</li>', start));
      };
      expect(card(kept._id)).toContain('<span class="tag">Valide</span>');
      expect(card(expired._id)).toContain('Expiré depuis le 31 mars 2027');
      expect(card(revoked._id)).toContain('Révoqué le 1er mars 2027');
      expect(card(revoked._id)).toContain(`Motif${NBSP}: Délivré par erreur`);
      // A revoked badge cannot be accepted any more.
      expect(card(revoked._id)).not.toContain('/accepter');
      expect(card(kept._id)).toContain(`/mes-badges/${kept._id}/accepter`);
    });

    it('When badges are aligned on framework competencies, then they are grouped by competency (a badge on two competencies is in both), the others last', async () => {
      const html = await page(karimAgent, '/mes-badges');
      const headings = [...html.matchAll(/<h3 id="competence-[^"]*">(.*?)<\/h3>/g)].map((m) =>
        m[1]!.replace(/<[^>]+>/g, ''),
      );
      expect(headings).toHaveLength(3);
      expect(headings[0]).toBe(
        'Cadre de référence des compétences numériques (CRCN) 2.1 — Interagir (1 badge)',
      );
      expect(headings[1]).toMatch(/\(CRCN\) 4\.2 — .+ \(2 badges\)$/);
      expect(headings[2]).toBe('Autres badges (2 badges)');
      const sections = html.split('<h3 id="competence-').slice(1);
      expect(sections[0]).toContain(`/assertions/${kept._id}"`);
      expect(sections[1]).toContain(`/assertions/${expired._id}"`);
      expect(sections[2]).toContain(`/assertions/${other._id}"`);
      expect(sections[2]).toContain(`/assertions/${revoked._id}"`);
      expect(sections[2]).not.toContain(`/assertions/${kept._id}"`);
    });

    it('When the mediator hides a badge, then it leaves the groups for a collapsed "Badges masqués" section, and can be shown again', async () => {
      const res = await post(karimAgent, '/mes-badges', `/mes-badges/${other._id}/masquer`, {});
      expect(res.status).toBe(303);
      let html = await page(karimAgent, '/mes-badges');
      const hiddenAt = html.indexOf('<details class="backpack__hidden">');
      expect(hiddenAt).toBeGreaterThan(-1);
      expect(html).toContain('<summary>Badges masqués (1)</summary>');
      expect(html.indexOf(`/assertions/${other._id}"`)).toBeGreaterThan(hiddenAt);
      expect(html).toContain('Badge masqué.');
      await post(karimAgent, '/mes-badges', `/mes-badges/${other._id}/afficher`, {});
      html = await page(karimAgent, '/mes-badges');
      expect(html).not.toContain('Badges masqués');
      expect(html).toContain(`/mes-badges/${other._id}/masquer`);
    });

    it("When someone else tries to accept or hide Karim's badge, then it is not found", async () => {
      const res = await post(samiAgent, '/mes-badges', `/mes-badges/${kept._id}/accepter`, {
        showName: 'short',
      });
      expect(res.status).toBe(404);
      const hide = await post(samiAgent, '/mes-badges', `/mes-badges/${kept._id}/masquer`, {});
      expect(hide.status).toBe(404);
    });

    it('When the mediator accepts a badge showing "Karim B.", then the OB 3.0 credential carries an unhashed name beside the hashed email, keeps its status entry, still verifies, and the pages say "Délivré à Karim B."', async () => {
      const before = await credentialOf(kept._id);
      const res = await post(karimAgent, '/mes-badges', `/mes-badges/${kept._id}/accepter`, {
        showName: 'short',
      });
      expect(res.status).toBe(303);
      expect(await page(karimAgent, '/mes-badges')).toContain(
        `Sa page indique désormais «${NBSP}Délivré à Karim B.${NBSP}».`,
      );
      const after = await credentialOf(kept._id);
      expect(after.credentialSubject.identifier).toEqual([
        before.credentialSubject.identifier[0],
        { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'Karim B.' },
      ]);
      expect(before.credentialSubject.identifier[0]).toMatchObject({
        identityType: 'emailAddress',
        hashed: true,
      });
      expect(after.credentialStatus).toEqual(before.credentialStatus);

      // Our verifier: Data Integrity proof and VC-JWT both verify, with the email too.
      const credentialUrl = `${t.config.PUBLIC_URL}/assertions/${kept._id}/credential`;
      for (const url of [credentialUrl, `${credentialUrl}.jwt`]) {
        const outcome = await t.app.verification.verify({ way: 'url', url });
        expect(outcome.report.verdict).toBe('verified');
        expect(outcome.report.badge?.recipient?.name).toBe('Karim B.');
      }
      const withEmail = await t.app.verification.verify(
        { way: 'url', url: credentialUrl },
        { expectedEmail: RECIPIENT },
      );
      expect(withEmail.report.steps.find((s) => s.id === 'recipient')?.ok).toBe(true);

      // The verifier page (OB 3.0) and the award page (OB 2.0, from our records).
      const verifier = decoded(
        (await request(t.app).get('/verifier').query({ url: credentialUrl })).text,
      );
      expect(verifier).toContain('<p class="verdict__holder">Délivré à Karim B.</p>');
      const awardPage = await page(karimAgent, `/assertions/${kept._id}`);
      expect(awardPage).toContain('<p class="verdict__holder">Délivré à Karim B.</p>');
      // An employer checking the hosted OB 2.0 assertion on /verifier reads it too (our records).
      const hostedOb2 = decoded(
        (
          await request(t.app)
            .get('/verifier')
            .query({ url: `${t.config.PUBLIC_URL}/assertions/${kept._id}` })
        ).text,
      );
      expect(hostedOb2).toContain('<p class="verdict__holder">Délivré à Karim B.</p>');

      // The attacker's own did:key and key: a credential naming someone, with our award's URL
      // as its id, or claiming our issuer. Neither borrows our records nor shows its own name.
      const ourAward = `${t.config.PUBLIC_URL}/assertions/${kept._id}`;
      const ourIssuer = t.app.services.urls.issuerDid('roubaix');
      for (const forged of [
        await didKeyBadge(RECIPIENT, 'forge-1', 'Faux badge', {
          id: ourAward,
          holderName: 'Mallory',
        }),
        await didKeyBadge(RECIPIENT, 'forge-2', 'Faux badge', {
          id: ourAward,
          issuerId: ourIssuer,
          holderName: 'Mallory',
        }),
      ]) {
        const outcome = await t.app.verification.verify({ way: 'text', text: forged.json });
        expect(outcome.holderName).toBeUndefined();
        const view = verificationViewModel(outcome, {
          t: translator('fr'),
          lang: 'fr',
          publicUrl: t.config.PUBLIC_URL,
        });
        expect(view.holder).toBeUndefined();
      }
      // The email check is an optional extra, worded neutrally (not a shortfall).
      expect(awardPage).toContain(
        `Adresse e-mail du titulaire${NBSP}: vérification facultative, non demandée.`,
      );
      expect(awardPage).toContain('check--neutral');
      expect(awardPage).not.toContain("aucune adresse e-mail n'a été saisie");
      expect(verifier).toContain("Vérifier l'adresse e-mail du titulaire");
      expect(verifier).toContain('Adresse e-mail du titulaire (facultatif)');
      expect(verifier).not.toContain("qui n'est pas affichée");
    });

    it('When the mediator then chooses not to show their name, then the credential is signed again without it and pages show no name', async () => {
      await post(karimAgent, '/mes-badges', `/mes-badges/${kept._id}/accepter`, {
        showName: 'none',
      });
      const credential = await credentialOf(kept._id);
      expect(credential.credentialSubject.identifier).toHaveLength(1);
      expect(credential.credentialSubject.identifier[0]).toMatchObject({
        identityType: 'emailAddress',
      });
      const url = `${t.config.PUBLIC_URL}/assertions/${kept._id}/credential`;
      expect((await t.app.verification.verify({ way: 'url', url })).report.verdict).toBe(
        'verified',
      );
      const awardPage = await page(karimAgent, `/assertions/${kept._id}`);
      expect(awardPage).not.toContain('Délivré à');
      expect(await page(karimAgent, '/mes-badges')).toContain(
        "Accepté. Sa page n'affiche pas votre nom.",
      );
    });

    it('When the full name is chosen, then it is the one signed', async () => {
      await post(karimAgent, '/mes-badges', `/mes-badges/${kept._id}/accepter`, {
        showName: 'full',
      });
      const credential = await credentialOf(kept._id);
      expect(credential.credentialSubject.identifier[1]).toMatchObject({
        identityType: 'name',
        identityHash: 'Karim Benali',
      });
    });

    it('When a credential carries a name but its signature fails, then the verifier shows no name', async () => {
      const credential = (await credentialOf(kept._id)) as Record<string, unknown> & {
        credentialSubject: { identifier: Record<string, unknown>[] };
      };
      credential.credentialSubject.identifier[1]!.identityHash = 'Quelqu’un d’autre';
      const visitor = request.agent(t.app);
      const token = csrfFrom((await visitor.get('/verifier')).text);
      const res = await visitor
        .post('/verifier')
        .field('_csrf', token)
        .field('way', 'text')
        .field('text', JSON.stringify(credential));
      const html = decoded(res.text);
      expect(html).toContain('Non vérifié');
      expect(html).not.toContain('Délivré à');
    });
  });

  describe('Mon profil public', () => {
    const save = (agent: Agent, fields: Record<string, unknown>) =>
      post(agent, '/mon-profil-public', '/mon-profil-public', fields);

    it('When the mediator has not opted in, then the profile is off and suggests addresses from the name', async () => {
      const html = await page(karimAgent, '/mon-profil-public');
      expect(html).toContain(`Votre profil public est désactivé${NBSP}: personne ne peut le voir.`);
      expect(html).toContain('<code>karim-b</code>');
      expect(html).toContain('<code>karim-benali</code>');
      expect(html).not.toMatch(/id="enabled"[^>]*checked/);
      expect((await request(t.app).get('/profils/karim-b')).status).toBe(404);
    });

    it('When the address is malformed or a platform word, then nothing is saved and the field says why', async () => {
      for (const [slug, message] of [
        ['Karim B', 'lettres minuscules sans accents'],
        ['kb', 'de 3 à 40 caractères'],
        ['-karim', 'lettres minuscules sans accents'],
        ['admin', 'réservée par la plateforme'],
      ] as const) {
        const res = await save(karimAgent, { enabled: 'oui', slug });
        expect(res.status).toBe(422);
        expect(decoded(res.text)).toContain(message);
      }
      const long = await save(karimAgent, {
        enabled: 'oui',
        slug: 'karim-b',
        bio: 'x'.repeat(501),
      });
      expect(long.status).toBe(422);
      expect(decoded(long.text)).toContain(
        `La présentation compte 501 caractères${NBSP}: 500 au plus.`,
      );
      expect((await request(t.app).get('/profils/karim-b')).status).toBe(404);
    });

    it('When the mediator opts in with an address and badges, then an anonymous visitor sees the name, the presentation and each badge with its live status, not indexed', async () => {
      const awards = await t.app.services.awardsRepo.listByIssuer('roubaix', 50);
      const shown = awards.filter((a) => a.recipient.email === RECIPIENT).map((a) => a._id);
      const res = await save(karimAgent, {
        enabled: 'oui',
        slug: 'karim-b',
        bio: 'Médiateur au centre social.\n<b>pas de HTML</b>',
        awardIds: shown,
        nameStyle: 'short',
      });
      expect(res.status).toBe(303);
      const pub = await request(t.app).get('/profils/karim-b');
      expect(pub.status).toBe(200);
      const html = decoded(pub.text);
      expect(html).toContain('<h1>Karim B.</h1>');
      expect(pub.text).toContain('&lt;b&gt;pas de HTML&lt;/b&gt;');
      expect(html).toContain('<meta name="robots" content="noindex">');
      expect(html).toContain('<meta property="og:title" content="Karim B. — badges vérifiés">');
      expect(html).toContain(
        `<meta property="og:url" content="${t.config.PUBLIC_URL}/profils/karim-b">`,
      );
      expect(html).toMatch(/<meta property="og:image" content="[^"]+\/image\.png">/);
      expect(html).toContain(
        '<meta property="og:description" content="Médiateur au centre social.',
      );
      // Live statuses: verified, revoked (with its reason), expired.
      expect(html).toContain('<strong>Vérifié</strong>');
      expect(html).toContain('<strong>Non vérifié</strong>');
      expect(html).toContain(`Motif${NBSP}: Délivré par erreur`);
      expect(html).toContain('<strong>Attention</strong>');
    });

    it('When the mediator allows search engines, then the noindex line goes', async () => {
      const settings = await page(karimAgent, '/mon-profil-public');
      const chosen = [...settings.matchAll(/name="awardIds" value="([^"]+)" checked/g)].map(
        (m) => m[1],
      );
      await save(karimAgent, {
        enabled: 'oui',
        slug: 'karim-b',
        awardIds: chosen,
        allowIndexing: 'oui',
      });
      const html = (await request(t.app).get('/profils/karim-b')).text;
      expect(html).not.toContain('name="robots"');
    });

    it('When another mediator asks for a taken address, then it is refused', async () => {
      const res = await save(samiAgent, { enabled: 'oui', slug: 'karim-b' });
      expect(res.status).toBe(422);
      expect(decoded(res.text)).toContain(`L'adresse «${NBSP}karim-b${NBSP}» est déjà prise.`);
    });

    it('When the mediator switches the profile off, then the address answers 404 and stays reserved to them until the reserve period ends', async () => {
      const off = await post(karimAgent, '/mon-profil-public', '/mon-profil-public/desactiver', {});
      expect(off.status).toBe(303);
      expect((await request(t.app).get('/profils/karim-b')).status).toBe(404);
      expect(await page(karimAgent, '/mon-profil-public')).toContain(
        'Votre profil public est désactivé.',
      );
      // Nobody else may take it for 90 days…
      const taken = await save(samiAgent, { enabled: 'oui', slug: 'karim-b' });
      expect(taken.status).toBe(422);
      await later(89 * DAY);
      expect((await save(samiAgent, { enabled: 'oui', slug: 'karim-b' })).status).toBe(422);
      // … its owner may, at any time.
      expect((await save(karimAgent, { enabled: 'oui', slug: 'karim-b' })).status).toBe(303);
      expect((await request(t.app).get('/profils/karim-b')).status).toBe(200);
      // Changing address reserves the old one too.
      expect((await save(karimAgent, { enabled: 'oui', slug: 'karim-benali' })).status).toBe(303);
      expect((await request(t.app).get('/profils/karim-b')).status).toBe(404);
      expect((await request(t.app).get('/profils/karim-benali')).status).toBe(200);
      expect((await save(samiAgent, { enabled: 'oui', slug: 'karim-b' })).status).toBe(422);
      await later(91 * DAY);
      const freed = await save(samiAgent, { enabled: 'oui', slug: 'karim-b' });
      expect(freed.status).toBe(303);
      expect(decoded((await request(t.app).get('/profils/karim-b')).text)).toContain(
        '<h1>Sami P.</h1>',
      );
    });
  });
});
