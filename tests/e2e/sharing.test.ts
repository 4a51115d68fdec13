/**
 * A mediator shares one badge, in Chromium: the LinkedIn link carries every field, prefilled and
 * encoded; the baked PNG downloaded through its link verifies on our verifier; the attestation
 * prints on exactly one A4 page and its QR code opens the award page.
 */
import fs from 'node:fs';
import type { AwardDoc } from '../../src/components/awards/award.model.js';
import { shortCredentialId } from '../../src/core/index.js';
import { relaxedLimits } from '../helpers/accounts.js';
import { issuerWithBadge, issueTo } from '../helpers/awards.js';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, pageChecker } from '../helpers/e2e.js';
import { enterAndWait, tabTo } from '../helpers/keyboard.js';
import { decodeQrPng } from '../helpers/qr.js';

const SHOTS = 'test-results/sharing';
const check = pageChecker({ shots: SHOTS, alsoAt: [PHONE] });
const BADGE_NAME = 'Médiation & accès aux droits : niveau 1';

describe('sharing one badge in Chromium', () => {
  let award: AwardDoc;
  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      const badge = await issuerWithBadge(server.app, 'ville-de-roubaix', {
        name: BADGE_NAME,
        validityDays: '365',
      });
      award = await issueTo(server.app, badge);
    },
  });
  const awardUrl = () => `${e2e.server.url}/assertions/${award._id}`;

  it('When the LinkedIn link is read from the award page, then every field is prefilled, encoded, and certUrl opens the award', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await page.goto(awardUrl());
    expect(await page.locator('h2#partager').textContent()).toBe('Partager ce badge');
    await check(page, problems, 'award-page-share');

    // The link to copy: labelled, read-only, selectable by keyboard.
    await tabTo(page, '#share-link');
    expect(await page.inputValue('#share-link')).toBe(awardUrl());
    expect(await page.getAttribute('#share-link', 'readonly')).not.toBeNull();
    expect(await page.locator('label[for="share-link"]').textContent()).toBe('Adresse de ce badge');

    await tabTo(page, 'a[data-share="linkedin"]');
    const href = (await page.getAttribute('a[data-share="linkedin"]', 'href'))!;
    const url = new URL(href);
    expect(`${url.origin}${url.pathname}`).toBe('https://www.linkedin.com/profile/add');
    const query = href.slice(href.indexOf('?') + 1);
    // Every value percent-encoded: no raw space, accent, "&" inside a value or ":" left.
    expect(query).not.toMatch(/[ éèàç:/]/);
    expect(query.split('&').map((kv) => kv.split('=')[0])).toEqual([
      'startTask',
      'name',
      'organizationName',
      'issueYear',
      'issueMonth',
      'expirationYear',
      'expirationMonth',
      'certUrl',
      'certId',
    ]);
    const p = url.searchParams;
    expect(p.get('startTask')).toBe('CERTIFICATION_NAME');
    expect(p.get('name')).toBe(BADGE_NAME);
    expect(p.get('organizationName')).toBe(
      'Ville de Roubaix — Coopérative des médiateurs numériques',
    );
    const parts = (d: Date) =>
      Object.fromEntries(
        new Intl.DateTimeFormat('en-US', {
          timeZone: 'Europe/Paris',
          year: 'numeric',
          month: 'numeric',
        })
          .formatToParts(d)
          .map((x) => [x.type, x.value]),
      );
    for (const [field, date] of [
      ['issue', award.issuedOn],
      ['expiration', award.expires!],
    ] as const) {
      const month = Number(p.get(`${field}Month`));
      expect(month).toBeGreaterThanOrEqual(1);
      expect(month).toBeLessThanOrEqual(12);
      expect(String(month)).toBe(parts(date).month);
      expect(p.get(`${field}Year`)).toBe(parts(date).year);
    }
    expect(p.get('certId')).toBe(shortCredentialId(award._id));
    expect(p.get('certId')).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // certUrl, opened, is the award page.
    const certUrl = p.get('certUrl')!;
    expect(certUrl).toBe(awardUrl());
    const res = await page.goto(certUrl);
    expect(res?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe(BADGE_NAME);
    await context.close();
  });

  it('When the baked PNG is downloaded through its link by keyboard, then our verifier says it is verified', async () => {
    const { page, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await page.goto(awardUrl());
    await tabTo(page, 'a[download="badge.png"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    const png = fs.readFileSync((await download.path())!);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    await context.close();

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'badge.png');
    const verified = await fetch(`${e2e.server.url}/api/v1/verify`, {
      method: 'POST',
      body: form,
    });
    expect(verified.status).toBe(200);
    const body = (await verified.json()) as { verdict: string };
    expect(body.verdict).toBe('verified');
  });

  it('When the attestation is printed to PDF by Chromium, then it is exactly one A4 page whose QR code opens the award', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: DESKTOP });
    await page.goto(awardUrl());
    await tabTo(page, `a[href="${awardUrl()}/attestation"]`);
    await enterAndWait(page);
    expect(page.url()).toBe(`${awardUrl()}/attestation`);
    await check(page, problems, 'attestation');
    const text = (await page.locator('.attestation__facts').innerText()).replace(/\u00a0/g, ' ');
    expect(text).toContain(
      'Cette compétence a été reconnue par Ville de Roubaix — Coopérative des médiateurs numériques.',
    );
    expect(text).toMatch(/Il est valable jusqu'au \d{1,2}(er)? \S+ \d{4}\./);

    // The QR code, as the page shows it, decodes to the award page.
    const qr = await page.locator('.attestation__qr').screenshot();
    expect(decodeQrPng(qr)).toBe(awardUrl());

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync(`${SHOTS}/attestation-chromium.pdf`, pdf);
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF')).toBe(true);
    expect(raw.match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
    // A4: 210 × 297 mm, 595.28 × 841.89 points (Chromium rounds to its own units).
    const box = /\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/.exec(raw);
    expect(Math.abs(Number(box?.[1]) - 595.28)).toBeLessThan(1);
    expect(Math.abs(Number(box?.[2]) - 841.89)).toBeLessThan(1);
    await page.screenshot({ path: `${SHOTS}/attestation-print.png`, fullPage: true });
    await context.close();
  });

  it('When the attestation PDF is downloaded from the page, then it is the one-page A4 PDF', async () => {
    const { page, context } = await newPage(e2e.browser, { viewport: PHONE });
    await page.goto(`${awardUrl()}/attestation`);
    await tabTo(page, 'a[download$=".pdf"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ]);
    expect(download.suggestedFilename()).toBe(`attestation-${shortCredentialId(award._id)}.pdf`);
    const pdf = fs.readFileSync((await download.path())!).toString('latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    expect(pdf.match(/\/Type\s*\/Page\b/g)).toHaveLength(1);
    await context.close();
  });
});
