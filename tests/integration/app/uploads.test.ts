/**
 * Multipart forms: no body is read before the rate limit and the access check have
 * let the request through, and what is read is small.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { RouteDef } from '../../../src/libraries/web/route-table.js';
import { decoded } from '../../helpers/html.js';
import {
  createIssuer,
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../helpers/accounts.js';
import { createTestApp, type TestApp } from '../../helpers/test-app.js';

const BOUNDARY = 'coop-test-boundary';
const key = (r: RouteDef) => `${r.method.toUpperCase()} ${r.path}`;

/** A multipart body with text fields (in order) and no file. */
function multipart(fields: [string, string][]): Buffer {
  const parts = fields.map(
    ([name, value]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`);
}

/**
 * Starts a 50 MB multipart upload, sends its first 64 KB and waits (8 s at most) for the
 * answer without ever sending the rest. A server that parses the body first cannot answer.
 */
function answerBeforeBody(
  port: number,
  path: string,
  cookie?: string,
): Promise<{ status: number; location: string | undefined } | 'no answer'> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length': String(50 * 1024 * 1024),
        ...(cookie ? { Cookie: cookie } : {}),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no answer');
    }, 8000);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      req.destroy();
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET') resolve('no answer');
      else reject(err);
    });
    req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="text"\r\n\r\n`);
    req.write('a'.repeat(64 * 1024));
  });
}

/** The session cookie of a person signed in through the real form. */
async function sessionCookie(t: TestApp, person: Person): Promise<string> {
  const page = await request(t.app).get('/connexion');
  const csrfCookie = (page.headers['set-cookie'] as unknown as string[])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('coop.csrf='))!;
  const res = await request(t.app)
    .post('/connexion')
    .set('Cookie', csrfCookie)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email: person.email, password: person.password });
  expect(res.status).toBe(303);
  return (res.headers['set-cookie'] as unknown as string[])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('coop.sid='))!;
}

describe('multipart forms: access before parsing, small limits', () => {
  let t: TestApp;
  let server: http.Server;
  let port: number;
  let mediator: Person;
  let outsider: Person;
  let admin: Person;
  let uploadRoutes: RouteDef[];

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    await createIssuer(t.app, 'emetteur-a');
    await createIssuer(t.app, 'emetteur-b');
    mediator = await createPerson(
      t.app,
      { email: 'mediatrice@example.org' },
      { 'emetteur-a': 'member' },
    );
    outsider = await createPerson(t.app, { email: 'autre@example.org' }, { 'emetteur-b': 'owner' });
    admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    uploadRoutes = t.app.routeTable.filter((r) => r.parse && r.access.kind !== 'public');
    server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  });

  it('When the table is read, then every upload route that is not public is known here', () => {
    expect(uploadRoutes.map(key).sort()).toEqual([
      'POST /admin/referentiels',
      'POST /admin/structures',
      'POST /demandes',
      'POST /demandes/:requestId/modifier',
      'POST /mes-badges/importer',
      'POST /structures/:issuerId/delivrer/fichier',
      'POST /structures/:issuerId/modifier',
    ]);
  });

  it('When an anonymous visitor starts a huge upload, then they are sent to sign in before the body is read', async () => {
    const outcomes: Record<string, unknown> = {};
    for (const route of uploadRoutes) {
      outcomes[key(route)] = await answerBeforeBody(port, route.example ?? route.path);
    }
    for (const outcome of Object.values(outcomes)) {
      expect(outcome).toEqual({ status: 303, location: '/connexion' });
    }
    expect(await t.db.collection('badge_requests').countDocuments()).toBe(0);
    expect(await t.db.collection('badge_request_files').countDocuments()).toBe(0);
  }, 60_000);

  it('When a signed-in person without the right starts a huge upload, then it is refused before the body is read', async () => {
    const cookie = await sessionCookie(t, outsider);
    const outcomes: Record<string, unknown> = {};
    for (const path of [
      '/structures/emetteur-a/delivrer/fichier',
      '/admin/structures',
      '/admin/referentiels',
    ]) {
      const outcome = await answerBeforeBody(port, path, cookie);
      outcomes[path] = outcome === 'no answer' ? outcome : outcome.status;
    }
    expect(outcomes).toEqual({
      '/structures/emetteur-a/delivrer/fichier': 403,
      '/admin/structures': 403,
      '/admin/referentiels': 403,
    });
  }, 60_000);

  it('When a request text is over the field limit, then a French 413 page says so and nothing is stored', async () => {
    const agent = await signIn(t.app, mediator);
    const form = await agent.get('/demandes/nouvelle');
    const res = await agent
      .post('/demandes')
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(
        multipart([
          ['_csrf', csrfFrom(form.text)],
          ['text', 'a'.repeat(17 * 1024)],
        ]),
      );
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const text = decoded(res.text);
    expect(text).toContain('Un des champs du formulaire est trop long');
    expect(text).not.toMatch(/at \S+ \(|node_modules|MulterError|LIMIT_/);
    expect(await t.db.collection('badge_requests').countDocuments()).toBe(0);
  });

  it('When an issuer description is over 8 KB, then it is refused with 413 and no issuer is created', async () => {
    const agent = await signIn(t.app, admin);
    const form = await agent.get('/admin/structures/nouvelle');
    const res = await agent
      .post('/admin/structures')
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(
        multipart([
          ['_csrf', csrfFrom(form.text)],
          ['name', 'Structure trop bavarde'],
          ['url', 'https://bavarde.example.org'],
          ['email', 'contact@bavarde.example.org'],
          ['description', 'b'.repeat(9 * 1024)],
          ['ownerEmail', admin.email],
        ]),
      );
    expect(res.status).toBe(413);
    expect(decoded(res.text)).toContain('Un des champs du formulaire est trop long');
    expect(
      await t.db.collection('issuers').countDocuments({ name: 'Structure trop bavarde' }),
    ).toBe(0);
  });

  it('When a form has far more fields than it needs, then it is refused with 413', async () => {
    const agent = await signIn(t.app, mediator);
    const form = await agent.get('/demandes/nouvelle');
    const fields: [string, string][] = [['_csrf', csrfFrom(form.text)]];
    for (let i = 0; i < 40; i++) fields.push(['links', `https://example.org/${i}`]);
    const res = await agent
      .post('/demandes')
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(multipart(fields));
    expect(res.status).toBe(413);
    expect(decoded(res.text)).toContain('Le formulaire envoyé contient trop de champs');
  });

  it('When a signed-in person posts a multipart form without a token, then the CSRF check refuses it', async () => {
    const agent = await signIn(t.app, mediator);
    const res = await agent
      .post('/demandes')
      .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(multipart([['text', 'Bonjour']]));
    expect(res.status).toBe(403);
    expect(decoded(res.text)).toContain('Formulaire expiré');
  });
});

describe('multipart forms: rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_UPLOAD_PER_USER: '3' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When uploads come too fast, then the next one is refused with 429 before anything else', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(t.app)
        .post('/demandes')
        .set('Content-Type', `multipart/form-data; boundary=${BOUNDARY}`)
        .send(multipart([['text', 'x']]));
      statuses.push(res.status);
    }
    expect(statuses).toEqual([303, 303, 303, 429]);
  });
});
