/**
 * CSRF, generated from the route table: every state-changing route refuses a request without
 * a token, with a wrong token, or with a token of another session, and says so in French.
 */
import request from 'supertest';
import type { RouteDef } from '../../../src/libraries/web/route-table.js';
import { needsCsrf } from '../../../src/libraries/web/route-table.js';
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

/** Routes allowed to skip CSRF, with their reason. Keep this list short and justified. */
const expectedExemptions: Record<string, string> = {
  'POST /api/v1/verify':
    'public verification API: anonymous, reads no cookie or session, changes no state',
  'POST /ims/ob/v3p0/credentials':
    'OB 3.0 API: authority is the bearer token in the Authorization header, never a cookie',
  'PUT /ims/ob/v3p0/profile':
    'OB 3.0 API: authority is the bearer token in the Authorization header, never a cookie',
  'POST /oauth/register':
    'OAuth endpoint for applications: authenticated by client credentials or nothing (registration), never a cookie',
  'POST /oauth/token':
    'OAuth endpoint for applications: authenticated by client credentials or nothing (registration), never a cookie',
  'POST /oauth/revoke':
    'OAuth endpoint for applications: authenticated by client credentials or nothing (registration), never a cookie',
  // Wallet apps (src/components/wallet): under /api/ they get no session, and what authorises
  // them is in the request itself (pre-authorized code, Bearer token, exchange URL).
  ...Object.fromEntries(
    [
      'POST /api/portefeuille/oid4vci/token',
      'POST /api/portefeuille/oid4vci/nonce',
      'POST /api/portefeuille/oid4vci/credential',
      'POST /api/portefeuille/:assertionId/echange/:token',
    ].map((route) => [
      route,
      'wallet protocol endpoint (OpenID4VCI / VC-API): cookie-less, authorised by the code, token or exchange URL it carries',
    ]),
  ),
};

const key = (r: RouteDef) => `${r.method.toUpperCase()} ${r.path}`;

/**
 * Routes reading a multipart body check access before parsing it, and the CSRF token (in the
 * body) right after (see mountRoutes): an anonymous request is sent to sign in, whatever its
 * token, before its body is read.
 */
const accessFirst = (r: RouteDef) => Boolean(r.parse) && r.access.kind !== 'public';

function expectSignInFirst(res: request.Response, what: string): void {
  if (res.status !== 303 || res.headers.location !== '/connexion') {
    throw new Error(`${what}: expected a redirect to sign in first, got ${res.status}`);
  }
}

function expectCsrfRefusal(res: request.Response, what: string): void {
  if (res.status !== 403) throw new Error(`${what}: expected 403, got ${res.status}`);
  const text = decoded(res.text);
  if (!text.includes('Formulaire expiré') || !text.includes('rechargez-la')) {
    throw new Error(`${what}: the 403 page does not explain the expired form in French`);
  }
}

describe('CSRF protection from the route table', () => {
  let t: TestApp;
  let owner: Person;
  let admin: Person;
  let stateChanging: RouteDef[];

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    await createIssuer(t.app, 'emetteur-a');
    owner = await createPerson(
      t.app,
      { email: 'responsable@example.org' },
      { 'emetteur-a': 'owner' },
    );
    admin = await createPerson(t.app, { email: 'admin@example.org', isAdmin: true });
    stateChanging = t.app.routeTable.filter((r) => r.method !== 'get');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('When the table is read, then the only exemptions are the justified ones listed here', () => {
    const exempt = Object.fromEntries(
      t.app.routeTable.filter((r) => r.csrfExempt).map((r) => [key(r), r.csrfExempt!]),
    );
    expect(exempt).toEqual(expectedExemptions);
    expect(stateChanging.length).toBeGreaterThan(10);
    expect(stateChanging.every((r) => needsCsrf(r) || r.csrfExempt)).toBe(true);
  });

  it('When a state-changing route gets no token, then it answers 403 with a French explanation', async () => {
    const failures: string[] = [];
    for (const route of stateChanging.filter(needsCsrf)) {
      const res = await request(t.app)
        [route.method](route.example ?? route.path)
        .type('form')
        .send({});
      try {
        if (accessFirst(route)) expectSignInFirst(res, `${key(route)} anonymous, no token`);
        else expectCsrfRefusal(res, `${key(route)} anonymous, no token`);
      } catch (e) {
        failures.push((e as Error).message);
      }
    }
    expect(failures).toEqual([]);
  });

  it('When a state-changing route gets a wrong token with a valid cookie, then it answers 403', async () => {
    const agent = request.agent(t.app);
    const good = csrfFrom((await agent.get('/connexion')).text);
    const wrong = good.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const failures: string[] = [];
    for (const route of stateChanging.filter(needsCsrf)) {
      for (const attempt of [
        { label: 'field', send: { _csrf: wrong } as Record<string, string>, header: undefined },
        { label: 'header', send: {}, header: wrong },
      ]) {
        let req = agent[route.method](route.example ?? route.path).type('form');
        if (attempt.header) req = req.set('X-CSRF-Token', attempt.header);
        const res = await req.send(attempt.send);
        try {
          const what = `${key(route)} wrong token in ${attempt.label}`;
          if (accessFirst(route)) expectSignInFirst(res, what);
          else expectCsrfRefusal(res, what);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('When a signed-in person posts without a token, then every route refuses it', async () => {
    const failures: string[] = [];
    for (const person of [owner, admin]) {
      const agent = await signIn(t.app, person);
      for (const route of stateChanging.filter(needsCsrf)) {
        const res = await agent[route.method](route.example ?? route.path)
          .type('form')
          .send({ role: 'member' });
        const what = `${key(route)} as ${person.email}, no token`;
        try {
          // Refused by the access check before its body is read: no CSRF check to see there.
          // The administrator may post everywhere, so every route's CSRF check is still seen.
          const refusedByAccess =
            accessFirst(route) && person !== admin && decoded(res.text).includes('Accès refusé');
          if (refusedByAccess && res.status !== 403) throw new Error(`${what}: got ${res.status}`);
          if (!refusedByAccess) expectCsrfRefusal(res, what);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("When a token and cookie of another person's session are planted, then they are refused", async () => {
    const cookieOf = (res: request.Response, name: string) =>
      (res.headers['set-cookie'] as unknown as string[])
        .map((c) => c.split(';')[0]!)
        .find((c) => c.startsWith(`${name}=`))!;
    // The victim (admin) is signed in; the attacker (owner) has a valid cookie + token pair.
    const ownerPage = await (await signIn(t.app, owner)).get('/compte');
    const ownerToken = csrfFrom(ownerPage.text);
    const ownerCsrfCookie = cookieOf(ownerPage, 'coop.csrf');
    const adminSession = cookieOf(await (await signIn(t.app, admin)).get('/compte'), 'coop.sid');
    const planted = await request(t.app)
      .post('/compte/profil')
      .set('Cookie', `${adminSession}; ${ownerCsrfCookie}`)
      .type('form')
      .send({ _csrf: ownerToken, name: 'Piégé', language: 'en' });
    expect(planted.status).toBe(403);
    // The same request with the admin's own pair goes through: the binding made the difference.
    const adminAgent = await signIn(t.app, admin);
    const adminToken = csrfFrom((await adminAgent.get('/compte')).text);
    const own = await adminAgent
      .post('/compte/profil')
      .type('form')
      .send({ _csrf: adminToken, name: admin.name, language: 'fr' });
    expect(own.status).toBe(303);
  });

  it('When the token comes in the X-CSRF-Token header (scripts), then it is accepted', async () => {
    const agent = await signIn(t.app, owner);
    const token = csrfFrom((await agent.get('/compte')).text);
    const res = await agent
      .post('/compte/profil')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ name: owner.name, language: 'fr' });
    expect(res.status).toBe(303);
  });

  it('When the refusal is asked for as JSON, then it is a problem+json 403 with code csrf', async () => {
    const res = await request(t.app)
      .post('/compte/profil')
      .set('Accept', 'application/json')
      .send({});
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'csrf', title: 'Formulaire expiré' });
  });
});
