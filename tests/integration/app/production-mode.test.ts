import request from 'supertest';
import { createPerson, csrfFrom } from '../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

describe('in production behind HTTPS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://badges.roubaix.example',
        SESSION_SECRET: 'un secret de production suffisamment long pour les tests',
        MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
        TRUST_PROXY: '1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When the app runs in production, then development pages are not even mounted', async () => {
    expect(t.app.routeTable.some((r) => r.path.startsWith('/dev/'))).toBe(false);
    expect((await request(t.app).get('/dev/courriels')).status).toBe(404);
  });

  it('When someone signs in through the TLS proxy, then the cookies are Secure and the CSRF cookie is __Host-', async () => {
    const person = await createPerson(t.app, { email: 'karim@example.org' });
    const page = await request(t.app).get('/connexion').set('X-Forwarded-Proto', 'https');
    const csrfCookie = (page.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('__Host-coop.csrf='),
    )!;
    expect(csrfCookie).toMatch(/; Secure/);
    expect(csrfCookie).toMatch(/; HttpOnly/);
    expect(csrfCookie).toMatch(/; Path=\//);
    const res = await request(t.app)
      .post('/connexion')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrfCookie.split(';')[0]!)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password });
    expect(res.status).toBe(303);
    const session = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('coop.sid='),
    )!;
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(res.headers['strict-transport-security']).toBeDefined();
  });
});
