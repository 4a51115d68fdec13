/**
 * The accounts journeys in Chromium, by keyboard only: first administrator, creating an
 * issuer, accepting invitations, inviting, changing language, signing out and in, resetting a
 * password, changing address. Every page of these journeys is checked with axe (0 violations)
 * and photographed at phone and desktop widths under test-results/.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, type PageProblems } from '../helpers/browser.js';
import { DESKTOP, PHONE, pageChecker } from '../helpers/e2e.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { startTestServer } from '../helpers/test-app.js';
import { createLogger } from '../../src/libraries/logger/logger.js';
import { createMailer } from '../../src/libraries/mail/mailer.js';
import { relaxedLimits } from '../helpers/accounts.js';
import { enterAndWait, openMenu, tabTo, typeInto } from '../helpers/keyboard.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

const SHOTS = 'test-results/accounts';

describe('accounts in Chromium, by keyboard', () => {
  let browser: Browser;
  let smtp: TestSmtpServer;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const checked: string[] = [];

  /** axe (0 violations), one h1, no console or CSP error, and screenshots at both widths. */
  const check = pageChecker({ shots: SHOTS, alsoAt: [PHONE, DESKTOP], allowStatus: '4xx' });
  async function checkPage(page: Page, problems: PageProblems, name: string): Promise<void> {
    await check(page, problems, name);
    checked.push(name);
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpServer();
    server = await startTestServer({ env: { ...relaxedLimits, SMTP_URL: smtp.url } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it('When the platform is new, then the administrator creates the first account and an issuer by keyboard', async () => {
    const { page, problems, context } = await newPage(browser, { viewport: DESKTOP });
    await page.goto(`${server.url}/installation`);
    await checkPage(page, problems, 'installation');
    await typeInto(page, '#name', 'Admin Ville');
    await typeInto(page, '#email', 'admin@ville.example.org');
    await typeInto(page, '#password', 'court');
    await typeInto(page, '#passwordConfirm', 'court');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/installation$/);
    expect(await page.locator('.error-summary').textContent()).toContain('au moins 12 caractères');
    await checkPage(page, problems, 'installation-errors');
    await tabTo(page, '.error-summary a');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('password');
    // Passwords are never sent back into the form: both are typed again.
    await page.keyboard.type('une phrase assez longue');
    await tabTo(page, '#passwordConfirm');
    await page.keyboard.type('une phrase assez longue');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/structures$/);
    expect(await page.locator('[role=status]').textContent()).toContain(
      'Le compte administrateur est créé',
    );
    await checkPage(page, problems, 'structures-empty');

    await tabTo(page, 'a[href="/admin/structures/nouvelle"]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/nouvelle$/);
    await checkPage(page, problems, 'structure-create');
    await typeInto(page, '#name', 'Ville de Roubaix — Coopérative des médiateurs numériques');
    await typeInto(page, '#url', 'https://www.ville-roubaix.fr');
    await typeInto(page, '#email', 'coop@ville-roubaix.fr');
    await typeInto(page, '#ownerEmail', 'nadia@ville.example.org');
    await tabTo(page, 'button[type=submit]:not(.link-button)');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/membres$/);
    expect(await page.locator('[role=status]').textContent()).toContain(
      'une invitation a été envoyée à nadia@ville.example.org',
    );
    await checkPage(page, problems, 'members-new-issuer');
    await context.close();
  });

  it('When Nadia accepts her invitation and invites mediators, then she can fix a wrong line by keyboard', async () => {
    const mail = await smtp.waitFor((m) => m.to === 'nadia@ville.example.org');
    const { page, problems, context } = await newPage(browser, { viewport: DESKTOP });
    await page.goto(linkIn(mail, '/invitation/'));
    await checkPage(page, problems, 'invitation-create-account');
    await typeInto(page, '#name', 'Nadia Bensaïd');
    await typeInto(page, '#password', 'la coopérative de Roubaix');
    await typeInto(page, '#passwordConfirm', 'la coopérative de Roubaix');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/structures$/);
    expect(await page.locator('[role=status]').textContent()).toContain('Bienvenue');
    await checkPage(page, problems, 'structures-owner');

    await tabTo(page, 'a[href$="/membres"]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/membres$/);
    await typeInto(page, '#emails', 'karim@example.org\nsamia@exemple');
    await tabTo(page, 'form[action$="/invitations"] button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/invitations$/);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Ligne 2 : « samia@exemple »',
    );
    await checkPage(page, problems, 'members-invite-errors');
    await tabTo(page, '.error-summary a');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('emails');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('.org');
    await tabTo(page, 'form[action$="/invitations"] button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/membres$/);
    expect(await page.locator('[role=status]').textContent()).toContain('2 invitations envoyées.');
    await checkPage(page, problems, 'members-with-invitations');

    await tabTo(page, 'a[href="/audit"]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/audit$/);
    await checkPage(page, problems, 'audit');
    await context.close();
  });

  it('When Karim accepts his invitation on his phone, changes language and signs out, then all works by keyboard', async () => {
    const mail = await smtp.waitFor((m) => m.to === 'karim@example.org');
    const { page, problems, context } = await newPage(browser, { viewport: PHONE });
    await page.goto(linkIn(mail, '/invitation/'));
    await typeInto(page, '#name', 'Karim Benali');
    await typeInto(page, '#password', 'mon centre social à Roubaix');
    await typeInto(page, '#passwordConfirm', 'mon centre social à Roubaix');
    await enterAndWait(page);
    // A mediator comes for badges: the invitation leads to "Mes badges", not to password forms.
    expect(page.url()).toMatch(/\/mes-badges$/);
    expect(await page.locator('[role=status]').textContent()).toContain('Bienvenue');
    await checkPage(page, problems, 'my-badges-welcome');

    // Language: the English link, then back to French with the setting on the account page.
    await openMenu(page);
    await tabTo(page, 'a[hreflang=en]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await checkPage(page, problems, 'my-badges-english');
    await page.goto(`${server.url}/compte`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await tabTo(page, '#language');
    await page.keyboard.press('ArrowUp');
    await tabTo(page, 'form[action="/compte/profil"] button');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/compte$/);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    await openMenu(page);
    await tabTo(page, 'button.link-button');
    await enterAndWait(page);
    expect(page.url()).toMatch(/deconnecte=1/);
    expect(await page.locator('h1').textContent()).toBe('Connexion');
    expect(await page.locator('.notice--ok').textContent()).toContain('Vous êtes déconnecté·e');
    await checkPage(page, problems, 'sign-in-after-sign-out');
    await context.close();
  });

  it('When Karim signs in by keyboard with a typo first, then the error is clear and he gets in', async () => {
    const { page, problems, context } = await newPage(browser, { viewport: PHONE });
    await page.goto(`${server.url}/`);
    await openMenu(page);
    await tabTo(page, 'a[href="/connexion"]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/connexion$/);
    await typeInto(page, '#email', 'karim@example.org');
    await typeInto(page, '#password', 'mon centre social a Roubaix');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/connexion$/);
    expect(await page.locator('.error-summary').textContent()).toContain(
      "L'adresse e-mail ou le mot de passe est incorrect.",
    );
    await checkPage(page, problems, 'sign-in-error');
    await typeInto(page, '#password', 'mon centre social à Roubaix');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/mes-badges$/);
    expect(await page.locator('.account-nav__name').textContent()).toContain('Karim Benali');
    await context.close();
  });

  it('When Karim forgets his password, then he resets it by keyboard and the link works only once', async () => {
    const { page, problems, context } = await newPage(browser, { viewport: PHONE });
    await page.goto(`${server.url}/connexion`);
    await checkPage(page, problems, 'sign-in');
    await tabTo(page, 'a[href="/mot-de-passe-oublie"]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/mot-de-passe-oublie$/);
    await checkPage(page, problems, 'forgot');
    await typeInto(page, '#email', 'karim@example.org');
    await enterAndWait(page);
    expect(page.url()).toMatch(/mot-de-passe-oublie$/);
    expect(await page.locator('h1').textContent()).toBe('Consultez vos courriels');
    await checkPage(page, problems, 'forgot-sent');
    const mail = await smtp.waitFor(
      (m) => m.to === 'karim@example.org' && m.subject === 'Choisir un nouveau mot de passe',
    );
    const link = linkIn(mail, '/mot-de-passe/nouveau/');
    await page.goto(link);
    await checkPage(page, problems, 'new-password');
    await typeInto(page, '#password', 'une nouvelle phrase pour Karim');
    await typeInto(page, '#passwordConfirm', 'une nouvelle phrase pour Karim');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/mes-badges$/);
    expect(await page.locator('[role=status]').textContent()).toContain(
      'Votre mot de passe est enregistré',
    );
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe("Ce lien n'est plus valable");
    await checkPage(page, problems, 'link-used');
    await context.close();
  });

  it('When Karim changes his address, then the confirmation page is accessible and works by keyboard', async () => {
    const { page, problems, context } = await newPage(browser, { viewport: PHONE });
    await page.goto(`${server.url}/connexion`);
    await typeInto(page, '#email', 'karim@example.org');
    await typeInto(page, '#password', 'une nouvelle phrase pour Karim');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/mes-badges$/);
    await page.goto(`${server.url}/compte`);
    await typeInto(page, '#newEmail', 'karim.benali@example.org');
    await typeInto(page, '#emailPassword', 'une nouvelle phrase pour Karim');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/compte#adresse$/);
    const mail = await smtp.waitFor((m) => m.to === 'karim.benali@example.org');
    await page.goto(linkIn(mail, '/compte/adresse/confirmer/'));
    await checkPage(page, problems, 'confirm-email');
    await tabTo(page, 'main button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/compte$/);
    expect(await page.locator('[role=status]').textContent()).toContain('karim.benali@example.org');

    // Pages a mediator may meet by mistake: forbidden, missing, expired form.
    await page.goto(`${server.url}/audit`);
    expect(await page.locator('h1').textContent()).toBe('Accès refusé');
    await checkPage(page, problems, 'error-403');
    await page.goto(`${server.url}/nulle-part`);
    await checkPage(page, problems, 'error-404');
    await context.clearCookies({ name: 'coop.csrf' });
    await page.goto(`${server.url}/compte`);
    await context.clearCookies({ name: 'coop.csrf' });
    await tabTo(page, 'form[action="/compte/profil"] button');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/compte\/profil$/);
    expect(await page.locator('h1').textContent()).toBe('Formulaire expiré');
    await checkPage(page, problems, 'error-csrf');
    await context.close();
  });

  it('When a developer reads the outbox, then its pages are accessible too', async () => {
    const { page, problems, context } = await newPage(browser, { viewport: DESKTOP });
    // With SMTP configured the outbox is empty: write one message the way development does.
    const outbox = createMailer({
      config: { ...server.config, SMTP_URL: undefined },
      logger: createLogger({ level: 'silent' }),
    });
    await outbox.send({
      to: 'karim@example.org',
      subject: 'Essai',
      text: `Bonjour\n${server.url}/connexion`,
      html: '<p>Bonjour</p>',
    });
    await page.goto(`${server.url}/dev/courriels`);
    await checkPage(page, problems, 'dev-outbox');
    await tabTo(page, 'main a[href^="/dev/courriels/"]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/dev\/courriels\/.+/);
    await checkPage(page, problems, 'dev-message');
    await context.close();
  });

  it('When all journeys have run, then every page of this issue has been checked', () => {
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });
});
