/**
 * The layout in Chromium, as people see it on a 1280 px desktop and a 375 px phone:
 * screenshots of the main pages (test-results/screens/<page>-1280.png / -375.png).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { createIssuer, createPerson, type Person } from '../helpers/accounts.js';
import { RECIPIENT, routeExampleFixtures } from '../helpers/awards.js';
import { axeViolations, describeViolations, newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, signInAs, type TestServer } from '../helpers/e2e.js';
import { tabTo } from '../helpers/keyboard.js';
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

/** The top of each visible element matching `selector`, rounded to the pixel. */
async function tops(page: Page, selector: string): Promise<number[]> {
  const boxes = await page
    .locator(selector)
    .evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0),
    );
  return boxes.map((r) => Math.round(r.top));
}

describe('layout in Chromium at 1280 px and 375 px', () => {
  const people: Partial<People> = {};
  const e2e = browserAndServer({ prepare: (server) => prepare(server, people) });

  beforeAll(() => fs.mkdirSync(SCREENS, { recursive: true }));

  it('When the admin opens a page at 1280 px, then the header links do not wrap and there is no menu button', async () => {
    const { page, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await signInAs(page, e2e.server, people.admin!);
    await open(page, `${e2e.server.url}/structures/emetteur-a/tableau-de-bord`);
    // The admin sees every link: seven in the main navigation.
    expect(await page.locator('.site-nav a').count()).toBe(7);
    const nav = await tops(page, '.site-nav a');
    expect(nav).toHaveLength(7);
    expect(new Set(nav).size).toBe(1);
    const account = await tops(page, '.account-nav li, .language-switch a');
    expect(account).toHaveLength(4);
    // One row each side: items of different heights may differ by a few pixels, not a line.
    expect(Math.max(...account) - Math.min(...account)).toBeLessThan(12);
    expect(await page.locator('.site-menu__toggle').isVisible()).toBe(false);
    expect(describeViolations(await axeViolations(page))).toBe('');
    await context.close();
  }, 60_000);

  it('When the admin is on a 375 px phone, then "Menu" opens the links by keyboard, without JavaScript', async () => {
    const { page, context } = await newPage(e2e.browser, {
      viewport: PHONE,
      javaScriptEnabled: false,
    });
    await signInAs(page, e2e.server, people.admin!);
    await open(page, `${e2e.server.url}/structures/emetteur-a/tableau-de-bord`);
    // A <summary>: a button named "Menu" for assistive technologies.
    const menu = page.locator('summary.site-menu__toggle');
    expect(await menu.innerText()).toBe('Menu');
    expect(await menu.isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Journal' }).isVisible()).toBe(false);
    await tabTo(page, 'summary.site-menu__toggle');
    await page.keyboard.press('Enter');
    expect(await page.locator('details.site-menu').getAttribute('open')).toBe('');
    for (const name of ['Accueil', 'Mes badges', 'Structures', 'Journal', 'Mon compte']) {
      expect([name, await page.getByRole('link', { name, exact: true }).isVisible()]).toEqual([
        name,
        true,
      ]);
    }
    expect(await page.getByRole('button', { name: 'Déconnexion' }).isVisible()).toBe(true);
    // The next Tab goes into the menu, to its first link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Accueil');
    expect(
      (await page.evaluate('document.documentElement.scrollWidth')) as number,
    ).toBeLessThanOrEqual(PHONE.width);
    await context.close();
    // axe needs JavaScript: the same page, menu open, in a page where it runs.
    const { page: withJs, context: jsContext } = await newPage(e2e.browser, { viewport: PHONE });
    await signInAs(withJs, e2e.server, people.admin!);
    await open(withJs, `${e2e.server.url}/structures/emetteur-a/tableau-de-bord`);
    expect(describeViolations(await axeViolations(withJs))).toBe('');
    await withJs.locator('summary.site-menu__toggle').click();
    expect(describeViolations(await axeViolations(withJs))).toBe('');
    await jsContext.close();
  }, 60_000);

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
