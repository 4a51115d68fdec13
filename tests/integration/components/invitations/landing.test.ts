/**
 * Where an invited mediator lands: after accepting the invitation (and choosing a password), and
 * after signing in later, on "Mes badges", not on the account's password forms. Coordinators
 * land on their structures.
 */
import request from 'supertest';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  postForm,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { decoded } from '../../../helpers/html.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const PASSWORD = 'mon centre social à Roubaix';

describe('where an invited mediator lands', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let nadia: Person;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
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

  it('When Karim accepts his invitation and chooses a password, then he lands on "Mes badges", and again when he signs in later', async () => {
    const coordinator = await signIn(t.app, nadia);
    await postForm(coordinator, '/structures/roubaix/membres', '/structures/roubaix/invitations', {
      emails: 'karim@example.org',
    });
    const mail = await smtp.waitFor((m) => m.to === 'karim@example.org');
    const path = new URL(linkIn(mail, '/invitation/')).pathname;

    const karim = request.agent(t.app);
    const form = await karim.get(path);
    const accepted = await karim
      .post(path)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        name: 'Karim Benali',
        password: PASSWORD,
        passwordConfirm: PASSWORD,
      });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe('/mes-badges');
    const landing = await karim.get('/mes-badges');
    expect(landing.status).toBe(200);
    expect(decoded(landing.text)).toContain('Bienvenue');
    expect(landing.text).not.toContain('id="password"');

    const later = request.agent(t.app);
    const signInPage = await later.get('/connexion');
    const signedIn = await later
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(signInPage.text), email: 'karim@example.org', password: PASSWORD });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe('/mes-badges');
  });

  it('When a coordinator signs in, then she still lands on her structures', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/connexion');
    const res = await agent
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: nadia.email, password: nadia.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/structures');
  });
});
