/**
 * Public pages and hosted documents keep the issuer, the badge class, "is it revoked" and the
 * recommendations in memory (src/components/awards/public-records-cache.ts): no database read
 * for them once known, and every change a visitor would see shows at once — an edited badge, its
 * quorum, an edited structure, a revocation, a new recommendation — here and, within a second, in another instance of the app sharing
 * the database.
 */
import request from 'supertest';
import { readBadgeClassForm } from '../../../../src/components/achievements/achievements.use-case.js';
import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import { relaxedLimits } from '../../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { visibleText } from '../../../helpers/html.js';
import { recordReads, twoInstances } from '../../../helpers/shared-database.js';
import type { TestApp } from '../../../helpers/test-app.js';

const ISSUER = 'ville-de-roubaix';
const KEPT = new Set(['badge_classes', 'issuers', 'revocations', 'endorsements']);
const actor = { ...adminActor, name: 'Admin', language: 'fr' as const };

describe('public pages from records kept in memory', () => {
  let t: TestApp;
  /** Another instance of the app on the same database (another process in production). */
  let other: TestApp;
  let badge: BadgeClassDoc;
  let log: ReturnType<typeof recordReads>;

  beforeAll(async () => {
    ({ t, other } = await twoInstances(relaxedLimits));
    badge = await issuerWithBadge(t.app, ISSUER);
    log = recordReads(KEPT);
  }, 60_000);
  afterAll(async () => {
    log?.stop();
    await other?.close();
    await t?.close();
  });

  const page = async (on: TestApp, path: string) => {
    const res = await request(on.app).get(path).set('Accept', 'text/html');
    return { status: res.status, text: visibleText(res.text) };
  };
  const document = async (on: TestApp, path: string) =>
    (await request(on.app).get(path).set('Accept', 'application/ld+json')).status;
  /** Another instance notices a change within its refresh interval (one second). */
  const eventually = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    const until = Date.now() + 4000;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > until) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('When a badge page and an award page are opened again, then the issuer, badge, revocation and recommendations are not read again', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'relu@example.org' });
    await page(t, `/badges/${badge._id}`);
    await page(t, `/assertions/${award._id}`);
    await document(t, `/assertions/${award._id}`);
    log.reads.length = 0;
    expect((await page(t, `/badges/${badge._id}`)).status).toBe(200);
    expect((await page(t, `/assertions/${award._id}`)).status).toBe(200);
    expect(await document(t, `/assertions/${award._id}`)).toBe(200);
    expect(log.reads).toEqual([]);
  });

  it('When a badge not yet issued is edited, then its page shows the new text at once, and in another instance within a second', async () => {
    const draft = await issuerWithBadge(t.app, ISSUER, { name: 'Animer un atelier' });
    expect((await page(t, `/badges/${draft._id}`)).text).toContain('Animer un atelier');
    expect((await page(other, `/badges/${draft._id}`)).text).toContain('Animer un atelier');
    await t.app.services.achievements.updateBadgeClass({
      actor,
      ip: '',
      issuerId: ISSUER,
      badgeClassId: draft._id,
      values: readBadgeClassForm({
        name: 'Animer un atelier collectif',
        description: 'Anime un atelier collectif de découverte du numérique.',
        criteriaNarrative: 'A animé au moins deux ateliers.',
        template: 'medal',
        alignments: ['crcn:2.1'],
        evidenceRequired: 'non',
      }),
    });
    expect((await page(t, `/badges/${draft._id}`)).text).toContain('Animer un atelier collectif');
    const there = await eventually(
      () => page(other, `/badges/${draft._id}`),
      (p) => p.text.includes('Animer un atelier collectif'),
    );
    expect(there.text).toContain('Anime un atelier collectif de découverte du numérique.');
  });

  it('When a quorum is set on a badge (another component writes it), then the badge page shows it at once', async () => {
    const before = await page(t, `/badges/${badge._id}`);
    expect(before.text).not.toContain('Ce badge est délivré après');
    await t.app.services.requests.setQuorum({
      actor,
      ip: '',
      issuerId: ISSUER,
      badgeClassId: badge._id,
      coordinators: '1',
      peers: '2',
    });
    const after = await page(t, `/badges/${badge._id}`);
    expect(after.text).toContain(
      'Ce badge est délivré après 1 recommandation de la coordination et 2 recommandations de pairs.',
    );
  });

  it('When the structure is edited, then its award pages show the new name at once, and in another instance within a second', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'structure@example.org' });
    const issuer = (await t.app.services.issuerRepo.findById(ISSUER))!;
    expect((await page(t, `/assertions/${award._id}`)).text).toContain(issuer.name);
    expect((await page(other, `/assertions/${award._id}`)).text).toContain(issuer.name);
    await t.app.services.issuers.updateIssuer({
      actor,
      ip: '',
      issuerId: ISSUER,
      values: { name: 'Mairie de Roubaix', url: issuer.url, email: issuer.email, description: '' },
    });
    expect((await page(t, `/assertions/${award._id}`)).text).toContain('Mairie de Roubaix');
    const there = await eventually(
      () => page(other, `/assertions/${award._id}`),
      (p) => p.text.includes('Mairie de Roubaix'),
    );
    expect(there.text).toContain('Mairie de Roubaix');
  });

  it('When an award shown as valid is revoked, then its page and hosted assertion answer 410 at once, and in another instance within a second', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'revoque@example.org' });
    for (const on of [t, other]) {
      expect((await page(on, `/assertions/${award._id}`)).status).toBe(200);
      expect(await document(on, `/assertions/${award._id}`)).toBe(200);
    }
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      awardId: award._id,
      reason: 'Délivré par erreur',
    });
    expect((await page(t, `/assertions/${award._id}`)).status).toBe(410);
    expect(await document(t, `/assertions/${award._id}`)).toBe(410);
    expect(
      await eventually(
        () => document(other, `/assertions/${award._id}`),
        (s) => s === 410,
      ),
    ).toBe(410);
    expect((await page(other, `/assertions/${award._id}`)).status).toBe(410);
  });

  it('When an award is recommended, then its page and hosted assertion list the recommendation at once, and in another instance within a second', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'recommande@example.org' });
    const endorsementsOf = async (on: TestApp) =>
      (
        (await request(on.app).get(`/assertions/${award._id}`).set('Accept', 'application/ld+json'))
          .body as { endorsement?: string[] }
      ).endorsement ?? [];
    for (const on of [t, other]) {
      expect((await page(on, `/assertions/${award._id}`)).text).not.toContain('Samia Haddad');
      expect(await endorsementsOf(on)).toEqual([]);
    }
    const { endorsement } = await t.app.services.endorsements.endorseAward({
      actor: {
        id: 'coordinatrice-recommande',
        email: 'samia@example.org',
        name: 'Samia Haddad',
        isAdmin: false,
        roles: { [ISSUER]: 'coordinator' },
      },
      ip: '',
      awardId: award._id,
      comment: 'Accompagnement exemplaire, vu en atelier.',
    });
    expect((await page(t, `/assertions/${award._id}`)).text).toContain('Samia Haddad');
    expect((await endorsementsOf(t)).join(' ')).toContain(endorsement._id);
    const there = await eventually(
      () => page(other, `/assertions/${award._id}`),
      (p) => p.text.includes('Samia Haddad'),
    );
    expect(there.text).toContain('Accompagnement exemplaire, vu en atelier.');
    expect((await endorsementsOf(other)).join(' ')).toContain(endorsement._id);
  });
});
