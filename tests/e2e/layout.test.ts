/**
 * The layout in Chromium, as people see it on a 1280 px desktop and a 375 px phone:
 * screenshots of the main pages (test-results/screens/<page>-1280.png / -375.png).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { createIssuer, createPerson, type Person } from '../helpers/accounts.js';
import { RECIPIENT, routeExampleFixtures } from '../helpers/awards.js';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, signInAs, type TestServer } from '../helpers/e2e.js';
import { reviewExampleFixtures } from '../helpers/review.js';

const SCREENS = 'test-results/screens';

interface People {
  admin: Person;
  coordinator: Person;
  mediator: Person;
}

/** The route table's example data, a coordinator of `emetteur-a` and the holder of its awards. */
async function prepare(server: TestServer, people: Partial<People>): Promise<void> {
  await createIssuer(server.app, 'emetteur-a', 'Émetteur A');
  await routeExampleFixtures(server);
  await server.app.services.users.insert({
    _id: 'membre-a',
    email: 'membre-a@example.org',
    name: 'Membre A',
    language: 'fr',
    isAdmin: false,
    createdAt: new Date(),
  });
  await server.app.services.issuerRepo.addMembership({
    issuerId: 'emetteur-a',
    userId: 'membre-a',
    role: 'member',
    createdAt: new Date(),
  });
  await reviewExampleFixtures(server);
  await server.app.services.backpack.saveProfile(
    { id: 'membre-a', email: 'membre-a@example.org', name: 'Membre A', isAdmin: false, roles: {} },
    { enabled: 'oui', slug: 'karim-b', bio: 'Médiateur numérique au centre social.' },
  );
  people.admin = await createPerson(server.app, {
    email: 'admin-layout@example.org',
    name: 'Administratrice Plateforme',
    isAdmin: true,
  });
  people.coordinator = await createPerson(
    server.app,
    { email: 'coordination-a@example.org', name: 'Coordinatrice A' },
    { 'emetteur-a': 'coordinator' },
  );
  people.mediator = await createPerson(
    server.app,
    { email: RECIPIENT, name: 'Karim Médiateur' },
    { 'emetteur-a': 'member' },
  );
}

/** The main pages, who opens them (nobody: signed out). */
const MAIN_PAGES: { name: string; path: string; as?: keyof People }[] = [
  { name: 'home', path: '/' },
  { name: 'verification', path: '/verifier' },
  { name: 'award', path: '/assertions/assertion-a' },
  { name: 'public-profile', path: '/profils/karim-b' },
  { name: 'dashboard', path: '/structures/emetteur-a/tableau-de-bord', as: 'coordinator' },
  { name: 'awards-list', path: '/structures/emetteur-a/badges/badge-a/attributions', as: 'admin' },
  { name: 'request-form', path: '/demandes/nouvelle', as: 'mediator' },
  { name: 'my-badges', path: '/mes-badges', as: 'mediator' },
];

async function open(page: Page, url: string): Promise<void> {
  const res = await page.goto(url);
  expect([url, res?.status()]).toEqual([url, 200]);
}

describe('layout in Chromium at 1280 px and 375 px', () => {
  const people: Partial<People> = {};
  const e2e = browserAndServer({ prepare: (server) => prepare(server, people) });

  beforeAll(() => fs.mkdirSync(SCREENS, { recursive: true }));

  it('When the main pages are opened at 1280 px and 375 px, then their screenshots are written', async () => {
    for (const { name, path, as } of MAIN_PAGES) {
      const { page, context } = await newPage(e2e.browser, { viewport: DESKTOP });
      if (as) await signInAs(page, e2e.server, people[as]!);
      await open(page, `${e2e.server.url}${path}`);
      for (const viewport of [DESKTOP, PHONE]) {
        await page.setViewportSize(viewport);
        const file = `${SCREENS}/${name}-${viewport.width}.png`;
        await page.screenshot({ path: file, fullPage: true });
        expect(fs.statSync(file).size).toBeGreaterThan(1000);
      }
      await context.close();
    }
  }, 120_000);
});
