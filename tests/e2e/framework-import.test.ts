import type { Browser } from 'playwright-core';
import { relaxedLimits } from '../helpers/accounts.js';
import { launchBrowser, newPage } from '../helpers/browser.js';
import { checkPage, signInAs } from '../helpers/e2e.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';
import { startTestServer } from '../helpers/test-app.js';

describe('framework import in Chromium, by keyboard', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ env: relaxedLimits });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('When an admin imports a file with a bad line, then the error is announced and fixed by re-importing', async () => {
    const { page, context } = await newPage(browser);
    await signInAs(page, server, { role: 'admin' });

    await page.goto(`${server.url}/referentiels`);
    await tabTo(page, 'a[href="/admin/referentiels/importer"]');
    await enterAndWait(page);
    await checkPage(page, { label: 'import-form' });

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
    await checkPage(page, { label: 'import-form-errors' });
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
    await checkPage(page, { label: 'framework-imported' });
    await context.close();
  });
});
