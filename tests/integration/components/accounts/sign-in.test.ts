import request, { type Agent } from 'supertest';
import { SESSIONS_COLLECTION } from '../../../../src/components/accounts/session.js';
import { decoded } from '../../../helpers/html.js';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  testClock,
  type Person,
} from '../../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const MINUTE = 60_000;

function sessionCookie(res: request.Response): string | undefined {
  const cookies = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('coop.sid='));
}

/** The visible content of a page, without the per-request bits (CSRF token, request id). */
function normalised(html: string): string {
  return decoded(html)
    .replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="…"')
    .replace(/Référence de l'erreur : \S+/g, '');
}

async function attemptAt(agent: Agent, email: string, password: string): Promise<request.Response> {
  const page = await agent.get('/connexion');
  return agent
    .post('/connexion')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password });
}

describe('signing in and out', () => {
  let t: TestApp;
  let karim: Person;
  const clock = testClock();
  // Each attempt happens a second after the previous one.
  const attempt = (agent: Agent, email: string, password: string) => {
    clock.advance(1000);
    return attemptAt(agent, email, password);
  };

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits, clock: clock.now });
    karim = await createPerson(t.app, { email: 'karim@example.org', name: 'Karim B.' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When Karim signs in, then the session id changes and the cookie is httpOnly, SameSite=Lax', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/connexion');
    expect(page.status).toBe(200);
    expect(page.text).toContain('autocomplete="username"');
    expect(page.text).toContain('autocomplete="current-password"');
    // Anonymous visitors get no session at all.
    expect(sessionCookie(page)).toBeUndefined();
    const res = await agent
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: ' Karim@Example.org ', password: karim.password });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/mes-badges');
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const account = await agent.get('/compte');
    expect(account.status).toBe(200);
    expect(decoded(account.text)).toContain('Connecté·e : Karim B.');
    expect(account.headers['cache-control']).toBe('no-store');
  });

  it('When someone already holds a session id before signing in, then signing in gives a new one', async () => {
    const karimAgent = await signIn(t.app, karim);
    const before = sessionCookie(await karimAgent.get('/compte'))!.split(';')[0]!;
    // Signing in again on the same browser (a fixation attempt would plant `before`).
    const page = await karimAgent.get('/compte');
    const res = await karimAgent
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: karim.email, password: karim.password });
    const after = sessionCookie(res)!.split(';')[0]!;
    expect(after).not.toBe(before);
    const stale = await request(t.app).get('/compte').set('Cookie', before);
    expect(stale.status).toBe(302);
  });

  it('When Karim signs out, then the session is destroyed in the database', async () => {
    const agent = await signIn(t.app, karim);
    const cookie = sessionCookie(await agent.get('/compte'))!.split(';')[0]!;
    const sid = decodeURIComponent(cookie.split('=')[1]!).slice(2).split('.')[0]!;
    const sessions = t.db.collection(SESSIONS_COLLECTION);
    expect(await sessions.countDocuments({ _id: sid as never })).toBe(1);
    const page = await agent.get('/compte');
    const out = await agent
      .post('/deconnexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/connexion?deconnecte=1');
    expect(await sessions.countDocuments({ _id: sid as never })).toBe(0);
    const after = await request(t.app).get('/compte').set('Cookie', cookie);
    expect(after.status).toBe(302);
    expect(decoded((await agent.get('/connexion?deconnecte=1')).text)).toContain(
      'Vous êtes déconnecté·e',
    );
  });

  it('When the sign-in page gets a return path, then only paths of this site are followed', async () => {
    for (const [retour, expected] of [
      ['/structures?x=1', '/structures?x=1'],
      ['//evil.example/x', '/mes-badges'],
      ['https://evil.example/', '/mes-badges'],
      ['/\\evil.example', '/mes-badges'],
    ] as const) {
      const agent = request.agent(t.app);
      const page = await agent.get(`/connexion?retour=${encodeURIComponent(retour)}`);
      const res = await agent
        .post('/connexion')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: karim.email, password: karim.password, retour });
      expect([retour, res.headers.location]).toEqual([retour, expected]);
    }
  });

  it('When the return path becomes another site once normalised or decoded, then the person stays here', async () => {
    const hostile = [
      '/.//evil.example',
      '/x/..//evil.example/a',
      '/%2e//evil.example',
      '/%2f%2fevil.example',
      '/%5cevil.example',
      '/./\\evil.example',
      '/\t/evil.example',
    ];
    const sameOrigin = (location: string | undefined) =>
      new URL(location ?? '', 'http://127.0.0.1:3999').origin === 'http://127.0.0.1:3999' &&
      /^\/(?![/\\])/.test(location ?? '');
    const offSite: string[] = [];
    for (const retour of hostile) {
      // Right after signing in (the hidden field of the form) …
      const agent = request.agent(t.app);
      const page = await agent.get(`/connexion?retour=${encodeURIComponent(retour)}`);
      const res = await agent
        .post('/connexion')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), email: karim.email, password: karim.password, retour });
      expect(res.status).toBe(303);
      if (!sameOrigin(res.headers.location))
        offSite.push(`POST ${retour} → ${res.headers.location}`);
      // … and when already signed in, the sign-in page sends the person on at once.
      const again = await agent.get(`/connexion?retour=${encodeURIComponent(retour)}`);
      expect(again.status).toBe(302);
      if (!sameOrigin(again.headers.location))
        offSite.push(`GET ${retour} → ${again.headers.location}`);
    }
    expect(offSite).toEqual([]);
  });

  it('When an anonymous visitor opens a private page, then they are sent to sign in and back', async () => {
    const res = await request(t.app).get('/compte?onglet=1');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/connexion?retour=%2Fcompte%3Fonglet%3D1');
  });

  it('When fields are missing, then the page lists the errors, linked to the fields', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/connexion');
    const res = await agent
      .post('/connexion')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: '', password: '' });
    expect(res.status).toBe(422);
    const text = decoded(res.text);
    expect(text).toContain('<title>Erreur : Connexion – Coop Badges</title>');
    expect(text).toContain('<a href="#email">Saisissez votre adresse e-mail.</a>');
    expect(text).toContain('<a href="#password">Saisissez votre mot de passe.</a>');
    expect(text).toContain('aria-invalid="true"');
  });

  it('When 10 wrong passwords are given, then the account is locked for a while, exactly as an unknown address would be', async () => {
    const victim = await createPerson(t.app, { email: 'nadia@example.org' });
    const known = request.agent(t.app);
    const unknown = request.agent(t.app);
    for (let i = 1; i <= 10; i++) {
      const a = await attempt(known, victim.email, `mauvais mot de passe ${i}`);
      const b = await attempt(unknown, 'personne@example.org', `mauvais mot de passe ${i}`);
      expect([i, a.status]).toEqual([i, i < 10 ? 401 : 429]);
      expect(b.status).toBe(a.status);
      expect(normalised(b.text).replace('personne@example.org', 'X')).toBe(
        normalised(a.text).replace(victim.email, 'X'),
      );
    }
    const lockedPage = decoded((await attempt(known, victim.email, victim.password)).text);
    expect(lockedPage).toContain('Trop d&#x27;essais'.replace('&#x27;', "'"));
    expect(lockedPage).toContain('attendez 15 minutes');
    // The right password does not open a locked account, and the answer matches an unknown one.
    const right = await attempt(known, victim.email, victim.password);
    const other = await attempt(unknown, 'personne@example.org', 'peu importe');
    expect(right.status).toBe(429);
    expect(normalised(other.text).replace('personne@example.org', 'X')).toBe(
      normalised(right.text).replace(victim.email, 'X'),
    );

    // Still failing after the lock: ten more failures lock it for twice as long (progressive).
    clock.advance(16 * MINUTE);
    const later = request.agent(t.app);
    for (let i = 1; i <= 10; i++) {
      const res = await attempt(later, victim.email, `encore faux ${i}`);
      expect([i, res.status]).toEqual([i, i < 10 ? 401 : 429]);
    }
    expect(decoded((await attempt(later, victim.email, victim.password)).text)).toContain(
      'attendez 30 minutes',
    );
    clock.advance(16 * MINUTE);
    expect((await attempt(later, victim.email, victim.password)).status).toBe(429);
    clock.advance(15 * MINUTE);
    // The lock is over: the right password works again.
    expect((await attempt(later, victim.email, victim.password)).status).toBe(303);

    const actions = await t.app.services.audit.page({ action: 'signIn.locked' }, 10);
    expect(actions.events.filter((e) => e.targetId === victim.id)).toHaveLength(2);
    expect(
      actions.events.some((e) => e.targetId === null && e.details.knownAccount === false),
    ).toBe(true);
  });

  it('When the password is right, then a failure count does not carry over after a success', async () => {
    const p = await createPerson(t.app, { email: 'sophie@example.org' });
    const agent = request.agent(t.app);
    for (let i = 0; i < 9; i++) await attempt(agent, p.email, 'faux mot de passe !!');
    expect((await attempt(agent, p.email, p.password)).status).toBe(303);
    const fresh = request.agent(t.app);
    for (let i = 0; i < 9; i++)
      expect((await attempt(fresh, p.email, 'faux mot de passe !!')).status).toBe(401);
  });
});

describe('rate limits on sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT_SIGN_IN_PER_IP: '3', RATE_LIMIT_SIGN_IN_PER_EMAIL: '2' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When one address tries too often, then it gets 429 with Retry-After and a French page', async () => {
    const agent = request.agent(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await attemptAt(agent, 'a@example.org', 'faux mot de passe')).status);
    expect(statuses).toEqual([401, 401, 429]);
    const limited = await attemptAt(agent, 'b@example.org', 'faux mot de passe');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(decoded(limited.text)).toContain('Trop de tentatives');
  });
});
