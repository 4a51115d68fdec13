/**
 * The Open Badges 3.0 API and its OAuth 2.0 server, through a client written from the spec
 * (tests/helpers/ob-api-client.ts): registration, consent (here by HTTP, in the browser in
 * tests/e2e/ob-api.test.ts), code + PKCE, tokens, and every refusal the security needs.
 */
import { strFromU8, unzipSync } from 'fflate';
import request, { type Agent } from 'supertest';
import { decodeJwt } from 'jose';
import {
  createPerson,
  csrfFrom,
  relaxedLimits,
  signIn,
  type Person,
} from '../../../helpers/accounts.js';
import { RECIPIENT, issueTo, issuerWithBadge } from '../../../helpers/awards.js';
import { didKeyBadge } from '../../../helpers/imports.js';
import { ObApiClient, SCOPES, pkcePair, type Tokens } from '../../../helpers/ob-api-client.js';
import {
  credentialsResponseErrors,
  imsxErrors,
  profileErrors,
} from '../../../helpers/ob-api-schemas.js';
import { startTestServer, type TestApp } from '../../../helpers/test-app.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

describe('Open Badges 3.0 API', () => {
  let t: TestApp & { url: string };
  let karim: Person;
  let lea: Person;
  let karimAgent: Agent;
  let leaAgent: Agent;

  beforeAll(async () => {
    t = await startTestServer({ env: relaxedLimits });
    karim = await createPerson(t.app, { email: RECIPIENT, name: 'Karim Benali' });
    lea = await createPerson(t.app, { email: 'lea@example.org', name: 'Léa Martin' });
    const badge = await issuerWithBadge(t.app);
    await issueTo(t.app, badge);
    await issueTo(t.app, badge, { narrative: 'Un deuxième atelier.' });
    karimAgent = await signIn(t.app, karim, request.agent(t.app));
    leaAgent = await signIn(t.app, lea, request.agent(t.app));
  }, 60_000);
  afterAll(() => t?.close());

  async function client(): Promise<ObApiClient> {
    const c = new ObApiClient(t.url);
    await c.discover();
    expect((await c.register(REDIRECT)).status).toBe(201);
    return c;
  }

  /** The person accepts on the consent page; returns the redirect's parameters. */
  async function consent(
    agent: Agent,
    c: ObApiClient,
    opts: { challenge: string; scope?: string },
  ) {
    const url = new URL(
      c.authorizeUrl({
        challenge: opts.challenge,
        state: 'etat-1',
        ...(opts.scope ? { scope: opts.scope } : {}),
      }),
    );
    const page = await agent.get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    const fields = Object.fromEntries(new URLSearchParams(url.search));
    const res = await agent
      .post('/oauth/authorize')
      .type('form')
      .send({ ...fields, _csrf: csrfFrom(page.text), decision: 'accept' });
    expect(res.status).toBe(303);
    return new URL(String(res.headers.location)).searchParams;
  }

  async function tokensFor(agent: Agent, c: ObApiClient, scope?: string): Promise<Tokens> {
    const { verifier, challenge } = pkcePair();
    const code = (await consent(agent, c, { challenge, ...(scope ? { scope } : {}) })).get('code')!;
    const res = await c.exchange(code, verifier);
    expect(res.status).toBe(200);
    return (await res.json()) as Tokens;
  }

  it('When the discovery document is read, then it lists exactly the routes served under /ims/ob/v3p0, with the OAuth scheme', async () => {
    const c = new ObApiClient(t.url);
    const doc = (await c.discover()) as {
      paths: Record<string, Record<string, unknown>>;
      components: {
        securitySchemes: Record<
          string,
          { flows: { authorizationCode: { scopes: Record<string, string>; refreshUrl: string } } }
        >;
      };
    };
    const served = t.app.routeTable
      .filter((r) => r.path.startsWith('/ims/ob/v3p0/'))
      .map((r) => `${r.method} ${r.path.slice('/ims/ob/v3p0'.length)}`)
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(documented).toEqual(served);
    const flow = doc.components.securitySchemes.OAuth2ACG!.flows.authorizationCode;
    expect(Object.keys(flow.scopes).sort()).toEqual(Object.values(SCOPES).sort());
    expect(flow.refreshUrl).toBe(`${t.url}/oauth/token`);
    expect(c.endpoints).toEqual({
      registrationUrl: `${t.url}/oauth/register`,
      authorizationUrl: `${t.url}/oauth/authorize`,
      tokenUrl: `${t.url}/oauth/token`,
      server: `${t.url}/ims/ob/v3p0`,
    });
  });

  it('When a client registers a non-loopback http redirect, then it is refused', async () => {
    const c = new ObApiClient(t.url);
    await c.discover();
    const res = await c.register('http://passeport.example.org/callback');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_redirect_uri');
    expect((await c.register('https://passeport.example.org/callback')).status).toBe(201);
  });

  it('When the holder lists, pages, upserts and updates through the API, then every answer has the spec shape', async () => {
    const c = await client();
    const tokens = await tokensFor(karimAgent, c);
    const page1 = await c.call(tokens.access_token, 'GET', '/credentials?limit=1&offset=0');
    expect(page1.status).toBe(200);
    expect(page1.headers.get('x-total-count')).toBe('2');
    expect(page1.headers.get('link')).toContain('offset=1>; rel="next"');
    const body = (await page1.json()) as { compactJwsString: string[] };
    expect(credentialsResponseErrors(body)).toEqual([]);
    // The schema is really applied: a credential with no id, or a stray property, fails it.
    expect(credentialsResponseErrors({ ...body, total: 2 })).not.toEqual([]);
    expect(credentialsResponseErrors({ compactJwsString: ['pas un JWS'] })).not.toEqual([]);
    expect(body.compactJwsString).toHaveLength(1);
    const vc = decodeJwt(body.compactJwsString[0]!) as { type?: string[]; vc?: { type: string[] } };
    expect(JSON.stringify(vc)).toContain('OpenBadgeCredential');

    const later = await c.call(
      tokens.access_token,
      'GET',
      `/credentials?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(later.headers.get('x-total-count')).toBe('0');
    const badSince = await c.call(tokens.access_token, 'GET', '/credentials?since=hier');
    expect(badSince.status).toBe(400);
    expect(imsxErrors(await badSince.json())).toEqual([]);

    const foreign = await didKeyBadge(RECIPIENT, 'api-1');
    const created = await c.call(tokens.access_token, 'POST', '/credentials', foreign.credential);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { id: string }).id).toBe(foreign.credential.id);
    const again = await c.call(tokens.access_token, 'POST', '/credentials', foreign.credential);
    expect(again.status).toBe(200);
    const imported = await t.app.services.importsRepo.listFor(karim.id);
    expect(imported.map((i) => i.badgeId)).toEqual([foreign.credential.id]);

    const someoneElses = await didKeyBadge('autre@example.org', 'api-2');
    const refused = await c.call(
      tokens.access_token,
      'POST',
      '/credentials',
      someoneElses.credential,
    );
    expect(refused.status).toBe(400);
    expect(imsxErrors(await refused.json())).toEqual([]);

    const profile = await c.call(tokens.access_token, 'GET', '/profile');
    const profileBody: unknown = await profile.clone().json();
    expect(profileErrors(profileBody)).toEqual([]);
    expect(profileErrors({ type: 'Profile' })).not.toEqual([]);
    expect(profileBody).toMatchObject({
      type: ['Profile'],
      name: 'Karim Benali',
      email: RECIPIENT,
    });
    const put = await c.call(tokens.access_token, 'PUT', '/profile', {
      type: ['Profile'],
      name: 'Karim B.',
      email: 'pirate@example.org',
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ name: 'Karim B.', email: RECIPIENT });
    const bad = await c.call(tokens.access_token, 'PUT', '/profile', { name: '' });
    expect(bad.status).toBe(400);
    expect(imsxErrors(await bad.json())).toEqual([]);
  }, 30_000);

  it('When a call has no token, a wrong one or lacks the scope, then 401 / 403 as Imsx_StatusInfo', async () => {
    const anonymous = await request(t.app).get('/ims/ob/v3p0/credentials');
    expect(anonymous.status).toBe(401);
    expect(imsxErrors(anonymous.body)).toEqual([]);
    const c = await client();
    const wrong = await c.call('pas-un-jeton', 'GET', '/profile');
    expect(wrong.status).toBe(401);
    const readOnly = await tokensFor(karimAgent, c, SCOPES.profileReadonly);
    const forbidden = await c.call(readOnly.access_token, 'GET', '/credentials');
    expect(forbidden.status).toBe(403);
    const body = (await forbidden.json()) as {
      imsx_codeMinor: { imsx_codeMinorField: { imsx_codeMinorFieldValue: string }[] };
    };
    expect(imsxErrors(body)).toEqual([]);
    expect(body.imsx_codeMinor.imsx_codeMinorField[0]!.imsx_codeMinorFieldValue).toBe('forbidden');
    const allowed = await c.call(readOnly.access_token, 'GET', '/profile');
    expect(allowed.status).toBe(200);
  });

  it('When Léa’s token lists credentials, then she never sees Karim’s', async () => {
    const c = await client();
    const tokens = await tokensFor(leaAgent, c);
    const res = await c.call(tokens.access_token, 'GET', '/credentials');
    expect(res.headers.get('x-total-count')).toBe('0');
    expect(await res.json()).toEqual({});
    expect(await (await c.call(tokens.access_token, 'GET', '/profile')).json()).toMatchObject({
      email: 'lea@example.org',
    });
  });

  it('When the PKCE verifier is wrong, the method is plain or the redirect differs, then no token', async () => {
    const c = await client();
    const { challenge } = pkcePair();
    const wrong = (await consent(karimAgent, c, { challenge })).get('code')!;
    const res = await c.exchange(wrong, pkcePair().verifier);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');

    const plain = await karimAgent.get(
      new URL(
        c.authorizeUrl({ challenge: 'a'.repeat(43), state: 's', method: 'plain' }),
      ).href.slice(t.url.length),
    );
    expect(plain.status).toBe(303);
    const back = new URL(String(plain.headers.location));
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('s');

    const elsewhere = await karimAgent.get(
      new URL(
        c.authorizeUrl({ challenge, state: 's', redirectUri: 'http://127.0.0.1:9/autre' }),
      ).href.slice(t.url.length),
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.location).toBeUndefined();

    const pair = pkcePair();
    const code = (await consent(karimAgent, c, { challenge: pair.challenge })).get('code')!;
    const mismatch = await c.exchange(code, pair.verifier, 'http://127.0.0.1:9/autre');
    expect(mismatch.status).toBe(400);
  });

  it('When a code is replayed, then it is refused and the tokens it gave stop working', async () => {
    const c = await client();
    const { verifier, challenge } = pkcePair();
    const code = (await consent(karimAgent, c, { challenge })).get('code')!;
    const first = (await (await c.exchange(code, verifier)).json()) as Tokens;
    expect((await c.call(first.access_token, 'GET', '/profile')).status).toBe(200);
    const replay = await c.exchange(code, verifier);
    expect(replay.status).toBe(400);
    expect((await c.call(first.access_token, 'GET', '/profile')).status).toBe(401);
    expect((await c.refresh(first.refresh_token)).status).toBe(400);
  });

  it('When a refresh token is used twice, then the grant is withdrawn', async () => {
    const c = await client();
    const tokens = await tokensFor(karimAgent, c);
    const rotated = await c.refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    const next = (await rotated.json()) as Tokens;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await c.call(next.access_token, 'GET', '/profile')).status).toBe(200);
    expect((await c.refresh(tokens.refresh_token)).status).toBe(400);
    expect((await c.call(next.access_token, 'GET', '/profile')).status).toBe(401);
    expect((await c.refresh(next.refresh_token)).status).toBe(400);
    const events = await t.app.services.audit.page({}, 50);
    expect(events.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['apiAccess.granted', 'apiAccess.revoked']),
    );
  });

  it('When the client revokes its token, then the grant goes, and the database holds no token in clear', async () => {
    const c = await client();
    const tokens = await tokensFor(karimAgent, c);
    const res = await fetch(`${t.url}/oauth/revoke`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${c.registration!.client_id}:${c.registration!.client_secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: tokens.refresh_token }).toString(),
    });
    expect(res.status).toBe(200);
    expect((await c.call(tokens.access_token, 'GET', '/profile')).status).toBe(401);
    const other = await tokensFor(karimAgent, c);
    const dump =
      JSON.stringify(await t.db.collection('obApiTokens').find({}).toArray()) +
      JSON.stringify(await t.db.collection('obApiClients').find({}).toArray());
    expect(dump).not.toContain(other.access_token);
    expect(dump).not.toContain(other.refresh_token);
    expect(dump).not.toContain(c.registration!.client_secret);
  });

  it('When Léa downloads her data, then her grants are in it without any token; when her account goes, so do they', async () => {
    const c = await client();
    const tokens = await tokensFor(leaAgent, c);
    const user = (await t.app.services.accounts.loadPrincipal(lea.id))!;
    const { zip } = await t.app.services.myData.exportFor(user, '127.0.0.1');
    const json = strFromU8(unzipSync(zip)['donnees.json']!);
    const grants = (JSON.parse(json) as { records: Record<string, { clientId: string }[]> }).records
      .obApiGrants!;
    expect(grants.map((g) => g.clientId)).toContain(c.registration!.client_id);
    expect(json).not.toContain(tokens.access_token);
    await t.app.services.obApiRepo.eraseFor(lea.id);
    expect((await c.call(tokens.access_token, 'GET', '/profile')).status).toBe(401);
    expect(await t.db.collection('obApiGrants').countDocuments({ userId: lea.id })).toBe(0);
  });

  it('When housekeeping runs after the tokens expired, then they are gone from the database', async () => {
    const c = await client();
    await tokensFor(karimAgent, c);
    const tokens = t.db.collection('obApiTokens');
    const before = await tokens.countDocuments();
    expect(before).toBeGreaterThan(0);
    await tokens.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await t.app.housekeeping()).oauth).toBeGreaterThanOrEqual(before);
    expect(await tokens.countDocuments()).toBe(0);
  });
});
