/**
 * Our own badges are verified from documents kept in memory (badge class, issuer profile, key,
 * revocation list, status list): no database read per document once they are known, and every
 * change that makes a badge verify differently is seen at once — revocation, key compromise,
 * key rotation, an edited structure — here and, within a second, in another instance of the
 * app sharing the database. After each change, the answer equals the one of a verifier that
 * kept nothing.
 */
import type { AwardDoc } from '../../../../src/components/awards/award.model.js';
import type { BadgeClassDoc } from '../../../../src/components/achievements/badge-class.model.js';
import type { VerificationInput } from '../../../../src/components/verification/verification.use-case.js';
import { relaxedLimits } from '../../../helpers/accounts.js';
import { adminActor, issuerWithBadge, issueTo } from '../../../helpers/awards.js';
import { didKeyBadge } from '../../../helpers/imports.js';
import { recordReads, twoInstances } from '../../../helpers/shared-database.js';
import type { TestApp } from '../../../helpers/test-app.js';

const ISSUER = 'ville-de-roubaix';
const DOCUMENT_COLLECTIONS = new Set([
  'badge_classes',
  'issuers',
  'issuer_keys',
  'revocations',
  'endorsements',
  'status_lists',
  'status_list_slots',
]);

describe('verification of our own badges from documents kept in memory', () => {
  let t: TestApp;
  /** Another instance of the app on the same database (another process in production). */
  let other: TestApp;
  let badge: BadgeClassDoc;
  let log: ReturnType<typeof recordReads>;

  beforeAll(async () => {
    ({ t, other } = await twoInstances(relaxedLimits));
    badge = await issuerWithBadge(t.app, ISSUER);
    log = recordReads(DOCUMENT_COLLECTIONS);
  }, 60_000);
  afterAll(async () => {
    log?.stop();
    await other?.close();
    await t?.close();
  });

  const text = (award: AwardDoc, form: 'ob2' | 'vcjwt' | 'di' = 'ob2'): VerificationInput => ({
    way: 'text',
    text: form === 'ob2' ? award.ob2.jws : form === 'vcjwt' ? award.ob3.jwt : award.ob3.credential,
  });
  /** Each call with its own expected email (a mismatch is reported): no result can be reused. */
  let n = 0;
  const verifyOn = async (app: TestApp, input: VerificationInput, email = `autre-${n++}@x.fr`) => {
    const outcome = await app.app.verification.verify(input, { expectedEmail: email });
    return outcome.report;
  };
  /** What a verifier that kept nothing answers (same steps, same messages). */
  const fresh = async (app: TestApp, input: VerificationInput, email: string) => {
    app.app.verification.clearCache();
    return verifyOn(app, input, email);
  };
  const shape = (report: Awaited<ReturnType<typeof verifyOn>>) => ({
    verdict: report.verdict,
    steps: report.steps.map((s) => ({ id: s.id, ok: s.ok, message: s.message })),
    revoked: report.badge?.revoked ?? false,
    issuer: report.badge?.issuer?.name,
  });

  it('When a second badge of the same structure is verified, then no public document is read from the database again', async () => {
    const first = await issueTo(t.app, badge, { recipientEmail: 'premier@example.org' });
    const second = await issueTo(t.app, badge, { recipientEmail: 'second@example.org' });
    for (const form of ['ob2', 'vcjwt', 'di'] as const) {
      expect((await verifyOn(t, text(first, form), 'premier@example.org')).verdict).toBe(
        'verified',
      );
      log.reads.length = 0;
      const report = await verifyOn(t, text(second, form), 'second@example.org');
      expect([form, report.verdict]).toEqual([form, 'verified']);
      expect([form, log.reads]).toEqual([form, []]);
    }
  });

  it('When a badge is revoked right after being verified, then the next verification says revoked at once, as a verifier that kept nothing does', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'revoque@example.org' });
    for (const form of ['ob2', 'vcjwt', 'di'] as const) {
      expect((await verifyOn(t, text(award, form), 'revoque@example.org')).verdict).toBe(
        'verified',
      );
    }
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      awardId: award._id,
      reason: 'Délivré par erreur',
    });
    for (const form of ['ob2', 'vcjwt', 'di'] as const) {
      const report = await verifyOn(t, text(award, form), 'revoque@example.org');
      expect([form, report.verdict, report.badge?.revoked]).toEqual([form, 'not_verified', true]);
      expect(shape(report)).toEqual(
        shape(await fresh(t, text(award, form), 'revoque@example.org')),
      );
    }
  });

  it('When an attacker signs with their own did:key a credential naming our issuer and one of our badges, then the kept documents do not make it verify', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'karim@example.org' });
    const genuine = JSON.parse(award.ob3.credential) as { id: string; issuer: { id: string } };
    // Our documents are kept in memory by this verification.
    expect((await verifyOn(t, text(award, 'di'), 'karim@example.org')).verdict).toBe('verified');
    const claimingUs = await didKeyBadge('karim@example.org', 'forge-1', badge.name, {
      id: genuine.id,
      issuerId: genuine.issuer.id,
    });
    const report = await verifyOn(t, { way: 'text', text: claimingUs.json }, 'karim@example.org');
    expect(report.verdict).toBe('not_verified');
    // Their own DID as issuer, our badge's URL as id: at best a foreign badge, never ours.
    const wearingOurId = await didKeyBadge('karim@example.org', 'forge-2', badge.name, {
      id: genuine.id,
    });
    const outcome = await t.app.verification.verify(
      { way: 'text', text: wearingOurId.json },
      { expectedEmail: 'karim@example.org' },
    );
    expect(outcome.report.verdict).not.toBe('verified');
    expect(outcome.holderName).toBeUndefined();
  });

  it('When a structure is edited, then its badges show the new name at once', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'nom@example.org' });
    const before = await verifyOn(t, text(award), 'nom@example.org');
    expect(before.badge?.issuer?.name).toBe(
      'Ville de Roubaix — Coopérative des médiateurs numériques',
    );
    const issuer = (await t.app.services.issuerRepo.findById(ISSUER))!;
    await t.app.services.issuers.updateIssuer({
      actor: { ...adminActor, name: 'Admin', language: 'fr' },
      ip: '',
      issuerId: ISSUER,
      values: { name: 'Ville de Roubaix', url: issuer.url, email: issuer.email, description: '' },
    });
    const after = await verifyOn(t, text(award), 'nom@example.org');
    expect(after.badge?.issuer?.name).toBe('Ville de Roubaix');
    expect(shape(after)).toEqual(shape(await fresh(t, text(award), 'nom@example.org')));
  });

  it('When the keys are renewed, then a badge signed with the new key verifies at once and older badges verify as without any cache', async () => {
    const old = await issueTo(t.app, badge, { recipientEmail: 'ancien@example.org' });
    for (const form of ['ob2', 'vcjwt', 'di'] as const) {
      expect((await verifyOn(t, text(old, form), 'ancien@example.org')).verdict).toBe('verified');
    }
    await t.app.services.awards.rotateIssuerKeys({ actor: adminActor, ip: '', issuerId: ISSUER });
    const renewed = await issueTo(t.app, badge, { recipientEmail: 'nouveau@example.org' });
    for (const form of ['ob2', 'vcjwt', 'di'] as const) {
      const report = await verifyOn(t, text(renewed, form), 'nouveau@example.org');
      expect([form, report.verdict]).toEqual([form, 'verified']);
      const again = await verifyOn(t, text(old, form), 'ancien@example.org');
      expect(shape(again)).toEqual(shape(await fresh(t, text(old, form), 'ancien@example.org')));
    }
  });

  it('When a key is declared compromised, then a badge it signed no longer verifies, at once', async () => {
    const award = await issueTo(t.app, badge, { recipientEmail: 'vole@example.org' });
    expect((await verifyOn(t, text(award), 'vole@example.org')).verdict).toBe('verified');
    await t.app.services.compromisedKeys.declareCompromised({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      keyId: award.ob2.keyId,
      reason: 'Clé copiée sur une clé USB perdue',
    });
    const report = await verifyOn(t, text(award), 'vole@example.org');
    expect(report.verdict).toBe('not_verified');
    expect(shape(report)).toEqual(shape(await fresh(t, text(award), 'vole@example.org')));
  });

  it('When another instance declares a retired key compromised or revokes a badge, then this one says so within a second', async () => {
    const signedByRetired = await issueTo(t.app, badge, { recipientEmail: 'retraite@example.org' });
    await t.app.services.awards.rotateIssuerKeys({ actor: adminActor, ip: '', issuerId: ISSUER });
    const award = await issueTo(t.app, badge, { recipientEmail: 'ailleurs@example.org' });
    const retiredKey = signedByRetired.ob2.keyId;
    expect((await t.app.services.keys.findPublicKey(retiredKey))?.status).toBe('retired');
    await new Promise((r) => setTimeout(r, 1100));
    // The other instance has read the documents of both badges.
    expect((await verifyOn(other, text(award, 'vcjwt'), 'ailleurs@example.org')).verdict).toBe(
      'verified',
    );
    const beforeCompromise = await verifyOn(other, text(signedByRetired), 'retraite@example.org');
    expect(beforeCompromise.verdict).not.toBe('not_verified');

    // A retired key adds no key when compromised: only the change token tells the other instance.
    await t.app.services.compromisedKeys.declareCompromised({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      keyId: retiredKey,
      reason: 'Sauvegarde perdue',
    });
    await t.app.services.changes.settled();
    await new Promise((r) => setTimeout(r, 1100));
    const compromised = await verifyOn(other, text(signedByRetired), 'retraite@example.org');
    expect(compromised.verdict).toBe('not_verified');
    expect(shape(compromised)).toEqual(
      shape(await fresh(other, text(signedByRetired), 'retraite@example.org')),
    );

    expect((await verifyOn(other, text(award, 'vcjwt'), 'ailleurs@example.org')).verdict).toBe(
      'verified',
    );
    await t.app.services.awards.revokeAward({
      actor: adminActor,
      ip: '',
      issuerId: ISSUER,
      awardId: award._id,
      reason: 'Délivré par erreur',
    });
    await t.app.services.changes.settled();
    await new Promise((r) => setTimeout(r, 1100));
    const revoked = await verifyOn(other, text(award, 'vcjwt'), 'ailleurs@example.org');
    expect([revoked.verdict, revoked.badge?.revoked]).toEqual(['not_verified', true]);
  }, 30_000);
});
