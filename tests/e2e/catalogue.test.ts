/**
 * The coordinator's main journey in Chromium, by keyboard: Nadia creates a badge from a
 * template in the catalogue (live preview script on), issues it to Karim, a mediator of the
 * structure, with evidence (he gets the email with the link), then issues it to 200 people
 * from a CSV file with 3 bad rows — without JavaScript: the preview names each row to fix,
 * she uploads the fixed file, confirms, the progress page refreshes itself until the summary.
 * Every page: 0 axe violations, one h1, no console or CSP error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { newPage } from '../helpers/browser.js';
import { browserAndServer, pageChecker, signInAs } from '../helpers/e2e.js';
import { createIssuer, createPerson, relaxedLimits, type Person } from '../helpers/accounts.js';
import { enterAndWait, tabTo, typeInto } from '../helpers/keyboard.js';

jest.setTimeout(180_000);

function csv(bad: boolean): string {
  const lines = ['email;preuves;commentaire'];
  for (let i = 1; i <= 200; i++) {
    lines.push(`mediateur${i}@example.org;https://exemple.org/atelier/${i};Atelier ${i}`);
  }
  if (bad) {
    lines[5] = 'karim@;;'; // line 6
    lines[50] = 'mediateur1@example.org;;'; // line 51: twice
    lines[120] = 'sara@example.org;exemple.org/atelier;'; // line 121: link without https://
  }
  return lines.join('\n') + '\n';
}

describe('catalogue, issuing one and issuing from a file, in Chromium by keyboard', () => {
  let nadia: Person;
  let karim: Person;
  const files = path.join('test-results', 'catalogue');

  const checkPage = pageChecker({ shots: files, allowStatus: '4xx' });

  const e2e = browserAndServer({
    env: relaxedLimits,
    prepare: async (server) => {
      fs.mkdirSync(files, { recursive: true });
      await createIssuer(server.app, 'roubaix', 'Ville de Roubaix — Coopérative des médiateurs');
      nadia = await createPerson(
        server.app,
        { email: 'nadia@ville.example.org', name: 'Nadia Bensaïd' },
        { roubaix: 'coordinator' },
      );
      karim = await createPerson(
        server.app,
        { email: 'karim@ville.example.org', name: 'Karim Haddad' },
        { roubaix: 'member' },
      );
    },
    beforeClose: (server) => server.app.services.bulk.idle(),
  });

  it('When Nadia creates a badge from a template and issues it to Karim, then he gets the email with its link', async () => {
    const { page, problems, context } = await newPage(e2e.browser);
    await signInAs(page, e2e.server, nadia);
    await page.goto(`${e2e.server.url}/structures/roubaix/badges`);
    await checkPage(page, problems, 'catalogue-empty');
    await tabTo(page, 'a[href="/structures/roubaix/badges/nouveau"]');
    await enterAndWait(page);

    await typeInto(page, '#name', 'Animer un atelier numérique');
    await typeInto(page, '#description', 'Anime un atelier collectif de découverte du numérique.');
    await typeInto(page, '#criteriaNarrative', 'A animé trois ateliers au centre social.');
    await tabTo(page, 'input[name=template]:checked');
    await page.keyboard.press('ArrowDown'); // the next template
    const template = await page.locator('input[name=template]:checked').getAttribute('value');
    // The script redraws the preview for the chosen template and the typed name.
    const wanted = `/modeles-de-badges/${template}/apercu.svg?titre=Animer`;
    for (let i = 0; i < 50; i++) {
      if ((await page.locator('.badge-preview img').getAttribute('src'))?.includes(wanted)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await page.locator('.badge-preview img').getAttribute('src')).toContain(wanted);
    await checkPage(page, problems, 'badge-form-filled');
    await tabTo(page, 'button[value=creer]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/structures\/roubaix\/badges#badge-animer-un-atelier-numerique-/);
    expect(await page.locator('#en-service').textContent()).toBe('Badge en service (1)');
    await checkPage(page, problems, 'catalogue-one-badge');
    const [badge] = await e2e.server.app.services.achievements.listForIssuer('roubaix');
    expect(badge!.image.template).toBe(template);

    // Issue one, from the catalogue, to a mediator picked in the list.
    await tabTo(page, `a[href="/structures/roubaix/delivrer?badge=${badge!._id}"]`);
    await enterAndWait(page);
    await checkPage(page, problems, 'issue-one');
    await tabTo(page, '#memberId');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#memberId').inputValue()).toBe(karim.id);
    await typeInto(page, '#evidence', 'https://exemple.org/atelier-karim');
    await typeInto(page, '#evidenceText', 'Atelier au centre social, le 12 mars.');
    await tabTo(page, 'form button[type=submit]');
    await enterAndWait(page);
    expect(page.url()).toMatch(/\/assertions\/[\w-]+$/);
    expect(await page.locator('h1').textContent()).toContain('Animer un atelier numérique');
    const awardId = new URL(page.url()).pathname.split('/').pop()!;
    expect((await e2e.server.app.services.awards.getAward(awardId)).recipient.email).toBe(
      'karim@ville.example.org',
    );
    expect(await page.locator('#preuves').count()).toBe(1);
    await checkPage(page, problems, 'award-karim');
    const outbox = path.join(e2e.server.dataDir, 'outbox');
    const mail = fs
      .readdirSync(outbox)
      .filter((f) => f.endsWith('.json'))
      .map(
        (f) =>
          JSON.parse(fs.readFileSync(path.join(outbox, f), 'utf8')) as { to: string; text: string },
      )
      .find((m) => m.to === 'karim@ville.example.org');
    expect(mail?.text).toContain(new URL(page.url()).pathname);
    await context.close();
  });

  it('When Nadia issues from a file with 3 bad rows, without JavaScript, then she fixes them and 200 badges are issued', async () => {
    const { page, context } = await newPage(e2e.browser, { javaScriptEnabled: false });
    await signInAs(page, e2e.server, nadia);
    // axe needs JavaScript: each page of the no-JS journey is checked again in a second tab.
    const js = await newPage(e2e.browser);
    await signInAs(js.page, e2e.server, nadia);
    const check = async (name: string) => {
      await js.page.goto(page.url());
      await checkPage(js.page, js.problems, name);
    };
    await page.goto(`${e2e.server.url}/structures/roubaix/badges`);
    const [badge] = await e2e.server.app.services.achievements.listForIssuer('roubaix');
    await tabTo(page, `a[href="/structures/roubaix/delivrer/fichier?badge=${badge!._id}"]`);
    await enterAndWait(page);
    await check('bulk-upload');
    const bad = path.join(files, 'promo-avec-erreurs.csv');
    fs.writeFileSync(bad, csv(true));
    await tabTo(page, '#fichier');
    await page.locator('#fichier').setInputFiles(bad);
    await tabTo(page, 'form button[type=submit]');
    await enterAndWait(page);

    // The preview: each row to fix, with its line, column and what to do.
    expect(await page.locator('h1').textContent()).toBe('Aperçu du fichier');
    const rows = await page.locator('table.bulk-problems tbody tr').allTextContents();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^6\s*email\s*« karim@ » n'est pas une adresse e-mail valide/);
    expect(rows[1]).toMatch(/^51\s*email\s*Cette adresse figure déjà ligne 2/);
    expect(rows[2]).toMatch(/^121\s*preuves\s*Ce lien de preuve/);
    await check('bulk-preview-errors');
    expect(await e2e.server.app.services.awardsRepo.countByBadgeClass('roubaix')).toEqual(
      new Map([[badge!._id, 1]]),
    );

    // The fixed file.
    await tabTo(page, 'a.button--secondary[href*="/delivrer/fichier?badge="]');
    await enterAndWait(page);
    const fixed = path.join(files, 'promo-corrigee.csv');
    fs.writeFileSync(fixed, csv(false));
    await tabTo(page, '#fichier');
    await page.locator('#fichier').setInputFiles(fixed);
    await tabTo(page, 'form button[type=submit]');
    await enterAndWait(page);
    expect(await page.locator('table.bulk-problems').count()).toBe(0);
    await check('bulk-preview-ready');
    expect(await page.locator('form[action$="/confirmer"] button').textContent()).toBe(
      'Délivrer le badge à 200 personnes',
    );
    await tabTo(page, 'form[action$="/confirmer"] button');
    await enterAndWait(page);
    // The progress page refreshes itself (meta refresh) until the summary.
    expect(['Délivrance en cours', 'Délivrance terminée']).toContain(
      await page.locator('h1').textContent(),
    );
    const deadline = Date.now() + 60_000;
    while (
      (await page
        .locator('h1')
        .textContent()
        .catch(() => '')) !== 'Délivrance terminée'
    ) {
      if (Date.now() > deadline) throw new Error('the progress page never showed the summary');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await page.locator('h1').textContent()).toBe('Délivrance terminée');
    expect(await page.locator('.bulk-counts').textContent()).toContain('200 badges délivrés');
    await check('bulk-summary');
    const report = await page.locator('a[href$="/rapport.csv"]').getAttribute('href');
    const res = await context.request.get(`${e2e.server.url}${report}`);
    expect(res.status()).toBe(200);
    expect((await res.text()).trim().split('\n')).toHaveLength(201);
    expect(await e2e.server.app.services.awardsRepo.countByBadgeClass('roubaix')).toEqual(
      new Map([[badge!._id, 201]]),
    );
    await context.close();
    await js.context.close();
  });
});
