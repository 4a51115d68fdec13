import fs from 'node:fs';
import path from 'node:path';
import { publicDir } from '../../../src/libraries/paths.js';
import request from 'supertest';
import { decoded } from '../../helpers/html.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

describe('the web basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('When a browser opens the home page, then it gets French HTML with the layout landmarks', async () => {
    const res = await request(t.app).get('/').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('href="#contenu"');
    expect(res.text).toMatch(/<header[\s>]/);
    expect(res.text).toContain('<main id="contenu"');
    expect(res.text).toMatch(/<footer[\s>]/);
    expect(res.text).toContain('href="/accessibilite"');
    expect(res.text).toContain('Les compétences des médiateurs numériques, reconnues');
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).not.toMatch(/style="/i);
  });

  it('When a browser accepts gzip, then pages and the stylesheet travel compressed, API answers do not', async () => {
    const css = await request(t.app).get('/static/css/site.css').set('Accept-Encoding', 'gzip');
    expect(css.headers['content-encoding']).toBe('gzip');
    const page = await request(t.app).get('/').set('Accept-Encoding', 'gzip');
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.text).toContain('<html lang="fr">');
    const api = await request(t.app).get('/api/v1/openapi.json').set('Accept-Encoding', 'gzip');
    expect(api.status).toBe(200);
    expect(api.headers['content-encoding']).toBeUndefined();
  });

  it('When the browser prefers English, then the page is in English', async () => {
    const res = await request(t.app).get('/').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(res.text).toContain('<html lang="en">');
    expect(decoded(res.text)).toContain("Digital mediators' skills, recognised");
  });

  it('When ?lang=en is used, then English is remembered in a cookie', async () => {
    const res = await request(t.app).get('/accessibilite?lang=en');
    expect(res.text).toContain('Accessibility statement');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/lang=en/);
    expect(cookie).toMatch(/HttpOnly/i);
    const again = await request(t.app).get('/').set('Cookie', 'lang=en');
    expect(again.text).toContain('<html lang="en">');
  });

  it('When the accessibility statement is opened, then it gives its compliance status and remedies', async () => {
    const res = await request(t.app).get('/accessibilite');
    expect(res.status).toBe(200);
    expect(decoded(res.text)).toContain("Déclaration d'accessibilité");
    expect(res.text).toContain('partiellement conforme');
    expect(res.text).toContain('Défenseur des droits');
  });

  it('When a page does not exist, then browsers get a French 404 page', async () => {
    const res = await request(t.app).get('/nulle-part').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page introuvable');
    expect(res.text).toContain('<html lang="fr">');
  });

  it('When a page does not exist in English, then the 404 page is in English', async () => {
    const res = await request(t.app).get('/nowhere').set('Accept-Language', 'en');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Page not found');
  });

  it('When an API client asks for a missing resource, then it gets application/problem+json', async () => {
    const res = await request(t.app).get('/api/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ status: 404, code: 'not_found', title: 'Page introuvable' });
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('When JSON is malformed, then the answer is a 400 problem without a stack trace', async () => {
    const res = await request(t.app)
      .post('/api/v1/nothing')
      .set('Content-Type', 'application/json')
      .send('{"broken": ');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(res.text).not.toMatch(/SyntaxError/);
  });

  it('When any page is served, then a strict CSP forbids inline script and style', async () => {
    const res = await request(t.app).get('/');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('When the stylesheet is requested, then it is served and uses system fonts only', async () => {
    const res = await request(t.app).get('/static/css/site.css');
    expect(res.status).toBe(200);
    expect(res.text).toContain('system-ui');
    expect(res.text).not.toMatch(/@font-face|@import|url\(http/);
    // Served minified (comments and spaces out), about a quarter lighter than the source.
    const source = fs.readFileSync(path.join(publicDir, 'css', 'site.css'), 'utf8');
    expect(res.text).not.toContain('/*');
    expect(res.text.length).toBeLessThan(source.length * 0.8);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('When probes are called, then /healthz and /readyz answer 200', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(t.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.database).toBe('up');
  });
});
