/**
 * My data in Chromium, keyboard only, JavaScript off: the privacy and legal pages from the
 * footer, then the account deletion up to the link of the confirmation email.
 */
import { jest } from '@jest/globals';
import { newPage } from '../helpers/browser.js';
import { createIssuer, createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { browserAndServer, checkPage, signInAs } from '../helpers/e2e.js';
import { enterAndWait, tabTo } from '../helpers/keyboard.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

jest.setTimeout(120_000);

describe('my data in Chromium', () => {
  let smtp: TestSmtpServer;
  let karim: Person;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  const e2e = browserAndServer({
    env: {
      ...relaxedLimits,
      get SMTP_URL() {
        return smtp.url;
      },
    } as Record<string, string>,
    prepare: async (server) => {
      await createIssuer(server.app, 'roubaix', 'Ville de Roubaix');
      karim = await createPerson(
        server.app,
        { email: 'karim.e2e@example.org', name: 'Karim E2E' },
        { roubaix: 'member' },
      );
    },
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it('When a visitor follows the footer links with the keyboard and JavaScript off, then the privacy and legal pages read fine', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { javaScriptEnabled: false });
    // axe needs JavaScript: it checks the same HTML in a page of a context where it runs.
    const axe = await newPage(e2e.browser);
    const axeIn = { context: axe.context, origin: e2e.server.url };
    await page.goto(`${e2e.server.url}/`);
    await tabTo(page, 'footer a[href="/confidentialite"]', 120);
    await enterAndWait(page);
    expect(new URL(page.url()).pathname).toBe('/confidentialite');
    expect(await page.locator('h1').textContent()).toBe('Confidentialité et données personnelles');
    const privacy = (await page.locator('main').textContent()) ?? '';
    expect(privacy).toContain('CNIL');
    expect(privacy).toContain('3 place de Fontenoy');
    expect(privacy).toContain('90 jours après le refus');
    expect(privacy).toContain('12 mois après la suppression');
    expect(await page.locator('a[href="https://www.cnil.fr/fr/plaintes"]').count()).toBe(1);
    await checkPage(page, { label: 'confidentialite', problems, axeIn });

    await tabTo(page, 'footer a[href="/mentions-legales"]', 120);
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Mentions légales');
    expect((await page.locator('main').textContent()) ?? '').toContain('Ville de Roubaix');
    await checkPage(page, { label: 'mentions-legales', problems, axeIn });
    await context.close();
    await axe.context.close();
  });

  it('When Karim asks to delete his account with the keyboard, then a confirmation link arrives and opens the confirmation page', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { javaScriptEnabled: false });
    // axe needs JavaScript: it checks the same HTML in a page of a context where it runs.
    const axe = await newPage(e2e.browser);
    const axeIn = { context: axe.context, origin: e2e.server.url };
    await signInAs(page, e2e.server, karim);
    await page.goto(`${e2e.server.url}/compte`);
    await checkPage(page, { label: 'compte', problems, axeIn });
    await tabTo(page, 'a[href="/compte/suppression"]', 120);
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Supprimer mon compte');
    await checkPage(page, { label: 'suppression', problems, axeIn });
    await tabTo(page, 'form[action="/compte/suppression"] button[type="submit"]', 120);
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Vérifiez votre boîte e-mail');
    await checkPage(page, { label: 'suppression-envoyee', problems, axeIn });

    const mail = await smtp.waitFor((m) => m.to === karim.email);
    expect(mail.subject).toBe('Confirmez la suppression de votre compte');
    await page.goto(linkIn(mail, '/compte/suppression/confirmer/'));
    expect(await page.locator('h1').textContent()).toBe('Confirmer la suppression du compte');
    await checkPage(page, { label: 'suppression-confirmer', problems, axeIn });
    await tabTo(page, 'main form button[type="submit"]', 120);
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Votre compte est supprimé');
    await checkPage(page, { label: 'compte-supprime', problems, axeIn });
    expect(await e2e.server.app.services.users.findByEmail(karim.email)).toBeNull();
    await context.close();
    await axe.context.close();
  });
});
