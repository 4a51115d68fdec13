/**
 * A full journey (invitation, account creation, sign-in, password change, reset, email
 * change, sign-out, failed sign-ins, CSRF refusals) with every log line captured: no
 * password, one-time token or session id may appear in them.
 */
import request from 'supertest';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  postForm,
  relaxedLimits,
  signIn,
} from '../../helpers/accounts.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

function cookieValues(res: request.Response, name: string): string[] {
  return ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? [])
    .map((c) => c.split(';')[0]!)
    .filter((c) => c.startsWith(`${name}=`))
    .map((c) => decodeURIComponent(c.slice(name.length + 1)));
}

describe('secrets never reach the logs', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  const secrets = new Set<string>();
  const keep = (v: string | undefined) => {
    if (v && v.length >= 8) secrets.add(v);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url, LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When a whole journey has run, then no password, token or session id is in any log line', async () => {
    await createIssuer(t.app, 'roubaix', 'Ville de Roubaix');
    const nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org', password: 'mot de passe de Nadia 1' },
      { roubaix: 'owner' },
    );
    keep(nadia.password);

    // Nadia signs in (her session ids are collected) and invites Karim.
    const nadiaAgent = await signIn(t.app, nadia);
    const accountPage = await nadiaAgent.get('/compte');
    cookieValues(accountPage, 'coop.sid').forEach((v) => {
      keep(v);
      keep(v.slice(2).split('.')[0]);
    });
    keep(csrfFrom(accountPage.text));
    await postForm(nadiaAgent, '/structures/roubaix/membres', '/structures/roubaix/invitations', {
      emails: 'karim@example.org\nfaux@',
    });
    await postForm(nadiaAgent, '/structures/roubaix/membres', '/structures/roubaix/invitations', {
      emails: 'karim@example.org',
    });
    const invitation = linkIn(
      await smtp.waitFor((m) => m.to === 'karim@example.org'),
      '/invitation/',
    );
    const invitationToken = invitation.split('/').pop()!;
    keep(invitationToken);

    // Karim accepts with a typo first, then for real.
    const karimPassword = 'la phrase secrète de Karim';
    keep(karimPassword);
    keep('la phrase secrete de Karim?');
    const karim = request.agent(t.app);
    const page = await karim.get(new URL(invitation).pathname);
    await karim
      .post(new URL(invitation).pathname)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Karim',
        password: karimPassword,
        passwordConfirm: 'la phrase secrete de Karim?',
      });
    const accepted = await karim
      .post(new URL(invitation).pathname)
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        name: 'Karim',
        password: karimPassword,
        passwordConfirm: karimPassword,
      });
    expect(accepted.status).toBe(303);
    cookieValues(accepted, 'coop.sid').forEach((v) => {
      keep(v);
      keep(v.slice(2).split('.')[0]);
    });
    // A reused link and a tampered one.
    await request(t.app).get(new URL(invitation).pathname);
    await request(t.app).get(`${new URL(invitation).pathname.slice(0, -1)}Z`);

    // Karim changes his password, then forgets it and resets it.
    const newPassword = 'une nouvelle phrase de Karim';
    keep(newPassword);
    await postForm(karim, '/compte', '/compte/mot-de-passe', {
      currentPassword: karimPassword,
      newPassword,
      newPasswordConfirm: newPassword,
    });
    await postForm(karim, '/compte', '/compte/mot-de-passe', {
      currentPassword: 'pas du tout le bon mot de passe',
      newPassword: 'x',
      newPasswordConfirm: 'y',
    });
    keep('pas du tout le bon mot de passe');
    await postForm(request.agent(t.app), '/mot-de-passe-oublie', '/mot-de-passe-oublie', {
      email: 'karim@example.org',
    });
    const reset = linkIn(
      await smtp.waitFor(
        (m) => m.to === 'karim@example.org' && m.subject === 'Choisir un nouveau mot de passe',
      ),
      '/mot-de-passe/nouveau/',
    );
    keep(reset.split('/').pop());
    const resetPassword = 'encore une phrase pour Karim';
    keep(resetPassword);
    const resetAgent = request.agent(t.app);
    const resetPage = await resetAgent.get(new URL(reset).pathname);
    await resetAgent
      .post(new URL(reset).pathname)
      .type('form')
      .send({
        _csrf: csrfFrom(resetPage.text),
        password: resetPassword,
        passwordConfirm: resetPassword,
      });

    // Email change.
    const signedIn = await signIn(t.app, { email: 'karim@example.org', password: resetPassword });
    await postForm(signedIn, '/compte', '/compte/adresse', {
      newEmail: 'karim.b@example.org',
      emailPassword: resetPassword,
    });
    const confirm = linkIn(
      await smtp.waitFor((m) => m.to === 'karim.b@example.org'),
      '/compte/adresse/confirmer/',
    );
    keep(confirm.split('/').pop());
    const confirmPage = await signedIn.get(new URL(confirm).pathname);
    await signedIn
      .post(new URL(confirm).pathname)
      .type('form')
      .send({ _csrf: csrfFrom(confirmPage.text) });

    // Failed sign-ins, including a password typed into the email field, and CSRF refusals.
    const stranger = request.agent(t.app);
    const signInPage = await stranger.get('/connexion');
    keep('motdepasse-tape-dans-email');
    for (const [email, password] of [
      ['karim.b@example.org', 'essai raté numéro un'],
      ['motdepasse-tape-dans-email', 'essai raté numéro deux'],
    ]) {
      keep(password);
      await stranger
        .post('/connexion')
        .type('form')
        .send({ _csrf: csrfFrom(signInPage.text), email, password });
    }
    await request(t.app)
      .post('/connexion')
      .type('form')
      .send({ email: 'x@example.org', password: 'essai sans jeton csrf' });
    keep('essai sans jeton csrf');
    await signedIn
      .post('/deconnexion')
      .type('form')
      .send({ _csrf: csrfFrom((await signedIn.get('/compte')).text) });

    // Let fire-and-forget mails finish so their log lines are in.
    await smtp.waitFor((m) => m.subject === 'Votre adresse e-mail a été changée');

    expect(t.logs.lines.length).toBeGreaterThan(30);
    expect(secrets.size).toBeGreaterThan(15);
    const leaks = [...secrets].filter((s) => t.logs.text.includes(s));
    expect(leaks).toEqual([]);
    // The token routes are logged, with the token replaced.
    expect(t.logs.text).toContain('/invitation/[redacted]');
    expect(t.logs.text).toContain('/mot-de-passe/nouveau/[redacted]');
  });
});
