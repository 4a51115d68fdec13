import type { Browser } from 'playwright-core';
import { createPerson, relaxedLimits } from '../helpers/accounts.js';
import { axeViolations, describeViolations, launchBrowser, newPage } from '../helpers/browser.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';
import { startTestServer } from '../helpers/test-app.js';

describe('framework import in Chromium, by keyboard', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ env: relaxedLimits });
    await createPerson(server.app, {
      email: 'admin@ville.example.org',
      password: 'une phrase de passe bien longue',
      isAdmin: true,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('When an admin imports a file with a bad line, then the error is announced and fixed by re-importing', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${server.url}/connexion`);
    await typeInto(page, '#email', 'admin@ville.example.org');
    await typeInto(page, '#password', 'une phrase de passe bien longue');
    await enterAndWait(page);

    await page.goto(`${server.url}/referentiels`);
    await tabTo(page, 'a[href="/admin/referentiels/importer"]');
    await enterAndWait(page);
    expect(describeViolations(await axeViolations(page))).toBe('');

    await typeInto(page, '#id', 'pix-emploi');
    await typeInto(page, '#name', 'Pix Emploi');
    await page.setInputFiles('#fichier', {
      name: 'pix.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'domaine_code;domaine_libelle;competence_code;competence_libelle\n1;Candidater;1.1;\n',
      ),
    });
    await tabTo(page, 'button[type="submit"]');
    await enterAndWait(page);
    expect(await page.locator('.error-summary').textContent()).toContain('Ligne 2');
    expect(describeViolations(await axeViolations(page))).toBe('');
    // The summary links to the file field, which keeps its label and hint.
    await page.click('.error-summary a');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'fichier',
    );

    await page.setInputFiles('#fichier', {
      name: 'pix.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'domaine_code;domaine_libelle;competence_code;competence_libelle\n1;Candidater;1.1;Rédiger un CV en ligne\n',
      ),
    });
    await tabTo(page, 'button[type="submit"]');
    await enterAndWait(page);
    expect(page.url()).toBe(`${server.url}/referentiels/pix-emploi`);
    expect(await page.locator('.notice').first().textContent()).toContain('a été importé');
    expect(describeViolations(await axeViolations(page))).toBe('');
    await context.close();
  });
});
