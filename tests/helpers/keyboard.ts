import type { Page } from 'playwright-core';

/** Keyboard-only journeys: reach elements with Tab (checking the focus shows), act with Enter. */

/** Presses Tab until the element matching `selector` has the focus, and checks it shows. */
export async function tabTo(page: Page, selector: string, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(
      `document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`,
    );
    if (found) {
      const visible = await page.evaluate(`(() => {
        const s = getComputedStyle(document.activeElement);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      })()`);
      if (!visible) throw new Error(`${selector} has the focus but no visible focus indicator`);
      return;
    }
  }
  throw new Error(`could not reach ${selector} with the Tab key on ${page.url()}`);
}

/** Presses Enter (follows a link or submits a form) and waits for the new page. */
export async function enterAndWait(page: Page): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await page.keyboard.press('Enter');
  await navigated;
  await page.waitForLoadState('load');
}

export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/**
 * On a narrow screen the header links sit in the "Menu" disclosure: opens it by keyboard (Tab
 * to it, Enter), as a person would before reaching them. Nothing to do on a wide screen.
 */
export async function openMenu(page: Page): Promise<void> {
  const toggle = page.locator('summary.site-menu__toggle');
  if (!(await toggle.isVisible())) return;
  if ((await page.locator('details.site-menu').getAttribute('open')) !== null) return;
  await tabTo(page, 'summary.site-menu__toggle');
  await page.keyboard.press('Enter');
}
