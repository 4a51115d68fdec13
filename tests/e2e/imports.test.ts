/**
 * Importing a badge of another platform in Chromium, by keyboard only: Karim goes from "Mes
 * badges" to his imported badges, opens "Importer un badge", uploads a baked PNG (an OB 3.0
 * credential of an Open Educational Badges–like issuer), and finds it in the imported list
 * with its verdict; a tampered copy is refused with the reason. Every page: 0 axe violations,
 * one h1, no console or CSP error, no horizontal scroll on a phone.
 */
import fs from 'node:fs';
import { jest } from '@jest/globals';
import { bakePng } from '../../src/core/index.js';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, PHONE, pageChecker, signInAs } from '../helpers/e2e.js';
import { createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { didKeyBadge } from '../helpers/imports.js';
import { enterAndWait, openMenu, tabTo } from '../helpers/keyboard.js';

jest.setTimeout(120_000);

const SHOTS = 'test-results/imports';
const BASE_PNG = fs.readFileSync(
  'tests/fixtures/1edtech/validator-tests/ob20/assets/robotics-badge.png',
);

describe('importing a badge of another platform in Chromium, by keyboard', () => {
  let karim: Person;
  const checkPage = pageChecker({
    shots: SHOTS,
    alsoAt: [PHONE],
    axeAtEachWidth: true,
    allowStatus: '4xx',
  });

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      karim = await createPerson(server.app, {
        email: 'karim.benali@example.fr',
        name: 'Karim Benali',
      });
    },
  });

  it('When Karim uploads a baked PNG through the form, then he sees it in his imported badges', async () => {
    const badge = await didKeyBadge(karim.email, 'e2e1');
    const tampered = bakePng(BASE_PNG, {
      keyword: 'openbadgecredential',
      text: badge.json.replace('Animer un atelier numérique', 'Animer un atelier numériquE'),
    });
    const { page, problems } = await newPage(e2e.browser, { viewport: PHONE });
    await signInAs(page, e2e.server, karim);
    await openMenu(page);
    await tabTo(page, 'a[href="/mes-badges"]');
    await enterAndWait(page);
    await tabTo(page, 'a[href="/mes-badges/importes"]');
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe("Badges importés d'autres plateformes");
    await checkPage(page, problems, 'imports-empty');
    await tabTo(page, 'a[href="/mes-badges/importer"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'imports-form');

    // A tampered copy: refused, the reason in the error summary.
    await page.setInputFiles('#fichier', {
      name: 'badge.png',
      mimeType: 'image/png',
      buffer: Buffer.from(tampered),
    });
    await tabTo(page, 'input[name=way][value=file] ~ button[type=submit]');
    await enterAndWait(page);
    const summary = (await page.locator('.error-summary').textContent())!.replace(/\s+/g, ' ');
    expect(summary).toContain('Ce badge ne peut pas être importé');
    expect(summary).toContain("il n'a pas passé la vérification");
    await checkPage(page, problems, 'imports-refused');

    // The real one.
    await page.setInputFiles('#fichier', {
      name: 'badge.png',
      mimeType: 'image/png',
      buffer: Buffer.from(badge.png),
    });
    await tabTo(page, 'input[name=way][value=file] ~ button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/mes-badges\/importes\/[A-Za-z0-9_-]+$/);
    expect(await page.locator('h1').textContent()).toBe('Animer un atelier numérique');
    expect(await page.locator('[role=status]').textContent()).toContain('Le badge a été importé');
    await checkPage(page, problems, 'imports-show');

    await tabTo(page, 'a[href="/mes-badges/importes"]');
    await enterAndWait(page);
    const card = page.locator('.imported-badge');
    expect(await card.count()).toBe(1);
    const text = (await card.textContent())!.replace(/\s+/g, ' ');
    expect(text).toContain('Animer un atelier numérique');
    expect(text).toContain('Open Educational Badges — Atelier Ailleurs');
    // An issuer this platform does not know: "Attention", shown with the reason.
    expect(text).toContain('Attention');
    // The image is served from our own origin and loads under the CSP.
    const loaded = await page.evaluate(
      `(() => { const img = document.querySelector('.imported-badge img'); return img && img.complete && img.naturalWidth > 0; })()`,
    );
    expect(loaded).toBe(true);
    await checkPage(page, problems, 'imports-list');
  });
});
