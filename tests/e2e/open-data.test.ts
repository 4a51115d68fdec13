import { newPage } from '../helpers/browser.js';
import { browserAndServer, checkPage, PHONE, signInAs } from '../helpers/e2e.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';
import { OPEN_DATA_NOW, seedOpenData } from '../helpers/open-data.js';
import { relaxedLimits } from '../helpers/accounts.js';

describe('open data in Chromium', () => {
  const e2e = browserAndServer({
    clock: () => OPEN_DATA_NOW,
    env: relaxedLimits,
    prepare: (server) => seedOpenData(server.app, server.db),
  });

  it('When a resident opens /donnees without JavaScript, then the figures, charts and downloads are there, accessible, under 30 KB', async () => {
    const { page, context, problems } = await newPage(e2e.browser, { javaScriptEnabled: false });
    const axe = await e2e.browser.newContext();
    const res = await page.goto(`${e2e.server.url}/donnees`);
    expect(res?.status()).toBe(200);
    expect((await res!.body()).byteLength).toBeLessThan(30 * 1024);
    // Every chart is an image with a name and a description, followed by the same figures.
    const charts = page.locator('svg.chart[role="img"]');
    expect(await charts.count()).toBe(2);
    expect(await page.getByRole('img', { name: 'Badges délivrés par mois' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Badges délivrés par mois' }).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Badges délivrés par compétence' }).count()).toBe(
      1,
    );
    expect(await page.locator('script').count()).toBe(0);
    // The downloads are plain links a harvester or a resident can follow.
    const csv = await page.request.get(`${e2e.server.url}/donnees/statistiques-mensuelles.csv`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await page.locator('footer a[href="/donnees"]').count()).toBe(1);
    await checkPage(page, {
      label: 'open-data',
      problems,
      alsoAt: [PHONE],
      axeIn: { context: axe, origin: e2e.server.url },
    });
    await axe.close();
    await context.close();
  }, 60_000);

  it('When an admin turns publication on by keyboard with a wrong commune code, then the error is announced and fixed', async () => {
    const { page, context, problems } = await newPage(e2e.browser);
    await signInAs(page, e2e.server, { role: 'admin' });
    await page.goto(`${e2e.server.url}/admin/donnees`);
    await checkPage(page, { label: 'open-data-admin', problems });
    await page.goto(`${e2e.server.url}/admin/donnees/asso-privee`);
    await checkPage(page, { label: 'open-data-admin-form', problems });
    await page.check('#publish');
    await page.fill('#fromMonth', '2027-01');
    await typeInto(page, '#communeCode', '5951');
    await tabTo(page, 'button[type="submit"]');
    await enterAndWait(page);
    expect(await page.locator('.error-summary').textContent()).toContain('5 caractères');
    await checkPage(page, { label: 'open-data-admin-errors', problems, allowStatus: 422 });
    await page.fill('#communeCode', '59512');
    await tabTo(page, 'button[type="submit"]');
    await enterAndWait(page);
    expect(page.url()).toBe(`${e2e.server.url}/admin/donnees`);
    expect(await page.locator('.notice').first().textContent()).toContain('enregistrés');
    await context.close();
    // Four pages checked with axe, on a shared machine.
  }, 120_000);
});
