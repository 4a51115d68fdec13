/**
 * A stolen signing key in Chromium, by keyboard only: Nadia, owner of the structure, opens its
 * keys, declares the RSA key compromised (forgetting the reason first), sees the badges it
 * signed and issues them again; an employer then checks an old badge and reads that its key
 * was declared compromised. Every page: 0 axe violations, one h1, no console or CSP error, no
 * horizontal scroll, screenshots under test-results/compromised-keys.
 */
import fs from 'node:fs';
import { jest } from '@jest/globals';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, pageChecker, signInAs } from '../helpers/e2e.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';
import { createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../helpers/awards.js';
import type { AwardDoc } from '../../src/components/awards/award.model.js';

jest.setTimeout(180_000);

const SHOTS = 'test-results/compromised-keys';

describe('a compromised key, in Chromium by keyboard', () => {
  let nadia: Person;
  let award: AwardDoc;

  const checkPage = pageChecker({
    shots: SHOTS,
    alsoAt: [PHONE, DESKTOP],
    axeAtEachWidth: true,
    allowStatus: '4xx',
  });

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      const badge = await issuerWithBadge(server.app, 'roubaix');
      award = await issueTo(server.app, badge);
      nadia = await createPerson(
        server.app,
        { email: 'nadia@ville.example.org', name: 'Nadia Bensaïd' },
        { roubaix: 'owner' },
      );
    },
  });

  it('When Nadia declares the RSA key stolen and issues its badges again, then an employer reads that the old badge is not verified', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await signInAs(page, e2e.server, nadia);
    await page.goto(`${e2e.server.url}/structures/roubaix/cles`);
    await checkPage(page, problems, 'keys-list');
    const rsa = award.ob2.keyId;
    expect(await page.locator('main').innerText()).toContain(rsa);

    await tabTo(page, `a[href="/structures/roubaix/cles/${rsa}/declarer-compromise"]`);
    await enterAndWait(page);
    await checkPage(page, problems, 'compromise-confirm');
    expect(await page.locator('main').innerText()).toContain('ne peut pas être annulée');

    // The reason is forgotten first.
    await tabTo(page, 'button.button--danger');
    await enterAndWait(page);
    await checkPage(page, problems, 'compromise-reason-missing');
    await tabTo(page, '.error-summary a[href="#reason"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('reason');
    await typeInto(page, '#reason', 'Ordinateur portable volé le 1er décembre.');
    await tabTo(page, 'button.button--danger');
    await enterAndWait(page);
    await checkPage(page, problems, 'compromise-done');

    await page.goto(`${e2e.server.url}/structures/roubaix/cles/${rsa}/badges-concernes`);
    await checkPage(page, problems, 'affected-awards');
    expect(await page.locator('main').innerText()).toMatch(/1 badge signé avec cette clé/);
    await page.goto(`${e2e.server.url}/structures/roubaix/cles/${rsa}/delivrer-a-nouveau`);
    await checkPage(page, problems, 'reissue-confirm');
    await tabTo(page, `main form[action$="/cles/${rsa}/delivrer-a-nouveau"] button[type=submit]`);
    await enterAndWait(page);
    await checkPage(page, problems, 'reissue-done');
    expect(new URL(page.url()).pathname).not.toBe('/connexion');
    expect(await page.locator('main').innerText()).toMatch(/délivré à nouveau/);
    await context.close();

    // An employer pastes the old signed badge (a holder's earlier download).
    const employer = await newPage(e2e.browser, { viewport: PHONE });
    await employer.page.goto(`${e2e.server.url}/verifier`);
    await employer.page.locator('details.verify-way--text summary').click();
    await employer.page.locator('#text').fill(award.ob2.jws);
    await employer.page.locator('form:has(#text) button[type=submit]').click();
    await employer.page.waitForLoadState('networkidle');
    await checkPage(employer.page, employer.problems, 'employer-old-badge');
    const text = await employer.page.locator('main').innerText();
    expect(text).toContain('Non vérifié');
    expect(text).toContain('déclarée compromise');
    // Issued again with the active key, the old badge is also revoked, with the reason.
    expect(text).toContain('Clé de signature compromise');
    await employer.context.close();
  });
});
