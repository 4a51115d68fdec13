import type { Page } from 'playwright-core';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, checkPage, PHONE } from '../helpers/e2e.js';

// The pages have no script of their own; JavaScript stays on only so that axe and the image
// checks can run in the page.
describe('badge template gallery in Chromium', () => {
  const e2e = browserAndServer();

  /** Width in pixels of every loaded <img> of the page (0 when it failed to load or decode). */
  async function imageWidths(page: Page): Promise<number[]> {
    return page.$$eval('img', (imgs) =>
      imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    );
  }

  it('When a visitor opens the gallery, then it has 0 axe violations, no CSP error, and every preview is drawn', async () => {
    const { page, problems, context } = await newPage(e2e.browser);
    await page.goto(`${e2e.server.url}/modeles-de-badges`, { waitUntil: 'load' });
    expect(await page.locator('h1').textContent()).toBe('Modèles de badges');
    await checkPage(page, { label: 'gallery', problems });
    const widths = await imageWidths(page);
    expect(widths.length).toBe(5 + 11);
    expect(widths.filter((w) => w === 0)).toEqual([]);
    await page.screenshot({ path: 'test-results/badge-templates-gallery.png', fullPage: true });
    await context.close();
  });

  it('When a coordinator fills the form by keyboard and submits, then the previews show the new title', async () => {
    const { page, context } = await newPage(e2e.browser);
    await page.goto(`${e2e.server.url}/modeles-de-badges`);
    await page.getByLabel('Nom du badge').fill('Éducation aux médias');
    await page.getByLabel('Niveau (facultatif)').fill('Expert');
    await page.getByLabel('Pictogramme', { exact: true }).selectOption('livre');
    await page.getByRole('button', { name: 'Redessiner les aperçus' }).press('Enter');
    await page.waitForURL(/titre=/);
    const src = await page.locator('#modele-seal + img').getAttribute('src');
    expect(src).toContain('titre=%C3%89ducation+aux+m%C3%A9dias');
    expect(src).toContain('picto=livre');
    expect((await imageWidths(page)).filter((w) => w === 0)).toEqual([]);
    await context.close();
  });

  it('When the name is too long for some templates, then their cards say so and the page has 0 axe violations', async () => {
    const { page, context } = await newPage(e2e.browser);
    const title = "Concevoir et animer un atelier collectif d'initiation au numérique pour seniors";
    await page.goto(`${e2e.server.url}/modeles-de-badges?titre=${encodeURIComponent(title)}`);
    expect(await page.locator('.template-card .notice').count()).toBeGreaterThan(0);
    expect(await page.locator('#modele-ribbon + img').count()).toBe(1);
    await checkPage(page, { label: 'gallery-too-long' });
    await page.screenshot({ path: 'test-results/badge-templates-too-long.png', fullPage: false });
    await context.close();
  });

  it('When the form has a mistake, then the page has an error summary and still 0 axe violations', async () => {
    const { page, context } = await newPage(e2e.browser);
    await page.goto(`${e2e.server.url}/modeles-de-badges?titre=&picto=licorne`);
    expect(await page.locator('.error-summary a').count()).toBe(2);
    await checkPage(page, { label: 'gallery-errors' });
    await context.close();
  });

  it('When the gallery is opened on a phone, then it does not scroll sideways', async () => {
    const { page, context } = await newPage(e2e.browser, { viewport: PHONE });
    await page.goto(`${e2e.server.url}/modeles-de-badges`);
    const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await checkPage(page, { label: 'gallery-phone' });
    await context.close();
  });
});
