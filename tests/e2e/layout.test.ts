/**
 * The layout in Chromium, as people see it on a 1280 px desktop and a 375 px phone:
 * screenshots of the main pages (test-results/screens/<page>-1280.png / -375.png).
 */
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { createIssuer, createPerson, type Person } from '../helpers/accounts.js';
import { RECIPIENT, routeExampleFixtures } from '../helpers/awards.js';
import { axeViolations, describeViolations, newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, signInAs, type TestServer } from '../helpers/e2e.js';
import { tabTo } from '../helpers/keyboard.js';
import { reviewExampleFixtures } from '../helpers/review.js';

const SCREENS = 'test-results/screens';
const BUDGETS = 'test-results/page-budgets.md';
/** The verification pages' 30 KB: what travels for a page (document + stylesheets, compressed). */
const MAX_WIRE_BYTES = 30 * 1024;
/** The HTML document alone, decoded: public pages as small as the verification pages… */
const MAX_PUBLIC_HTML_BYTES = 30 * 1024;
/** …signed-in authoring forms list whole catalogues (competencies, templates). */
const MAX_SIGNED_IN_HTML_BYTES = 60 * 1024;
/** Scripts a signed-in page may load: our own, deferred, one at most (forms that preview). */
const SIGNED_IN_SCRIPTS = /^\/static\/js\/[a-z-]+\.js$/;

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

interface Weight {
  /** Bytes of the HTML document, decoded (what the browser parses). */
  html: number;
  /** Bytes of its stylesheets, decoded. */
  css: number;
  /** Document and stylesheets on the wire (compressed as served), headers excluded. */
  wire: number;
  scripts: string[];
}

/**
 * Opens `url` and weighs it: the document and the stylesheets it loads. Images, fonts and
 * downloads are left out (the badge images are the content, not the page).
 */
async function weigh(page: Page, url: string): Promise<Weight & { status: number }> {
  const responses: Promise<[string, number, number]>[] = [];
  const onResponse = (response: Response) => {
    const type = response.request().resourceType();
    if (type !== 'document' && type !== 'stylesheet') return;
    // Wire size: the decoded body gzipped again when the server compressed it (Chromium's
    // own transfer sizes are not reported reliably once the page reuses its connection).
    const compressed = Boolean(response.headers()['content-encoding']);
    responses.push(
      response.body().then(
        (b): [string, number, number] => [
          type,
          b.length,
          compressed ? gzipSync(b).length : b.length,
        ],
        (): [string, number, number] => [type, 0, 0],
      ),
    );
  };
  // Every page weighed as on a first visit: its stylesheets count each time.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  page.on('response', onResponse);
  const res = await page.goto(url);
  await page.waitForLoadState('load');
  page.off('response', onResponse);
  await cdp.detach();
  const sizes = await Promise.all(responses);
  const scripts = await page
    .locator('script')
    .evaluateAll((els) => els.map((el) => el.getAttribute('src') ?? 'inline'));
  return {
    status: res?.status() ?? 0,
    html: sizes.filter(([t]) => t === 'document').reduce((sum, [, d]) => sum + d, 0),
    css: sizes.filter(([t]) => t === 'stylesheet').reduce((sum, [, d]) => sum + d, 0),
    wire: sizes.reduce((sum, [, , w]) => sum + w, 0),
    scripts,
  };
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
    await withJs.screenshot({ path: `${SCREENS}/menu-open-375.png` });
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

  it('When every page of the crawl is opened on a 375 px phone, then none scrolls sideways and each keeps its budget', async () => {
    const { server, browser } = e2e;
    const routes = server.app.routeTable.filter(
      (r) =>
        r.method === 'get' &&
        !r.api &&
        !r.file &&
        r.access.kind !== 'firstRun' &&
        !/\.(png|svg|json|pdf|csv)$/.test(r.example ?? r.path) &&
        !(r.example ?? r.path).includes('/:'),
    );
    const visitor = await newPage(browser, { viewport: PHONE });
    const signedIn: {
      who: string;
      context: BrowserContext;
      page: Page;
      problems: { console: string[] };
    }[] = [];
    for (const who of ['mediator', 'coordinator', 'admin'] as const) {
      const opened = await newPage(browser, { viewport: PHONE });
      await signInAs(opened.page, server, people[who]!);
      signedIn.push({ who, ...opened });
    }
    const rows: string[] = [];
    const failures: string[] = [];
    const unreachable: string[] = [];
    for (const route of routes) {
      const path = route.example ?? route.path;
      // Who opens it: a visitor for public pages, else the first persona it opens for (the
      // mediator's pages then show their badges). Downloads without `file: true` are skipped.
      const candidates =
        route.access.kind === 'public' ? [{ who: 'visitor', ...visitor }] : signedIn;
      let opener: (typeof signedIn)[number] | undefined;
      for (const c of candidates) {
        const probe = await c.context.request.get(`${server.url}${path}`, {
          maxRedirects: 0,
          headers: { Accept: 'text/html' },
        });
        const html = (probe.headers()['content-type'] ?? '').startsWith('text/html');
        if (html && [200, 410].includes(probe.status())) {
          opener = c;
          break;
        }
        if (probe.status() === 200 && !html) break;
      }
      if (!opener) {
        unreachable.push(path);
        continue;
      }
      const { page, who, problems } = opener;
      problems.console.length = 0;
      const weight = await weigh(page, `${server.url}${path}`);
      const expected = path.includes('jeton-invalide') ? 410 : 200;
      if (weight.status !== expected) failures.push(`${path}: HTTP ${weight.status}`);
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      if (width > PHONE.width) failures.push(`${path} (${who}) @375px: ${width} px wide`);
      const maxHtml = who === 'visitor' ? MAX_PUBLIC_HTML_BYTES : MAX_SIGNED_IN_HTML_BYTES;
      if (weight.html > maxHtml) failures.push(`${path}: HTML ${weight.html} bytes (> ${maxHtml})`);
      if (weight.wire > MAX_WIRE_BYTES)
        failures.push(`${path}: ${weight.wire} bytes on the wire (> ${MAX_WIRE_BYTES})`);
      const badScripts =
        who === 'visitor'
          ? weight.scripts
          : weight.scripts.length > 1
            ? weight.scripts
            : weight.scripts.filter((src) => !SIGNED_IN_SCRIPTS.test(src));
      if (badScripts.length) failures.push(`${path} (${who}): scripts ${badScripts.join(', ')}`);
      if (who !== 'visitor') {
        // Public pages get axe at both widths in public-pages.test.ts; signed-in ones here.
        const axe = describeViolations(await axeViolations(page));
        if (axe) failures.push(`${path} (${who}) @375px: axe\n${axe}`);
        await page.setViewportSize(DESKTOP);
        const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
        if (wide > DESKTOP.width) failures.push(`${path} (${who}) @1280px: ${wide} px wide`);
        await page.setViewportSize(PHONE);
      }
      // One-time link pages answer 410 on purpose: Chromium logs that status, nothing else.
      const errors = problems.console.filter(
        (m) => !(expected === 410 && m.includes('status of 410')),
      );
      if (errors.length) failures.push(`${path}: console ${errors.join(' | ')}`);
      rows.push(
        `| \`${path}\` | ${who} | ${weight.html} | ${weight.css} | ${weight.wire} | ${weight.scripts.length} | ${width} |`,
      );
    }
    fs.mkdirSync('test-results', { recursive: true });
    fs.writeFileSync(
      BUDGETS,
      [
        '# Page budgets (tests/e2e/layout.test.ts)',
        '',
        `Rules, every page (first visit, cache off): the HTML document and its stylesheets weigh at most ${MAX_WIRE_BYTES} bytes on the wire (gzip as the server compresses them; headers, images, fonts and downloads not counted); the HTML document alone, decoded, at most ${MAX_PUBLIC_HTML_BYTES} bytes on a public page and ${MAX_SIGNED_IN_HTML_BYTES} on a signed-in page (authoring forms list whole catalogues). Public pages load no script; a signed-in page at most one, our own (\`/static/js/…\`, deferred). No page is wider than the 375 px phone screen (nor 1280 px for signed-in pages). Signed-in pages are opened by the first of mediator, coordinator, admin they open for; public pages signed out.`,
        '',
        '| Page | Opened as | HTML (bytes) | CSS (bytes) | Wire, HTML + CSS (bytes) | Scripts | Width at 375 px |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
        unreachable.length
          ? `Not crawled (downloads, or pages whose example data is not in this test's fixtures): ${unreachable.map((p) => `\`${p}\``).join(', ')}.`
          : 'Every page of the route table was crawled.',
        '',
      ].join('\n'),
    );
    await visitor.context.close();
    for (const s of signedIn) await s.context.close();
    expect(rows.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  }, 400_000);
});
