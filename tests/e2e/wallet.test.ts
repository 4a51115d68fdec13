/**
 * The recipient adds a badge to a wallet, in Chromium: from the award page's sharing options
 * to the QR code, whose content (read from a screenshot) is the interaction URL; that URL
 * opened in a browser shows a page for people. Every page: axe 0 violations, no CSP error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AwardDoc } from '../../src/components/awards/award.model.js';
import { createPerson, relaxedLimits } from '../helpers/accounts.js';
import { RECIPIENT, issuerWithBadge, issueTo } from '../helpers/awards.js';
import { newPage } from '../helpers/browser.js';
import {
  browserAndServer,
  checkPage,
  DESKTOP,
  PHONE,
  pageChecker,
  signInAs,
} from '../helpers/e2e.js';
import { enterAndWait, tabTo } from '../helpers/keyboard.js';
import { decodeQrPng } from '../helpers/qr.js';

const SHOTS = 'test-results/wallet';
const check = pageChecker({ shots: SHOTS, alsoAt: [PHONE] });

describe('adding a badge to a wallet in Chromium', () => {
  let award: AwardDoc;
  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      award = await issueTo(server.app, await issuerWithBadge(server.app));
    },
  });

  it('When the recipient creates the QR code from the award page, then it encodes the interaction URL, which opens a page for people', async () => {
    const { page, problems } = await newPage(e2e.browser, { viewport: DESKTOP });
    const karim = await createPerson(e2e.server.app, { email: RECIPIENT, name: 'Karim' });
    await signInAs(page, e2e.server, karim);
    await page.goto(`${e2e.server.url}/assertions/${award._id}`);
    await tabTo(page, `a[href$="/assertions/${award._id}/portefeuille"]`);
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Ajouter ce badge à mon portefeuille');
    await check(page, problems, 'wallet-start');

    await tabTo(page, 'button[data-wallet="create"]');
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(
      'Scannez ce QR code avec votre portefeuille',
    );
    await check(page, problems, 'wallet-offer');
    const shot = await page.locator('.share__qr').first().screenshot();
    const interaction = decodeQrPng(shot);
    expect(interaction).toMatch(
      new RegExp(`^${e2e.server.url}/portefeuille/${award._id}/[\\w-]+\\.[\\w-]+\\?iuv=1$`),
    );

    expect(await page.inputValue('#wallet-url')).toBe(interaction);
    await page.goto(interaction!);
    expect(await page.locator('h1').textContent()).toBe(
      'Ouvrez ce lien avec votre application de portefeuille',
    );
    await check(page, problems, 'wallet-interaction');
  });

  it('When someone without an account asks for the emailed link, then the link opens a confirmation page once', async () => {
    const { page, problems } = await newPage(e2e.browser, { viewport: DESKTOP });
    await page.goto(`${e2e.server.url}/assertions/${award._id}/portefeuille`);
    await check(page, problems, 'wallet-start-anonymous');
    await tabTo(page, `form[action$="/portefeuille/lien"] button`);
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe('Regardez vos courriels');
    await check(page, problems, 'wallet-link-sent');

    const outbox = path.join(e2e.server.dataDir, 'outbox');
    const mail = fs
      .readdirSync(outbox)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(outbox, f), 'utf8')) as { text: string })
      .find((m) => m.text.includes('/portefeuille/lien/'))!;
    const link = /(http:\/\/\S+\/portefeuille\/lien\/\S+)/.exec(mail.text)![1]!;
    await page.goto(link);
    await check(page, problems, 'wallet-link');
    await tabTo(page, 'button[data-wallet="create"]');
    await enterAndWait(page);
    expect(await page.locator('h1').textContent()).toBe(
      'Scannez ce QR code avec votre portefeuille',
    );
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Ce lien ne marche plus');
    await checkPage(page, {
      label: 'wallet-link-invalid',
      problems,
      shots: SHOTS,
      alsoAt: [PHONE],
      allowStatus: 410,
    });
  });
});
