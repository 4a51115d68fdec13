import { newPage } from '../helpers/browser.js';
import { browserAndServer, DESKTOP, PHONE, pageFailures } from '../helpers/e2e.js';
import { createIssuer } from '../helpers/accounts.js';
import { routeExampleFixtures } from '../helpers/awards.js';
import { reviewExampleFixtures } from '../helpers/review.js';

/**
 * Every public HTML page of the route table, in Chromium: 0 axe violations (WCAG 2.1 A/AA),
 * no CSP error, one h1, and usable on a phone-sized screen without horizontal scrolling.
 */
describe('public pages in Chromium', () => {
  const e2e = browserAndServer({
    prepare: async (server) => {
      // The data behind the example paths of the badge and award pages.
      await createIssuer(server.app, 'emetteur-a', 'Émetteur A');
      await routeExampleFixtures(server);
      // A recommendation and the page of the person who made it (user `membre-a` of issuer A).
      await server.app.services.users.insert({
        _id: 'membre-a',
        email: 'membre-a@example.org',
        name: 'Membre A',
        language: 'fr',
        isAdmin: false,
        createdAt: new Date(),
      });
      await server.app.services.issuerRepo.addMembership({
        issuerId: 'emetteur-a',
        userId: 'membre-a',
        role: 'member',
        createdAt: new Date(),
      });
      await reviewExampleFixtures(server);
      // The example public profile (/profils/karim-b), switched on by its owner.
      await server.app.services.backpack.saveProfile(
        {
          id: 'membre-a',
          email: 'membre-a@example.org',
          name: 'Membre A',
          isAdmin: false,
          roles: {},
        },
        { enabled: 'oui', slug: 'karim-b', bio: 'Médiateur numérique au centre social.' },
      );
    },
  });

  it('When each public page is opened, then it has 0 axe violations and fits a phone screen', async () => {
    const pages = e2e.server.app.routeTable
      .filter(
        (r) =>
          r.method === 'get' &&
          r.access.kind === 'public' &&
          !r.api &&
          !r.file &&
          !/\.(png|svg|json)$/.test(r.path),
      )
      .map((r) => r.example ?? r.path);
    expect(pages.length).toBeGreaterThan(2);
    const failures: string[] = [];
    for (const path of pages) {
      for (const viewport of [DESKTOP, PHONE]) {
        const { page, problems, context } = await newPage(e2e.browser, { viewport });
        const res = await page.goto(`${e2e.server.url}${path}`);
        // One-time link pages are opened with an unknown token: they answer 410 with a page
        // explaining what to do, which must be as accessible as the others.
        const expected = path.includes('jeton-invalide') ? 410 : 200;
        if (!res || res.status() !== expected) failures.push(`${path}: HTTP ${res?.status()}`);
        failures.push(
          ...(await pageFailures(page, {
            label: path,
            problems,
            ...(expected !== 200 ? { allowStatus: expected } : {}),
          })),
        );
        await context.close();
      }
    }
    expect(failures).toEqual([]);
    // Every public page twice, with axe: the list grows with the app, so the time does too.
  }, 180_000);
});
