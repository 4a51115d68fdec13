/**
 * The line a CSV report names is the line of the file: blank lines and line
 * breaks inside quoted cells are counted, as a coordinator sees them in a text editor.
 */
import type request from 'supertest';
import { createPerson, csrfFrom, relaxedLimits, signIn } from '../../../helpers/accounts.js';
import { issuerWithBadge } from '../../../helpers/awards.js';
import { decoded } from '../../../helpers/html.js';
import { createTestApp, type TestApp } from '../../../helpers/test-app.js';

const UPLOAD = '/structures/roubaix/delivrer/fichier';

// Line 1 the header, 2 blank, 3–4 a comment over two lines, 5–6 blank, 7 a wrong address,
// 8 a good row, 9 a duplicate of line 3.
const FILE = [
  'email;preuves;commentaire;langue',
  '',
  'ana@example.org;;"Atelier du lundi',
  'puis du mardi";fr',
  '',
  '',
  'karim@;;;',
  'bea@example.org;;;fr',
  'ana@example.org;;;',
].join('\r\n');

describe('CSV reports name the lines of the file', () => {
  let t: TestApp;
  let agent: request.Agent;
  let badgeId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: relaxedLimits });
    badgeId = (await issuerWithBadge(t.app, 'roubaix'))._id;
    const nadia = await createPerson(
      t.app,
      { email: 'nadia@example.org' },
      { roubaix: 'coordinator' },
    );
    agent = await signIn(t.app, nadia);
  });
  afterAll(async () => {
    await t?.app.services.bulk.idle();
    await t?.close();
  });

  it('When a file has blank lines and a multi-line cell before bad rows, then the preview and the report name their true lines', async () => {
    const page = await agent.get(UPLOAD);
    const res = await agent
      .post(UPLOAD)
      .field('_csrf', csrfFrom(page.text))
      .field('badgeClassId', badgeId)
      .field('lang', 'fr')
      .attach('fichier', Buffer.from(FILE), 'promo.csv');
    expect(res.status).toBe(303);
    const runUrl = res.headers.location as string;
    const html = decoded((await agent.get(runUrl)).text);
    expect(html).toContain('2 lignes à corriger');
    expect(html).toMatch(/<td>7<\/td><td><code>email<\/code><\/td><td>« karim@ » n'est pas/);
    expect(html).toMatch(
      /<td>9<\/td><td><code>email<\/code><\/td><td>Cette adresse figure déjà ligne 3\./,
    );

    const confirmPage = await agent.get(runUrl);
    const confirmed = await agent
      .post(`${runUrl}/confirmer`)
      .type('form')
      .send({ _csrf: csrfFrom(confirmPage.text) });
    expect(confirmed.status).toBe(303);
    await t.app.services.bulk.idle();
    const report = await agent.get(`${runUrl}/rapport.csv`);
    expect(report.status).toBe(200);
    const rows = report.text
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(';').slice(0, 3).join(';'));
    expect(rows).toEqual([
      '3;ana@example.org;délivré',
      '7;karim@;à corriger',
      '8;bea@example.org;délivré',
      '9;ana@example.org;à corriger',
    ]);
  });
});
