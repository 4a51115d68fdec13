/**
 * What every browser test does to a page: sign in through the real form, and check the page
 * (axe 0 violations, one h1, no console or CSP error, no horizontal scroll, screenshots).
 */
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { IssuerRole } from '../../src/libraries/authz/authorization.js';
import type { CoopApp } from '../../src/app/app.js';
import { createPerson, type Person } from './accounts.js';
import { axeViolations, describeViolations, launchBrowser, type PageProblems } from './browser.js';
import { enterAndWait, typeInto } from './keyboard.js';
import { startTestServer, type TestAppOptions } from './test-app.js';

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export type Viewport = typeof PHONE;

export interface CheckPageOptions {
  /** Names the page in failures and screenshots. */
  label: string;
  /** The page's console (from `newPage`): it must hold no error. */
  problems?: PageProblems;
  /**
   * Chromium logs an error page (403, 410…) as a failed load: ignore that line for this status,
   * or for any 4xx status with '4xx' (journeys that meet error pages on purpose).
   */
  allowStatus?: number | '4xx';
  /** Folder for full-page screenshots `<label>-phone.png` / `<label>-desktop.png`. */
  shots?: string;
  /** Widths also checked (no horizontal scroll, screenshot), then the viewport is put back. */
  alsoAt?: readonly Viewport[];
  /** Runs axe again at each width of `alsoAt`. */
  axeAtEachWidth?: boolean;
  /**
   * axe needs timers, which do not run with JavaScript off: the same HTML is then checked in a
   * page of this context (JavaScript on) opened at `origin`, so that relative URLs still work.
   */
  axeIn?: { context: BrowserContext; origin: string };
}

async function axeReport(page: Page, options: CheckPageOptions): Promise<string> {
  if (!options.axeIn) return describeViolations(await axeViolations(page));
  const copy = await options.axeIn.context.newPage();
  try {
    await copy.goto(`${options.axeIn.origin}/healthz`);
    await copy.setContent(await page.content(), { waitUntil: 'load' });
    return describeViolations(await axeViolations(copy));
  } finally {
    await copy.close();
  }
}

async function scrollsSideways(page: Page): Promise<boolean> {
  return (await page.evaluate(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth',
  )) as boolean;
}

async function screenshot(page: Page, options: CheckPageOptions, width: number): Promise<void> {
  if (!options.shots) return;
  const kind = width <= PHONE.width ? 'phone' : 'desktop';
  await page.screenshot({ path: `${options.shots}/${options.label}-${kind}.png`, fullPage: true });
}

/** Everything wrong with the page, one readable line each (empty when it passes). */
export async function pageFailures(page: Page, options: CheckPageOptions): Promise<string[]> {
  const failures: string[] = [];
  const at = (width: number) => `${options.label} @${width}px`;
  const viewport = page.viewportSize() ?? DESKTOP;
  const axe = await axeReport(page, options);
  if (axe) failures.push(`${at(viewport.width)}: axe\n${axe}`);
  const h1 = await page.locator('h1').count();
  if (h1 !== 1) failures.push(`${options.label}: ${h1} h1 instead of 1`);
  const failedLoad = 'Failed to load resource: the server responded with a status of ';
  const allowed =
    options.allowStatus === '4xx' ? `${failedLoad}4` : `${failedLoad}${options.allowStatus} `;
  const errors = (options.problems?.console ?? []).filter(
    (m) => options.allowStatus === undefined || !m.startsWith(allowed),
  );
  if (errors.length) failures.push(`${options.label}: console ${errors.join(' | ')}`);
  if (await scrollsSideways(page)) failures.push(`${at(viewport.width)}: horizontal scroll`);
  await screenshot(page, options, viewport.width);
  const others = (options.alsoAt ?? []).filter((v) => v.width !== viewport.width);
  for (const other of others) {
    await page.setViewportSize(other);
    if (await scrollsSideways(page)) failures.push(`${at(other.width)}: horizontal scroll`);
    if (options.axeAtEachWidth) {
      const again = await axeReport(page, options);
      if (again) failures.push(`${at(other.width)}: axe\n${again}`);
    }
    await screenshot(page, options, other.width);
  }
  if (others.length) await page.setViewportSize(viewport);
  return failures;
}

/** Asserts that the page passes every check of `pageFailures`. */
export async function checkPage(page: Page, options: CheckPageOptions): Promise<void> {
  expect(await pageFailures(page, options)).toEqual([]);
}

/** `checkPage` with one journey's settings: `check(page, problems, label)`. */
export function pageChecker(settings: Omit<CheckPageOptions, 'label' | 'problems'>) {
  return (page: Page, problems: PageProblems, label: string) =>
    checkPage(page, { ...settings, label, problems });
}

/** Someone to sign in as: a known person, or a new account with this role. */
export type SignInAs = Person | { role: 'admin' } | { role: IssuerRole; issuer: string };

/** Signs in through the sign-in form, by keyboard; returns who is signed in. */
export async function signInAs(
  page: Page,
  server: { url: string; app: CoopApp },
  who: SignInAs,
): Promise<Person> {
  const person =
    'email' in who
      ? who
      : await createPerson(
          server.app,
          {
            email: `${who.role}-${randomBytes(4).toString('hex')}@example.org`,
            isAdmin: who.role === 'admin',
          },
          'issuer' in who ? { [who.issuer]: who.role } : {},
        );
  await page.goto(`${server.url}/connexion`);
  await typeInto(page, '#email', person.email);
  await typeInto(page, '#password', person.password);
  await enterAndWait(page);
  return person;
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/**
 * For a `describe`: the app served on loopback (then `prepare`, for fixtures) and Chromium,
 * both started before its tests and closed after them.
 */
export function browserAndServer(
  options: TestAppOptions & {
    prepare?: (server: TestServer) => Promise<void>;
    /** Waits for background work (e.g. a bulk run) before the server stops. */
    beforeClose?: (server: TestServer) => Promise<void>;
  } = {},
): { readonly browser: Browser; readonly server: TestServer } {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
    await options.prepare?.(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) await options.beforeClose?.(server);
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser is started in beforeAll');
      return browser;
    },
    get server() {
      if (!server) throw new Error('the server is started in beforeAll');
      return server;
    },
  };
}
