/**
 * Badge requests and recommendations in Chromium, by keyboard only: Karim asks for a badge
 * with two links; Nadia returns it "à compléter"; Karim completes it; Nadia approves (the
 * badge is issued); Sami, a peer, recommends it; an employer's verification shows the
 * recommendation. Every page: 0 axe violations, one h1, no console or CSP error, no
 * horizontal scroll on a phone; screenshots under test-results/review.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { jest } from '@jest/globals';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, pageChecker, signInAs } from '../helpers/e2e.js';
import { createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { issuerWithBadge } from '../helpers/awards.js';
import { enterAndWait, openMenu, tabTo, typeInto } from '../helpers/keyboard.js';

jest.setTimeout(180_000);

const SHOTS = 'test-results/review';

describe('badge requests and recommendations in Chromium, by keyboard', () => {
  let nadia: Person;
  let karim: Person;
  let sami: Person;
  let requestUrl = '';
  let awardUrl = '';

  const checkPage = pageChecker({
    shots: SHOTS,
    alsoAt: [PHONE],
    axeAtEachWidth: true,
    allowStatus: '4xx',
  });

  const flash = (page: Page) => page.locator('[role=status]').textContent();

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(SHOTS, { recursive: true });
      await issuerWithBadge(server.app, 'roubaix', { evidenceRequired: 'oui' });
      nadia = await createPerson(
        server.app,
        { email: 'nadia@ville.example.org', name: 'Nadia Bensaïd' },
        { roubaix: 'coordinator' },
      );
      karim = await createPerson(
        server.app,
        { email: 'karim@example.org', name: 'Karim Benali' },
        { roubaix: 'member' },
      );
      sami = await createPerson(
        server.app,
        { email: 'sami@example.org', name: 'Sami Haddad' },
        { roubaix: 'member' },
      );
    },
  });

  it('When Karim asks for a badge with two links, then the request is sent', async () => {
    const { page, problems, context } = await newPage(e2e.browser, { viewport: PHONE });
    await signInAs(page, e2e.server, karim);
    await openMenu(page);
    await tabTo(page, 'a[href="/mes-badges"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'my-badges-empty');
    await tabTo(page, 'a[href="/demandes/nouvelle"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'request-form');
    // Sent without choosing a badge: the summary says so and leads to the field.
    await tabTo(page, 'form[action="/demandes"] button[type=submit]');
    await enterAndWait(page);
    expect(await page.locator('.error-summary').textContent()).toContain(
      'Choisissez le badge que vous demandez.',
    );
    await checkPage(page, problems, 'request-form-errors');
    await tabTo(page, '.error-summary a[href="#badgeClassId"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('badgeClassId');
    await page.keyboard.press('ArrowDown');
    await typeInto(page, '#link-1', 'https://exemple.org/atelier-caf');
    await typeInto(page, '#link-2', 'https://exemple.org/ameli');
    await typeInto(page, '#text', 'J’ai accompagné trois personnes au centre social.');
    await tabTo(page, 'form[action="/demandes"] button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/demandes\/[A-Za-z0-9_-]+$/);
    requestUrl = page.url();
    expect(await flash(page)).toContain('Votre demande est envoyée.');
    await checkPage(page, problems, 'request-sent');
    await context.close();
  });

  it('When Nadia returns it with a comment, then Karim completes it and sends it again', async () => {
    const coordinator = await newPage(e2e.browser, { viewport: DESKTOP });
    let { page, problems } = coordinator;
    await signInAs(page, e2e.server, nadia);
    await page.goto(`${e2e.server.url}/structures/roubaix`);
    await tabTo(page, 'a[href="/structures/roubaix/demandes"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'request-queue');
    await tabTo(page, `a[href="${new URL(requestUrl).pathname}"]`);
    await enterAndWait(page);
    await checkPage(page, problems, 'request-coordinator');
    await typeInto(page, '#returnComment', 'Ajoutez le nom de la structure qui vous a accueilli.');
    await tabTo(page, 'form[action$="/a-completer"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain('La demande est renvoyée « à compléter ».');
    await checkPage(page, problems, 'request-returned-coordinator');
    await coordinator.context.close();

    const mediator = await newPage(e2e.browser, { viewport: PHONE });
    ({ page, problems } = mediator);
    await signInAs(page, e2e.server, karim);
    await page.goto(requestUrl);
    expect(await page.locator('.notice--warn').textContent()).toContain(
      'Ajoutez le nom de la structure qui vous a accueilli.',
    );
    await checkPage(page, problems, 'request-returned-mediator');
    await tabTo(page, 'a[href$="/modifier"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'request-edit');
    await tabTo(page, '#text');
    await page.keyboard.press('End');
    await page.keyboard.type(' Au centre social Boilly.');
    await tabTo(page, 'form[action$="/modifier"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain('Votre demande complétée est renvoyée.');
    await mediator.context.close();
  });

  it('When Nadia approves it and Sami recommends the badge, then the verifier shows the recommendation', async () => {
    const coordinator = await newPage(e2e.browser, { viewport: DESKTOP });
    let { page, problems } = coordinator;
    await signInAs(page, e2e.server, nadia);
    await page.goto(requestUrl);
    await tabTo(page, 'form[action$="/approuver"] button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/assertions\/[A-Za-z0-9_-]{16}$/);
    awardUrl = page.url();
    expect(await flash(page)).toContain(
      'Demande acceptée : le badge est délivré à karim@example.org.',
    );
    await checkPage(page, problems, 'award-page-approved');
    await coordinator.context.close();

    const peer = await newPage(e2e.browser, { viewport: PHONE });
    ({ page, problems } = peer);
    await signInAs(page, e2e.server, sami);
    await page.goto(awardUrl);
    await tabTo(page, 'a[href$="/recommander"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'endorse-form');
    await typeInto(page, '#comment', 'Karim a accompagné mes usagers avec patience.');
    await tabTo(page, 'form[action$="/recommander"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain('Votre recommandation est publiée avec le badge.');
    expect(await page.locator('#recommandations').locator('..').textContent()).toContain(
      'Sami Haddad',
    );
    await checkPage(page, problems, 'award-page-recommended');
    await tabTo(page, '.endorsements a');
    await enterAndWait(page);
    await checkPage(page, problems, 'endorsement-page');
    await peer.context.close();

    // An employer, without an account, pastes the link into the verification page.
    const employer = await newPage(e2e.browser, { viewport: PHONE });
    ({ page, problems } = employer);
    await page.goto(`${e2e.server.url}/verifier`);
    await typeInto(page, '#url', awardUrl);
    await tabTo(page, 'form:has(#url) button[type=submit]');
    await enterAndWait(page);
    const result = (await page.locator('main').textContent()) ?? '';
    expect(result).toContain('Vérifié');
    expect(result).toContain('Sami Haddad');
    expect(result).toContain('Karim a accompagné mes usagers avec patience.');
    await checkPage(page, problems, 'verification-with-recommendation');
    await employer.context.close();
  });
  it('When a badge needs one coordinator and one peer, then the request shows progress and the badge is issued with both', async () => {
    const badge = await issuerWithBadge(e2e.server.app, 'roubaix', { name: 'Animer un atelier' });
    // Nadia sets the quorum from the overview, by keyboard.
    const coordinator = await newPage(e2e.browser, { viewport: DESKTOP });
    let { page, problems } = coordinator;
    await signInAs(page, e2e.server, nadia);
    await page.goto(`${e2e.server.url}/structures/roubaix`);
    await tabTo(page, 'a[href="/structures/roubaix/tableau-de-bord"]');
    await enterAndWait(page);
    await checkPage(page, problems, 'overview');
    await tabTo(page, `a[href$="/badges/${badge._id}/recommandations-requises"]`);
    await enterAndWait(page);
    await checkPage(page, problems, 'quorum-form');
    await tabTo(page, '#coordinators');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1');
    await tabTo(page, '#peers');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1');
    await tabTo(page, 'form[action$="/recommandations-requises"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain(
      '1 recommandation de la coordination et 1 recommandation de pairs',
    );
    await coordinator.context.close();

    // Karim asks for it from the badge's page.
    const mediator = await newPage(e2e.browser, { viewport: PHONE });
    ({ page, problems } = mediator);
    await signInAs(page, e2e.server, karim);
    await page.goto(`${e2e.server.url}/badges/${badge._id}`);
    await tabTo(page, `a[href="/demandes/nouvelle?badge=${badge._id}"]`);
    await enterAndWait(page);
    await typeInto(page, '#link-1', 'https://exemple.org/atelier-numerique');
    await tabTo(page, 'form[action="/demandes"] button[type=submit]');
    await enterAndWait(page);
    const quorumRequest = page.url();
    expect(await page.locator('#quorum-progress').getAttribute('value')).toBe('0');
    await checkPage(page, problems, 'request-quorum-waiting');
    await mediator.context.close();

    // Sami recommends it from "Mes badges".
    const peer = await newPage(e2e.browser, { viewport: PHONE });
    ({ page, problems } = peer);
    await signInAs(page, e2e.server, sami);
    await page.goto(`${e2e.server.url}/mes-badges`);
    await checkPage(page, problems, 'my-badges-awaiting');
    await tabTo(page, `a[href="${new URL(quorumRequest).pathname}#recommandations"]`);
    await enterAndWait(page);
    await checkPage(page, problems, 'request-peer');
    await typeInto(page, '#comment', 'Vu en atelier : très clair.');
    await tabTo(page, 'form[action$="/recommander"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain('Votre recommandation est enregistrée.');
    expect(await page.locator('#quorum-progress').getAttribute('value')).toBe('1');
    await peer.context.close();

    // Nadia recommends it too, then approves.
    const again = await newPage(e2e.browser, { viewport: DESKTOP });
    ({ page, problems } = again);
    await signInAs(page, e2e.server, nadia);
    await page.goto(quorumRequest);
    expect(await page.locator('form[action$="/approuver"]').count()).toBe(0);
    await typeInto(page, '#comment', 'Je confirme ces ateliers.');
    await tabTo(page, 'form[action$="/recommander"] button[type=submit]');
    await enterAndWait(page);
    expect(await flash(page)).toContain('Toutes les recommandations requises sont réunies.');
    await checkPage(page, problems, 'request-quorum-reached');
    await tabTo(page, 'form[action$="/approuver"] button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/assertions\/[A-Za-z0-9_-]{16}$/);
    const section = (await page.locator('#recommandations').locator('..').textContent()) ?? '';
    expect(section).toContain('Sami Haddad');
    expect(section).toContain('Nadia Bensaïd');
    await checkPage(page, problems, 'award-page-quorum');
    await again.context.close();
  });
});
