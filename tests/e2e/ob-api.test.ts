/**
 * An Open Badges 3.0 API client (written from the spec: tests/helpers/ob-api-client.ts) gets
 * access through Chromium: Karim signs in, reads the French consent page and accepts; the
 * code comes back to the client's loopback redirect URI. The client lists and upserts
 * credentials, reads and updates the profile, refreshes its token; then Karim withdraws its
 * access on "Applications et portefeuilles autorisés" and the next call is refused (401).
 * Consent and tokens pages: 0 axe violations.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, pageChecker, signInAs } from '../helpers/e2e.js';
import { createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { RECIPIENT, issueTo, issuerWithBadge } from '../helpers/awards.js';
import { didKeyBadge } from '../helpers/imports.js';
import { ObApiClient, pkcePair, type Tokens } from '../helpers/ob-api-client.js';

jest.setTimeout(90_000);
const SHOTS = 'test-results/ob-api';

describe('an OB 3.0 API client authorised in Chromium, then withdrawn', () => {
  let karim: Person;
  let callback: http.Server;
  let redirectUri: string;
  const received: URLSearchParams[] = [];
  const checkPage = pageChecker({ shots: SHOTS });

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      karim = await createPerson(server.app, { email: RECIPIENT, name: 'Karim Benali' });
      await issueTo(server.app, await issuerWithBadge(server.app));
      // The client's own loopback redirect URI (RFC 8252), where the code arrives.
      callback = http.createServer((req, res) => {
        // Chromium also asks this origin for /favicon.ico: keep the callback only.
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname === '/callback') received.push(url.searchParams);
        res.end('ok');
      });
      await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
      redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    },
  });
  afterAll(() => new Promise<void>((resolve) => callback?.close(() => resolve())));

  it('When Karim accepts, then the client works until he withdraws its access', async () => {
    const client = new ObApiClient(e2e.server.url);
    await client.discover();
    expect((await client.register(redirectUri)).status).toBe(201);
    const { verifier, challenge } = pkcePair();

    const { page, problems } = await newPage(e2e.browser);
    await signInAs(page, e2e.server, karim);
    await page.goto(client.authorizeUrl({ challenge, state: 'etat-e2e' }));
    expect(await page.locator('h1').textContent()).toBe(
      "L'application « Passeport de badges (test) » demande l'accès à votre compte",
    );
    expect(await page.locator('main').textContent()).toContain('Lire vos badges');
    expect(
      await page
        .getByRole('link', { name: "Conditions d'utilisation de l'application" })
        .getAttribute('href'),
    ).toBe('https://passeport.example.org/cgu');
    await checkPage(page, problems, 'consent');
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(redirectUri)),
      page.getByRole('button', { name: 'Accepter' }).click(),
    ]);
    const back = received.at(-1)!;
    expect(back.get('state')).toBe('etat-e2e');

    const exchanged = await client.exchange(back.get('code')!, verifier);
    expect(exchanged.status).toBe(200);
    const tokens = (await exchanged.json()) as Tokens;
    const list = await client.call(tokens.access_token, 'GET', '/credentials');
    expect(((await list.json()) as { compactJwsString: string[] }).compactJwsString).toHaveLength(
      1,
    );
    const foreign = await didKeyBadge(RECIPIENT, 'e2e-api');
    expect(
      (await client.call(tokens.access_token, 'POST', '/credentials', foreign.credential)).status,
    ).toBe(201);
    expect(await (await client.call(tokens.access_token, 'GET', '/profile')).json()).toMatchObject({
      name: 'Karim Benali',
    });
    const put = await client.call(tokens.access_token, 'PUT', '/profile', {
      type: ['Profile'],
      name: 'Karim B.',
    });
    expect(await put.json()).toMatchObject({ name: 'Karim B.' });
    const refreshed = (await (await client.refresh(tokens.refresh_token)).json()) as Tokens;
    expect((await client.call(refreshed.access_token, 'GET', '/credentials')).status).toBe(200);

    await page.goto(`${e2e.server.url}/compte/acces`);
    expect(await page.locator('h1').textContent()).toBe('Applications et portefeuilles autorisés');
    expect(await page.locator('main').textContent()).toContain('passeport.example.org');
    await checkPage(page, problems, 'tokens');
    await Promise.all([
      page.waitForURL(`${e2e.server.url}/compte/acces`),
      page.getByRole('button', { name: "Retirer l'accès de Passeport de badges (test)" }).click(),
    ]);
    expect(await page.locator('main').textContent()).toContain('ses jetons ne fonctionnent plus');
    expect(await page.locator('main').textContent()).toContain('Aucune application');
    await checkPage(page, problems, 'tokens-after');

    expect((await client.call(refreshed.access_token, 'GET', '/credentials')).status).toBe(401);
    expect((await client.refresh(refreshed.refresh_token)).status).toBe(400);
  });
});
