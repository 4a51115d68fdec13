import { relaxedLimits } from '../helpers/accounts.js';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, checkPage, signInAs } from '../helpers/e2e.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';

describe('framework import in Chromium, by keyboard', () => {
  const e2e = browserAndServer({ env: relaxedLimits });

  it('When an admin imports a file with a bad line, then the error is announced and fixed by re-importing', async () => {
    const { page, context } = await newPage(e2e.browser);
    await signInAs(page, e2e.server, { role: 'admin' });

    await page.goto(`${e2e.server.url}/referentiels`);
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
    expect(page.url()).toBe(`${e2e.server.url}/referentiels/pix-emploi`);
    expect(await page.locator('.notice').first().textContent()).toContain('a été importé');
    await checkPage(page, { label: 'framework-imported' });
    await context.close();
  });
});
