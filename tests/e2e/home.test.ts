import { newPage } from '../helpers/browser.js';
import { browserAndServer, checkPage, PHONE } from '../helpers/e2e.js';

describe('home page in Chromium', () => {
  const e2e = browserAndServer();

  it('When a visitor opens the home page, then it is in French with 0 axe violations and no CSP error', async () => {
    const { page, problems, context } = await newPage(e2e.browser);
    await page.goto(`${e2e.server.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await checkPage(page, { label: 'home', problems });
    await context.close();
  });

  it('When a keyboard user presses Tab first, then the skip link appears and leads to the content', async () => {
    const { page, context } = await newPage(e2e.browser);
    await page.goto(`${e2e.server.url}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = (globalThis as unknown as { document: { activeElement: { textContent: string } } })
        .document.activeElement;
      return el.textContent;
    });
    expect(focused).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    // Following the link is a navigation the browser finishes after the key press returns.
    await page.waitForURL(/#contenu$/, { timeout: 5000 });
    expect(page.url()).toMatch(/#contenu$/);
    await context.close();
  });

  it('When the accessibility statement is opened on a phone with JavaScript off, then it reads fine', async () => {
    const { page, context } = await newPage(e2e.browser, {
      javaScriptEnabled: false,
      viewport: PHONE,
    });
    await page.goto(`${e2e.server.url}/accessibilite`);
    await page.screenshot({ path: 'test-results/accessibilite-phone.png', fullPage: false });
    expect(await page.locator('h1').textContent()).toBe("Déclaration d'accessibilité");
    const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
    expect(scrollWidth).toBeLessThanOrEqual(375);
    await context.close();
  });
});
