/**
 * Invitation, password-reset and email-change links: single use, expiring, tamper-evident.
 * Messages travel through a real SMTP server on loopback.
 */
import request from 'supertest';
import { oneTimeTokenModel } from '../../../../src/components/accounts/one-time-token.model.js';
import { tokenId } from '../../../../src/components/accounts/one-time-token.repository.js';
import { decoded } from '../../../helpers/html.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  DAY,
  postForm,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const PASSWORD = 'le tram part à huit heures';

function pathOf(url: string): string {
  return new URL(url).pathname;
}

/** Changes one character of the token in a link (same length, same alphabet). */
function tampered(path: string): string {
  const i = path.length - 5;
  const c = path[i] === 'A' ? 'B' : 'A';
  return path.slice(0, i) + c + path.slice(i + 1);
}

describe('one-time links', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;
  const clock = testClock();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url }, clock: clock.now });
    await createIssuer(t.app, 'roubaix', 'Ville de Roubaix');
    nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', name: 'Nadia' },
      { roubaix: 'coordinator' },
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function invite(email: string): Promise<string> {
    const agent = await signIn(t.app, nadia);
    const res = await postForm(
      agent,
      '/structures/roubaix/membres',
      '/structures/roubaix/invitations',
      { emails: email },
    );
    expect(res.status).toBe(303);
    return pathOf(linkIn(await smtp.waitFor((m) => m.to === email), '/invitation/'));
  }

  async function accept(path: string, name = 'Karim B.') {
    const agent = request.agent(t.app);
    const page = await agent.get(path);
    if (page.status !== 200) return { agent, res: page };
    const res = await agent
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), name, password: PASSWORD, passwordConfirm: PASSWORD });
    return { agent, res };
  }

  describe('invitations', () => {
    it('When Karim opens his invitation and sets his name and password, then he has an account in the issuer', async () => {
      const path = await invite('karim@example.org');
      const mail = smtp.messages.find((m) => m.to === 'karim@example.org')!;
      expect(mail.subject).toBe('Invitation à rejoindre Ville de Roubaix sur Coop Badges');
      expect(mail.text).toContain('Nadia vous invite à rejoindre Ville de Roubaix');
      expect(mail.text).toContain('valable 7 jours');
      expect(mail.html).toContain('<a href="http://127.0.0.1:3999/invitation/');
      const { agent, res } = await accept(path);
      expect(res.status).toBe(303);
      const account = await agent.get('/compte');
      expect(decoded(account.text)).toContain(
        'Bienvenue ! Votre compte est créé et vous avez rejoint Ville de Roubaix.',
      );
      const user = await t.app.services.users.findByEmail('karim@example.org');
      expect(user?.name).toBe('Karim B.');
      expect(await t.app.services.issuerRepo.findMembership('roubaix', user!._id)).toMatchObject({
        role: 'member',
      });
    });

    it('When an invitation link is used twice, then the second use fails', async () => {
      const path = await invite('reuse@example.org');
      expect((await accept(path)).res.status).toBe(303);
      const again = await accept(path, 'Quelqu’un');
      expect(again.res.status).toBe(410);
      expect(decoded(again.res.text)).toContain('Ce lien a déjà servi');
    });

    it('When two people submit the same invitation at once, then only one account is created', async () => {
      const path = await invite('race@example.org');
      const a = request.agent(t.app);
      const b = request.agent(t.app);
      const [pa, pb] = await Promise.all([a.get(path), b.get(path)]);
      const results = await Promise.all([
        a
          .post(path)
          .type('form')
          .send({
            _csrf: csrfFrom(pa.text),
            name: 'A',
            password: PASSWORD,
            passwordConfirm: PASSWORD,
          }),
        b
          .post(path)
          .type('form')
          .send({
            _csrf: csrfFrom(pb.text),
            name: 'B',
            password: PASSWORD,
            passwordConfirm: PASSWORD,
          }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([303, 410]);
    });

    it('When an invitation is older than 7 days, then it no longer works', async () => {
      const path = await invite('late@example.org');
      clock.advance(7 * DAY + 1000);
      const { res } = await accept(path);
      expect(res.status).toBe(410);
      expect(decoded(res.text)).toContain('Ce lien a expiré');
      expect(await t.app.services.users.findByEmail('late@example.org')).toBeNull();
    });

    it('When one character of the token is changed, then the link is refused', async () => {
      const path = await invite('tamper@example.org');
      for (const bad of [tampered(path), `${path}x`, path.slice(0, -1), '/invitation/%00']) {
        const res = await request(t.app).get(bad);
        expect([bad, res.status]).toEqual([bad, 410]);
      }
      const post = await accept(tampered(path));
      expect(post.res.status).toBe(410);
      // The original still works: refusing a forgery does not burn the real link.
      expect((await accept(path)).res.status).toBe(303);
    });

    it('When the database is read, then it holds only the SHA-256 of each token, never the token', async () => {
      const path = await invite('hashed@example.org');
      const token = path.split('/').pop()!;
      const docs = await oneTimeTokenModel(t.db).find({ email: 'hashed@example.org' }).lean();
      expect(docs).toHaveLength(1);
      expect(docs[0]!._id).toBe(tokenId(token));
      expect(JSON.stringify(docs)).not.toContain(token);
    });

    it('When an invitation is cancelled, then its link no longer works', async () => {
      const path = await invite('cancel@example.org');
      const agent = await signIn(t.app, nadia);
      const id = tokenId(path.split('/').pop()!);
      const res = await postForm(
        agent,
        '/structures/roubaix/membres',
        `/structures/roubaix/invitations/${id}/annuler`,
        {},
      );
      expect(res.status).toBe(303);
      expect((await accept(path)).res.status).toBe(410);
    });
  });

  describe('password reset', () => {
    let sophie: Person;
    beforeAll(async () => {
      sophie = await createPerson(t.app, { email: 'sophie@example.org', name: 'Sophie' });
    });

    async function requestReset(email: string): Promise<string> {
      const before = smtp.messages.length;
      const res = await postForm(
        request.agent(t.app),
        '/mot-de-passe-oublie',
        '/mot-de-passe-oublie',
        { email },
      );
      expect(res.status).toBe(200);
      const mail = await smtp.waitFor(
        (m) =>
          m.to === email &&
          m.subject === 'Choisir un nouveau mot de passe' &&
          smtp.messages.indexOf(m) >= before,
      );
      return pathOf(linkIn(mail, '/mot-de-passe/nouveau/'));
    }

    async function setPassword(path: string, password = 'une toute nouvelle phrase') {
      const agent = request.agent(t.app);
      const page = await agent.get(path);
      if (page.status !== 200) return page;
      return agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), password, passwordConfirm: password });
    }

    it('When Sophie asks for a reset, then the answer is the same whether the account exists or not', async () => {
      const known = await postForm(
        request.agent(t.app),
        '/mot-de-passe-oublie',
        '/mot-de-passe-oublie',
        { email: sophie.email },
      );
      const unknown = await postForm(
        request.agent(t.app),
        '/mot-de-passe-oublie',
        '/mot-de-passe-oublie',
        {
          email: 'inconnue@example.org',
        },
      );
      expect(known.status).toBe(unknown.status);
      expect(decoded(known.text).replace(sophie.email, 'X')).toBe(
        decoded(unknown.text).replace('inconnue@example.org', 'X'),
      );
      await smtp.waitFor((m) => m.to === sophie.email);
      expect(smtp.messages.some((m) => m.to === 'inconnue@example.org')).toBe(false);
    });

    it('When the reset link is used, then the new password works, the old does not, and the link is spent', async () => {
      const path = await requestReset(sophie.email);
      const res = await setPassword(path);
      expect(res.status).toBe(303);
      await smtp.waitFor(
        (m) => m.to === sophie.email && m.subject === 'Votre mot de passe a été changé',
      );
      await expect(
        signIn(t.app, { email: sophie.email, password: sophie.password }),
      ).rejects.toThrow();
      await signIn(t.app, { email: sophie.email, password: 'une toute nouvelle phrase' });
      const again = await setPassword(path, 'encore une autre phrase');
      expect(again.status).toBe(410);
      sophie.password = 'une toute nouvelle phrase';
    });

    it('When a reset link is older than its validity, then it fails', async () => {
      const path = await requestReset(sophie.email);
      clock.advance(2 * 3600_000 + 1000);
      const res = await setPassword(path);
      expect(res.status).toBe(410);
      expect(decoded(res.text)).toContain('Ce lien a expiré');
    });

    it('When a reset link is tampered with, then it fails', async () => {
      const path = await requestReset(sophie.email);
      expect((await setPassword(tampered(path))).status).toBe(410);
      expect((await setPassword(path, 'la bonne phrase cette fois')).status).toBe(303);
      sophie.password = 'la bonne phrase cette fois';
    });

    it('When two reset links were sent and one is used, then the older one stops working too', async () => {
      const first = await requestReset(sophie.email);
      clock.advance(1000);
      const second = await requestReset(sophie.email);
      clock.advance(1000);
      expect((await setPassword(second, 'phrase numéro deux ici')).status).toBe(303);
      expect((await setPassword(first, 'phrase numéro un ici')).status).toBe(410);
      sophie.password = 'phrase numéro deux ici';
    });

    it('When a reset ends, then every session of the account is signed out', async () => {
      const agent = await signIn(t.app, sophie);
      expect((await agent.get('/compte')).status).toBe(200);
      clock.advance(1000);
      const path = await requestReset(sophie.email);
      expect((await setPassword(path, 'après la réinitialisation')).status).toBe(303);
      expect((await agent.get('/compte')).status).toBe(302);
      sophie.password = 'après la réinitialisation';
    });

    it('When the new password is too short or is the address, then the form explains and the link still works', async () => {
      const path = await requestReset(sophie.email);
      const agent = request.agent(t.app);
      const page = await agent.get(path);
      const short = await agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), password: 'court', passwordConfirm: 'court' });
      expect(short.status).toBe(422);
      expect(decoded(short.text)).toContain('au moins 12 caractères');
      const same = await agent
        .post(path)
        .type('form')
        .send({
          _csrf: csrfFrom(page.text),
          password: sophie.email,
          passwordConfirm: sophie.email,
        });
      expect(decoded(same.text)).toContain('ne doit pas être votre adresse e-mail');
      expect((await setPassword(path, 'enfin une phrase correcte')).status).toBe(303);
      sophie.password = 'enfin une phrase correcte';
    });
  });

  describe('email change', () => {
    it('When Nadia changes her address, then the new one confirms it and the old one is told', async () => {
      const agent = await signIn(t.app, nadia);
      const res = await postForm(agent, '/compte', '/compte/adresse', {
        newEmail: 'nadia.b@ville.example.org',
        emailPassword: nadia.password,
      });
      expect(res.status).toBe(303);
      const confirm = await smtp.waitFor((m) => m.to === 'nadia.b@ville.example.org');
      const notice = await smtp.waitFor(
        (m) => m.to === nadia.email && m.subject === "Demande de changement d'adresse e-mail",
      );
      expect(notice.text).toContain('nadia.b@ville.example.org');
      const path = pathOf(linkIn(confirm, '/compte/adresse/confirmer/'));
      // Opening the link (a mail scanner would) changes nothing: a button must be pressed.
      const page = await request(t.app).get(path);
      expect(page.status).toBe(200);
      expect((await t.app.services.users.findByEmail(nadia.email))?.email).toBe(nadia.email);
      const done = await request
        .agent(t.app)
        .post(path)
        .type('form')
        .set('Cookie', page.headers['set-cookie'] as unknown as string[])
        .send({ _csrf: csrfFrom(page.text) });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/connexion?adresse=modifiee');
      await smtp.waitFor(
        (m) => m.to === nadia.email && m.subject === 'Votre adresse e-mail a été changée',
      );
      expect(await t.app.services.users.findByEmail('nadia.b@ville.example.org')).not.toBeNull();
      // Used once only.
      const again = await request(t.app).get(path);
      expect(again.status).toBe(410);
      nadia.email = 'nadia.b@ville.example.org';
    });

    it('When the confirmation link is too old or tampered with, then the address does not change', async () => {
      const agent = await signIn(t.app, nadia);
      await postForm(agent, '/compte', '/compte/adresse', {
        newEmail: 'expire@example.org',
        emailPassword: nadia.password,
      });
      const path = pathOf(
        linkIn(
          await smtp.waitFor((m) => m.to === 'expire@example.org'),
          '/compte/adresse/confirmer/',
        ),
      );
      expect((await request(t.app).get(tampered(path))).status).toBe(410);
      clock.advance(DAY + 1000);
      expect((await request(t.app).get(path)).status).toBe(410);
      expect(await t.app.services.users.findByEmail('expire@example.org')).toBeNull();
    });

    it('When the password given for the change is wrong, then nothing is sent', async () => {
      const agent = await signIn(t.app, nadia);
      const before = smtp.messages.length;
      const res = await postForm(agent, '/compte', '/compte/adresse', {
        newEmail: 'jamais@example.org',
        emailPassword: 'pas le bon mot de passe',
      });
      expect(res.status).toBe(422);
      expect(decoded(res.text)).toContain("Le mot de passe actuel n'est pas le bon.");
      expect(smtp.messages.slice(before).some((m) => m.to === 'jamais@example.org')).toBe(false);
    });
  });
});
