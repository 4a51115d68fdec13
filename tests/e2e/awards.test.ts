/**
 * Badges and awards in Chromium, by keyboard only: Nadia creates a badge (with a preview and a
 * competency), issues it, an employer opens the award page without JavaScript, Nadia revokes
 * it (forgetting the reason first). Every page: 0 axe violations, one h1, no console or CSP
 * error, no horizontal scroll, screenshots at phone and desktop widths under test-results/.
 */
import fs from 'node:fs';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, pageChecker, signInAs } from '../helpers/e2e.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';
import { createIssuer, createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

const SHOTS = 'test-results/awards';

describe('badges and awards in Chromium, by keyboard', () => {
  let nadia: Person;
  let awardUrl = '';

  const checkPage = pageChecker({
    shots: SHOTS,
    alsoAt: [PHONE, DESKTOP],
    axeAtEachWidth: true,
    allowStatus: '4xx',
  });

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      await createIssuer(
        server.app,
        'roubaix',
        'Ville de Roubaix — Coopérative des médiateurs numériques',
      );
      nadia = await createPerson(
        server.app,
        { email: 'nadia@ville.example.org', name: 'Nadia Bensaïd' },
        { roubaix: 'owner' },
      );
    },
  });

  it('When Nadia creates a badge by keyboard, then she previews it, fixes a mistake and creates it', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await signInAs(page, e2e.server, nadia);
    await page.goto(`${e2e.server.url}/structures/roubaix`);
    await checkPage(page, problems, 'issuer-page-empty');
    await tabTo(page, 'a[href="/structures/roubaix/badges/nouveau"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'badge-form');

    await typeInto(page, '#name', 'Accompagner une démarche en ligne');
    await typeInto(page, '#description', 'Accompagne une personne dans une démarche en ligne.');
    // The criteria are forgotten on purpose.
    await tabTo(page, 'input[name=template]:checked');
    await page.keyboard.press('ArrowDown'); // the next template
    await typeInto(page, '#level', 'Niveau 1');
    await tabTo(page, 'button[value=apercu]');
    await enterAndWait(page);
    expect(await page.locator('.badge-preview figcaption').textContent()).toContain(
      'Aperçu mis à jour',
    );
    expect(await page.locator('.badge-preview img').getAttribute('src')).toContain('niveau=Niveau');
    await checkPage(page, problems, 'badge-form-preview-errors');
    expect(await page.locator('.error-summary').textContent()).toContain(
      "Saisissez les critères d'obtention du badge.",
    );
    await tabTo(page, '.error-summary a[href="#criteriaNarrative"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('criteriaNarrative');
    await page.keyboard.type('A accompagné trois personnes jusqu’au bout de leur démarche.');

    // A competency: open the CRCN list, tick 2.1.
    await tabTo(page, 'details.framework-picker summary');
    await page.keyboard.press('Enter');
    await tabTo(page, 'input[value="crcn:2.1"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'button[value=creer]');
    await enterAndWait(page);
    expect(page.url()).toMatch(
      /\/structures\/roubaix\/badges#badge-accompagner-une-demarche-en-ligne-[0-9a-f]{4}$/,
    );
    expect(await page.locator('[role=status]').textContent()).toContain(
      'Le badge « Accompagner une démarche en ligne » est créé.',
    );
    await checkPage(page, problems, 'issuer-page-with-badge');
    const badge = (await e2e.server.app.services.achievements.listForIssuer('roubaix'))[0]!;
    expect(badge.alignments.map((a) => a.targetCode)).toEqual(['2.1']);
    expect(badge.image.level).toBe('Niveau 1');
    await context.close();
  });

  it('When Nadia issues the badge by keyboard on her phone, then she lands on the award page', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: PHONE });
    await signInAs(page, e2e.server, nadia);
    await page.goto(`${e2e.server.url}/structures/roubaix`);
    await tabTo(page, 'a[href="/structures/roubaix/delivrer"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'issue-form');
    await tabTo(page, '#badgeClassId');
    await page.keyboard.press('ArrowDown');
    await typeInto(page, '#recipientEmail', 'karim@example');
    await typeInto(page, '#evidence', 'https://exemple.org/atelier-caf');
    await typeInto(page, '#narrative', 'A mené un atelier CAF au centre social.');
    await tabTo(page, 'form[action$="/delivrer"] button[type=submit]');
    await enterAndWait(page);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Saisissez une adresse e-mail valide',
    );
    await checkPage(page, problems, 'issue-form-errors');
    await tabTo(page, '.error-summary a');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('recipientEmail');
    await page.keyboard.press('End');
    await page.keyboard.type('.org');
    await tabTo(page, 'form[action$="/delivrer"] button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/assertions\/[A-Za-z0-9_-]{16}$/);
    awardUrl = page.url();
    expect(await page.locator('[role=status]').textContent()).toContain('Le badge est délivré.');
    await checkPage(page, problems, 'award-page-coordinator');
    await context.close();
  });

  it('When an employer opens the award link without JavaScript, then the page says everything in French', async () => {
    // JavaScript off: the page is complete as served (read from the network, photographed).
    const noJs = await newPage(e2e.browser, { viewport: PHONE, javaScriptEnabled: false });
    const res = await noJs.page.goto(awardUrl);
    expect(res?.status()).toBe(200);
    const html = (await res!.text()).replace(/&#x27;/g, "'");
    expect(html).toContain('<h1>Accompagner une démarche en ligne</h1>');
    expect(html).toContain('Ville de Roubaix — Coopérative des médiateurs numériques');
    expect(html).toContain("Critères d'obtention");
    expect(html).toContain('Interagir');
    expect(html).toContain('https://exemple.org/atelier-caf');
    expect(html).not.toContain('karim@example.org');
    expect(html).not.toMatch(/<script/i);
    await noJs.page.screenshot({ path: `${SHOTS}/award-page-no-js-phone.png`, fullPage: true });
    await noJs.context.close();

    // The same page (it has no script) checked with axe, and read by keyboard.
    const { page, problems, context } = await newPage(e2e.browser, { viewport: PHONE });
    await page.goto(awardUrl);
    await checkPage(page, problems, 'award-page-public');
    const details = 'details.technical:not(.technical--verification)';
    await tabTo(page, `${details} summary`);
    await page.keyboard.press('Enter');
    expect(await page.locator(details).getAttribute('open')).not.toBeNull();
    await tabTo(page, 'a[download="badge.png"]');
    // From the award to the badge and to the issuer, as an employer would.
    await tabTo(page, 'a[href$="/emetteurs/roubaix"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'issuer-public-page');
    await tabTo(page, 'a[href^="/badges/"]');
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Accompagner une démarche en ligne');
    await checkPage(page, problems, 'badge-public-page');
    await context.close();
  });

  it('When Nadia revokes the badge by keyboard, then she confirms first, a missing reason is explained and the page says revoked', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await signInAs(page, e2e.server, nadia);
    await page.goto(awardUrl);
    // The award page only links to the confirmation page: following it revokes nothing.
    await tabTo(page, 'a[href$="/revoquer"]');
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(
      'Révoquer le badge « Accompagner une démarche en ligne » ?',
    );
    await checkPage(page, problems, 'revoke-confirm');
    await tabTo(page, 'form[action$="/revoquer"] button[type=submit]');
    await enterAndWait(page);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Saisissez le motif de la révocation.',
    );
    await checkPage(page, problems, 'revoke-form-errors');
    await tabTo(page, '.error-summary a');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('reason');
    await page.keyboard.type('Délivré par erreur');
    await tabTo(page, 'form[action$="/revoquer"] button[type=submit]');
    await enterAndWait(page);
    expect(await page.locator('.award__revoked').textContent()).toContain(
      'Motif : Délivré par erreur',
    );
    await checkPage(page, problems, 'award-page-revoked');
    await context.close();

    // An employer checks the same link on the verifier, by keyboard, without an account.
    const employer = await newPage(e2e.browser, { viewport: DESKTOP });
    await employer.page.goto(`${e2e.server.url}/verifier`);
    await tabTo(employer.page, '#url');
    await employer.page.keyboard.type(awardUrl);
    await enterAndWait(employer.page);
    expect(await employer.page.locator('h1').innerText()).toContain('Non vérifié');
    expect(await employer.page.locator('.verdict').innerText()).toMatch(
      /révoqué le .+ Motif\s:\sDélivré par erreur/,
    );
    await checkPage(employer.page, employer.problems, 'verifier-revoked-award');
    await employer.context.close();
  });
});
