/**
 * The public API: answers in the request's language, CORS for any site (and its preflight),
 * problem+json for every bad input (never a stack trace), a per-IP rate limit with Retry-After,
 * and an OpenAPI document that describes every route under /api/v1.
 */
import request from 'supertest';
import { relaxedLimits } from '../../../helpers/accounts.js';
import {
  BASE_SVG,
  DocumentTable,
  RECIPIENT,
  createIssuerWorld,
  serveTable,
  type IssuerWorld,
} from '../../../helpers/badge-world.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';
import { csrfFrom } from '../../../helpers/accounts.js';

describe('the verification API', () => {
  let t: TestApp;
  let foreign: IssuerWorld;
  let foreignServer: Awaited<ReturnType<typeof serveTable>>;
  let url: string;

  beforeAll(async () => {
    const table = new DocumentTable();
    foreignServer = await serveTable(table);
    foreign = await createIssuerWorld({
      table,
      origin: foreignServer.origin,
      slug: 'ailleurs',
      name: 'Association Numérique Ailleurs',
    });
    url = foreign.hosted('karim').id;
    t = await createTestApp({
      env: {
        ...relaxedLimits,
        VERIFY_ALLOW_HOSTS: foreignServer.hostPort,
        VERIFY_MAX_UPLOAD_MB: '1',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await foreignServer?.close();
  });

  function expectProblem(res: request.Response, status: number, code?: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, ...(code ? { code } : {}) });
    expect(typeof res.body.detail).toBe('string');
    expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  }

  describe('answers', () => {
    it('When a URL is verified with GET, then the answer has the verdict, sentences, badge and time', async () => {
      const res = await request(t.app).get('/api/v1/verify').query({ url, email: RECIPIENT });
      expect(res.status).toBe(200);
      expect(res.headers['content-language']).toBe('fr');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        verdict: 'warning',
        language: 'fr',
        checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        badge: {
          format: 'ob2-hosted',
          id: url,
          name: 'Accompagner une démarche en ligne',
          issuer: { name: 'Association Numérique Ailleurs' },
          alignments: [{ targetName: 'Interagir', targetCode: '2.1' }],
          endorsements: [{ issuerName: 'Centre social Nautilus' }],
        },
      });
      for (const step of res.body.steps) {
        expect(Object.keys(step)).toEqual(
          expect.arrayContaining(['id', 'ok', 'level', 'message', 'key']),
        );
        expect(step.message).not.toMatch(/^verify\./);
      }
      expect(res.body.steps.map((s: { message: string }) => s.message)).toContain(
        "L'adresse e-mail que vous avez saisie correspond à la personne qui a reçu ce badge.",
      );
    });

    it('When the client prefers English (header or ?lang=en), then the sentences are English and it says so', async () => {
      for (const res of [
        await request(t.app)
          .get('/api/v1/verify')
          .query({ url })
          .set('Accept-Language', 'en-GB,en'),
        await request(t.app).get('/api/v1/verify').query({ url, lang: 'en' }),
      ]) {
        expect(res.headers['content-language']).toBe('en');
        expect(res.body.language).toBe('en');
        expect(res.body.steps.map((s: { message: string }) => s.message)).toContain(
          'This badge has not been revoked.',
        );
      }
    });

    it('When JSON text, a form field or a multipart file is posted, then each is verified', async () => {
      const jws = await foreign.signed('api');
      const json = await request(t.app).post('/api/v1/verify').send({ input: jws });
      expect(json.body).toMatchObject({ verdict: 'warning', badge: { format: 'ob2-signed' } });
      const asObject = await request(t.app)
        .post('/api/v1/verify')
        .send({ input: await foreign.ob3Di('objet') });
      expect(asObject.body).toMatchObject({
        verdict: 'warning',
        badge: { format: 'ob3-data-integrity' },
      });
      const form = await request(t.app).post('/api/v1/verify').type('form').send({ input: jws });
      expect(form.body.verdict).toBe('warning');
      const file = await request(t.app)
        .post('/api/v1/verify')
        .field('email', 'autre@example.fr')
        .attach('file', Buffer.from(foreign.png('openbadges', jws)), 'badge.png');
      expect(file.body).toMatchObject({
        verdict: 'not_verified',
        source: { way: 'file', container: 'png' },
      });
    });
  });

  describe('CORS', () => {
    it('When another site calls the API, then the answer may be read by it', async () => {
      const res = await request(t.app)
        .get('/api/v1/verify')
        .query({ url })
        .set('Origin', 'https://employeur.example.fr');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-expose-headers']).toMatch(/Retry-After/);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('When a browser sends a preflight, then it is answered for GET and POST without a session', async () => {
      const res = await request(t.app)
        .options('/api/v1/verify')
        .set('Origin', 'https://employeur.example.fr')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
      expect(res.headers['access-control-allow-headers']).toMatch(/Content-Type/);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('When a page of the site is asked cross-origin, then no CORS header is given', async () => {
      const res = await request(t.app).get('/verifier').set('Origin', 'https://autre.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(t.app).options('/verifier');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('bad input', () => {
    it('When the JSON is malformed, then 400', async () => {
      const res = await request(t.app)
        .post('/api/v1/verify')
        .set('Content-Type', 'application/json')
        .send('{"input": ');
      expectProblem(res, 400);
    });

    it('When the body is larger than the limits, then 413', async () => {
      const json = await request(t.app)
        .post('/api/v1/verify')
        .send({ input: 'x'.repeat(1024 * 1024 + 1) });
      expectProblem(json, 413);
      const file = await request(t.app)
        .post('/api/v1/verify')
        .attach('file', Buffer.alloc(1024 * 1024 + 1), 'badge.png');
      expectProblem(file, 413);
      expect(file.body.detail).toContain('1 Mo');
    });

    it('When the body type is not JSON or a form, then 415', async () => {
      const res = await request(t.app)
        .post('/api/v1/verify')
        .set('Content-Type', 'text/plain')
        .send('https://badges.example.org/a');
      expectProblem(res, 415);
      const jpeg = await request(t.app)
        .post('/api/v1/verify')
        .attach('file', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), 'badge.png');
      expectProblem(jpeg, 415);
    });

    it('When input, url or email is missing or wrong, then 422 names the field', async () => {
      const cases: [request.Test, string][] = [
        [request(t.app).post('/api/v1/verify').send({}), 'input'],
        [request(t.app).post('/api/v1/verify').send({ input: 42 }), 'input'],
        [request(t.app).post('/api/v1/verify').send({ input: 'file:///etc/passwd' }), 'input'],
        [request(t.app).post('/api/v1/verify').send({ input: url, email: 'karim' }), 'email'],
        [
          request(t.app)
            .post('/api/v1/verify')
            .send({ input: url, email: ['a@b.fr'] }),
          'email',
        ],
        [request(t.app).get('/api/v1/verify'), 'url'],
        [request(t.app).get('/api/v1/verify').query({ url: 'gopher://x/' }), 'url'],
        [request(t.app).get('/api/v1/verify').query({ url, email: 'karim' }), 'email'],
      ];
      for (const [pending, field] of cases) {
        const res = await pending;
        expectProblem(res, 422);
        expect(res.body.errors[0].field).toBe(field);
      }
    });

    it('When an uploaded SVG holds a script, then 422 with a plain reason', async () => {
      const res = await request(t.app)
        .post('/api/v1/verify')
        .attach(
          'file',
          Buffer.from(BASE_SVG.replace('</svg>', '<script>1</script></svg>')),
          'b.svg',
        );
      expectProblem(res, 422, 'verify_svg_script');
      expect(res.body.detail).toContain('contient un programme (script)');
    });

    it('When a file and a text are both sent, then 422', async () => {
      const res = await request(t.app)
        .post('/api/v1/verify')
        .field('input', url)
        .attach('file', Buffer.from(BASE_SVG), 'b.svg');
      expectProblem(res, 422);
    });
  });

  describe('rate limit', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await createTestApp({
        env: { RATE_LIMIT_VERIFY_PER_IP: '3', VERIFY_ALLOW_HOSTS: foreignServer.hostPort },
      });
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('When one address verifies too often (page and API together), then 429 with Retry-After', async () => {
      const agent = request.agent(limited.app);
      const token = csrfFrom((await agent.get('/verifier')).text);
      expect((await agent.get('/verifier')).status).toBe(200); // the empty form is free
      expect((await request(limited.app).get('/api/v1/verify').query({ url })).status).toBe(200);
      expect((await request(limited.app).post('/api/v1/verify').send({ input: url })).status).toBe(
        200,
      );
      const page = await agent
        .post('/verifier')
        .type('form')
        .send({ _csrf: token, way: 'url', url });
      expect(page.status).toBe(200);
      const api = await request(limited.app).get('/api/v1/verify').query({ url });
      expectProblem(api, 429, 'too_many_requests');
      expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
      expect(api.headers['access-control-allow-origin']).toBe('*');
      const html = await agent.get('/verifier').query({ url });
      expect(html.status).toBe(429);
      expect(html.text).toContain('Trop de tentatives');
    });
  });

  describe('OpenAPI', () => {
    it('When the document is read, then it is OpenAPI 3.1 and describes exactly the /api/v1 routes', async () => {
      const res = await request(t.app).get('/api/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const doc = res.body as {
        openapi: string;
        servers: { url: string }[];
        paths: Record<string, Record<string, unknown>>;
      };
      expect(doc.openapi).toBe('3.1.0');
      const base = new URL(doc.servers[0]!.url).pathname;
      expect(base).toBe('/api/v1');
      const documented = Object.entries(doc.paths)
        .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${base}${p}`))
        .sort();
      const routes = t.app.routeTable
        .filter((r) => r.path.startsWith('/api/v1/'))
        .map((r) => `${r.method.toUpperCase()} ${r.path}`)
        .sort();
      expect(documented).toEqual(routes);
    });

    it('When the document refers to components, then every reference resolves', async () => {
      const doc = (await request(t.app).get('/api/v1/openapi.json')).body as Record<
        string,
        unknown
      >;
      const refs = JSON.stringify(doc).match(/"\$ref":"#\/[^"]+"/g) ?? [];
      expect(refs.length).toBeGreaterThan(5);
      for (const ref of refs) {
        const pointer = ref.slice('"$ref":"#/'.length, -1).split('/');
        const target = pointer.reduce<unknown>(
          (o, k) => (o as Record<string, unknown> | undefined)?.[k],
          doc,
        );
        expect([ref, target === undefined]).toEqual([ref, false]);
      }
    });
  });
});
