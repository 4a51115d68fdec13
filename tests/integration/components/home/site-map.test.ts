import request from 'supertest';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

describe('site map', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('When a visitor follows "Plan du site" from the footer, then every link of the map opens a page of the site', async () => {
    const home = await request(t.app).get('/');
    expect(home.text).toContain('<a href="/plan-du-site">Plan du site</a>');
    expect(home.text).toContain('<a href="/confidentialite">');
    expect(home.text).toContain('<a href="/mentions-legales">');

    const map = await request(t.app).get('/plan-du-site');
    expect(map.status).toBe(200);
    expect(map.text).toContain('<h1>Plan du site</h1>');
    const main = map.text.slice(map.text.indexOf('<main'), map.text.indexOf('</main>'));
    const links = [...main.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(12);
    for (const link of links) {
      const res = await request(t.app).get(link);
      // Pages for signed-in people send visitors to the sign-in page, never to a dead end.
      const ok =
        res.status === 200 || (res.status === 302 && /^\/connexion/.test(res.headers.location!));
      expect([link, ok]).toEqual([link, true]);
    }
  });
});
