/**
 * The verification pages in Chromium with JavaScript OFF, as Mme Lefebvre would use them:
 * by keyboard, on a phone and a desktop. Every page (empty form, each error, each verdict) has
 * 0 axe violations, one h1, no CSP error, no horizontal scroll, and weighs under 30 KB without
 * the badge image. Screenshots go to test-results/verification/.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { relaxedLimits } from '../helpers/accounts.js';
import {
  BASE_SVG,
  DocumentTable,
  RECIPIENT,
  createIssuerWorld,
  serveTable,
  type IssuerWorld,
} from '../helpers/badge-world.js';
import { launchBrowser, newPage, type PageProblems } from '../helpers/browser.js';
import { DESKTOP, PHONE, checkPage as checkPageWith } from '../helpers/e2e.js';
import { tabTo } from '../helpers/keyboard.js';
import { startTestServer } from '../helpers/test-app.js';

const SHOTS = 'test-results/verification';
const NOW = new Date('2026-03-01T12:00:00Z');
const MAX_PAGE_BYTES = 30 * 1024;

describe('verification pages in Chromium, JavaScript off, by keyboard', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let foreignServer: Awaited<ReturnType<typeof serveTable>>;
  let own: IssuerWorld;
  let foreign: IssuerWorld;
  const ownTable = new DocumentTable();
  const revocations = new Map<string, { revokedAt: string; reason: string }>();
  const weights: string[] = [];
  let axeContext: BrowserContext | undefined;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const foreignTable = new DocumentTable();
    foreignServer = await serveTable(foreignTable);
    server = await startTestServer({
      clock: () => NOW,
      env: { ...relaxedLimits, VERIFY_ALLOW_HOSTS: foreignServer.hostPort },
      ownBadges: {
        // Filled once the server's URL (our PUBLIC_URL) is known.
        documents: (url, options) => ownTable.fetcher()(url, options),
        isKnownIssuer: (id) => id === own.issuerId || id === own.ob3IssuerId,
        revocationOf: async (id) => revocations.get(id),
      },
    });
    own = await createIssuerWorld({
      table: ownTable,
      origin: server.url,
      slug: 'coop',
      name: 'Ville de Roubaix — Coopérative des médiateurs numériques',
      didWeb: true,
    });
    foreign = await createIssuerWorld({
      table: foreignTable,
      origin: foreignServer.origin,
      slug: 'ailleurs',
      name: 'Association Numérique Ailleurs',
    });
    own.hosted('karim');
    own.hosted('erreur');
    own.revokeOb2(`${own.origin}/assertions/erreur`, 'délivré par erreur');
    revocations.set(`${own.origin}/assertions/erreur`, {
      revokedAt: '2026-02-20T09:30:00Z',
      reason: 'délivré par erreur',
    });
    foreign.hosted('perime', { expires: new Date('2026-01-31T00:00:00Z') });
    browser = await launchBrowser();
    axeContext = await browser.newContext({ locale: 'fr-FR' });
  });

  afterAll(async () => {
    fs.writeFileSync(`${SHOTS}/page-weights.md`, weights.join('\n') + '\n');
    await browser?.close();
    await server?.close();
    await foreignServer?.close();
  });

  async function openPage(viewport = DESKTOP) {
    const opened = await newPage(browser, { javaScriptEnabled: false, viewport });
    const sizes = new Map<string, number>();
    opened.page.on('response', (response) => {
      void response.body().then(
        (body) => sizes.set(response.url(), body.length),
        () => undefined,
      );
    });
    return { ...opened, sizes };
  }

  /** Weight, then axe, one h1, no console error, no horizontal scroll, screenshots at both widths. */
  async function checkPage(
    opened: { page: Page; problems: PageProblems; sizes: Map<string, number> },
    name: string,
  ): Promise<void> {
    const { page, problems, sizes } = opened;
    // Weight: the page and everything it loads, except the badge image.
    await page.waitForLoadState('networkidle');
    const image = page.locator('img.badge-card__image');
    const badgeImage = (await image.count()) > 0 ? await image.getAttribute('src') : null;
    const total = [...sizes.entries()]
      .filter(([url]) => !badgeImage || !url.startsWith(badgeImage.split('?')[0]!))
      .reduce((sum, [, n]) => sum + n, 0);
    weights.push(`${name}: ${total} bytes (${[...sizes.keys()].length} responses)`);
    expect([name, total < MAX_PAGE_BYTES]).toEqual([name, true]);
    await checkPageWith(page, {
      label: name,
      problems,
      allowStatus: '4xx',
      shots: SHOTS,
      alsoAt: [DESKTOP, PHONE],
      axeIn: { context: axeContext!, origin: server.url },
    });
  }

  /** What a person reads (non-breaking spaces as spaces). */
  async function textOf(page: Page, selector: string): Promise<string> {
    return (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
  }

  /** Does what submits a form, and waits for the page that answers the POST. */
  async function submitting(page: Page, act: () => Promise<void>): Promise<void> {
    const answered = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/verifier'),
    );
    await act();
    await answered;
    await page.waitForLoadState('load');
  }

  let context: BrowserContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('When the empty form is opened, then it works without JavaScript and weighs under 30 KB', async () => {
    const opened = await openPage();
    context = opened.context;
    await opened.page.goto(`${server.url}/verifier`);
    expect(await opened.page.locator('h1').textContent()).toBe('Vérifier un badge');
    await checkPage(opened, 'form-empty');
  });

  it('When Mme Lefebvre types the link by keyboard, then she reads "Vérifié" and the issuer first', async () => {
    const opened = await openPage(PHONE);
    context = opened.context;
    const { page } = opened;
    await page.goto(`${server.url}/verifier`);
    await tabTo(page, '#url');
    await page.keyboard.type(`${own.origin}/assertions/karim`);
    await tabTo(page, '#email-url', 2);
    await page.keyboard.type(RECIPIENT);
    await submitting(page, () => page.keyboard.press('Enter'));
    const h1 = await page.locator('h1').innerText();
    expect(h1).toContain('Vérifié');
    const verdict = await textOf(page, '.verdict');
    expect(verdict).toContain(
      '« Accompagner une démarche en ligne », délivré par Ville de Roubaix — Coopérative des médiateurs numériques le 3 mars 2025.',
    );
    const checks = await textOf(page, '.checks');
    expect(checks).toContain(
      "L'adresse e-mail que vous avez saisie correspond à la personne qui a reçu ce badge.",
    );
    expect(await page.locator('.badge-card').innerText()).toContain('Centre social Nautilus');
    await checkPage(opened, 'verdict-verified');
  });

  it('When a foreign expired badge is opened from its shareable link, then "Attention" says why', async () => {
    const opened = await openPage();
    context = opened.context;
    const { page } = opened;
    const url = `${foreign.origin}/assertions/perime`;
    await page.goto(`${server.url}/verifier?url=${encodeURIComponent(url)}`);
    expect(await page.locator('h1').innerText()).toContain('Attention');
    const reasons = await textOf(page, '.verdict__reasons');
    expect(reasons).toContain('Ce badge a expiré le 31 janvier 2026.');
    expect(reasons).toContain("n'est pas une structure connue de cette plateforme");
    // The foreign badge image is allowed by the page's CSP (no console error) and shown.
    expect(await page.locator('img.badge-card__image').count()).toBe(1);
    await checkPage(opened, 'verdict-warning');
    // The technical details open by keyboard, without JavaScript.
    await page.setViewportSize(DESKTOP);
    await page.focus('details.technical summary');
    await page.keyboard.press('Enter');
    expect(await page.locator('details.technical').getAttribute('open')).toBe('');
    expect(await textOf(page, 'details.technical')).toContain('HostedBadge');
    await page.screenshot({ path: `${SHOTS}/verdict-warning-details-desktop.png`, fullPage: true });
  });

  it('When the result is read in English, then it is accessible too', async () => {
    const opened = await openPage(PHONE);
    context = opened.context;
    const { page } = opened;
    const url = `${own.origin}/assertions/karim`;
    await page.goto(`${server.url}/verifier?lang=en&url=${encodeURIComponent(url)}`);
    expect(await page.locator('h1').innerText()).toContain('Verified');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await checkPage(opened, 'verdict-verified-english');
  });

  it('When a revoked badge image is uploaded without JavaScript, then "Non vérifié" gives the date and reason', async () => {
    const opened = await openPage(PHONE);
    context = opened.context;
    const { page } = opened;
    const png = own.png(
      'openbadges',
      JSON.stringify(ownTable.docs.get(`${own.origin}/assertions/erreur`)!.body),
    );
    await page.goto(`${server.url}/verifier`);
    await page.setInputFiles('#fichier', {
      name: 'badge.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png),
    });
    await tabTo(page, 'form[enctype] button[type="submit"]');
    await submitting(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('h1').innerText()).toContain('Non vérifié');
    expect(await textOf(page, '.verdict')).toContain(
      'Ce badge a été révoqué le 20 février 2026. Motif : délivré par erreur.',
    );
    await checkPage(opened, 'verdict-not-verified-revoked');
  });

  it('When pasted text is not a badge, then "Non vérifié" says so plainly', async () => {
    const opened = await openPage();
    context = opened.context;
    const { page } = opened;
    await page.goto(`${server.url}/verifier`);
    await tabTo(page, 'summary');
    await page.keyboard.press('Enter'); // opens <details> without JavaScript
    await tabTo(page, '#text');
    await page.keyboard.type('Bonjour, voici mon badge');
    await tabTo(page, 'details form button[type="submit"]');
    await submitting(page, () => page.keyboard.press('Enter'));
    expect(await page.locator('h1').innerText()).toContain('Non vérifié');
    expect(await textOf(page, '.verdict')).toContain(
      "Nous n'avons pas pu lire ce texte comme un badge.",
    );
    await checkPage(opened, 'verdict-not-verified-unreadable');
  });

  it.each([
    ['error-url-missing', { url: '' }, 'Saisissez le lien du badge'],
    ['error-url-scheme', { url: 'file:///etc/passwd' }, 'Saisissez une adresse web complète'],
    [
      'error-email',
      { url: 'https://badges.example.org/a/1', email: 'karim' },
      'Saisissez une adresse e-mail valide',
    ],
  ])(
    'When the URL form has a mistake (%s), then an error summary links to the field',
    async (name, fields, message) => {
      const opened = await openPage();
      context = opened.context;
      const { page } = opened;
      await page.goto(`${server.url}/verifier`);
      await page.fill('#url', fields.url);
      if ('email' in fields) await page.fill('#email-url', fields.email!);
      await submitting(page, () => page.press('#url', 'Enter'));
      const summary = page.locator('.error-summary');
      expect(await textOf(page, '.error-summary')).toContain(message);
      // The summary's link moves to the field (keyboard: Tab to the link, Enter).
      const link = summary.locator('a').first();
      const target = (await link.getAttribute('href'))!;
      await link.focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate('document.activeElement?.id')).toBe(target.slice(1));
      await checkPage(opened, name);
    },
  );

  it('When the file form is sent without a file, or the text form empty, then each says what is missing', async () => {
    const opened = await openPage(PHONE);
    context = opened.context;
    const { page } = opened;
    await page.goto(`${server.url}/verifier`);
    await submitting(page, () => page.click('form[enctype] button[type="submit"]'));
    expect(await textOf(page, '.error-summary')).toContain("Choisissez l'image du badge");
    await checkPage(opened, 'error-file-missing');
    await page.goto(`${server.url}/verifier`);
    await page.click('details.verify-way--text summary');
    await submitting(page, () => page.click('details form button[type="submit"]'));
    expect(await textOf(page, '.error-summary')).toContain('Collez le texte du badge');
    expect(await page.locator('details.verify-way--text').getAttribute('open')).toBe('');
    await checkPage(opened, 'error-text-missing');
  });

  it.each([
    [
      'error-file-type',
      'photo.jpg',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      "Ce fichier n'est pas une image de badge",
    ],
    [
      'error-svg-script',
      'badge.svg',
      Buffer.from(BASE_SVG.replace('</svg>', '<script>alert(1)</script></svg>')),
      'contient un programme',
    ],
  ])(
    'When the uploaded file is refused (%s), then the form says why',
    async (name, file, bytes, message) => {
      const opened = await openPage();
      context = opened.context;
      const { page } = opened;
      await page.goto(`${server.url}/verifier`);
      await page.setInputFiles('#fichier', { name: file, mimeType: 'image/png', buffer: bytes });
      await submitting(page, () => page.click('form[enctype] button[type="submit"]'));
      expect(await textOf(page, '.error-summary')).toContain(message);
      await checkPage(opened, name);
    },
  );
});
