/**
 * The public profile in Chromium, by keyboard only: Karim accepts a badge showing "Karim B.",
 * opts in to a public profile at /profils/karim-b and picks two badges (one revoked); an
 * anonymous visitor without JavaScript sees his name and each badge's live status; Karim
 * switches the profile off and the address answers 404. Every page: 0 axe violations, one
 * h1, no console or CSP error, no horizontal scroll on a phone; screenshots under
 * test-results/public-profile.
 */
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { jest } from '@jest/globals';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, checkPage, PHONE, DESKTOP, signInAs } from '../helpers/e2e.js';
import { createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { RECIPIENT, adminActor, issueTo, issuerWithBadge } from '../helpers/awards.js';
import { enterAndWait, openMenu, tabTo } from '../helpers/keyboard.js';

jest.setTimeout(180_000);

const SHOTS = 'test-results/public-profile';
const NBSP = '\u00a0';

describe('public profile in Chromium, by keyboard', () => {
  let karim: Person;
  let keptId = '';
  let revokedId = '';
  let axeContext: BrowserContext;

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      const badge = await issuerWithBadge(server.app, 'roubaix');
      karim = await createPerson(
        server.app,
        { email: RECIPIENT, name: 'Karim Benali' },
        { roubaix: 'member' },
      );
      keptId = (await issueTo(server.app, badge))._id;
      revokedId = (await issueTo(server.app, badge, { narrative: 'Un autre atelier.' }))._id;
      await server.app.services.awards.revokeAward({
        actor: adminActor,
        ip: '127.0.0.1',
        issuerId: 'roubaix',
        awardId: revokedId,
        reason: 'Délivré par erreur',
      });
    },
  });

  const flash = (page: Page) => page.locator('[role=status]').textContent();

  /** A visitor without an account and without JavaScript (axe runs on a copy, JS on). */
  async function anonymousVisit(path: string, label: string, status: number) {
    axeContext ??= await e2e.browser.newContext({ locale: 'fr-FR' });
    const visitor = await newPage(e2e.browser, { viewport: PHONE, javaScriptEnabled: false });
    const res = await visitor.page.goto(`${e2e.server.url}${path}`);
    expect(res?.status()).toBe(status);
    const html = await res!.text();
    await checkPage(visitor.page, {
      label,
      problems: visitor.problems,
      shots: SHOTS,
      alsoAt: [DESKTOP],
      axeIn: { context: axeContext, origin: e2e.server.url },
      ...(status >= 400 ? { allowStatus: status } : {}),
    });
    return { ...visitor, html };
  }

  afterAll(async () => {
    await axeContext?.close();
  });

  it('When Karim accepts a badge showing his name and opts in with two badges, then the profile is saved at its address', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: PHONE });
    // The form with errors answers 422 on purpose (Chromium logs it as a failed load).
    const check = (label: string) =>
      checkPage(page, {
        label,
        problems,
        shots: SHOTS,
        alsoAt: [DESKTOP],
        axeAtEachWidth: true,
        allowStatus: 422,
      });
    await signInAs(page, e2e.server, karim);
    await openMenu(page);
    await tabTo(page, 'a[href="/mes-badges"]');
    await enterAndWait(page);
    await check('my-badges');
    expect(await page.locator('h1').textContent()).toBe('Mes badges');
    expect(await page.locator('body').textContent()).toContain(`Motif${NBSP}: Délivré par erreur`);

    // The name choice is a radio group: Tab reaches the checked one, arrows move. The badge
    // is listed under each of its two competencies: the first card's form is used.
    const card = `#crcn-2-1-${keptId}`;
    await tabTo(page, `${card}-none`);
    await page.keyboard.press('ArrowDown');
    expect(await page.locator(`${card}-short`).isChecked()).toBe(true);
    await tabTo(page, `form[action="/mes-badges/${keptId}/accepter"] button[type=submit]`);
    await enterAndWait(page);
    expect(await flash(page)).toContain(`Délivré à Karim B.${NBSP}».`);

    await tabTo(page, 'a[href="/mon-profil-public"]');
    await enterAndWait(page);
    await check('profile-settings-off');
    await tabTo(page, '#enabled');
    await page.keyboard.press('Space');
    await tabTo(page, '#slug');
    expect(await page.locator('#slug').inputValue()).toBe('karim-b');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Karim B');
    await tabTo(page, '#bio');
    await page.keyboard.type('Médiateur numérique au centre social de l’Alma.');
    for (const id of [keptId, revokedId]) {
      await tabTo(page, `#badge-${id}`);
      await page.keyboard.press('Space');
    }
    await tabTo(page, 'form[action="/mon-profil-public"] button[type=submit]');
    await enterAndWait(page);
    // A malformed address: the summary says why and leads to the field.
    expect(await page.locator('.error-summary').textContent()).toContain(
      'lettres minuscules sans accents',
    );
    await check('profile-settings-errors');
    await tabTo(page, '.error-summary a[href="#slug"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('slug');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('karim-b');
    await tabTo(page, 'form[action="/mon-profil-public"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain(`${e2e.server.url}/profils/karim-b`);
    await check('profile-settings-on');
    await context.close();
  });

  it('When an anonymous visitor without JavaScript opens the address, then they see the name and each badge with its live status', async () => {
    const { html, page, context } = await anonymousVisit('/profils/karim-b', 'public-profile', 200);
    expect(html).not.toMatch(/<script/i);
    expect(await page.locator('h1').textContent()).toBe('Karim B.');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('Médiateur numérique au centre social de l’Alma.');
    const cards = page.locator('main li.card');
    expect(await cards.count()).toBe(2);
    const kept = cards.filter({ has: page.locator(`a[href="/assertions/${keptId}"]`) });
    const revoked = cards.filter({ has: page.locator(`a[href="/assertions/${revokedId}"]`) });
    expect(await kept.locator('.verdict').textContent()).toBe('Vérifié');
    expect(await revoked.locator('.verdict').textContent()).toBe('Non vérifié');
    expect(await revoked.textContent()).toContain(`Motif${NBSP}: Délivré par erreur`);
    expect(await page.locator('meta[name=robots]').getAttribute('content')).toBe('noindex');
    expect(await page.locator('meta[property="og:url"]').getAttribute('content')).toBe(
      `${e2e.server.url}/profils/karim-b`,
    );
    // From the profile to the badge's page: it names its holder, as he chose.
    await page.goto(`${e2e.server.url}/assertions/${keptId}`);
    expect(await page.locator('.verdict__holder').textContent()).toBe('Délivré à Karim B.');
    await context.close();
  });

  it('When Karim switches the profile off, then the address answers 404', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: PHONE });
    await signInAs(page, e2e.server, karim);
    await page.goto(`${e2e.server.url}/mon-profil-public`);
    await tabTo(page, 'form[action="/mon-profil-public/desactiver"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain('Votre profil public est désactivé.');
    await checkPage(page, { label: 'profile-settings-after-off', problems, shots: SHOTS });
    await context.close();
    const gone = await anonymousVisit('/profils/karim-b', 'public-profile-off', 404);
    expect(await gone.page.locator('h1').count()).toBe(1);
    expect(gone.html).not.toContain('Karim');
    await gone.context.close();
  });
});
