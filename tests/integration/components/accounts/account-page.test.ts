import request from 'supertest';
import { SESSIONS_COLLECTION } from '../../../../src/components/accounts/session.js';
import { decoded } from '../../../helpers/html.js';
import {
  createPerson,
  postForm,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import { startSmtpServer, type TestSmtpServer } from '../../../helpers/smtp.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';

describe('the account page', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let karim: Person;
  const clock = testClock();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ env: { ...relaxedLimits, SMTP_URL: smtp.url }, clock: clock.now });
    karim = await createPerson(t.app, { email: 'karim@example.org', name: 'Karim' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('When Karim opens his account, then it has one h1, labelled fields and autocomplete hints', async () => {
    const agent = await signIn(t.app, karim);
    const res = await agent.get('/compte');
    expect(res.status).toBe(200);
    const html = decoded(res.text);
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    for (const id of [
      'name',
      'language',
      'currentPassword',
      'newPassword',
      'newPasswordConfirm',
      'newEmail',
      'emailPassword',
    ]) {
      expect([id, html.includes(`<label for="${id}"`)]).toEqual([id, true]);
    }
    expect(html).toContain(
      'id="currentPassword" name="currentPassword" type="password" autocomplete="current-password"',
    );
    expect(html).toContain(
      'id="newPassword" name="newPassword" type="password" autocomplete="new-password"',
    );
    expect(html).toContain('Adresse actuelle : karim@example.org');
    // The header offers the account and a sign-out form that works without JavaScript.
    expect(html).toMatch(
      /<form method="post" action="\/deconnexion" class="inline-form">\s*<input type="hidden" name="_csrf"/,
    );
    expect(html).not.toContain('href="/connexion"');
  });

  it('When Karim changes his name and language, then the pages follow his choice', async () => {
    const agent = await signIn(t.app, karim);
    const res = await postForm(agent, '/compte', '/compte/profil', {
      name: 'Karim Benali',
      language: 'en',
    });
    expect(res.status).toBe(303);
    const page = await agent.get('/compte').set('Accept-Language', 'fr');
    expect(page.text).toContain('<html lang="en">');
    expect(decoded(page.text)).toContain('Your details are saved.');
    expect(decoded(page.text)).toContain('Signed in: Karim Benali');
    // ?lang= for a signed-in person changes the setting, which otherwise wins over the cookie.
    const fr = await agent.get('/compte?lang=fr');
    expect(fr.text).toContain('<html lang="fr">');
    expect((await t.app.services.users.findById(karim.id))?.language).toBe('fr');
    expect((await agent.get('/compte').set('Cookie', 'lang=en')).text).toContain(
      '<html lang="fr">',
    );
  });

  it('When the name is empty or the language unknown, then the page explains each problem', async () => {
    const agent = await signIn(t.app, karim);
    const res = await postForm(agent, '/compte', '/compte/profil', { name: '  ', language: 'de' });
    expect(res.status).toBe(422);
    const html = decoded(res.text);
    expect(html).toContain('<a href="#name">Saisissez votre nom.</a>');
    expect(html).toContain('<a href="#language">Choisissez une langue dans la liste.</a>');
  });

  it('When Karim is signed in on two devices, then the page lists both and can sign the other out', async () => {
    const phone = await signIn(
      t.app,
      karim,
      request.agent(t.app).set('User-Agent', FIREFOX_ANDROID),
    );
    const desktop = request.agent(t.app).set('User-Agent', CHROME_WINDOWS);
    await signIn(t.app, karim, desktop);
    const page = decoded((await desktop.get('/compte')).text);
    expect(page).toContain('Firefox sur Android');
    expect(page).toContain('Chrome sur Windows</strong> (cette session)');
    const res = await postForm(desktop, '/compte', '/compte/sessions/deconnecter-les-autres', {});
    expect(res.status).toBe(303);
    expect(decoded((await desktop.get('/compte')).text)).toMatch(
      /autres? sessions? (a|ont) été déconnectée/,
    );
    expect((await phone.get('/compte')).status).toBe(302);
    expect((await desktop.get('/compte')).status).toBe(200);
  });

  it('When Karim changes his password, then the current one is required and other sessions end', async () => {
    const other = await signIn(t.app, karim);
    const agent = await signIn(t.app, karim);
    const wrong = await postForm(agent, '/compte', '/compte/mot-de-passe', {
      currentPassword: 'pas le bon du tout',
      newPassword: 'une phrase toute neuve',
      newPasswordConfirm: 'une phrase toute neuve',
    });
    expect(wrong.status).toBe(422);
    expect(decoded(wrong.text)).toContain(
      '<a href="#currentPassword">Le mot de passe actuel n\'est pas le bon.</a>',
    );
    const mismatch = await postForm(agent, '/compte', '/compte/mot-de-passe', {
      currentPassword: karim.password,
      newPassword: 'une phrase toute neuve',
      newPasswordConfirm: 'une phrase toute neuve !',
    });
    expect(decoded(mismatch.text)).toContain(
      '<a href="#newPasswordConfirm">Les deux mots de passe ne sont pas identiques.</a>',
    );
    const ok = await postForm(agent, '/compte', '/compte/mot-de-passe', {
      currentPassword: karim.password,
      newPassword: 'une phrase toute neuve',
      newPasswordConfirm: 'une phrase toute neuve',
    });
    expect(ok.status).toBe(303);
    expect((await agent.get('/compte')).status).toBe(200);
    expect((await other.get('/compte')).status).toBe(302);
    await smtp.waitFor(
      (m) => m.to === karim.email && m.subject === 'Votre mot de passe a été changé',
    );
    karim.password = 'une phrase toute neuve';
  });

  it('When sessions expire, then the periodic clean-up removes them with an acknowledged delete', async () => {
    await signIn(t.app, karim);
    const sessions = t.db.collection(SESSIONS_COLLECTION);
    await sessions.insertOne({
      _id: 'expired-session' as never,
      expires: new Date(Date.now() - 1000),
      session: {},
    });
    const removed = await t.app.housekeeping();
    expect(removed.sessions).toBe(1);
    expect(await sessions.countDocuments({ _id: 'expired-session' as never })).toBe(0);
  });

  it('When a session is older than SESSION_MAX_DAYS, then it ends even if used every day', async () => {
    const agent = await signIn(t.app, karim);
    for (let day = 0; day < 29; day++) {
      clock.advance(24 * 3600_000);
      expect((await agent.get('/compte')).status).toBe(200);
    }
    clock.advance(2 * 24 * 3600_000);
    expect((await agent.get('/compte')).status).toBe(302);
  });
});
